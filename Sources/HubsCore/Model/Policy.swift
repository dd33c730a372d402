/// One source id cited by a judgement, where it is written.
public struct Citation: Sendable, Hashable {
    public var id: String
    public var location: SourceLocation
}

/// Why a judgement (a weight, a goalpost, a mapped risk, an assumption, a gate, a band) is what
/// it is: a sentence, and the policy's sources it rests on.
public struct Rationale: Sendable, Hashable {
    public var text: String?
    public var cite: [Citation]
    public var location: SourceLocation
}

/// The type of a fact a policy reads.
public enum FactType: Sendable, Hashable {
    case number(min: Double?, max: Double?, unit: String?)
    case bool
    case enumeration([String])
    case date

    public var name: String {
        switch self {
        case .number: "number"
        case .bool: "bool"
        case .enumeration: "enum"
        case .date: "date"
        }
    }
}

/// One entry of a policy's `facts:` schema.
public struct FactDeclaration: Sendable {
    public var name: String
    public var type: FactType
    public var description: String
    /// Whether a what-if search may change this fact (some facts, like history, cannot change).
    public var changeable: Bool
    /// How old its evidence may be before a warning: overrides the policy's `max_fact_age`.
    public var maxAge: MaxAge
    public var location: SourceLocation
    /// For numbers: the resolution the value is published in (`step: 1` for an index in whole
    /// points); what-if proposes only values on this grid. Nil: any value.
    public var step: Double? = nil
    /// How likely each value is where the fact is unknown, for `hubs sensitivity` and
    /// `hubs gaps`; nil: every value of its domain alike.
    public var prior: FactPrior? = nil
}

/// A policy's belief about an unknown fact: probabilities for a bool's or an enum's values, or an
/// interval a number lies in, with why.
public struct FactPrior: Sendable {
    /// The distribution an unknown value is drawn from.
    public enum Distribution: Sendable {
        /// One probability per value, in the fact's value order (false, true for a bool);
        /// they add up to 1.
        case probabilities([Double])
        /// Uniform between the two ends.
        case interval(Double, Double)
    }
    public var distribution: Distribution
    public var rationale: String?
    public var location: SourceLocation
}

/// How old a fact's evidence may be before it is stale.
public enum MaxAge: Sendable, Hashable {
    /// Use the policy's `max_fact_age`.
    case policyDefault
    /// Never stale (for structural facts such as membership of an organisation).
    case none
    case age(FactAge)
}

/// A hard exclusion: when `condition` holds, the candidate is excluded, for `reason`.
public struct Gate: Sendable {
    /// What an undecided gate does: let the candidate pass, or exclude it.
    public enum OnMissing: String, Sendable { case pass, exclude }
    public var id: String
    public var condition: ExpressionSource
    public var reason: String
    /// What to do when the condition cannot be decided because a fact is unknown (flagged either way).
    public var onMissing: OnMissing
    public var location: SourceLocation
    public var rationale: Rationale? = nil
}

/// A rule that facts must obey together ("a party to the ECHR is a member of the Council of
/// Europe"). What-if never proposes, and sensitivity never samples, a state that breaks one; a
/// scenario that breaks one gets a warning.
public struct FactConstraint: Sendable {
    public var id: String
    /// When given, the constraint applies only where this holds.
    public var when: ExpressionSource?
    /// What must hold.
    public var require: ExpressionSource
    public var reason: String
    public var location: SourceLocation
}

/// How a group combines its children's risks.
public enum Aggregation: String, Sendable, CaseIterable {
    /// Weighted arithmetic mean of the children's risks (the default).
    case mean
    /// Weighted geometric mean of the children's safety (100 − risk): one severe child pulls the group to severe.
    case geometric
    /// The worst (highest-risk) child decides; weights do not matter.
    case max
}

/// What a leaf criterion does when a fact it needs is unknown. Every use is flagged in the output.
public enum MissingRule: Sendable, Hashable {
    /// Risk 100: absence of evidence is treated as the worst case (the default).
    case worst
    /// The stated risk is assumed.
    case assume(Double)
    /// The criterion is left out and its weight shared among its siblings.
    case skip
}

/// One case of a `cases` leaf: a condition, the risk when it holds first, a label.
public struct ScoringCase: Sendable {
    public var when: ExpressionSource
    public var risk: Double
    public var label: String
    public var location: SourceLocation
    public var rationale: Rationale? = nil
}

/// One entry of a `map` leaf: a value of the fact and its risk.
public struct MapEntry: Sendable {
    public var key: YAMLScalar
    public var risk: Double
    public var location: SourceLocation
}

/// What a `scale` applies to its input before placing it between the goalposts.
public enum ScaleTransform: String, Sendable, CaseIterable {
    case none, log, log10, sqrt
}

/// The four kinds of scoring rule; the raw value is the policy key (and part of the JSON).
public enum RuleKind: String, Sendable, CaseIterable {
    case expr, cases, map, scale
}

/// How a leaf turns facts into a risk from 0 (no concern) to 100 (severe concern).
public enum ScoringRule: Sendable {
    case expression(ExpressionSource)
    case cases([ScoringCase], otherwise: (risk: Double, label: String, location: SourceLocation))
    case map(fact: YAMLScalar, entries: [MapEntry], otherwise: Double?)
    /// Linear between `best` (risk 0) and `worst` (risk 100), clamped, on `transform(input)`.
    case scale(input: ExpressionSource, best: Double, worst: Double, transform: ScaleTransform, location: SourceLocation)

    /// Which of the four kinds of rule this is.
    public var kind: RuleKind {
        switch self {
        case .expression: .expr
        case .cases: .cases
        case .map: .map
        case .scale: .scale
        }
    }
}

/// A criterion as written: a group of criteria or a leaf with a scoring rule.
public struct Criterion: Sendable {
    /// A group (with its aggregation and children) or a leaf (with its rule and missing-data rule).
    public enum Body: Sendable {
        case group(Aggregation, [Criterion])
        case leaf(ScoringRule, MissingRule)
    }
    public var id: String
    public var title: String
    public var description: String?
    public var weight: Double
    public var weightLocation: SourceLocation?
    public var location: SourceLocation
    public var body: Body
    /// Why the criterion is here with this weight.
    public var rationale: Rationale? = nil
    /// Why its rule scores as it does: scale goalposts, mapped risks, or the `else` of cases.
    public var ruleRationale: Rationale? = nil
    /// Why an assumed risk for missing data (`missing: {assume: R, rationale: ...}`), or why
    /// `skip` or `worst` (`missing: {rule: skip, rationale: ...}`).
    public var missingRationale: Rationale? = nil
    /// Where `missing:` is written, when it is (the default `worst` is not a judgement written).
    public var missingLocation: SourceLocation? = nil
    /// How uncertain an assumed risk is (`missing: {assume: R, range: [LOW, HIGH]}`): sensitivity
    /// draws the assumed risk in this range instead of drawing the facts it stands in for.
    public var missingRange: ClosedRange<Double>? = nil
}

/// A named band of total risk; `below` is the exclusive upper bound (nil for the last band).
public struct Band: Sendable, Hashable {
    public var name: String
    public var below: Double?
    public var location: SourceLocation
    public var rationale: Rationale? = nil
}

/// Uncertain inputs a policy declares for `hubs sensitivity` (the command line may add more).
public struct SensitivitySpec: Sendable {
    /// How weights vary in a sensitivity analysis.
    public enum Weights: Sendable, Equatable {
        /// Each weight independently uniform within ±percent of its value.
        case perturbation(percent: Double)
        /// Each group's weights drawn from a Dirichlet distribution around their shares, with
        /// this concentration (higher = closer to the declared weights).
        case dirichlet(concentration: Double)
    }
    public var weights: Weights?
    /// Facts with these confidences are uncertain (sampled within their interval, or their type's domain).
    public var factConfidence: [Confidence] = []
    /// Alternative aggregations for groups: group id (or "root") → the methods to choose among.
    public var alternatives: [(group: String, methods: [Aggregation], location: SourceLocation)] = []
    /// Alternative conditions for one case of a `cases` criterion (1-based case number).
    public var caseAlternatives: [CaseAlternative] = []
    /// Nothing uncertain yet.
    public init() {}
}

/// Other conditions a case might reasonably have had: "≥ 80" or "≥ 120" grants instead of "≥ 100".
public struct CaseAlternative: Sendable {
    public var criterion: String
    public var caseNumber: Int
    public var conditions: [ExpressionSource]
    public var location: SourceLocation
    /// An alternative for case `caseNumber` (from 1) of `criterion`.
    public init(criterion: String, caseNumber: Int, conditions: [ExpressionSource], location: SourceLocation) {
        self.criterion = criterion
        self.caseNumber = caseNumber
        self.conditions = conditions
        self.location = location
    }
}

/// A policy as loaded: its schema, constraints, gates, criteria tree, bands and sources.
public struct Policy: Sendable {
    public var id: String
    public var title: String
    public var version: String
    public var description: String?
    public var maxFactAge: FactAge?
    /// Candidates whose coverage (share of the weight resting on known facts, 0–1) is below this are
    /// not ranked: their status is `insufficient_evidence`. Nil: `Policy.defaultMinCoverage`.
    public var minCoverage: Double?
    public var facts: [FactDeclaration]
    public var gates: [Gate]
    public var constraints: [FactConstraint] = []
    public var aggregate: Aggregation
    public var criteria: [Criterion]
    public var bands: [Band]
    public var sensitivity: SensitivitySpec?
    /// Sources the policy's rationales cite (the same shape as a scenario's).
    public var sources: [EvidenceSource] = []
    public var file: SourceFile
    public var location: SourceLocation
    /// Values changed on the command line (`--weight`, `--policy-set`), in the order given.
    public var overrides: [AppliedOverride] = []

    /// The declaration of a fact, by name.
    public func fact(_ name: String) -> FactDeclaration? { facts.first { $0.name == name } }

    /// The coverage below which a candidate is not ranked when the policy does not say (50%).
    public static let defaultMinCoverage = 0.5
}
