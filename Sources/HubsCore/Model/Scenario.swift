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
    /// Why there is no web address, when there is none (`no_address:`).
    public var noAddress: String? = nil
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
    /// Where the fact is written (its key).
    public var location: SourceLocation
    /// Where its value is written.
    public var valueLocation: SourceLocation
    /// The fields many facts leave out, behind one reference (nil when all are absent): a fact
    /// given as a bare value stays small, and a scenario may hold millions of facts.
    private var details: FactDetails?

    /// A fact with none of the optional fields; set them one by one.
    public init(name: String, state: State, location: SourceLocation, valueLocation: SourceLocation) {
        self.name = name
        self.state = state
        self.location = location
        self.valueLocation = valueLocation
    }

    public var asOf: Day? {
        get { details?.fields.asOf }
        set { update { $0.asOf = newValue } }
    }
    public var confidence: Confidence? {
        get { details?.fields.confidence }
        set { update { $0.confidence = newValue } }
    }
    public var note: String? {
        get { details?.fields.note }
        set { update { $0.note = newValue } }
    }
    /// A stated range of plausible values (numbers only), for sensitivity analysis.
    public var interval: (low: Double, high: Double)? {
        get { details?.fields.interval }
        set { update { $0.interval = newValue } }
    }
    public var intervalLocation: SourceLocation? {
        get { details?.fields.intervalLocation }
        set { update { $0.intervalLocation = newValue } }
    }
    /// Other plausible values (bools and enums), for sensitivity analysis: drawn instead of the
    /// confidence's default.
    public var alternatives: [YAMLScalar]? {
        get { details?.fields.alternatives }
        set { update { $0.alternatives = newValue } }
    }
    /// The candidate this fact was copied from when its candidate is a variant (`like:`) and does
    /// not give the fact itself; nil for a fact the candidate gives.
    public var inheritedFrom: String? {
        get { details?.fields.inheritedFrom }
        set { update { $0.inheritedFrom = newValue } }
    }

    /// Changes the boxed fields: a new box each time (facts are set up once, then only read).
    private mutating func update(_ change: (inout FactDetails.Fields) -> Void) {
        var fields = details?.fields ?? FactDetails.Fields()
        change(&fields)
        details = FactDetails(fields)
    }

    public var isUnknown: Bool { if case .unknown = state { true } else { false } }
}

/// The optional fields of a `Fact`, shared between its copies and never changed in place.
final class FactDetails: Sendable {
    struct Fields: Sendable {
        var asOf: Day?
        var confidence: Confidence?
        var note: String?
        var interval: (low: Double, high: Double)?
        var intervalLocation: SourceLocation?
        var alternatives: [YAMLScalar]?
        var inheritedFrom: String?
    }
    let fields: Fields
    init(_ fields: Fields) { self.fields = fields }
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
    /// Why it is a candidate at all: named by a report, a historical reference, or a case for
    /// comparison (`basis:`).
    public var basis: CandidateBasis? = nil

    /// The candidate's fact with this name.
    public func fact(_ name: String) -> Fact? { facts.first { $0.name == name } }
}

/// On what basis a candidate is assessed (`basis: {kind: named, source: seed003, note: ...}`).
public struct CandidateBasis: Sendable, Equatable {
    /// Named as under consideration by a report; a historical reference (a scheme that ran or was
    /// planned before); or a case for comparison that no report names.
    public enum Kind: String, Sendable, CaseIterable {
        case named, historical, comparison
    }
    public var kind: Kind
    /// The source that names it or that the reference rests on.
    public var source: String?
    public var note: String?
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
