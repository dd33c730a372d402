/// The ranking order: lowest risk first (compared by `RiskComparison`); candidates whose risks tie
/// share a rank (1, 2, 2, 4) and are listed by higher coverage, then by id.
public enum RankOrder {
    /// Whether a candidate with (risk, coverage, id) `a` is listed before one with `b`.
    @inline(__always)
    public static func precedes(
        _ aRisk: Double, _ aCoverage: Double, _ aID: String,
        _ bRisk: Double, _ bCoverage: Double, _ bID: String
    ) -> Bool {
        let ka = RiskComparison.key(aRisk)
        let kb = RiskComparison.key(bRisk)
        if ka != kb { return ka < kb }
        if aCoverage != bCoverage { return aCoverage > bCoverage }
        return aID < bID
    }

    /// Whether an outcome is ranked: not excluded, with a risk, and with at least `minCoverage`.
    @inline(__always)
    public static func isRanked(_ o: Outcome, minCoverage: Double) -> Bool {
        !o.excluded && !o.risk.isNaN && o.coverage >= minCoverage - 1e-12
    }

    /// 1-based ranks (0 = not ranked) of outcomes whose candidates have these ids; tied risks share
    /// a rank (standard competition ranking: 1, 2, 2, 4).
    public static func ranks(_ outcomes: [Outcome], ids: [String], minCoverage: Double) -> [Int] {
        let ranked = outcomes.indices.filter { isRanked(outcomes[$0], minCoverage: minCoverage) }.sorted { x, y in
            precedes(outcomes[x].risk, outcomes[x].coverage, ids[x], outcomes[y].risk, outcomes[y].coverage, ids[y])
        }
        var out = [Int](repeating: 0, count: outcomes.count)
        for (k, c) in ranked.enumerated() {
            if k > 0, RiskComparison.ties(outcomes[c].risk, outcomes[ranked[k - 1]].risk) {
                out[c] = out[ranked[k - 1]]
            } else {
                out[c] = k + 1
            }
        }
        return out
    }
}

extension CompiledPolicy {
    /// Whether an outcome is ranked under this policy: not excluded, with a risk, and with at least
    /// the minimum coverage.
    @inline(__always)
    public func isRanked(_ o: Outcome) -> Bool { RankOrder.isRanked(o, minCoverage: minimumCoverage) }
}
