import Foundation

/// Searches for the smallest changes to a candidate's facts that reach a goal.
///
/// Single changes are tried for every changeable fact: every value of enum and bool facts, and
/// for numbers every breakpoint of the policy (constants the fact is compared with, scale
/// goalposts, range ends) with, between breakpoints, the exact crossing by bisection. For a
/// number used only in comparisons with constants and as the bare input of scales, the risk is
/// constant or linear (monotone) between breakpoints, so the search is exact. Pairs are tried
/// only when no single change works, over every value of enum and bool facts and every
/// breakpoint of numbers; they are exact when both facts are enum or bool. No proposal breaks a
/// constraint of the policy.
public enum WhatIfSearch {
    /// Most candidate evaluations a search may take; a larger one is refused before it starts.
    public static let maxEvaluations = 20_000_000

    /// `fixed` facts are never changed; when `only` is given, only those facts may change.
    public static func run(
        _ a: Assessment, table: FactTable, candidate id: String, goal: WhatIfGoal,
        maxChanges: Int = 2, fixed: [String] = [], only: [String]? = nil
    ) -> Result<WhatIfResult, DiagnosticsError> {
        if let problem = validate(a.policy, table, candidate: id, goal: goal, fixed: fixed, only: only) {
            return .failure(DiagnosticsError([problem]))
        }
        guard let c = table.scenario.candidates.firstIndex(where: { $0.id == id }) else {
            return .failure(DiagnosticsError([.unknownCandidate("no candidate '\(id)'", at: nil)]))
        }
        var search = FactSearch(policy: a.policy, table: table, candidate: c, goal: goal, fixed: fixed, only: only)
        let estimate = search.workEstimate(pairs: maxChanges >= 2)
        if estimate > maxEvaluations {
            return .failure(
                DiagnosticsError([
                    .invalidValue(
                        "this search could take up to \(estimate) evaluations, more than the budget of \(maxEvaluations)",
                        at: nil,
                        hint: "narrow it with --only FACT, --fix FACT or --max-changes 1")
                ]))
        }
        let (now, metNow, gatesNow) = search.evaluate(search.base)
        let excludedNow = search.excluded(gatesNow)
        if !metNow { search.searchSingles() }
        if !metNow && search.answers.isEmpty && maxChanges >= 2 { search.searchPairs() }
        search.sortAnswers()
        let blocked = !metNow && search.answers.isEmpty ? search.blockers(excluded: excludedNow, maxChanges: maxChanges) : []
        var stability = WeightStability(policy: a.policy, table: table, candidate: c, evaluator: search.evaluator)
        let bounds =
            search.rank(of: now).map { stability.bounds(rank: $0, band: a.policy.band(for: now.risk)) }
            ?? (now.excluded ? stability.bounds(rank: 0, band: a.policy.band(for: now.risk)) : [])
        let p = a.policy
        return .success(
            WhatIfResult(
                candidate: id, name: table.scenario.candidates[c].name, goal: goal, policy: p.id, scenario: table.scenario.id,
                current: (now.risk.isNaN ? nil : now.risk, p.band(for: now.risk), search.rank(of: now), excludedNow),
                alreadyMet: metNow, answers: Array(search.answers.prefix(8)), blocked: blocked,
                bestFound: search.answers.isEmpty ? search.best : nil, weightBounds: bounds,
                changeable: search.changeable.map { p.facts[$0].name }, maxChanges: maxChanges,
                evaluations: search.evaluations + stability.evaluations,
                leftOutByConstraint: search.broken.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                fixed: fixed, only: only, overrides: a.overrides))
    }

    /// The located error for a goal, candidate or fact name that does not exist, if any.
    static func validate(
        _ p: CompiledPolicy, _ table: FactTable, candidate id: String, goal: WhatIfGoal, fixed: [String], only: [String]?
    ) -> Diagnostic? {
        let names = p.facts.map(\.name)
        let ids = table.scenario.candidates.map(\.id)
        if let n = (fixed + (only ?? [])).first(where: { !names.contains($0) }) {
            return .unknownFact(
                "policy '\(p.id)' declares no fact '\(n)' to fix or change", at: nil,
                hint: Suggest.hint(for: n, in: names) ?? "facts: \(names.joined(separator: ", "))")
        }
        if !ids.contains(id) {
            return .unknownCandidate(
                "scenario '\(table.scenario.id)' has no candidate '\(id)'", at: nil, hint: Suggest.hint(for: id, in: ids)
            )
        }
        switch goal {
        case let .band(b) where !p.bands.contains { $0.name == b }:
            return .invalidValue(
                "policy '\(p.id)' has no band '\(b)'", at: nil,
                hint: Suggest.hint(for: b, in: p.bands.map(\.name)) ?? "bands: \(p.bands.map(\.name).joined(separator: ", "))")
        case let .pass(g) where !p.gates.contains { $0.id == g }:
            return .invalidValue(
                "policy '\(p.id)' has no gate '\(g)'", at: nil,
                hint: Suggest.hint(for: g, in: p.gates.map(\.id)) ?? "gates: \(p.gates.map(\.id).joined(separator: ", "))")
        case let .above(o) where !ids.contains(o) || o == id:
            return .unknownCandidate("no other candidate '\(o)' to rank above", at: nil, hint: Suggest.hint(for: o, in: ids))
        case let .rank(n) where n < 1:
            return .invalidValue("a rank goal is 1 or more", at: nil)
        default:
            return nil
        }
    }
}

/// The state of one what-if search: the candidate's row, everyone else's fixed outcome, the goal
/// test, and what has been found. Its steps are methods: the goal test, candidate values per fact,
/// the single and pair searches, and the blockers.
struct FactSearch {
    let policy: CompiledPolicy
    let table: FactTable
    let candidate: Int
    let goal: WhatIfGoal
    let evaluator: Evaluator
    /// The candidate's facts as stated.
    let base: [Double]
    /// Fact slots the search may change.
    let changeable: [Int]
    /// Every other candidate's outcome, which no change to this one moves.
    let others: [(index: Int, outcome: Outcome)]
    let ids: [String]

    var evaluations = 0
    var answers: [WhatIfAnswer] = []
    var best: (risk: Double?, band: String?, changes: [FactChangeProposal])?
    /// States that would reach the goal but break a constraint, by constraint id.
    var broken: [String: Int] = [:]
    /// Whether the last state evaluated broke a constraint (such states are never proposed).
    var lastBroken = false
    /// Whether every single-fact search was exact (pairs can only be exact then).
    var singlesExact = true

    init(policy: CompiledPolicy, table: FactTable, candidate c: Int, goal: WhatIfGoal, fixed: [String], only: [String]?) {
        self.policy = policy
        self.table = table
        self.candidate = c
        self.goal = goal
        let evaluator = Evaluator(policy)
        self.evaluator = evaluator
        base = Array(table.row(c))
        changeable = policy.facts.indices.filter { s in
            let name = policy.facts[s].name
            return policy.facts[s].changeable && !fixed.contains(name) && (only.map { $0.contains(name) } ?? true)
        }
        others = table.scenario.candidates.indices.filter { $0 != c }.map { k in (k, evaluator.score(Array(table.row(k)))) }
        ids = table.scenario.candidates.map(\.id)
    }

    // MARK: The goal

    /// Competition rank among the ranked candidates (1 + those strictly ahead; ties share a rank).
    func rank(of o: Outcome) -> Int? {
        guard policy.isRanked(o) else { return nil }
        return 1 + others.filter { policy.isRanked($0.outcome) && RiskComparison.key($0.outcome.risk) < RiskComparison.key(o.risk) }.count
    }

    /// The gates that exclude a candidate with these gate values.
    func excluded(_ gates: [Double]) -> [String] {
        policy.gates.indices.filter { g in gates[g] == 1 || (gates[g].isNaN && policy.gates[g].onMissing == .exclude) }
            .map { policy.gates[$0].id }
    }

    func goalMet(_ o: Outcome) -> Bool {
        switch goal {
        case let .band(b):
            guard !o.excluded, let band = policy.band(for: o.risk), let have = policy.bands.firstIndex(where: { $0.name == band }),
                let want = policy.bands.firstIndex(where: { $0.name == b })
            else { return false }
            return have <= want
        case let .rank(k):
            return rank(of: o).map { $0 <= k } ?? false
        case let .above(other):
            guard let (k, x) = others.first(where: { ids[$0.index] == other }) else { return false }
            return policy.isRanked(o)
                && (!policy.isRanked(x) || RankOrder.precedes(o.risk, o.coverage, ids[candidate], x.risk, x.coverage, ids[k]))
        case let .pass(g):
            guard let gi = policy.gates.firstIndex(where: { $0.id == g }) else { return false }
            let v = evaluator.gateValue(gi)
            return !(v == 1 || (v.isNaN && policy.gates[gi].onMissing == .exclude))
        }
    }

    /// Scores a row: its outcome, whether it reaches the goal (never, if it breaks a constraint),
    /// and the gate values.
    mutating func evaluate(_ row: [Double]) -> (Outcome, Bool, [Double]) {
        evaluations += 1
        let brokenBy = policy.brokenConstraint(row[...])
        lastBroken = brokenBy != nil
        let o = evaluator.score(row)
        let gates = (0..<policy.gates.count).map { evaluator.gateValue($0) }
        let met = goalMet(o)
        if met, let k = brokenBy { broken[k.id, default: 0] += 1 }
        return (o, met && !lastBroken, gates)
    }

    /// Keeps the lowest risk seen, for the answer to an unreachable goal.
    mutating func consider(_ o: Outcome, _ changes: [FactChangeProposal]) {
        guard !lastBroken, !o.risk.isNaN else { return }
        if let b = best, (b.risk ?? .infinity) <= o.risk { return }
        best = (o.risk, policy.band(for: o.risk), changes)
    }

    // MARK: Candidate values

    /// Values to try for a fact, and whether the single-fact search over it is exact.
    func candidateValues(_ s: Int) -> (values: [Double], exact: Bool, numeric: Bool) {
        let cur = base[s]
        switch policy.facts[s].type {
        case .bool: return ([0, 1].filter { $0 != cur }, true, false)
        case let .enumeration(v): return (v.indices.map(Double.init).filter { $0 != cur }, true, false)
        case .date: return ([], false, false)
        case let .number(lo, hi, _):
            var points = policy.factUses[s].breakpoints
            if let lo { points.append(lo) }
            if let hi { points.append(hi) }
            let inRange = { (v: Double) in (lo.map { v >= $0 } ?? true) && (hi.map { v <= $0 } ?? true) && v != cur }
            let values = Array(Set(points.flatMap { [$0, $0.nextUp, $0.nextDown] }.filter(inRange))).sorted()
            let use = policy.factUses[s]
            return (values, use.simple && (use.scaleDirections.count <= 1 || !policy.hasGeometric), true)
        }
    }

    func proposal(_ s: Int, _ v: Double) -> FactChangeProposal {
        FactChangeProposal(
            fact: policy.facts[s].name, from: Assessor.display(base[s], policy.facts[s].type),
            to: Assessor.display(v, policy.facts[s].type), value: v)
    }

    /// How far a change moves a fact: a share of its range for numbers, 1 for anything else.
    func distance(_ s: Int, _ v: Double) -> Double {
        guard case let .number(lo, hi, _) = policy.facts[s].type, !base[s].isNaN else { return 1 }
        let width = lo.flatMap { l in hi.map { $0 - l } } ?? Swift.max(1, Swift.abs(base[s]))
        return Swift.abs(v - base[s]) / width
    }

    /// The most evaluations the searches can take: each value tried, plus up to 80 bisection
    /// steps for each numeric value; for pairs, that for the inner fact per value of the outer.
    func workEstimate(pairs: Bool) -> Int {
        let options = changeable.map { candidateValues($0) }
        func single(_ o: (values: [Double], exact: Bool, numeric: Bool)) -> Int { o.values.count * (o.numeric ? 82 : 1) }
        var total = options.reduce(0) { $0 + single($1) }
        if pairs {
            for (i, a) in options.enumerated() {
                for b in options[(i + 1)...] {
                    let (outer, inner) = a.numeric && !b.numeric ? (b, a) : (a, b)
                    total += outer.values.count * single(inner)
                }
            }
        }
        return total + (others.count + 1) * 64 * policy.nominalWeights.count * 2
    }

    // MARK: Searches

    /// The best value of fact `s` meeting the goal from `start`: for numbers, the smallest move
    /// (every breakpoint tried, then bisection between the current value and each one that
    /// works); for enums and bools, the value with the lowest risk.
    mutating func searchOne(_ s: Int, from start: [Double], also: [FactChangeProposal]) -> (value: Double, outcome: Outcome)? {
        let (values, _, numeric) = candidateValues(s)
        var row = start
        let cur = start[s]
        var found: (value: Double, outcome: Outcome)?
        func better(_ v: Double, _ o: Outcome) -> Bool {
            guard let f = found else { return true }
            return numeric ? Swift.abs(v - cur) < Swift.abs(f.value - cur) : o.risk < f.outcome.risk
        }
        var tried: [(Double, Bool)] = []
        for v in values {
            row[s] = v
            let (o, met, _) = evaluate(row)
            consider(o, also + [proposal(s, v)])
            tried.append((v, met))
            if met, better(v, o) { found = (v, o) }
        }
        guard numeric, !cur.isNaN else { return numeric ? onGrid(s, found, from: cur, row: row) : found }
        for (v, met) in tried where met {
            row[s] = cur
            if evaluate(row).1 { continue }
            let crossing = bisect(s, row: row, notMet: cur, met: v)
            row[s] = crossing
            let (o, reached, _) = evaluate(row)
            if reached, better(crossing, o) { found = (crossing, o) }
        }
        return onGrid(s, found, from: cur, row: row)
    }

    /// A numeric answer moved onto the fact's declared `step` (away from the current value, so
    /// the move only grows), and kept only if it still reaches the goal within the fact's range.
    mutating func onGrid(_ s: Int, _ found: (value: Double, outcome: Outcome)?, from cur: Double, row: [Double]) -> (
        value: Double, outcome: Outcome
    )? {
        guard let f = found, let step = policy.facts[s].step, case let .number(lo, hi, _) = policy.facts[s].type else { return found }
        let units = f.value / step
        // Away from the current value; from an unknown one, to the nearest step.
        let v = (cur.isNaN ? units.rounded() : f.value > cur ? units.rounded(.up) : units.rounded(.down)) * step
        if v == f.value { return found }
        guard lo.map({ v >= $0 }) ?? true, hi.map({ v <= $0 }) ?? true else { return nil }
        var row = row
        row[s] = v
        let (o, reached, _) = evaluate(row)
        return reached ? (v, o) : nil
    }

    /// The value nearest `notMet` at which the goal is met, between the two (80 halvings at most).
    mutating func bisect(_ s: Int, row start: [Double], notMet: Double, met: Double) -> Double {
        var row = start
        var lo = notMet
        var hi = met
        for _ in 0..<80 {
            let mid = (lo + hi) / 2
            if mid == lo || mid == hi { break }
            row[s] = mid
            if evaluate(row).1 { hi = mid } else { lo = mid }
        }
        return hi
    }

    func answer(_ changes: [FactChangeProposal], _ o: Outcome, exact: Bool, method: SearchMethod) -> WhatIfAnswer {
        var tied: [String] = []
        switch goal {
        case .rank, .above:
            if policy.isRanked(o) {
                tied = others.filter { policy.isRanked($0.outcome) && RiskComparison.key($0.outcome.risk) == RiskComparison.key(o.risk) }
                    .map { ids[$0.index] }
            }
        case .band, .pass: break
        }
        return WhatIfAnswer(
            changes: changes, risk: o.risk.isNaN ? nil : o.risk, band: policy.band(for: o.risk), rank: rank(of: o),
            exact: exact, method: method, tiedWith: tied, margin: margin(o))
    }

    /// How far the risk could rise and still meet the goal (see `WhatIfAnswer.margin`).
    func margin(_ o: Outcome) -> Double? {
        guard !o.risk.isNaN else { return nil }
        let ranked = others.filter { policy.isRanked($0.outcome) }.map(\.outcome.risk).sorted()
        switch goal {
        case let .rank(k):
            // The k-th lowest risk among the others is the one that would push it below rank k.
            return ranked.count >= k ? ranked[k - 1] - o.risk : nil
        case let .above(other):
            return others.first { ids[$0.index] == other }.map { $0.outcome.risk - o.risk }
        case let .band(name):
            guard let b = policy.bands.firstIndex(where: { $0.name == name }), let bound = policy.bands[b].below else { return nil }
            return bound - o.risk
        case .pass: return nil
        }
    }

    /// Every changeable fact alone.
    mutating func searchSingles() {
        for s in changeable {
            let (_, exact, numeric) = candidateValues(s)
            if policy.facts[s].type == .date {
                singlesExact = false
                continue
            }
            if !exact { singlesExact = false }
            guard let (v, o) = searchOne(s, from: base, also: []) else { continue }
            let method: SearchMethod = !numeric ? .everyValueTried : exact ? .bisectionExact : .bisectionApproximate
            answers.append(answer([proposal(s, v)], o, exact: exact, method: method))
        }
    }

    /// Pairs of changeable facts: every value of the enumerable one (or the first), with the
    /// other searched; the smallest pair of moves for each pair of facts.
    mutating func searchPairs() {
        let options = changeable.map { s in (s, candidateValues(s)) }.filter { !$0.1.values.isEmpty }
        for (i, (s1, c1)) in options.enumerated() {
            for (s2, c2) in options[(i + 1)...] {
                let (outer, inner, co, ci) = c1.numeric && !c2.numeric ? (s2, s1, c2, c1) : (s1, s2, c1, c2)
                var bestPair: (v1: Double, v2: Double, outcome: Outcome, size: Double)?
                for v1 in co.values {
                    var row = base
                    row[outer] = v1
                    guard let (v2, o) = searchOne(inner, from: row, also: [proposal(outer, v1)]) else { continue }
                    let size = distance(outer, v1) + distance(inner, v2)
                    if bestPair.map({ size < $0.size - 1e-12 }) ?? true { bestPair = (v1, v2, o, size) }
                }
                guard let pair = bestPair else { continue }
                let exact = singlesExact && !co.numeric && ci.exact
                let method: SearchMethod =
                    exact
                    ? .pairExact(enumerated: policy.facts[outer].name, searched: policy.facts[inner].name)
                    : co.numeric ? .pairOfNumbers : .pairApproximate
                answers.append(answer([proposal(outer, pair.v1), proposal(inner, pair.v2)], pair.outcome, exact: exact, method: method))
            }
        }
    }

    /// Fewest facts first; then answers that meet the goal clearly (not on a tie-break, with a
    /// margin of at least `WhatIfAnswer.thinMargin`) before thin ones; then the smallest moves,
    /// then the lowest risk, then by fact names.
    mutating func sortAnswers() {
        let slot = Dictionary(policy.facts.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        func size(_ a: WhatIfAnswer) -> Double {
            a.changes.reduce(0.0) { sum, ch in sum + (slot[ch.fact].map { distance($0, ch.value) } ?? 1) }
        }
        var sorted = answers
        sorted.sort { x, y in
            if x.changes.count != y.changes.count { return x.changes.count < y.changes.count }
            if x.clear != y.clear { return x.clear }
            let dx = size(x)
            let dy = size(y)
            if dx != dy { return dx < dy }
            if (x.risk ?? .infinity) != (y.risk ?? .infinity) { return (x.risk ?? .infinity) < (y.risk ?? .infinity) }
            return x.changes.map(\.fact).joined() < y.changes.map(\.fact).joined()
        }
        answers = sorted
    }

    // MARK: Blockers

    /// What stands in the way when nothing reaches the goal: excluding gates (those reading only
    /// unchangeable facts first), constraints that ruled out changes that would have, or that no
    /// change suffices.
    func blockers(excluded: [String], maxChanges: Int) -> [Blocker] {
        var out: [Blocker] = []
        for g in excluded {
            guard let info = policy.gates.first(where: { $0.id == g }) else { continue }
            let fixed = info.slots.filter { !policy.facts[$0].changeable }.map { policy.facts[$0].name }
            if !fixed.isEmpty, info.slots.allSatisfy({ !policy.facts[$0].changeable }) {
                out.append(.unchangeableGate(gate: g, facts: fixed))
            } else {
                out.append(.excludingGate(gate: g, reason: info.reason))
            }
        }
        for (k, count) in broken.sorted(by: { $0.key < $1.key }) {
            guard let info = policy.constraints.first(where: { $0.id == k }) else { continue }
            out.append(.constraint(id: k, condition: info.text, reason: info.reason, count: count))
        }
        if out.isEmpty { out.append(.noChangeSuffices(maxChanges: maxChanges)) }
        return out
    }
}
