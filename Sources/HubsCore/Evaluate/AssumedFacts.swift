extension Assessment {
    /// The facts each candidate's assumptions rest on (a leaf's missing-data rule, an undecided
    /// gate), as slots, by candidate index: the unknowns that move its result. A fact the policy
    /// handles itself (`known(x) and x`, or a case never reached) assumes nothing and is not here.
    public var assumedFactSlots: [[Int]] { assumedFactSlots(besidesRangedAssumptions: false) }

    /// As `assumedFactSlots`; with `besidesRangedAssumptions`, a fact counts only when an
    /// assumption without a stated range rests on it (an assumed risk with a `range` is drawn in
    /// that range instead of its facts).
    public func assumedFactSlots(besidesRangedAssumptions: Bool) -> [[Int]] {
        let ranged = Set(policy.criteria.filter { $0.missingRange != nil }.map(\.id))
        var out = [[Int]](repeating: [], count: table.candidateCount)
        for r in Explanations(self, detail: .summary) {
            var slots = Set<Int>()
            for assumption in r.assumptions {
                let facts: [Assumption.MissingFact] =
                    switch assumption {
                    case let .missingRule(criterion, facts, _): besidesRangedAssumptions && ranged.contains(criterion) ? [] : facts
                    case let .undecidedGate(_, facts, _): facts
                    }
                for f in facts { if let s = policy.slot(of: f.name) { slots.insert(s) } }
            }
            out[r.candidateIndex] = slots.sorted()
        }
        return out
    }
}
