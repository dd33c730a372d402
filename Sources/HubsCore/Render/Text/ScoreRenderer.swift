import Foundation

/// Renders a ranking: a terminal table, Markdown, or CSV. (JSON: `AssessmentJSON`.)
public enum ScoreRenderer {
    /// The two lines naming the policy and the scenario, and a third naming any command-line overrides.
    public static func header(_ a: Assessment) -> String {
        "Policy \(a.policy.id) \(a.policy.policy.version) (\(a.policy.policy.title))\n"
            + "Scenario \(a.scenario.id)\(a.scenario.asOf.map { ", as of \($0)" } ?? "") (\(a.scenario.title))\n"
            + (a.overrides.isEmpty ? "" : overridesText(a.overrides) + "\n")
    }

    /// The overrides a run was made under, in one sentence: each argument as typed and what the
    /// files give instead, so no output can be mistaken for the files' own conclusion.
    public static func overridesText(_ overrides: [AppliedOverride]) -> String {
        "Overrides for this run only (not in the files): "
            + overrides.map { "\($0.option) \($0.argument) (\(previousText($0)))" }.joined(separator: "; ")
    }

    static func previousText(_ o: AppliedOverride) -> String {
        guard let was = o.previous else { return o.option == "--set" ? "the scenario does not give it" : "not set in the policy" }
        return "the \(o.option == "--set" ? "scenario" : "policy") gives \(was)"
    }

    static func statusText(_ r: CandidateResult) -> String {
        switch r.status {
        case .ranked: return "ranked"
        case .insufficientEvidence: return "INSUFFICIENT EVIDENCE"
        case .excluded: return "EXCLUDED by " + r.excludingGates.map(\.id).joined(separator: ", ")
        case .notAssessable: return "not assessable"
        }
    }

    /// The main drivers, each assumed one marked "(assumed)" so that an assumption never reads as evidence.
    static func driversText(_ r: CandidateResult) -> String {
        r.driverPositions().map { i in
            r.criteria[i].id + " " + Format.fixed(r.criteria[i].contribution, 1) + (r.criteria[i].assumed ? " (assumed)" : "")
        }.joined(separator: ", ")
    }

    /// A risk as shown beside its band: with one decimal, or more where one decimal would round it
    /// across a band bound (24.96 shows as 24.96, not 25.0, in the band below 25).
    public static func riskText(_ risk: Double?, policy: CompiledPolicy, digits: Int = 1) -> String {
        guard let risk else { return "n/a" }
        var d = digits
        while d < 9, let shown = Double(Format.fixed(risk, d)), policy.band(for: shown) != policy.band(for: risk) { d += 1 }
        return Format.fixed(risk, d)
    }

    /// The fewest decimals (1 to 4) at which no two candidates of different ranks print the same
    /// risk (45.04 and 44.96 both print 45.0 at one decimal): the printed value, the band and the
    /// rank never disagree.
    public static func rankDigits(_ a: Assessment) -> Int {
        let ranked = a.results.filter { $0.rank != nil }.compactMap { r in r.risk.map { (r.rank ?? 0, $0) } }
        for d in 1...4 {
            var seen: [String: Int] = [:]
            var clash = false
            for (rank, risk) in ranked {
                let text = Format.fixed(risk, d)
                if let other = seen[text], other != rank {
                    clash = true
                    break
                }
                seen[text] = rank
            }
            if !clash { return d }
        }
        return 4
    }

    static func split(_ r: CandidateResult, digits: Int = 1) -> (evidence: String, assumed: String) {
        (r.riskFromEvidence.map { Format.fixed($0, digits) } ?? "n/a", r.riskFromAssumptions.map { Format.fixed($0, digits) } ?? "n/a")
    }

    /// The ranking as a terminal table, then excluded and thin-evidence candidates and every assumption.
    public static func table(_ a: Assessment) -> String {
        var rows: [[String]] = [
            [
                "#", "Candidate", "Risk", "Band", "Status", "Coverage", "Evidence", "Assumed",
            ] + (a.assumptionSpreads.isEmpty ? [] : ["Over assumptions"]) + ["Main drivers (contribution)"]
        ]
        let digits = rankDigits(a)
        @Sendable func row(_ r: CandidateResult) -> [String] {
            let (ev, asm) = split(r, digits: digits)
            return [
                r.rank.map(String.init) ?? "-", r.name, riskText(r.risk, policy: a.policy, digits: digits), r.band ?? "-",
                statusText(r), Format.percent(r.coverage), ev, asm,
            ] + (a.assumptionSpreads.isEmpty ? [] : [spreadText(a.spread(of: r), r)]) + [driversText(r)]
        }
        // Rows are independent: a long ranking is formatted in chunks side by side, in order.
        let count = a.results.count
        let chunks = count < 2048 ? 1 : Swift.min(16, count / 1024)
        let parts = Slots<[[String]]>(count: chunks)
        concurrentStride(chunks, threads: chunks) { k in
            parts.items[k] = a.results[(count * k / chunks)..<(count * (k + 1) / chunks)].map(row)
        }
        rows.reserveCapacity(count + 1)
        for k in 0..<chunks { rows += parts.take(k) ?? [] }
        var out = header(a) + "\n" + TextTable.render(rows, rightAligned: [0, 2, 5, 6, 7])
        let thin = a.results.filter { $0.status == .insufficientEvidence }
        if !thin.isEmpty {
            out +=
                "\nInsufficient evidence (coverage below the policy's minimum of \(Format.percent(a.policy.minimumCoverage)); scored for information, not ranked):\n"
            for r in thin { out += "  \(r.name): coverage \(Format.percent(r.coverage)); \(gapsText(r))\n" }
        }
        let excluded = a.results.filter { $0.status == .excluded }
        if !excluded.isEmpty {
            out += "\nExcluded (scored for information, not ranked):\n"
            for r in excluded {
                for g in r.excludingGates {
                    let facts = g.reads.map { "\($0.name) = \($0.value ?? $0.state.rawValue)" }.joined(separator: ", ")
                    out += "  \(r.name): \(g.reason) [gate \(g.id): \(g.condition)\(facts.isEmpty ? "" : "; \(facts)")]\n"
                }
            }
        }
        let assumed = a.results.filter { !$0.assumptions.isEmpty }
        if !assumed.isEmpty {
            out += "\nAssumptions for missing data:\n"
            for r in assumed {
                for s in r.assumptions { out += "  \(r.name): \(AssumptionText.text(s))\n" }
            }
        }
        out += "\nRisk runs from 0 (no concern) to 100 (severe concern); coverage is the share of the weight resting on known facts.\n"
        out += "Evidence and Assumed split each risk into the part scored from facts and the part from missing-data rules.\n"
        if let basis = basisText(a) { out += basis + "\n" }
        if !a.assumptionSpreads.isEmpty {
            out +=
                "Over assumptions: the rank (and status, band) when the facts its assumptions rest on take each value they can, the others as they stand; 'holds' when nothing moves, '-' when nothing is assumed. 'hubs gaps' says which fact to find out first.\n"
        }
        out += "Run 'hubs explain CANDIDATE' for the full reasoning behind a row.\n"
        return out
    }

    /// On what basis the candidates are assessed, one sentence per kind ("Named by a report:
    /// Serbia (seed003), …"), and those that say nothing; nil when no candidate gives a basis.
    public static func basisText(_ a: Assessment) -> String? {
        let cands = a.scenario.candidates
        guard cands.contains(where: { $0.basis != nil }) else { return nil }
        func who(_ c: Candidate) -> String { c.name + (c.basis?.source.map { " (\($0))" } ?? "") }
        var parts: [String] = []
        let words: [(CandidateBasis.Kind, String)] = [
            (.named, "Named as under consideration by a report"), (.historical, "A historical reference"),
            (.comparison, "For comparison, named by no report"),
        ]
        for (kind, text) in words {
            let these = cands.filter { $0.basis?.kind == kind }
            if !these.isEmpty { parts.append("\(text): \(these.map(who).joined(separator: ", ")).") }
        }
        let none = cands.filter { $0.basis == nil }
        if !none.isEmpty { parts.append("No basis given: \(none.map(\.name).joined(separator: ", ")).") }
        return "Why each is a candidate. " + parts.joined(separator: " ")
    }

    /// A candidate's spread over its assumptions in a few words: "holds", or the ranks, the
    /// statuses and the bands it reaches ("rank 1-2; excluded; moderate-high").
    public static func spreadText(_ s: AssumptionSpread?, _ r: CandidateResult) -> String {
        guard let s else { return "-" }
        if s.robust { return "holds" }
        var parts: [String] = []
        if let lo = s.rankLow, let hi = s.rankHigh { parts.append(lo == hi ? "rank \(lo)" : "rank \(lo)-\(hi)") }
        for st in s.statuses where st != .ranked && st != r.status { parts.append(st.name) }
        if s.bands.count > 1, r.status != .excluded { parts.append("\(s.bands.first ?? "")-\(s.bands.last ?? "")") }
        return parts.joined(separator: "; ")
    }

    /// "evidence on X would raise it most (+20%), then Y (+8%)".
    static func gapsText(_ r: CandidateResult, limit: Int = 3) -> String {
        let gaps = r.coverageGaps.prefix(limit)
        guard !gaps.isEmpty else { return "no single fact would raise it" }
        return "most coverage would come from " + gaps.map { "\($0.fact) (+\(Format.percent($0.share)))" }.joined(separator: ", ")
    }

    /// The ranking as a Markdown table, with the assumptions as a list.
    public static func markdown(_ a: Assessment) -> String {
        let digits = rankDigits(a)
        func cell(_ s: String) -> String { Escaping.markdown(s) }
        var out = "### \(cell(a.policy.policy.title)): \(cell(a.scenario.title))\n\n"
        out += "Policy `\(a.policy.id)` \(a.policy.policy.version), scenario `\(a.scenario.id)`"
        out += a.scenario.asOf.map { " (as of \($0))" } ?? ""
        out += "."
        if !a.overrides.isEmpty { out += " **\(cell(overridesText(a.overrides)))**" }
        out +=
            a.assumptionSpreads.isEmpty
            ? "\n\n| # | Candidate | Risk | Band | Status | Coverage | From evidence | From assumptions | Main drivers |\n|---:|---|---:|---|---|---:|---:|---:|---|\n"
            : "\n\n| # | Candidate | Risk | Band | Status | Coverage | From evidence | From assumptions | Over assumptions | Main drivers |\n|---:|---|---:|---|---|---:|---:|---:|---|---|\n"
        for r in a.results {
            var status = statusText(r)
            if r.status == .excluded { status += ": " + r.excludingGates.map(\.reason).joined(separator: " ") }
            if r.status == .insufficientEvidence { status += ": " + gapsText(r) }
            let (ev, asm) = split(r)
            out +=
                "| \(r.rank.map(String.init) ?? "–") | \(cell(r.name)) | \(riskText(r.risk, policy: a.policy, digits: digits)) | \(r.band ?? "–") | \(cell(status)) | \(Format.percent(r.coverage)) | \(ev) | \(asm) |"
                + (a.assumptionSpreads.isEmpty ? "" : " \(cell(spreadText(a.spread(of: r), r))) |") + " \(cell(driversText(r))) |\n"
        }
        if let basis = basisText(a) { out += "\n" + cell(basis) + "\n" }
        let assumed = a.results.flatMap { r in r.assumptions.map { "\(r.name): \(AssumptionText.text($0))" } }
        if !assumed.isEmpty {
            out += "\n#### Assumptions for missing data\n\n" + assumed.map { "- \(cell($0))\n" }.joined()
        }
        return out + MemoMarkdown.sourcesSection(a, candidates: a.results)
    }

}

/// Plain-text columns, padded by display width (Unicode scalars). Cells are escaped for the
/// terminal, so a line break or an escape sequence in a name never breaks a row; linear in the
/// size of the table.
enum TextTable {
    static func render(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        guard let first = rows.first else { return "" }
        let cells = rows.map { $0.map { Escaping.terminal($0) } }
        // Widths in Unicode scalars (counted from the bytes when a cell is ASCII).
        let cellWidths = cells.map { row in
            row.map { c in c.utf8.allSatisfy { $0 < 0x80 } ? c.utf8.count : c.unicodeScalars.count }
        }
        var widths = [Int](repeating: 0, count: first.count)
        for r in cellWidths { for (i, w) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], w) } }
        let right = (0..<Swift.max(widths.count, rows.map(\.count).max() ?? 0)).map { rightAligned.contains($0) }
        let space = UInt8(ascii: " ")
        // Built as bytes: appending padded strings cell by cell costs more than the table's content.
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * (widths.reduce(0, +) + 2 * widths.count + 1))
        for (n, r) in cells.enumerated() {
            let start = out.count
            for (i, c) in r.enumerated() {
                let pad = Swift.max(0, (i < widths.count ? widths[i] : 0) - cellWidths[n][i])
                let last = i == r.count - 1
                if right[i] {
                    out.append(contentsOf: repeatElement(space, count: pad))
                    out.append(contentsOf: c.utf8)
                } else {
                    out.append(contentsOf: c.utf8)
                    if !last { out.append(contentsOf: repeatElement(space, count: pad)) }
                }
                if !last { out.append(contentsOf: [space, space]) }
            }
            while out.count > start, out.last == space { out.removeLast() }
            out.append(UInt8(ascii: "\n"))
            if n == 0 {
                for (i, w) in widths.enumerated() {
                    if i > 0 { out.append(contentsOf: [space, space]) }
                    out.append(contentsOf: repeatElement(UInt8(ascii: "-"), count: w))
                }
                out.append(UInt8(ascii: "\n"))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
