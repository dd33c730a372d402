/// The one ranking order, used by `hubs score` and by every analysis that re-ranks (sensitivity,
/// what-if): lowest risk first; risks within `tolerance` tie, and ties go to the higher coverage,
/// then to the candidate id in alphabetical order.
public enum RankOrder {
    public static let tolerance = 1e-9

    /// Whether a candidate with (risk, coverage, id) `a` ranks before one with `b`.
    @inline(__always)
    public static func precedes(_ aRisk: Double, _ aCoverage: Double, _ aID: String,
                                _ bRisk: Double, _ bCoverage: Double, _ bID: String) -> Bool {
        if Swift.abs(aRisk - bRisk) > tolerance { return aRisk < bRisk }
        if Swift.abs(aCoverage - bCoverage) > tolerance { return aCoverage > bCoverage }
        return aID < bID
    }

    /// Whether an outcome can be ranked at all (not excluded, with a risk).
    @inline(__always)
    public static func isRanked(_ o: Outcome) -> Bool { !o.excluded && !o.risk.isNaN }

    /// 1-based ranks (0 = not ranked) of outcomes whose candidates have these ids.
    public static func ranks(_ outcomes: [Outcome], ids: [String]) -> [Int] {
        let ranked = outcomes.indices.filter { isRanked(outcomes[$0]) }.sorted { x, y in
            precedes(outcomes[x].risk, outcomes[x].coverage, ids[x], outcomes[y].risk, outcomes[y].coverage, ids[y])
        }
        var out = [Int](repeating: 0, count: outcomes.count)
        for (k, c) in ranked.enumerated() { out[c] = k + 1 }
        return out
    }
}
