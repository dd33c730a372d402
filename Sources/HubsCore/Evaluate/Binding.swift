/// A scenario's facts laid out as dense rows for one compiled policy: row c, slot s is the value
/// of fact s for candidate c, NaN when unknown or not given.
public struct FactTable: Sendable {
    public let scenario: Scenario
    public let slotCount: Int
    /// Candidate-major: `values[c * slotCount + s]`.
    public let values: [Double]
    /// Where each value came from, candidate-major like `values`: the index of the fact in its
    /// candidate's `facts`, or -1 when the candidate does not give it (see `fact(_:_:)`).
    public let factIndex: [Int32]
    public let warnings: [Diagnostic]
    /// The warnings about each candidate's evidence (stale, late, misspelt), by candidate id.
    public let warningsByCandidate: [String: [Diagnostic]]
    /// Each source's position in `scenario.sources`, by id (the first of an id), for explanations.
    let sourceIndex: [String: Int]

    public var candidateCount: Int { scenario.candidates.count }
    /// Candidate `c`'s row.
    public func row(_ c: Int) -> ArraySlice<Double> { values[(c * slotCount)..<((c + 1) * slotCount)] }
    /// The fact candidate `c` gives for slot `s`, or nil when it does not give it.
    public func fact(_ c: Int, _ s: Int) -> Fact? {
        let k = Int(factIndex[c * slotCount + s])
        return k < 0 ? nil : scenario.candidates[c].facts[k]
    }
}

/// The bind stage: lays a checked scenario out over a compiled policy's slots, and tells which
/// candidates' facts break the policy's constraints (with the compiled predicates).
public enum Binder {
    /// Binds a scenario checked against this policy's facts (`ScenarioChecker.check`). Broken
    /// constraints are warnings (contradictory evidence, or a typo in a value), never errors.
    public static func bind(_ checked: CheckedScenario, to policy: CompiledPolicy) -> FactTable {
        precondition(checked.factCount == policy.slotCount, "a scenario is bound to the policy it was checked against")
        let n = policy.slotCount
        let candidates = checked.scenario.candidates
        var diags = checked.warnings
        var byCandidate = checked.warningsByCandidate
        for c in candidates.indices where !policy.constraints.isEmpty {
            let found = constraintWarnings(
                candidates[c], row: checked.values[(c * n)..<((c + 1) * n)],
                factIndex: checked.factIndex[(c * n)..<((c + 1) * n)], policy: policy)
            guard !found.isEmpty else { continue }
            diags += found
            byCandidate[candidates[c].id, default: []] += found
        }
        diags += checked.undeclaredWarnings
        return FactTable(
            scenario: checked.scenario, slotCount: n, values: checked.values, factIndex: checked.factIndex, warnings: diags,
            warningsByCandidate: byCandidate,
            sourceIndex: Dictionary(
                checked.scenario.sources.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    /// The check and bind stages together, for a caller holding a compiled policy and a loaded
    /// scenario: `declaredElsewhere` as in `ScenarioChecker.check`.
    public static func bind(
        _ scenario: Scenario, to policy: CompiledPolicy, declaredElsewhere: Set<String> = []
    ) -> Result<FactTable, DiagnosticsError> {
        ScenarioChecker.check(scenario, against: policy.policy, declaredElsewhere: declaredElsewhere).map { bind($0, to: policy) }
    }

    /// Facts that break a constraint of the policy: contradictory evidence, or a typo in a value.
    static func constraintWarnings(
        _ cand: Candidate, row: ArraySlice<Double>, factIndex: ArraySlice<Int32>, policy: CompiledPolicy
    ) -> [Diagnostic] {
        policy.constraints.filter { $0.isBroken(by: row) }.map { k in
            let culprit = k.slots.compactMap { s in
                let i = Int(factIndex[factIndex.startIndex + s])
                return i < 0 ? nil : (policy.facts[s].name, cand.facts[i].location)
            }.last
            return .constraintBroken(
                "the facts of \(cand.id) break constraint '\(k.id)' (\(k.text)): \(k.reason)",
                at: culprit?.1 ?? cand.location,
                hint: "check these facts against their sources: \(k.slots.map { policy.facts[$0].name }.joined(separator: ", "))",
                length: culprit?.0.count ?? cand.id.count)
        }
    }

}
