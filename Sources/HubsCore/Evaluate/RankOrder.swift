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

/// Ranks the same candidates run after run (sensitivity analysis): each run's sort starts from the
/// order of the one before, by insertion, which costs little when runs differ a little; when it
/// would cost more than a full sort, a full sort. `RankOrder`'s order is total on distinct
/// candidates, so the ranks never depend on where the sort started.
struct RankSorter {
    private var order: [Int] = []
    private var list: [Int] = []
    private var keys: [Double] = []
    private var coverage: [Double] = []
    let idOrder: [Int]

    init(idOrder: [Int]) {
        self.idOrder = idOrder
        order = Array(idOrder.indices)
        keys = Array(repeating: 0, count: idOrder.count)
        coverage = keys
        list.reserveCapacity(idOrder.count)
    }

    /// Writes each candidate's 1-based rank (0 = not ranked) to `out`, as `RankOrder.ranks`.
    mutating func rank(_ outcomes: UnsafeBufferPointer<Outcome>, minCoverage: Double, into out: UnsafeMutablePointer<Int32>) {
        let n = outcomes.count
        list.removeAll(keepingCapacity: true)
        for c in 0..<n {
            keys[c] = RiskComparison.key(outcomes[c].risk)
            coverage[c] = outcomes[c].coverage
            out[c] = 0
        }
        for c in order where RankOrder.isRanked(outcomes[c], minCoverage: minCoverage) { list.append(c) }
        keys.withUnsafeBufferPointer { k in
            coverage.withUnsafeBufferPointer { v in
                idOrder.withUnsafeBufferPointer { id in
                    @inline(__always) func before(_ a: Int, _ b: Int) -> Bool {
                        if k[a] != k[b] { return k[a] < k[b] }
                        if v[a] != v[b] { return v[a] > v[b] }
                        return id[a] < id[b]
                    }
                    // Insertion, within a budget of moves about that of a full sort.
                    var budget = 4 * n * Swift.max(1, Int.bitWidth - n.leadingZeroBitCount)
                    var sorted = true
                    list.withUnsafeMutableBufferPointer { l in
                        for i in l.indices.dropFirst() {
                            let x = l[i]
                            var j = i
                            while j > 0, before(x, l[j - 1]) {
                                l[j] = l[j - 1]
                                j -= 1
                            }
                            l[j] = x
                            budget -= i - j
                            if budget < 0 {
                                sorted = false
                                break
                            }
                        }
                    }
                    if !sorted { list.sort(by: before) }
                    for i in list.indices {
                        let c = list[i]
                        out[c] = i > 0 && k[c] == k[list[i - 1]] ? out[list[i - 1]] : Int32(i + 1)
                    }
                }
            }
        }
        // Next run's start: this run's ranked order, then the rest.
        let ranked = list.count
        order.replaceSubrange(0..<ranked, with: list)
        var next = ranked
        for c in 0..<n where out[c] == 0 {
            order[next] = c
            next += 1
        }
    }
}

extension CompiledPolicy {
    /// Whether an outcome is ranked under this policy: not excluded, with a risk, and with at least
    /// the minimum coverage.
    @inline(__always)
    public func isRanked(_ o: Outcome) -> Bool { RankOrder.isRanked(o, minCoverage: minimumCoverage) }
}
