/// How far one candidate's outcome moves when the facts its assumptions rest on (a missing-data
/// rule that decided a risk, `skip` included; an undecided gate) take each value they can take,
/// the other candidates as they stand: its ranks, bands and statuses over those values, and the
/// facts that move it.
public struct AssumptionSpread: Sendable, Equatable {
    public var rankLow: Int?
    public var rankHigh: Int?
    /// The bands reached while not excluded, in the policy's band order.
    public var bands: [String]
    /// The statuses reached, the nominal one included.
    public var statuses: [CandidateStatus]
    /// The facts that alone change the rank, band or status, as `fact (unknown|not given)`.
    public var movers: [String]
    /// Whether every combination of the facts was tried together (else each fact alone, the
    /// others at their rules: more combinations than `AssumptionSpreads.maxCombinations`).
    public var joint: Bool
    /// Whether nothing moves: one rank, the nominal band and status at every value.
    public var robust: Bool
}

/// The assumption spread of every candidate (the score's marks, `hubs test`'s
/// `robust_to_assumptions`).
public enum AssumptionSpreads {
    /// Most value combinations tried together for one candidate.
    public static let maxCombinations = 1_024

    /// Each candidate's spread, by candidate index; nil for a candidate with no assumption that
    /// rests on a fact. A candidate's rank at a value is found by binary search among the others'
    /// risks, so a long scenario costs one score per value tried.
    public static func compute(_ a: Assessment) -> [AssumptionSpread?] {
        var out = [AssumptionSpread?](repeating: nil, count: a.table.candidateCount)
        guard a.table.values.contains(where: \.isNaN) else { return out }
        var spreader = Spreader(a)
        let byIndex = Dictionary(uniqueKeysWithValues: a.results.map { ($0.candidateIndex, $0) })
        for (c, assumed) in a.assumedFactSlots.enumerated() {
            let facts = assumed.filter { a.table.values[c * a.table.slotCount + $0].isNaN }
            guard !facts.isEmpty, let nominal = byIndex[c] else { continue }
            out[c] = spreader.spread(c, facts: facts, nominal: nominal)
        }
        return out
    }

    /// Scores one candidate at the values of its missing facts, the others as they stand.
    struct Spreader {
        let table: FactTable
        let policy: CompiledPolicy
        let evaluator: Evaluator
        var rows: [Double]
        /// The comparison key of each ranked candidate, and all of them sorted: a candidate's rank
        /// at a risk is 1 plus the others ranked strictly below that key.
        let keyOf: [Double?]
        let sorted: [Double]

        init(_ a: Assessment) {
            table = a.table
            policy = a.policy
            evaluator = Evaluator(a.policy)
            rows = a.table.values
            var keys = [Double?](repeating: nil, count: a.table.candidateCount)
            for r in a.results where r.status == .ranked { keys[r.candidateIndex] = r.risk.map(RiskComparison.key) }
            keyOf = keys
            sorted = keys.compactMap { $0 }.sorted()
        }

        func rank(_ c: Int, key: Double) -> Int {
            var lo = 0
            var hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] < key { lo = mid + 1 } else { hi = mid }
            }
            return lo - (keyOf[c].map { $0 < key ? 1 : 0 } ?? 0) + 1
        }

        /// The outcome with these values set (nothing when they break a constraint).
        mutating func tryValues(_ c: Int, _ chosen: [(slot: Int, value: Double)]) -> Seen {
            let slots = table.slotCount
            for (s, v) in chosen { rows[c * slots + s] = v }
            defer { for (s, _) in chosen { rows[c * slots + s] = .nan } }
            var here = Seen()
            let row = rows[(c * slots)..<((c + 1) * slots)]
            guard policy.brokenConstraint(row) == nil else { return here }
            let o = evaluator.score(Array(row))
            let status = Assessor.status(o, total: o.risk, policy: policy)
            here.statuses.insert(status)
            if status == .ranked { here.ranks.insert(rank(c, key: RiskComparison.key(o.risk))) }
            if !o.excluded, let b = policy.bandIndex(for: o.risk) { here.bands.insert(b) }
            return here
        }

        /// Each fact alone (the others at their rules) says which facts move the outcome; then
        /// every combination together, when there are few enough.
        mutating func spread(_ c: Int, facts: [Int], nominal: CandidateResult) -> AssumptionSpread {
            let grids = facts.map { s in UnknownDomain(policy.facts[s], policy.factUses[s])?.grid(policy.factUses[s]) ?? [] }
            let nominalBand = nominal.band.flatMap { b in policy.bands.firstIndex { $0.name == b } }
            let start = Seen(
                ranks: Set(nominal.rank.map { [$0] } ?? []), bands: Set(nominalBand.map { [$0] } ?? []), statuses: [nominal.status])
            var seen = start
            var movers: [String] = []
            for (k, s) in facts.enumerated() {
                var alone = start
                for v in grids[k] { alone.add(tryValues(c, [(s, v)])) }
                seen.add(alone)
                if alone.moves(from: nominal) {
                    movers.append("\(policy.facts[s].name) (\(table.fact(c, s) == nil ? "not given" : "unknown"))")
                }
            }
            let combos = grids.reduce(1) { $0 * Swift.max(1, $1.count) }
            let joint = facts.count == 1 || combos <= maxCombinations
            if facts.count > 1 && joint {
                for n in 0..<combos {
                    var rest = n
                    var chosen: [(slot: Int, value: Double)] = []
                    for (k, s) in facts.enumerated() where !grids[k].isEmpty {
                        chosen.append((s, grids[k][rest % grids[k].count]))
                        rest /= grids[k].count
                    }
                    seen.add(tryValues(c, chosen))
                }
            }
            return AssumptionSpread(
                rankLow: seen.ranks.min(), rankHigh: seen.ranks.max(), bands: seen.bands.sorted().map { policy.bands[$0].name },
                statuses: CandidateStatus.allCases.filter { seen.statuses.contains($0) }, movers: movers, joint: joint,
                robust: !seen.moves(from: nominal))
        }
    }

    /// The ranks, band indices and statuses reached.
    struct Seen {
        var ranks = Set<Int>()
        var bands = Set<Int>()
        var statuses = Set<CandidateStatus>()

        mutating func add(_ other: Seen) {
            ranks.formUnion(other.ranks)
            bands.formUnion(other.bands)
            statuses.formUnion(other.statuses)
        }

        /// Whether more than the nominal outcome was reached.
        func moves(from nominal: CandidateResult) -> Bool {
            ranks.count > 1 || statuses.count > 1 || (nominal.status != .excluded && bands.count > 1)
        }
    }
}
