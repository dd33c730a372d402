/// One candidate's outcome with a missing fact (or facts linked by a constraint) set to one value.
public struct GapOutcome: Sendable, Equatable {
    /// The values tried, one per fact of the entry, as a scenario would write them.
    public var values: [String]
    /// Rank among ranked candidates, nil when not ranked.
    public var rank: Int?
    public var risk: Double?
    public var band: String?
    public var status: CandidateStatus
    /// Whether first place (the set of candidates ranked 1) differs from the nominal one.
    public var changesFirstPlace: Bool
    /// The prior's probability of these values, when the policy states one for every fact.
    public var probability: Double?
}

/// A missing fact of one candidate (or facts a constraint links, taken together), with what
/// knowing it could do to the outcome.
public struct GapEntry: Sendable {
    public var candidate: String
    public var candidateName: String
    public var facts: [String]
    /// For each fact: unknown (stated so) or not given.
    public var states: [FactReading.State]
    public var nominalRank: Int?
    public var nominalRisk: Double?
    public var nominalBand: String?
    public var nominalStatus: CandidateStatus
    /// The outcome for each value tried (constraint-breaking combinations left out).
    public var outcomes: [GapOutcome]
    /// Combinations that break a constraint of the policy, so were not tried.
    public var ruledOut: Int
    /// Whether the numbers were tried on a grid (ends, thresholds and midpoints) rather than
    /// every value.
    public var gridded: Bool
    /// Share (0–1) of the total weight that would rest on evidence once the facts are known.
    public var coverageGain: Double
    /// Expected risk under the policy's prior minus the risk as it stands; nil without a prior.
    public var expectedRiskChange: Double?

    public var rankLow: Int? { outcomes.compactMap(\.rank).min() }
    public var rankHigh: Int? { outcomes.compactMap(\.rank).max() }
    public var riskLow: Double? { outcomes.compactMap(\.risk).min() }
    public var riskHigh: Double? { outcomes.compactMap(\.risk).max() }
    /// Whether some value changes which candidate ranks first.
    public var couldChangeFirstPlace: Bool { outcomes.contains(where: \.changesFirstPlace) }
    /// Whether some value moves the candidate into or out of the top k.
    public func couldChangeTop(_ k: Int) -> Bool {
        let now = nominalRank.map { $0 <= k } ?? false
        return outcomes.contains { ($0.rank.map { $0 <= k } ?? false) != now }
    }
    /// Whether some value changes the band while the candidate is neither excluded as it stands
    /// nor excluded at that value (an excluded candidate's band is for information only).
    public var couldChangeBand: Bool {
        nominalStatus != .excluded && outcomes.contains { $0.status != .excluded && $0.band != nominalBand }
    }
    public var couldChangeStatus: Bool { outcomes.contains { $0.status != nominalStatus } }
    public var couldExclude: Bool { nominalStatus != .excluded && outcomes.contains { $0.status == .excluded } }
}

/// A missing fact (or linked facts) that could not be tried, and why: a date or a number with
/// nothing to try, or more combinations than `GapsAnalysis.maxCombinations`.
public struct GapNotTried: Sendable, Equatable {
    /// Why it was not tried.
    public enum Reason: Sendable, Equatable {
        case noValues
        case tooManyCombinations(Int)
    }
    public var candidate: String
    public var facts: [String]
    public var reason: Reason
}

/// What `hubs gaps` found: every missing fact an assumption rests on, most consequential first.
public struct GapsResult: Sendable {
    public var policy: String
    public var scenario: String
    public var top: Int
    /// The candidates ranked first as the inputs stand (ids; several on a tie).
    public var firstPlace: [String]
    public var entries: [GapEntry]
    /// Missing facts an assumption rests on that could not be tried (said, never dropped).
    public var notTried: [GapNotTried] = []
    public var overrides: [AppliedOverride]
    /// Scores made.
    public var evaluations: Int
}

/// What to find out next: for each missing fact a candidate's assumptions rest on, the
/// candidate's rank, band and status over the fact's values (every value of a bool or an enum,
/// a number's grid), facts linked by a constraint taken together; ordered by what knowing it could
/// change (first place, the top k, an exclusion or status, the band, the spread of ranks and
/// risks, the coverage it adds).
public enum GapsAnalysis {
    /// Most value combinations tried for facts a constraint links; past it each fact is tried alone.
    public static let maxCombinations = 4_096

    /// Every missing fact an assumption of `a` rests on, tried at each value; `top` is the k of
    /// the top-k question.
    public static func run(_ a: Assessment, top: Int = 3) -> GapsResult {
        let policy = a.policy
        let table = a.table
        let ids = table.scenario.candidates.map(\.id)
        let evaluator = Evaluator(policy)
        var rows = table.values
        let slots = table.slotCount
        func score(_ c: Int) -> Outcome { evaluator.score(Array(rows[(c * slots)..<((c + 1) * slots)])) }
        var outcomes = (0..<table.candidateCount).map(score)
        let nominalRanks = RankOrder.ranks(outcomes, ids: ids, minCoverage: policy.minimumCoverage)
        let first = Set(nominalRanks.indices.filter { nominalRanks[$0] == 1 })
        var evaluations = table.candidateCount
        let byIndex = Dictionary(uniqueKeysWithValues: a.results.map { ($0.candidateIndex, $0) })
        var entries: [GapEntry] = []
        var notTried: [GapNotTried] = []
        for (c, facts) in a.assumedFactSlots.enumerated() {
            let missing = facts.filter { rows[c * slots + $0].isNaN }
            guard !missing.isEmpty, let result = byIndex[c] else { continue }
            for group in linkedGroups(missing, policy: policy) {
                var entry = GapEntry(
                    candidate: ids[c], candidateName: table.scenario.candidates[c].name, facts: group.map { policy.facts[$0].name },
                    states: group.map { table.fact(c, $0) == nil ? .notGiven : .unknown }, nominalRank: result.rank,
                    nominalRisk: result.risk, nominalBand: result.band, nominalStatus: result.status, outcomes: [], ruledOut: 0,
                    gridded: false, coverageGain: 0, expectedRiskChange: nil)
                let gridsAndP = group.map { s -> ([Double], [Double]?, Bool) in
                    guard let d = UnknownDomain(policy.facts[s], policy.factUses[s]) else { return ([], nil, false) }
                    if case .interval = d { return (d.grid(policy.factUses[s]), nil, true) }
                    return (d.grid(policy.factUses[s]), d.probabilities, false)
                }
                guard gridsAndP.allSatisfy({ !$0.0.isEmpty }) else {
                    notTried.append(GapNotTried(candidate: ids[c], facts: entry.facts, reason: .noValues))
                    continue
                }
                entry.gridded = gridsAndP.contains { $0.2 }
                let combos = gridsAndP.reduce(1) { $0 * $1.0.count }
                guard combos <= maxCombinations else {
                    notTried.append(GapNotTried(candidate: ids[c], facts: entry.facts, reason: .tooManyCombinations(combos)))
                    continue
                }
                for k in 0..<combos {
                    var rest = k
                    var chosen: [Double] = []
                    var probability: Double? = 1
                    for (s, g) in zip(group, gridsAndP) {
                        let i = rest % g.0.count
                        rest /= g.0.count
                        rows[c * slots + s] = g.0[i]
                        chosen.append(g.0[i])
                        probability = g.1.flatMap { p in probability.map { $0 * p[i] } }
                    }
                    defer { for s in group { rows[c * slots + s] = .nan } }
                    if policy.brokenConstraint(rows[(c * slots)..<((c + 1) * slots)]) != nil {
                        entry.ruledOut += 1
                        continue
                    }
                    let saved = outcomes[c]
                    outcomes[c] = score(c)
                    evaluations += 1
                    let ranks = RankOrder.ranks(outcomes, ids: ids, minCoverage: policy.minimumCoverage)
                    let o = outcomes[c]
                    entry.outcomes.append(
                        GapOutcome(
                            values: zip(group, chosen).map { valueText($1, policy.facts[$0]) }, rank: ranks[c] > 0 ? ranks[c] : nil,
                            risk: o.risk.isNaN ? nil : o.risk, band: policy.band(for: o.risk),
                            status: Assessor.status(o, total: o.risk, policy: policy),
                            changesFirstPlace: Set(ranks.indices.filter { ranks[$0] == 1 }) != first,
                            probability: probability))
                    outcomes[c] = saved
                }
                entry.coverageGain = result.coverageGaps.filter { entry.facts.contains($0.fact) }.reduce(0) { $0 + $1.share }
                entry.expectedRiskChange = expectedChange(entry)
                entries.append(entry)
            }
        }
        entries.sort { order($0, $1, top: top) }
        return GapsResult(
            policy: policy.id, scenario: table.scenario.id, top: top, firstPlace: first.sorted().map { ids[$0] }, entries: entries,
            notTried: notTried, overrides: a.overrides, evaluations: evaluations)
    }

    /// Missing facts of one candidate in groups: facts some constraint reads together are one
    /// group (tried jointly, so that no impossible pair is tried), every other fact alone.
    static func linkedGroups(_ slots: [Int], policy: CompiledPolicy) -> [[Int]] {
        var group = Dictionary(uniqueKeysWithValues: slots.map { ($0, $0) })
        func root(_ s: Int) -> Int {
            var s = s
            while let p = group[s], p != s { s = p }
            return s
        }
        for k in policy.constraints {
            let linked = k.slots.filter { group[$0] != nil }
            for s in linked.dropFirst() { group[root(s)] = root(linked[0]) }
        }
        var out: [Int: [Int]] = [:]
        for s in slots { out[root(s), default: []].append(s) }
        return out.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    /// A value as a scenario writes it.
    static func valueText(_ v: Double, _ decl: FactDeclaration) -> String {
        switch decl.type {
        case .bool: v == 1 ? "true" : "false"
        case let .enumeration(values): values[Int(v)]
        case .number: Format.number(v)
        case .date: Day(daysSinceEpoch: Int(v)).description
        }
    }

    /// Expected risk under the prior minus the risk now; nil unless every outcome has a
    /// probability (a prior on every fact of the entry) and a risk.
    static func expectedChange(_ e: GapEntry) -> Double? {
        guard let now = e.nominalRisk, !e.outcomes.isEmpty else { return nil }
        var total = 0.0
        var mass = 0.0
        for o in e.outcomes {
            guard let p = o.probability, let r = o.risk else { return nil }
            total += p * r
            mass += p
        }
        return mass > 0 ? total / mass - now : nil
    }

    /// Most consequential first: first place, the top k, status, band, rank spread, risk spread,
    /// coverage; then the candidate's position and the facts' names.
    static func order(_ a: GapEntry, _ b: GapEntry, top: Int) -> Bool {
        func key(_ e: GapEntry) -> [Double] {
            [
                e.couldChangeFirstPlace ? 1 : 0, e.couldChangeTop(top) ? 1 : 0, e.couldChangeStatus ? 1 : 0, e.couldChangeBand ? 1 : 0,
                Double((e.rankHigh ?? 0) - (e.rankLow ?? 0)), (e.riskHigh ?? 0) - (e.riskLow ?? 0), e.coverageGain,
            ]
        }
        let (ka, kb) = (key(a), key(b))
        if ka != kb { return ka.lexicographicallyPrecedes(kb, by: >) }
        if (a.nominalRank ?? .max) != (b.nominalRank ?? .max) { return (a.nominalRank ?? .max) < (b.nominalRank ?? .max) }
        return (a.candidate, a.facts.joined(separator: ",")) < (b.candidate, b.facts.joined(separator: ","))
    }
}
