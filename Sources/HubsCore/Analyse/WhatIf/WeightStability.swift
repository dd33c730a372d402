/// How far each weight can move, the others as declared, before a candidate's rank or band
/// changes: scanned in 32 steps down to 1% and up to 10 times the weight, then refined by
/// bisection (a change that starts and ends within one step can be missed).
struct WeightStability {
    let policy: CompiledPolicy
    let table: FactTable
    let candidate: Int
    let evaluator: Evaluator
    var evaluations = 0
    private var weights: [Double]
    private let ids: [String]
    private var outcomes: [Outcome]

    init(policy: CompiledPolicy, table: FactTable, candidate: Int, evaluator: Evaluator) {
        self.policy = policy
        self.table = table
        self.candidate = candidate
        self.evaluator = evaluator
        weights = policy.nominalWeights
        ids = table.scenario.candidates.map(\.id)
        outcomes = Array(repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: table.candidateCount)
    }

    /// Bounds for every weight that matters (in a group of more than one), given the candidate's
    /// nominal rank (0 when excluded) and band.
    mutating func bounds(rank r0: Int, band band0: String?) -> [WeightBound] {
        var out: [WeightBound] = []
        let down = (1...32).map { 1 - 0.99 * Double($0) / 32 }
        let up = (1...32).map { 1 + 9 * Double($0) / 32 }
        for e in policy.nominalWeights.indices {
            guard let g = (0..<policy.groupCount).first(where: { policy.edges(ofGroup: $0).contains(e) }),
                policy.edges(ofGroup: g).count > 1
            else { continue }
            let w0 = policy.nominalWeights[e]
            out.append(
                WeightBound(
                    criterion: policy.criteria[policy.edgeCriterion[e]].id, weight: w0,
                    low: edge(e, w0, down, r0, band0), high: edge(e, w0, up, r0, band0)))
        }
        return out
    }

    /// The last weight (scanning by `factors` of `w0`) at which rank and band stay as they are,
    /// refined by bisection; nil when no change is met.
    mutating func edge(_ e: Int, _ w0: Double, _ factors: [Double], _ r0: Int, _ band0: String?) -> Double? {
        var inside = w0
        for f in factors {
            let v = w0 * f
            if !same(e, v, r0, band0) {
                var a = inside
                var b = v
                for _ in 0..<50 {
                    let m = (a + b) / 2
                    if same(e, m, r0, band0) { a = m } else { b = m }
                }
                return a
            }
            inside = v
        }
        return nil
    }

    /// Whether, with weight `e` set to `value`, the candidate keeps its rank and band.
    mutating func same(_ e: Int, _ value: Double, _ r0: Int, _ band0: String?) -> Bool {
        weights[e] = value
        defer { weights[e] = policy.nominalWeights[e] }
        let (slots, evaluator) = (table.slotCount, evaluator)
        outcomes.withUnsafeMutableBufferPointer { out in
            table.values.withUnsafeBufferPointer { rows in
                weights.withUnsafeBufferPointer { w in
                    guard let row0 = rows.baseAddress, let w0 = w.baseAddress else { return }
                    for k in out.indices { out[k] = evaluator.score(row0 + k * slots, weights: w0) }
                }
            }
        }
        evaluations += table.candidateCount
        return RankOrder.ranks(outcomes, ids: ids, minCoverage: policy.minimumCoverage)[candidate] == r0
            && policy.band(for: outcomes[candidate].risk) == band0
    }
}
