/// The one place that words what the robustness runs say: a share of runs is always stated as
/// the share it is (P(rank 1), P(top k), P(nominal rank), P(band)), and the 5th-95th percentile
/// range of ranks is always stated as a range, never as a probability. The report's summary and
/// cards, and the Markdown memo, word them only through here.
public enum RobustnessText {
    /// A share of runs: "all", "none", or a whole percentage that never rounds to "100%" or "0%"
    /// when some runs differ ("over 99%", "under 1%").
    public static func share(_ p: Double) -> String {
        if p >= 1 { return "all" }
        if p <= 0 { return "none" }
        if p >= 0.995 { return "over 99%" }
        if p < 0.005 { return "under 1%" }
        return Format.percent(p)
    }

    /// "in 97% of the 1000 runs", "in all 1000 runs", "in none of the 1000 runs".
    public static func inShare(_ p: Double, samples: Int, runs: String = "runs") -> String {
        p >= 1 ? "in all \(samples) \(runs)" : p <= 0 ? "in none of the \(samples) \(runs)" : "in \(share(p)) of the \(samples) \(runs)"
    }

    /// The 5th-95th percentile range of a candidate's rank, as a range; nil when it is one rank.
    public static func rankRange(_ c: CandidateSensitivity) -> String? {
        guard let low = c.rankLow, let high = c.rankHigh, low != high else { return nil }
        return "in the middle 90% of the runs its rank lies between \(low) and \(high)"
    }

    /// The summary's sentence about first place: who ranks first as the inputs stand, the share
    /// of runs in which it stays first, its share in the top k, and its range of ranks.
    public static func firstPlace(_ r: SensitivityResult) -> String? {
        guard let first = r.candidates.first(where: { $0.nominalRank == 1 }) else { return nil }
        var s = "\(first.name) stays first \(inShare(first.firstPlace, samples: r.samples, runs: "robustness runs"))"
        s += " and is in the top \(r.top) in \(first.topK >= 1 ? "all of them" : share(first.topK))"
        if let range = rankRange(first) { s += "; \(range)" }
        return s + "."
    }

    /// A candidate's card sentence: its nominal rank and how often it keeps it, its range of
    /// ranks, its share in the top k and excluded.
    public static func candidate(_ c: CandidateSensitivity, _ r: SensitivityResult) -> String {
        var s = c.name
        if let nominal = c.nominalRank, let keeps = c.keepsNominalRank {
            s += " ranks \(nominal) as the inputs stand and keeps that rank \(inShare(keeps, samples: r.samples))"
            if let range = rankRange(c) { s += "; \(range)" }
        } else {
            s += " is not ranked as the inputs stand"
        }
        s += "; in the top \(r.top) in \(share(c.topK))"
        if c.excluded > 0 { s += "; excluded in \(share(c.excluded))" }
        return s
    }
}
