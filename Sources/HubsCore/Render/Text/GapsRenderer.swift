/// Renders what to find out next: the missing facts an assumption rests on, most consequential
/// first, with what each could change and the outcome at each value tried.
public enum GapsRenderer {
    static func factsText(_ e: GapEntry) -> String {
        zip(e.facts, e.states).map { "\($0) (\($1 == .notGiven ? "not given" : "unknown"))" }.joined(separator: " + ")
    }

    static func nowText(_ e: GapEntry) -> String {
        switch e.nominalStatus {
        case .ranked: "rank \(e.nominalRank.map(String.init) ?? "-"), \(e.nominalBand ?? "no band")"
        case .excluded: "excluded"
        case .insufficientEvidence: "not ranked (too little evidence)"
        case .notAssessable: "not assessable"
        }
    }

    /// The ranks reached, then the other statuses reached, then the risks.
    static func overText(_ e: GapEntry) -> String {
        var parts: [String] = []
        if let lo = e.rankLow, let hi = e.rankHigh { parts.append(lo == hi ? "rank \(lo)" : "rank \(lo)-\(hi)") }
        let others = CandidateStatus.allCases.filter { s in s != .ranked && e.outcomes.contains { $0.status == s } }
        parts += others.map(\.name)
        if let lo = e.riskLow, let hi = e.riskHigh {
            parts.append(lo == hi ? "risk \(Format.fixed(lo, 1))" : "risk \(Format.fixed(lo, 1))-\(Format.fixed(hi, 1))")
        }
        return parts.joined(separator: "; ")
    }

    /// What knowing it could change, in the order the list is sorted by.
    static func couldText(_ e: GapEntry, top: Int) -> String {
        var parts: [String] = []
        if e.couldChangeFirstPlace { parts.append("first place") }
        if e.couldChangeTop(top) { parts.append("top \(top)") }
        if e.couldExclude {
            parts.append("exclusion")
        } else if e.couldChangeStatus {
            parts.append("status")
        }
        if e.couldChangeBand { parts.append("band") }
        if parts.isEmpty && (e.rankHigh ?? 0) != (e.rankLow ?? 0) { parts.append("rank only") }
        return parts.isEmpty ? "nothing but its risk" : parts.joined(separator: ", ")
    }

    static func outcomeText(_ o: GapOutcome) -> String {
        let what: String
        switch o.status {
        case .ranked: what = "rank \(o.rank.map(String.init) ?? "-") (\(o.risk.map { Format.fixed($0, 1) } ?? "-"), \(o.band ?? "no band"))"
        default: what = o.status.name
        }
        let p = o.probability.map { " [p \(Format.fixed(100 * $0, 0))%]" } ?? ""
        return "\(o.values.joined(separator: ", ")) → \(what)\(o.changesFirstPlace ? ", first place changes" : "")\(p)"
    }

    /// A missing fact that was not tried, and why, in a line.
    static func notTriedText(_ n: GapNotTried) -> String {
        let why =
            switch n.reason {
            case .noValues: "nothing to try (a date, or a number with neither range nor thresholds): it keeps its missing-data rule"
            case let .tooManyCombinations(k):
                "\(k) combinations of linked facts, more than the \(GapsAnalysis.maxCombinations) tried together"
            }
        return "\(n.candidate), \(n.facts.joined(separator: " + ")): \(why)"
    }

    static func coverageText(_ e: GapEntry) -> String { e.coverageGain > 0 ? "+" + Format.percent(e.coverageGain) : "-" }

    /// The list as terminal text: one row per missing fact, then the values tried.
    public static func text(_ r: GapsResult, names: [String: String]) -> String {
        var out = "What to find out next: policy \(r.policy) on scenario \(r.scenario)\n"
        if !r.overrides.isEmpty { out += ScoreRenderer.overridesText(r.overrides) + "\n" }
        out += "First place as the inputs stand: \(r.firstPlace.map { names[$0] ?? $0 }.joined(separator: ", ")).\n"
        let skipped = r.notTried.isEmpty ? "" : "\nNot tried:\n" + r.notTried.map { "  " + notTriedText($0) + "\n" }.joined()
        guard !r.entries.isEmpty else { return out + "\nNo assumption rests on a missing fact that could be tried.\n" + skipped }
        out += "Each missing fact an assumption rests on, tried at every value (a number at its ends, the thresholds of the rules that "
        out += "read it and the midpoints between), facts a constraint links together; the most consequential first.\n\n"
        var rows = [["#", "Candidate", "Missing fact", "Now", "Over its values", "Could change", "Coverage"]]
        for (k, e) in r.entries.enumerated() {
            rows.append([String(k + 1), e.candidateName, factsText(e), nowText(e), overText(e), couldText(e, top: r.top), coverageText(e)])
        }
        out += TextTable.render(rows, rightAligned: [0, 6])
        out += "\nValues tried:\n"
        for (k, e) in r.entries.enumerated() {
            out += "\(String(k + 1).leftPadded(to: 3)). \(e.candidateName), \(e.facts.joined(separator: " + ")): "
            out += e.outcomes.map(outcomeText).joined(separator: "; ")
            if e.ruledOut > 0 { out += "; \(e.ruledOut) combination\(e.ruledOut == 1 ? "" : "s") ruled out by a constraint" }
            if let x = e.expectedRiskChange { out += "; expected change of risk under the prior \(DiffRenderer.signed(x))" }
            out += "\n"
        }
        out += skipped
        return out
    }

    /// The list as Markdown: the table, then the values tried.
    public static func markdown(_ r: GapsResult, names: [String: String]) -> String {
        var out = "### What to find out next\n\n"
        out += "Policy `\(r.policy)`, scenario `\(r.scenario)`. First place as the inputs stand: "
        out += Escaping.markdown(r.firstPlace.map { names[$0] ?? $0 }.joined(separator: ", ")) + ".\n\n"
        guard !r.entries.isEmpty else { return out + "No assumption rests on a missing fact.\n" }
        out += "| # | Candidate | Missing fact | Now | Over its values | Could change | Coverage |\n|---:|---|---|---|---|---|---:|\n"
        for (k, e) in r.entries.enumerated() {
            let cells = [e.candidateName, factsText(e), nowText(e), overText(e), couldText(e, top: r.top)].map(Escaping.markdown)
            out += "| \(k + 1) | " + cells.joined(separator: " | ") + " | \(coverageText(e)) |\n"
        }
        out += "\n#### Values tried\n\n"
        for (k, e) in r.entries.enumerated() {
            out += "\(k + 1). \(Escaping.markdown(e.candidateName)), \(Escaping.markdown(e.facts.joined(separator: " + "))): "
            out += Escaping.markdown(e.outcomes.map(outcomeText).joined(separator: "; ")) + "\n"
        }
        if !r.notTried.isEmpty {
            out += "\n#### Not tried\n\n" + r.notTried.map { "- \(Escaping.markdown(notTriedText($0)))\n" }.joined()
        }
        return out
    }
}

extension String {
    /// The string with spaces before it up to `width` characters.
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: Swift.max(0, width - count)) + self }
}
