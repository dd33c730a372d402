/// How much an analyst trusts a piece of evidence.
public enum Confidence: String, Sendable, Hashable, CaseIterable {
    case high, medium, low
}

/// Where a fact came from: one entry of a scenario's `sources`.
public struct EvidenceSource: Sendable, Hashable {
    public var id: String
    public var title: String
    public var publisher: String?
    public var date: Day?
    public var url: String?
    public var location: SourceLocation
}

/// One fact about one candidate, as written (its value is typed later, against a policy's schema).
public struct Fact: Sendable {
    /// Given (with the value as written) or stated unknown.
    public enum State: Sendable {
        /// A value as written in YAML; the policy's declared type says how to read it.
        case given(YAMLScalar)
        /// Explicitly unknown: the analyst says nobody knows this yet.
        case unknown
    }
    public var name: String
    public var state: State
    public var source: String?
    public var sourceLocation: SourceLocation?
    public var asOf: Day?
    public var confidence: Confidence?
    public var note: String?
    /// A stated range of plausible values (numbers only), for sensitivity analysis.
    public var interval: (low: Double, high: Double)?
    public var intervalLocation: SourceLocation?
    /// Other plausible values (bools and enums), for sensitivity analysis: drawn instead of the
    /// confidence's default.
    public var alternatives: [YAMLScalar]?
    /// Where the fact is written (its key).
    public var location: SourceLocation
    /// Where its value is written.
    public var valueLocation: SourceLocation
    /// The candidate this fact was copied from when its candidate is a variant (`like:`) and does
    /// not give the fact itself; nil for a fact the candidate gives.
    public var inheritedFrom: String?

    public var isUnknown: Bool { if case .unknown = state { true } else { false } }
}

/// A candidate country (or whatever is being assessed) and what is known about it.
public struct Candidate: Sendable {
    public var id: String
    public var name: String
    /// Facts in file order.
    public var facts: [Fact]
    public var location: SourceLocation
    /// The candidate this one is a variant of (`like: OTHER_ID`): it has all of that candidate's
    /// facts except those it gives itself.
    public var like: String?

    /// The candidate's fact with this name.
    public func fact(_ name: String) -> Fact? { facts.first { $0.name == name } }
}

/// A scenario with any `extends` chain already applied.
public struct Scenario: Sendable {
    public var id: String
    public var title: String
    public var asOf: Day?
    public var sources: [EvidenceSource]
    public var candidates: [Candidate]
    /// The scenario ids from this one up to the root of its `extends` chain.
    public var lineage: [String]
    /// Every file read to build this scenario (itself first, then its parents).
    public var files: [SourceFile]
    /// Warnings found while loading (sources nobody cites, say).
    public var warnings: [Diagnostic] = []
    public var location: SourceLocation
    /// Facts set on the command line (`--set`), in the order given.
    public var overrides: [AppliedOverride] = []

    /// The source with this id.
    public func source(_ id: String) -> EvidenceSource? { sourceIndex(id).map { sources[$0] } }
    /// The position of the source with this id in `sources`, if any.
    public func sourceIndex(_ id: String) -> Int? { sources.indices.first { sources[$0].id == id } }
    /// The candidate with this id.
    public func candidate(_ id: String) -> Candidate? { candidates.first { $0.id == id } }
}
