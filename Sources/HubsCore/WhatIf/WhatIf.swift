import Foundation

/// What a candidate should reach.
public enum WhatIfGoal: Sendable, CustomStringConvertible {
    /// This band or a lower-risk one, and not excluded.
    case band(String)
    /// Rank N or better among ranked candidates.
    case rank(Int)
    /// Rank above another candidate.
    case above(String)
    /// Not excluded by this gate.
    case pass(String)

    public var description: String {
        switch self {
        case let .band(b): "band \(b) or lower, not excluded"
        case let .rank(n): "rank \(n) or better"
        case let .above(o): "rank above \(o)"
        case let .pass(g): "pass gate \(g)"
        }
    }
}

public struct FactChangeProposal: Sendable {
    public var fact: String
    public var from: String
    public var to: String
    public var value: Double
}

public struct WhatIfAnswer: Sendable {
    public var changes: [FactChangeProposal]
    public var risk: Double?
    public var band: String?
    public var rank: Int?
    /// The answer is minimal: no change to fewer facts reaches the goal, and among changes to
    /// these facts none is smaller. Otherwise it comes from a search that may have missed one.
    public var exact: Bool
    public var method: String
}

public struct WeightBound: Sendable {
    public var criterion: String
    public var weight: Double
    /// The range of this weight (others unchanged) over which rank and band stay the same;
    /// nil ends mean no change was found down to 1% or up to 10 times the weight.
    public var low: Double?
    public var high: Double?
}

public struct WhatIfResult: Sendable {
    public var candidate: String
    public var name: String
    public var goal: WhatIfGoal
    public var policy: String
    public var scenario: String
    public var current: (risk: Double?, band: String?, rank: Int?, excluded: [String])
    public var alreadyMet: Bool
    public var answers: [WhatIfAnswer]
    /// When nothing reaches the goal: what stands in the way.
    public var blocked: [String]
    public var bestFound: (risk: Double?, band: String?, changes: [FactChangeProposal])?
    public var weightBounds: [WeightBound]
    public var changeable: [String]
    public var maxChanges: Int
    public var evaluations: Int
    /// States the search found that would reach the goal but break a constraint of the policy, by
    /// constraint id: never proposed.
    public var leftOutByConstraint: [(constraint: String, count: Int)] = []
    /// Facts the caller held fixed (`--fix`), or the only ones allowed to change (`--only`).
    public var fixed: [String] = []
    public var only: [String]?
}

/// Searches for the smallest changes to a candidate's facts that reach a goal.
///
/// Single changes are tried for every changeable fact: every value of enum and bool facts, and
/// for numbers every breakpoint of the policy (constants the fact is compared with, scale
/// goalposts, range ends) with, between breakpoints, the exact crossing by bisection. For a
/// number used only in comparisons with constants and as the bare input of scales, the risk is
/// constant or linear (monotone) between breakpoints, so the search is exact. Pairs are tried
/// only when no single change works, over every value of enum and bool facts and every
/// breakpoint of numbers; they are exact when both facts are enum or bool.
public enum WhatIfSearch {
    /// `fixed` facts are never changed; when `only` is given, only those facts may change.
    public static func run(
        _ a: Assessment, table: FactTable, candidate id: String, goal: WhatIfGoal,
        maxChanges: Int = 2, fixed: [String] = [], only: [String]? = nil
    ) -> Result<WhatIfResult, DiagnosticsError> {
        let p = a.policy
        let names = p.facts.map(\.name)
        let unknownNames = (fixed + (only ?? [])).filter { !names.contains($0) }
        if !unknownNames.isEmpty {
            return .failure(
                DiagnosticsError(
                    unknownNames.map { n in
                        .error(
                            .unknownFact, "policy '\(p.id)' declares no fact '\(n)' to fix or change", at: nil,
                            hint: Suggest.hint(for: n, in: names) ?? "facts: \(names.joined(separator: ", "))")
                    }))
        }
        guard let c = table.scenario.candidates.firstIndex(where: { $0.id == id }) else {
            return .failure(
                DiagnosticsError([
                    .error(
                        .unknownCandidate, "scenario '\(table.scenario.id)' has no candidate '\(id)'", at: nil,
                        hint: Suggest.hint(for: id, in: table.scenario.candidates.map(\.id)))
                ]))
        }
        switch goal {
        case let .band(b) where !p.bands.contains { $0.name == b }:
            return .failure(
                DiagnosticsError([
                    .error(
                        .invalidValue, "policy '\(p.id)' has no band '\(b)'", at: nil,
                        hint: Suggest.hint(for: b, in: p.bands.map(\.name)) ?? "bands: \(p.bands.map(\.name).joined(separator: ", "))")
                ]))
        case let .pass(g) where !p.gates.contains { $0.id == g }:
            return .failure(
                DiagnosticsError([
                    .error(
                        .invalidValue, "policy '\(p.id)' has no gate '\(g)'", at: nil,
                        hint: Suggest.hint(for: g, in: p.gates.map(\.id)) ?? "gates: \(p.gates.map(\.id).joined(separator: ", "))")
                ]))
        case let .above(o) where !table.scenario.candidates.contains { $0.id == o } || o == id:
            return .failure(
                DiagnosticsError([
                    .error(
                        .unknownCandidate, "no other candidate '\(o)' to rank above", at: nil,
                        hint: Suggest.hint(for: o, in: table.scenario.candidates.map(\.id)))
                ]))
        case let .rank(n) where n < 1:
            return .failure(DiagnosticsError([.error(.invalidValue, "a rank goal is 1 or more", at: nil)]))
        default: break
        }
        let ev = Evaluator(p)
        let n = table.slotCount
        var evaluations = 0
        // Everyone else's outcome is fixed.
        let others: [(Int, Outcome)] = table.scenario.candidates.indices.filter { $0 != c }.map { k in
            (k, table.values.withUnsafeBufferPointer { ev.score($0.baseAddress! + k * n) })
        }
        let ids = table.scenario.candidates.map(\.id)
        func rank(of o: Outcome) -> Int? {
            guard p.isRanked(o) else { return nil }
            // Competition ranking: 1 + those strictly ahead; a tie shares the rank.
            return 1
                + others.filter { _, x in
                    p.isRanked(x) && RiskComparison.key(x.risk) < RiskComparison.key(o.risk)
                }.count
        }
        let bandIndex = { (name: String) in p.bands.firstIndex { $0.name == name }! }
        // States that break a constraint are never proposed: counted here, by constraint.
        var broken: [String: Int] = [:]
        var lastBroken = false
        func evaluate(_ row: [Double]) -> (Outcome, Bool, [Double]) {
            evaluations += 1
            let brokenBy = p.brokenConstraint(row[...])
            lastBroken = brokenBy != nil
            let o = ev.score(row)
            let gates = (0..<p.gates.count).map { ev.gateValue($0) }
            let met: Bool
            switch goal {
            case let .band(b):
                met = !o.excluded && !o.risk.isNaN && p.band(for: o.risk).map(bandIndex)! <= bandIndex(b)
            case let .rank(k):
                met = rank(of: o).map { $0 <= k } ?? false
            case let .above(other):
                let (ko, x) = others.first { ids[$0.0] == other }!
                met = p.isRanked(o) && (!p.isRanked(x) || RankOrder.precedes(o.risk, o.coverage, id, x.risk, x.coverage, ids[ko]))
            case let .pass(g):
                let gi = p.gates.firstIndex { $0.id == g }!
                let v = gates[gi]
                met = !(v == 1 || (v.isNaN && p.gates[gi].onMissing == .exclude))
            }
            if met, let k = brokenBy { broken[k.id, default: 0] += 1 }
            return (o, met && !lastBroken, gates)
        }
        let base = Array(table.row(c))
        let (now, metNow, gatesNow) = evaluate(base)
        let excludedNow = p.gates.indices.filter { gatesNow[$0] == 1 || (gatesNow[$0].isNaN && p.gates[$0].onMissing == .exclude) }.map {
            p.gates[$0].id
        }
        let changeable = p.facts.indices.filter { s in
            p.facts[s].changeable && !fixed.contains(p.facts[s].name) && (only.map { $0.contains(p.facts[s].name) } ?? true)
        }
        func display(_ s: Int, _ v: Double) -> String { Assessor.display(v, p.facts[s].type) }

        // Candidate values per fact, and whether the single-fact search over it is exact.
        func candidatesFor(_ s: Int) -> (values: [Double], exact: Bool, numeric: Bool) {
            let cur = base[s]
            switch p.facts[s].type {
            case .bool: return ([0, 1].filter { $0 != cur }, true, false)
            case let .enumeration(v): return (v.indices.map(Double.init).filter { $0 != cur }, true, false)
            case .date: return ([], false, false)
            case let .number(lo, hi, _):
                var points = p.factUses[s].breakpoints
                if let lo { points.append(lo) }
                if let hi { points.append(hi) }
                var values: [Double] = []
                for b in points { values += [b, b.nextUp, b.nextDown] }
                values = Array(Set(values.filter { v in (lo.map { v >= $0 } ?? true) && (hi.map { v <= $0 } ?? true) && v != cur }))
                    .sorted()
                let use = p.factUses[s]
                let exact = use.simple && (use.scaleDirections.count <= 1 || !p.hasGeometric)
                return (values, exact, true)
            }
        }

        var answers: [WhatIfAnswer] = []
        var best: (risk: Double?, band: String?, changes: [FactChangeProposal])?
        func consider(_ o: Outcome, _ changes: [FactChangeProposal]) {
            if !lastBroken, !o.risk.isNaN, best == nil || (best!.risk ?? .infinity) > o.risk {
                best = (o.risk, p.band(for: o.risk), changes)
            }
        }
        /// The best value of fact `s` meeting the goal from `row`: for numbers, the smallest move
        /// (every breakpoint tried, then bisection between the current value and each one that
        /// works); for enums and bools, the value with the lowest risk.
        func searchOne(_ s: Int, from start: [Double], also: [FactChangeProposal]) -> (Double, Outcome)? {
            let (values, _, numeric) = candidatesFor(s)
            var row = start
            let cur = start[s]
            var found: (Double, Outcome)?
            var tried: [(Double, Bool)] = []
            for v in values {
                row[s] = v
                let (o, met, _) = evaluate(row)
                consider(o, also + [FactChangeProposal(fact: p.facts[s].name, from: display(s, base[s]), to: display(s, v), value: v)])
                tried.append((v, met))
                let better =
                    numeric
                    ? (found == nil || Swift.abs(v - cur) < Swift.abs(found!.0 - cur))
                    : (found == nil || o.risk < found!.1.risk)
                if met, better { found = (v, o) }
            }
            if numeric, !cur.isNaN {
                for (v, met) in tried where met {
                    var lo = cur
                    var hi = v  // goal not met at lo, met at hi
                    row[s] = lo
                    if evaluate(row).1 { continue }
                    for _ in 0..<80 {
                        let mid = (lo + hi) / 2
                        if mid == lo || mid == hi { break }
                        row[s] = mid
                        if evaluate(row).1 { hi = mid } else { lo = mid }
                    }
                    row[s] = hi
                    let (o, met2, _) = evaluate(row)
                    if met2, found == nil || Swift.abs(hi - cur) < Swift.abs(found!.0 - cur) { found = (hi, o) }
                }
            }
            return found
        }
        func proposal(_ s: Int, _ v: Double) -> FactChangeProposal {
            FactChangeProposal(fact: p.facts[s].name, from: display(s, base[s]), to: display(s, v), value: v)
        }
        func answer(_ changes: [FactChangeProposal], _ o: Outcome, exact: Bool, method: String) -> WhatIfAnswer {
            WhatIfAnswer(
                changes: changes, risk: o.risk.isNaN ? nil : o.risk, band: p.band(for: o.risk), rank: rank(of: o),
                exact: exact, method: method)
        }

        var singlesExact = true
        if !metNow {
            for s in changeable {
                let (_, exact, numeric) = candidatesFor(s)
                if p.facts[s].type == .date {
                    singlesExact = false
                    continue
                }
                if !exact { singlesExact = false }
                if let (v, o) = searchOne(s, from: base, also: []) {
                    answers.append(
                        answer(
                            [proposal(s, v)], o, exact: exact,
                            method: !numeric
                                ? "every value tried"
                                : exact
                                    ? "breakpoints and bisection; exact, as the rules are piecewise linear in this fact"
                                    : "breakpoints and bisection; approximate, as the fact enters arithmetic"))
                }
            }
            if answers.isEmpty && maxChanges >= 2 {
                let options = changeable.map { s in (s, candidatesFor(s)) }.filter { !$0.1.values.isEmpty }
                for (i, (s1, c1)) in options.enumerated() {
                    for (s2, c2) in options[(i + 1)...] {
                        // Enumerate the fact with a finite set of values (or the first), search the other.
                        let (outer, inner, co, ci) = c1.numeric && !c2.numeric ? (s2, s1, c2, c1) : (s1, s2, c1, c2)
                        var bestPair: (Double, Double, Outcome, Double)?
                        for v1 in co.values {
                            var row = base
                            row[outer] = v1
                            guard let (v2, o) = searchOne(inner, from: row, also: [proposal(outer, v1)]) else { continue }
                            let size = distance(outer, v1) + distance(inner, v2)
                            if bestPair == nil || size < bestPair!.3 - 1e-12 { bestPair = (v1, v2, o, size) }
                        }
                        if let (v1, v2, o, _) = bestPair {
                            let exact = singlesExact && !co.numeric && ci.exact
                            let method =
                                exact
                                ? "every value of \(p.facts[outer].name) tried, \(p.facts[inner].name) searched exactly; no single change suffices"
                                : co.numeric
                                    ? "both numbers searched over breakpoints (approximate)"
                                    : "approximate: a search over breakpoints, or a single-fact search that was not exact"
                            answers.append(answer([proposal(outer, v1), proposal(inner, v2)], o, exact: exact, method: method))
                        }
                    }
                }
            }
        }
        func distance(_ s: Int, _ v: Double) -> Double {
            switch p.facts[s].type {
            case let .number(lo, hi, _):
                let width = (lo != nil && hi != nil) ? hi! - lo! : Swift.max(1, Swift.abs(base[s]))
                return base[s].isNaN ? 1 : Swift.abs(v - base[s]) / width
            default: return 1
            }
        }
        answers.sort { x, y in
            if x.changes.count != y.changes.count { return x.changes.count < y.changes.count }
            func size(_ a: WhatIfAnswer) -> Double {
                a.changes.reduce(0.0) { sum, ch in sum + distance(p.facts.firstIndex { $0.name == ch.fact }!, ch.value) }
            }
            let dx = size(x)
            let dy = size(y)
            if dx != dy { return dx < dy }
            if (x.risk ?? .infinity) != (y.risk ?? .infinity) { return (x.risk ?? .infinity) < (y.risk ?? .infinity) }
            return x.changes.map(\.fact).joined() < y.changes.map(\.fact).joined()
        }

        // What stands in the way when nothing works.
        var blocked: [String] = []
        if !metNow && answers.isEmpty {
            for g in excludedNow {
                let info = p.gates.first { $0.id == g }!
                let fixed = info.slots.filter { !p.facts[$0].changeable }.map { p.facts[$0].name }
                if !fixed.isEmpty, info.slots.allSatisfy({ !p.facts[$0].changeable }) {
                    blocked.append(
                        "gate \(g) excludes \(id) and reads only facts the policy marks unchangeable: \(fixed.joined(separator: ", "))")
                } else {
                    blocked.append("gate \(g) excludes \(id): \(info.reason)")
                }
            }
            for (k, count) in broken.sorted(by: { $0.key < $1.key }) {
                let info = p.constraints.first { $0.id == k }!
                blocked.append(
                    "\(count) change\(count == 1 ? "" : "s") that would reach the goal break\(count == 1 ? "s" : "") constraint \(k) (\(info.text)): \(info.reason)"
                )
            }
            if blocked.isEmpty {
                blocked.append(
                    "no change to \(maxChanges == 1 ? "one fact" : "up to \(maxChanges) facts") among the changeable ones reaches the goal")
            }
        }

        // Weight stability: how far each weight can move before the rank or band changes.
        var bounds: [WeightBound] = []
        if let r0 = rank(of: now) ?? (now.excluded ? 0 : nil) {
            let band0 = p.band(for: now.risk)
            var w = p.nominalWeights
            func same(_ e: Int, _ value: Double) -> Bool {
                w[e] = value
                var outs: [Outcome] = []
                w.withUnsafeBufferPointer { wp in
                    table.values.withUnsafeBufferPointer { rp in
                        for k in 0..<table.candidateCount { outs.append(ev.score(rp.baseAddress! + k * n, weights: wp.baseAddress!)) }
                    }
                }
                evaluations += table.candidateCount
                w[e] = p.nominalWeights[e]
                return RankOrder.ranks(outs, ids: ids, minCoverage: p.minimumCoverage)[c] == r0 && p.band(for: outs[c].risk) == band0
            }
            for e in p.nominalWeights.indices {
                let g = (0..<p.groupCount).first { p.edges(ofGroup: $0).contains(e) }!
                guard p.edges(ofGroup: g).count > 1 else { continue }
                let w0 = p.nominalWeights[e]
                func edge(_ factors: [Double]) -> Double? {
                    var inside = w0
                    for f in factors {
                        let v = w0 * f
                        if !same(e, v) {
                            var a = inside
                            var b = v
                            for _ in 0..<50 {
                                let m = (a + b) / 2
                                if same(e, m) { a = m } else { b = m }
                            }
                            return a
                        }
                        inside = v
                    }
                    return nil
                }
                let down = (1...32).map { 1 - 0.99 * Double($0) / 32 }
                let up = (1...32).map { 1 + 9 * Double($0) / 32 }
                bounds.append(WeightBound(criterion: p.criteria[p.edgeCriterion[e]].id, weight: w0, low: edge(down), high: edge(up)))
            }
        }
        return .success(
            WhatIfResult(
                candidate: id, name: table.scenario.candidates[c].name, goal: goal, policy: p.id,
                scenario: table.scenario.id,
                current: (now.risk.isNaN ? nil : now.risk, p.band(for: now.risk), rank(of: now), excludedNow),
                alreadyMet: metNow, answers: Array(answers.prefix(8)), blocked: blocked,
                bestFound: answers.isEmpty ? best : nil, weightBounds: bounds,
                changeable: changeable.map { p.facts[$0].name }, maxChanges: maxChanges, evaluations: evaluations,
                leftOutByConstraint: broken.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                fixed: fixed, only: only))
    }
}
