/// The plain-language summary of an assessment, generated from its results: who ranks first and
/// by how much, who is excluded and why, who has too little evidence, how much rests on
/// assumptions. Shared by the HTML and Markdown reports.
public enum ReportSummary {
    /// How firm the top of the ranking is, from a sensitivity analysis (none without one).
    public static func robustness(_ r: SensitivityResult?) -> [String] {
        guard let r, let sentence = RobustnessText.firstPlace(r) else { return [] }
        return [sentence]
    }

    /// The summary's sentences, in order.
    public static func sentences(_ a: Assessment) -> [String] {
        var out: [String] = []
        let ranked = a.results.filter { $0.status == .ranked }
        if let first = ranked.first, let risk = first.risk {
            var s = "\(first.name) ranks first, with a risk of \(Format.fixed(risk, 1)) (\(first.band ?? "no band"))"
            if ranked.count > 1, let second = ranked.dropFirst().first, let r2 = second.risk {
                let gap = r2 - risk
                s += gap < 1e-9 ? ", level with \(second.name)" : ", \(Format.fixed(gap, 1)) below \(second.name) (\(Format.fixed(r2, 1)))"
            }
            out.append(s + ", of \(ranked.count) candidate\(ranked.count == 1 ? "" : "s") ranked.")
        } else {
            out.append("No candidate is ranked.")
        }
        for r in a.results where r.status == .excluded {
            out.append("\(r.name) is excluded: \(r.excludingGates.map(\.reason).joined(separator: " "))")
        }
        let thin = a.results.filter { $0.status == .insufficientEvidence }
        if !thin.isEmpty {
            out.append(
                "Too little evidence to rank (coverage below \(Format.percent(a.policy.minimumCoverage))): "
                    + thin.map { "\($0.name) (\(Format.percent($0.coverage)))" }.joined(separator: ", ") + ".")
        }
        let leaning = ranked.filter { ($0.riskFromAssumptions ?? 0) > 0 }
        if let most = leaning.max(by: { ($0.riskFromAssumptions ?? 0) < ($1.riskFromAssumptions ?? 0) }),
            let part = most.riskFromAssumptions
        {
            out.append(
                "\(leaning.count) of \(ranked.count) ranked candidates rest partly on missing-data rules rather than evidence; the most is "
                    + "\(most.name), \(Format.fixed(part, 1)) of \(Format.fixed(most.risk ?? 0, 1)).")
        } else if !ranked.isEmpty {
            out.append("Every ranked candidate's risk rests on evidence alone.")
        }
        if !a.overrides.isEmpty { out.append(ScoreRenderer.overridesText(a.overrides) + ".") }
        return out
    }
}
