/// The whole reasoning for one candidate as text: gates, the criteria tree with the facts each
/// criterion read (value, source, date, confidence), the case that fired, risk, weights and
/// contribution; assumptions and warnings.
public enum ExplainRenderer {
    /// The explanation, in sections: status, gates, the criteria table with each criterion's
    /// reasoning, sources, assumptions and warnings.
    public static func text(_ r: CandidateResult, in a: Assessment) -> String {
        "\(r.name) (\(r.id))\n" + variantLine(r, a) + ScoreRenderer.header(a) + statusSection(r, a) + gatesSection(r, a.policy)
            + criteriaSection(r, a.policy)
            + trailingSections(r, a)
    }

    static func variantLine(_ r: CandidateResult, _ a: Assessment) -> String {
        guard let like = a.scenario.candidate(r.id)?.like else { return "" }
        return "A variant of \(like): every fact it does not give is inherited from \(like) (marked 'inherited from' below)\n"
    }

    static func statusSection(_ r: CandidateResult, _ a: Assessment) -> String {
        let p = a.policy
        var out = ""
        let ranked = a.results.filter { $0.status == .ranked }.count
        switch r.status {
        case .ranked:
            out +=
                "Risk \(Format.fixed(r.risk ?? .nan, 2)) (\(r.band ?? "-")), rank \(r.rank.map(String.init) ?? "-") of \(ranked), coverage \(Format.percent(r.coverage))\n"
        case .insufficientEvidence:
            out +=
                "INSUFFICIENT EVIDENCE: coverage \(Format.percent(r.coverage)) is below the policy's minimum of \(Format.percent(p.minimumCoverage)), so it is not ranked; risk \(r.risk.map { Format.fixed($0, 2) } ?? "n/a") (\(r.band ?? "-")) shown for information\n"
            out += "  \(ScoreRenderer.gapsText(r, limit: 5))\n"
        case .excluded:
            out +=
                "EXCLUDED by \(r.excludingGates.map(\.id).joined(separator: ", ")); risk \(r.risk.map { Format.fixed($0, 2) } ?? "n/a") (\(r.band ?? "-")) shown for information, coverage \(Format.percent(r.coverage))\n"
        case .notAssessable:
            out += "Not assessable: every criterion was skipped for missing data\n"
        }

        if let ev = r.riskFromEvidence, let asm = r.riskFromAssumptions {
            out += "Of the risk, \(Format.fixed(ev, 2)) rests on evidence and \(Format.fixed(asm, 2)) on assumptions for missing data"
            let skips = r.riskFromSkips
            if skips > 0.005 {
                let skipped = r.criteria.filter { $0.isLeaf && $0.skipped }.map(\.id).joined(separator: ", ")
                out += " (\(Format.fixed(skips, 2)) of it on the weight that skipped \(skipped) passed on to the criteria beside them)"
            }
            out += "\n"
        }
        if let b = a.scenario.candidates[r.candidateIndex].basis {
            let kind =
                switch b.kind {
                case .named: "named as under consideration"
                case .historical: "a historical reference"
                case .comparison: "for comparison; no report names it"
                }
            out += "A candidate because: \(kind)\(b.source.map { " (\($0))" } ?? "")\(b.note.map { ": \($0)" } ?? "")\n"
        }
        if let s = a.spread(of: r) {
            out +=
                s.robust
                ? "Over its assumptions it holds: rank, band and status stay as they are whatever the missing facts turn out to be\n"
                : "Over its assumptions: \(ScoreRenderer.spreadText(s, r)), moved by \(s.movers.isEmpty ? "the missing facts together" : s.movers.joined(separator: ", ")) (hubs gaps shows each value)\n"
        }

        return out
    }

    static func gatesSection(_ r: CandidateResult, _ p: CompiledPolicy) -> String {
        var out = ""
        out += "\nGates\n"
        if r.gates.isEmpty { out += "  (none)\n" }
        for g in r.gates {
            let verdict: String =
                switch g.outcome {
                case .passed: "passed"
                case .excluded: "EXCLUDES"
                case .undecided: "undecided (\(g.excludedWhenUndecided ? "treated as excluding" : "treated as passed"))"
                }
            out += "  \(g.id): \(verdict)  [exclude_if: \(g.condition)]\n"
            if g.outcome != .passed { out += "    reason: \(g.reason)\n" }
            if let why = p.gates.first(where: { $0.id == g.id })?.rationale { out += "    why this gate: \(rationale(why))\n" }
            for f in g.reads { out += "    " + reading(f) + "\n" }
        }

        return out
    }

    static func criteriaSection(_ r: CandidateResult, _ p: CompiledPolicy) -> String {
        var out = ""
        out += "\nCriteria  (risk 0-100; weight as declared; share = effective weight; contribution = part of the total)\n"
        var rows: [[String]] = [["criterion", "rule", "risk", "weight", "share", "contribution"]]
        var details: [Int: [String]] = [:]
        for c in r.criteria {
            let info = p.criteria[c.index]
            let indent = String(repeating: "  ", count: c.depth)
            let rule: String =
                switch info.kind {
                case let .group(agg): "group, \(agg.rawValue)"
                case let .leaf(kind, _): kind.rawValue
                }
            rows.append([
                indent + c.id, rule, c.risk.map { Format.fixed($0, 1) } ?? "skipped", Format.number(c.weight),
                Format.percent(c.effectiveWeight), Format.fixed(c.contribution, 2) + (c.assumed ? " ASSUMED" : ""),
            ])
            details[rows.count - 1] = detailLines(c, info)
        }
        let table = TextTable.render(rows, rightAligned: [2, 3, 4, 5]).split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in table.enumerated() where !line.isEmpty {
            out += "  " + line + "\n"
            // Table lines: header, rule, then one line per criterion.
            if i >= 2, let lines = details[i - 1] {
                let indent = String(repeating: " ", count: 6 + 2 * r.criteria[i - 2].depth)
                for l in lines { out += indent + l + "\n" }
            }
        }
        let sum = r.criteria.filter(\.isLeaf).reduce(0.0) { $0 + $1.contribution }
        out += "  Total: \(r.risk.map { Format.fixed($0, 4) } ?? "n/a") = sum of leaf contributions \(Format.fixed(sum, 4))\n"

        return out
    }

    /// A criterion's reasoning under its row: title, rationale, the case that fired, goalposts,
    /// expression, clamping, the missing-data rule and the facts it read.
    static func detailLines(_ c: CriterionResult, _ info: CriterionInfo) -> [String] {
        var lines: [String] = []
        if let why = info.rationale { lines.append("why this weight: \(rationale(why))") }
        if c.isLeaf {
            lines.insert(c.title, at: 0)
            if let label = c.firedLabel {
                lines.append("case: \(label)")
                if let k = c.firedCase, info.caseRationales.indices.contains(k), let why = info.caseRationales[k] {
                    lines.append("why this risk: \(rationale(why))")
                }
            } else if c.rawValue != nil, info.caseLabels.isEmpty, let why = info.ruleRationale {
                lines.append("why \(info.scale != nil ? "these goalposts" : "this risk"): \(rationale(why))")
            }
            if let s = info.scale, let raw = c.rawValue, let read = c.reads.first?.value {
                lines.append(
                    "scale: \(read) between best \(Format.number(s.best)) (risk 0) and worst \(Format.number(s.worst)) (risk 100)\(s.transform == .none ? "" : " on \(s.transform.rawValue)") gives \(Format.fixed(raw, 2))"
                )
            }
            if let expr = info.expressionText, info.scale == nil { lines.append("expr: \(expr)") }
            if let raw = c.rawValue, raw < 0 || raw > 100 { lines.append("computed \(Format.number(raw)), clamped to 0-100") }
            if let m = c.missingRule {
                lines.append(
                    "MISSING DATA: rule \(AssumptionText.missingRule(m))\(c.assumed ? "; this contribution is an assumption, not evidence" : "")"
                )
                if let why = info.missingRationale { lines.append("why this assumption: \(rationale(why))") }
            }
            for f in c.reads { lines.append(reading(f)) }
        }
        return lines
    }

    static func trailingSections(_ r: CandidateResult, _ a: Assessment) -> String {
        let p = a.policy
        var out = ""
        var cited: [String] = []
        for f in r.gates.flatMap(\.reads) + r.criteria.flatMap(\.reads) {
            if let id = f.source, !cited.contains(id) { cited.append(id) }
        }
        if !cited.isEmpty {
            out += "\nSources\n"
            for id in cited {
                guard let src = a.scenario.source(id) else { continue }
                var line = "  \(id): \(src.title)"
                if let p = src.publisher { line += ". \(p)" }
                line += src.date.map { ", \($0)" } ?? ", undated"
                if let u = src.url { line += ". \(u)" }
                if let n = src.noAddress { line += " (no web address: \(n))" }
                if let n = src.noAddress { line += " (no web address: \(n))" }
                out += line + "\n"
            }
        }
        let policyCited = citedByPolicy(p)
        if !policyCited.isEmpty {
            out += "\nSources the policy's rationales cite\n"
            for src in policyCited { out += "  " + sourceLine(src) + "\n" }
        }
        if !r.assumptions.isEmpty {
            out += "\nAssumptions\n" + r.assumptions.map { "  - \(AssumptionText.text($0))\n" }.joined()
        }
        let mine = a.table.warningsByCandidate[r.id] ?? []
        let warnings = mine.filter { $0.severity == .warning }
        if !warnings.isEmpty {
            out += "\nWarnings\n" + warnings.map { "  - \($0.location.map { "\($0): " } ?? "")\($0.message)\n" }.joined()
        }
        let aged = mine.filter { $0.severity == .note && $0.code == .staleFact }
        if !aged.isEmpty {
            out +=
                "\nOld evidence, acknowledged by a lowered confidence\n"
                + aged.map { "  - \($0.location.map { "\($0): " } ?? "")\($0.message)\n" }.joined()
        }
        return out
    }

    /// The policy's sources that its rationales cite, in the order declared.
    static func citedByPolicy(_ p: CompiledPolicy) -> [EvidenceSource] {
        var ids = Set<String>()
        for c in p.criteria {
            for r in [c.rationale, c.ruleRationale, c.missingRationale] + c.caseRationales { for k in r?.cite ?? [] { ids.insert(k.id) } }
        }
        for g in p.gates { for k in g.rationale?.cite ?? [] { ids.insert(k.id) } }
        for b in p.bands { for k in b.rationale?.cite ?? [] { ids.insert(k.id) } }
        return p.policy.sources.filter { ids.contains($0.id) }
    }

    static func sourceLine(_ src: EvidenceSource) -> String {
        var line = "\(src.id): \(src.title)"
        if let p = src.publisher { line += ". \(p)" }
        line += src.date.map { ", \($0)" } ?? ", undated"
        if let u = src.url { line += ". \(u)" }
        if let n = src.noAddress { line += " (no web address: \(n))" }
        return line
    }

    /// "text [cites S1, S49]".
    static func rationale(_ r: Rationale) -> String {
        let cites = r.cite.isEmpty ? "" : " [\(r.cite.map(\.id).joined(separator: ", "))]"
        return (r.text ?? "") + cites
    }

    static func reading(_ f: FactReading) -> String {
        if let at = f.location, at.isCommandLine {
            return "\(f.name) = \(FactText.value(f))  [set on the command line for this run (\(at)), not evidence]"
        }
        switch f.state {
        case .notGiven: return "\(f.name): not given in the scenario"
        case .unknown:
            var s = "\(f.name) = unknown"
            if let src = f.source { s += "  [\(src)]" }
            if let n = f.note { s += "  (\(n))" }
            if let from = f.inheritedFrom { s += "  inherited from \(from)" }
            return s
        case .known:
            var s = "\(f.name) = \(f.value ?? "?")"
            var evidence: [String] = []
            if let src = f.source {
                evidence.append(src + ", " + (f.sourceDate?.description ?? "undated"))
            } else {
                evidence.append("no source")
            }
            if let d = f.asOf { evidence.append("as of \(d)") }
            if let c = f.confidence { evidence.append("\(c.rawValue) confidence") }
            s += "  [" + evidence.joined(separator: "; ") + "]"
            if let n = f.note { s += "  (\(n))" }
            if let from = f.inheritedFrom { s += "  inherited from \(from)" }
            return s
        }
    }
}
