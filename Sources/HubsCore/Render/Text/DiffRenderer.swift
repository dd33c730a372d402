/// Renders an `OutcomeDiff`: terminal table (unchanged candidates folded), Markdown, JSON.
public enum DiffRenderer {
    static func side(_ a: Assessment) -> String {
        "policy \(a.policy.id) \(a.policy.policy.version), scenario \(a.scenario.id)"
            + (a.overrides.isEmpty ? "" : ", with " + a.overrides.map { "\($0.option) \($0.argument)" }.joined(separator: " "))
    }

    static func risk(_ r: CandidateResult?) -> String { r?.risk.map { Format.fixed($0, 2) } ?? "n/a" }
    static func rank(_ r: CandidateResult?) -> String { r?.rank.map(String.init) ?? "-" }
    static func status(_ r: CandidateResult?) -> String {
        guard let r else { return "absent" }
        switch r.status {
        case .ranked: return "ranked"
        case .insufficientEvidence: return "insufficient evidence"
        case .excluded: return "excluded (\(r.excludingGates.map(\.id).joined(separator: ", ")))"
        case .notAssessable: return "not assessable"
        }
    }
    /// "echr −12.00", or "host_willingness +9.00 (assumed)" when either side rests on a missing-data rule.
    static func part(_ p: CriterionPart) -> String {
        let mark =
            p.assumedBefore && p.assumedAfter ? " (assumed)" : p.assumedBefore ? " (was assumed)" : p.assumedAfter ? " (now assumed)" : ""
        return "\(p.criterion) \(signed(p.delta))\(mark)"
    }
    /// Where the new value of a fact comes from: its source id, or the command line.
    static func evidence(_ f: FactChange) -> String? { f.setOnCommandLine ? "set on the command line" : f.sourceAfter }

    /// Like `part`, with the criterion's title: for Markdown memos.
    static func titledPart(_ p: CriterionPart) -> String {
        let mark =
            p.assumedBefore && p.assumedAfter ? " (assumed)" : p.assumedBefore ? " (was assumed)" : p.assumedAfter ? " (now assumed)" : ""
        return "\(p.title) \(signed(p.delta))\(mark)"
    }

    static func signed(_ v: Double) -> String { (v > 0 ? "+" : v < 0 ? "−" : "±") + Format.fixed(Swift.abs(v), 2) }
    static func arrow(_ a: String, _ b: String) -> String { a == b ? a : "\(a) → \(b)" }

    /// What changed in a fact's evidence, in words ("confidence medium → high; source S6 → S7").
    /// With a new value, its source and note are shown beside it already, so only the rest is.
    static func provenanceText(_ f: FactChange) -> String {
        f.provenance.filter { p in !f.valueChanged || (p.field != "note" && p.field != "source") }
            .map { p in "\(p.field) \(p.before ?? "none") → \(p.after ?? "none")" }.joined(separator: "; ")
    }

    /// Facts whose evidence changed while the candidate's outcome did not, one line each.
    static func evidenceOnly(_ d: OutcomeDiff) -> [String] {
        d.candidates.filter { $0.kind == .unchanged }.flatMap { c in
            c.facts.map { f in
                "\(c.name), \(f.fact): " + (f.valueChanged ? "\(f.before) → \(f.after)" + (provenanceText(f).isEmpty ? "" : "; ") : "")
                    + provenanceText(f)
            }
        }
    }

    /// The diff as terminal text: policy changes, changed candidates with their parts, and the
    /// unchanged folded into one line, then evidence that changed without changing an outcome.
    public static func table(_ d: OutcomeDiff) -> String {
        var out = "Before: \(side(d.before))\nAfter:  \(side(d.after))\n"
        let quiet = evidenceOnly(d)
        if d.changed.isEmpty && d.policyChanges.isEmpty {
            out += "\nNo change: every candidate has the same rank, risk, band and status.\n"
            if !quiet.isEmpty {
                out += "Evidence that changed without changing an outcome (\(quiet.count)):\n" + quiet.map { "  \($0)\n" }.joined()
            }
            return out
        }
        if !d.policyChanges.isEmpty {
            out += "\nPolicy changes (\(d.policyChanges.count)):\n"
            for c in d.policyChanges {
                let locs = [c.before.map { "was \($0)" }, c.after.map { "now \($0)" }].compactMap { $0 }.joined(separator: ", ")
                out += "  \(detail(c))\(locs.isEmpty ? "" : "  [\(locs)]")\n"
            }
        }
        let changed = d.changed
        if changed.isEmpty {
            out += "\nNo candidate's outcome changed.\n"
            return out
        }
        out += "\nCandidates whose outcome changed (\(changed.count)):\n"
        var rows: [[String]] = [["Candidate", "Rank", "Risk", "Change", "Band", "Status"]]
        for c in changed {
            switch c.kind {
            case .added:
                rows.append([c.name, "new: " + rank(c.after), risk(c.after), "", c.after?.band ?? "-", "added: " + status(c.after)])
            case .removed: rows.append([c.name, rank(c.before) + " → gone", risk(c.before), "", c.before?.band ?? "-", "removed"])
            case .changed, .unchanged:
                rows.append([
                    c.name, arrow(rank(c.before), rank(c.after)), "\(risk(c.before)) → \(risk(c.after))",
                    c.riskDelta.map(signed) ?? "", arrow(c.before?.band ?? "-", c.after?.band ?? "-"),
                    arrow(status(c.before), status(c.after)),
                ])
            }
        }
        out += TextTable.render(rows, rightAligned: [3]).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        for c in changed where c.kind == .changed && (!c.parts.isEmpty || !c.facts.isEmpty || c.statusChanged) {
            out += "\n  \(c.name)"
            if let delta = c.riskDelta { out += ": risk \(signed(delta))" }
            out += "\n"
            if !c.parts.isEmpty {
                out += "    by criterion: " + c.parts.map(part).joined(separator: ", ") + "\n"
            }
            for f in c.facts where f.valueChanged {
                out +=
                    "    fact \(f.fact): \(f.before) → \(f.after)\(evidence(f).map { " [\($0)]" } ?? "")\(f.noteAfter.map { " (\($0))" } ?? "")"
                    + (provenanceText(f).isEmpty ? "" : "; \(provenanceText(f))") + "\n"
            }
            for f in c.facts where !f.valueChanged { out += "    evidence for \(f.fact): \(provenanceText(f))\n" }
            if c.statusChanged {
                let newly = c.after?.excludingGates.filter { g in !(c.before?.excludingGates.contains { $0.id == g.id } ?? false) } ?? []
                let lifted = c.before?.excludingGates.filter { g in !(c.after?.excludingGates.contains { $0.id == g.id } ?? false) } ?? []
                for g in newly { out += "    newly excluded by \(g.id): \(g.reason)\n" }
                for g in lifted { out += "    no longer excluded by \(g.id)\n" }
            }
        }
        let unchanged = d.candidates.filter { $0.kind == .unchanged }
        if !unchanged.isEmpty {
            out += "\n\(unchanged.count) unchanged: \(unchanged.map(\.id).joined(separator: ", "))\n"
        }
        if !quiet.isEmpty {
            out += "Evidence that changed without changing an outcome (\(quiet.count)):\n" + quiet.map { "  \($0)\n" }.joined()
        }
        return out
    }

    /// The diff as Markdown, for a review comment.
    public static func markdown(_ d: OutcomeDiff) -> String {
        func cell(_ s: String) -> String { Escaping.markdown(s) }
        var out = "### hubs diff\n\n- Before: \(side(d.before))\n- After: \(side(d.after))\n"
        if d.changed.isEmpty && d.policyChanges.isEmpty {
            out += "\nNo change.\n"
            let quiet = evidenceOnly(d)
            if !quiet.isEmpty {
                out += "\n#### Evidence that changed without changing an outcome\n\n" + quiet.map { "- \(cell($0))\n" }.joined()
            }
            return out
        }
        if !d.policyChanges.isEmpty {
            out += "\n#### Policy changes\n\n"
            for c in d.policyChanges {
                out += "- \(cell(detail(c)))" + (c.after.map { " (`\($0)`)" } ?? c.before.map { " (`\($0)`)" } ?? "") + "\n"
            }
        }
        let changed = d.changed
        if !changed.isEmpty {
            out += "\n| Candidate | Rank | Risk | Change | Band | Status | By criterion |\n|---|---|---:|---:|---|---|---|\n"
            for c in changed {
                let parts = c.parts.prefix(4).map { cell(titledPart($0)) }.joined(separator: ", ")
                out +=
                    "| \(cell(c.name)) | \(arrow(rank(c.before), rank(c.after))) | \(risk(c.before)) → \(risk(c.after)) | \(c.riskDelta.map(signed) ?? c.kind.rawValue) | \(arrow(c.before?.band ?? "–", c.after?.band ?? "–")) | \(cell(arrow(status(c.before), status(c.after)))) | \(parts) |\n"
            }
            let facts = changed.flatMap { c in
                c.facts.map { f in
                    f.valueChanged
                        ? "\(c.name): \(f.fact) \(f.before) → \(f.after)" + (evidence(f).map { " [\($0)]" } ?? "")
                            + (f.noteAfter.map { " (\($0))" } ?? "") + (provenanceText(f).isEmpty ? "" : "; \(provenanceText(f))")
                        : "\(c.name): evidence for \(f.fact): \(provenanceText(f))"
                }
            }
            if !facts.isEmpty { out += "\n#### Facts that changed\n\n" + facts.map { "- \(cell($0))\n" }.joined() }
            for c in changed where c.statusChanged {
                let newly = c.after?.excludingGates.filter { g in !(c.before?.excludingGates.contains { $0.id == g.id } ?? false) } ?? []
                for g in newly { out += "- \(cell(c.name)) newly excluded by \(cell(g.id)): \(cell(g.reason))\n" }
            }
        }
        let unchanged = d.candidates.filter { $0.kind == .unchanged }
        if !unchanged.isEmpty { out += "\n\(unchanged.count) unchanged: \(cell(unchanged.map(\.name).joined(separator: ", "))).\n" }
        let quiet = evidenceOnly(d)
        if !quiet.isEmpty {
            out += "\n#### Evidence that changed without changing an outcome\n\n" + quiet.map { "- \(cell($0))\n" }.joined()
        }
        return out
    }

    /// One policy change in words: "weight of 'security': 30 → 45".
    public static func detail(_ c: PolicyChange) -> String {
        let id = c.subject
        let n = Format.number
        func parent(_ p: String?) -> String { p ?? "the top level" }
        switch c.change {
        case let .metadata(field, x, y): return "\(field) \(x) → \(y)"
        case .factAdded: return "fact '\(id)' added"
        case .factRemoved: return "fact '\(id)' removed"
        case let .factType(x, y): return "type of '\(id)': \(typeText(x)) → \(typeText(y))"
        case let .gateAdded(condition): return "gate '\(id)' added (exclude_if: \(condition))"
        case let .gateRemoved(condition): return "gate '\(id)' removed (exclude_if: \(condition))"
        case let .gateCondition(x, y): return "gate '\(id)' condition: \(x) → \(y)"
        case .gateReason: return "gate '\(id)' reason changed"
        case let .gateWhenUndecided(x, y): return "gate '\(id)' when undecided: \(x.rawValue) → \(y.rawValue)"
        case let .criterionAdded(p): return "criterion '\(id)' added under \(parent(p))"
        case let .criterionRemoved(p): return "criterion '\(id)' removed (was under \(parent(p)))"
        case let .criterionMoved(from, to): return "criterion '\(id)' moved from \(parent(from)) to \(parent(to))"
        case let .weight(x, y): return "weight of '\(id)': \(n(x)) → \(n(y))"
        case let .aggregate(x, y): return "aggregate of '\(id)': \(x.rawValue) → \(y.rawValue)"
        case let .ruleKind(x, y): return "rule of '\(id)': \(x.rawValue) → \(y.rawValue)"
        case .groupOrLeaf: return "'\(id)' changed between a group and a leaf"
        case let .missingRule(x, y): return "missing rule of '\(id)': \(AssumptionText.missingRule(x)) → \(AssumptionText.missingRule(y))"
        case let .expression(x, y): return "'\(id)' reads \(x) → \(y)"
        case let .best(x, y): return "'\(id)' best (risk 0): \(n(x)) → \(n(y))"
        case let .worst(x, y): return "'\(id)' worst (risk 100): \(n(x)) → \(n(y))"
        case let .transform(x, y): return "'\(id)' transform: \(x.rawValue) → \(y.rawValue)"
        case let .caseCondition(k, x, y): return "'\(id)' case \(k) condition: \(x) → \(y)"
        case let .caseRisk(k, label, x, y): return "'\(id)' case \(k) (\(label)) risk: \(n(x)) → \(n(y))"
        case let .caseAdded(k, condition): return "'\(id)' case \(k) added: \(condition)"
        case let .caseRemoved(k, condition): return "'\(id)' case \(k) removed: \(condition)"
        case let .elseRisk(x, y): return "'\(id)' else risk: \(n(x)) → \(n(y))"
        case let .mapRisk(value, x, y): return "'\(id)' risk for \(value): \(n(x)) → \(n(y))"
        case let .bands(x, y): return "bands: \(bandsText(x)) → \(bandsText(y))"
        }
    }

    static func bandsText(_ bands: [Band]) -> String {
        bands.map { "\($0.name)\($0.below.map { " < \(Format.number($0))" } ?? "")" }.joined(separator: ", ")
    }

    static func typeText(_ t: FactType) -> String {
        switch t {
        case let .number(lo, hi, unit):
            "number" + (lo != nil || hi != nil ? " [\(lo.map(Format.number) ?? "-inf"), \(hi.map(Format.number) ?? "inf")]" : "")
                + (unit.map { " \($0)" } ?? "")
        case .bool: "bool"
        case let .enumeration(v): "enum [\(v.joined(separator: ", "))]"
        case .date: "date"
        }
    }
}
