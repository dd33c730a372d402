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
        ranks(outcomes, idOrder: idOrder(ids), minCoverage: minCoverage)
    }

    /// Each id's place in the ids sorted ascending: the last tie-break, as a number.
    public static func idOrder(_ ids: [String]) -> [Int] {
        var order = [Int](repeating: 0, count: ids.count)
        for (k, c) in ids.indices.sorted(by: { ids[$0] < ids[$1] }).enumerated() { order[c] = k }
        return order
    }

    /// The same ranks, with the ids' order computed once (`idOrder`) and every risk's comparison
    /// key computed once per outcome: for runs that rank the same candidates many times.
    public static func ranks(_ outcomes: [Outcome], idOrder: [Int], minCoverage: Double) -> [Int] {
        var keyed: [(key: Double, coverage: Double, order: Int, index: Int)] = []
        keyed.reserveCapacity(outcomes.count)
        for (c, o) in outcomes.enumerated() where isRanked(o, minCoverage: minCoverage) {
            keyed.append((RiskComparison.key(o.risk), o.coverage, idOrder[c], c))
        }
        // (key, higher coverage, id) is a total order on distinct candidates, so any sort gives it.
        keyed.sort { a, b in
            if a.key != b.key { return a.key < b.key }
            if a.coverage != b.coverage { return a.coverage > b.coverage }
            return a.order < b.order
        }
        var out = [Int](repeating: 0, count: outcomes.count)
        for k in keyed.indices {
            out[keyed[k].index] = k > 0 && keyed[k].key == keyed[k - 1].key ? out[keyed[k - 1].index] : k + 1
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
