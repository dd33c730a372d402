/// The wording of assumptions, shared by every renderer.
enum AssumptionText {
    /// "host_willingness: host_stance is unknown; missing rule: assume risk 60", or
    /// "gate host_refused: cannot be decided (host_stance unknown); treated as passed".
    static func text(_ a: Assumption) -> String {
        switch a {
        case let .missingRule(criterion, facts, rule):
            let why = facts.map { "\($0.name) is \($0.state == .unknown ? "unknown" : "not given in the scenario")" }
                .joined(separator: ", ")
            return "\(criterion): \(why.isEmpty ? "input unknown" : why); missing rule: \(missingRule(rule))"
        case let .undecidedGate(gate, facts, excluding):
            let why = facts.map(\.name).joined(separator: ", ")
            return
                "gate \(gate): cannot be decided (\(why.isEmpty ? "input unknown" : why + " unknown")); treated as \(excluding ? "excluding" : "passed")"
        }
    }

    static func missingRule(_ m: MissingRule) -> String {
        switch m {
        case .worst: "worst (risk 100)"
        case let .assume(r): "assume risk \(Format.number(r))"
        case .skip: "skip (weight shared among siblings)"
        }
    }
}
