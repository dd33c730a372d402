/// Everything about one criterion that renderers need, in pre-order (parents before children).
public struct CriterionInfo: Sendable {
    /// A group with its aggregation, or a leaf with its rule kind and missing-data rule.
    public enum Kind: Sendable, Equatable {
        case group(Aggregation)
        case leaf(rule: RuleKind, missing: MissingRule)
    }
    public var id: String
    public var title: String
    public var description: String?
    public var kind: Kind
    public var depth: Int
    /// Pre-order index of the parent; nil for top-level criteria.
    public var parent: Int?
    /// Declared (relative) weight.
    public var weight: Double
    /// Index of its risk among the evaluated values: leaves first (by leaf index), then groups
    /// in post-order.
    public var valueIndex: Int
    /// For leaves: leaf index; for groups: nil.
    public var leaf: Int?
    /// Fact slots the rule may read.
    public var slots: [Int]
    public var location: SourceLocation
    /// Where its weight is written, if it is.
    public var weightLocation: SourceLocation?
    /// For `cases` leaves: conditions in order (not the else), labels (the else label last) and risks.
    public var caseConditions: [String]
    public var caseLabels: [String]
    public var caseRisks: [Double]
    /// For `map` leaves: the fact's values and their risks.
    public var mapRisks: [(value: String, risk: Double)]
    /// For `scale` leaves.
    public var scale: (best: Double, worst: Double, transform: ScaleTransform)?
    public var expressionText: String?
    /// Why the criterion is here with its weight; why its rule scores as it does (goalposts, mapped
    /// risks, the else of cases); why each case's risk (the else last, from `ruleRationale`); why
    /// an assumed risk for missing data.
    public var rationale: Rationale? = nil
    public var ruleRationale: Rationale? = nil
    public var caseRationales: [Rationale?] = []
    public var missingRationale: Rationale? = nil
    /// The range an assumed risk is drawn in by sensitivity (`missing: {assume: R, range: …}`).
    public var missingRange: ClosedRange<Double>? = nil

    public var isLeaf: Bool { leaf != nil }
}

/// What renderers and analyses need of a gate.
public struct GateInfo: Sendable {
    public var id: String
    public var reason: String
    public var onMissing: Gate.OnMissing
    public var condition: String
    public var slots: [Int]
    public var location: SourceLocation
    public var rationale: Rationale? = nil
}

/// How a policy uses one fact, for what-if search.
public struct FactUse: Sendable {
    /// Values at which some rule's outcome can change: constants the fact is compared with,
    /// `in` lists, and the goalposts of scales that read it directly. Sorted, unique.
    public var breakpoints: [Double] = []
    /// Every use is a direct comparison with a constant, an `in` list, a `map`, or the bare input
    /// of a `scale`: between breakpoints each rule is then constant or linear in the fact.
    public var simple = true
    /// Directions (+1 rising risk, −1 falling) of the scales that read it directly.
    public var scaleDirections: Set<Int> = []
    public var readByGates = false
    /// Whether any rule or gate reads the fact at all.
    public var read = false
}

/// A constraint between facts, compiled. A class, shared and never changed: sensitivity and
/// what-if check the constraints on every draw, and a copy of a struct this size (strings and
/// arrays, each retained) cost more than the check.
public final class CompiledConstraint: Sendable {
    public let id: String
    public let reason: String
    public let location: SourceLocation
    /// The condition as written: "require", or "when → require".
    public let text: String
    let when: FactPredicate?
    let require: FactPredicate
    /// Fact slots it reads.
    public let slots: [Int]

    init(
        id: String, reason: String, location: SourceLocation, text: String, when: FactPredicate?, require: FactPredicate,
        slots: [Int]
    ) {
        self.id = id
        self.reason = reason
        self.location = location
        self.text = text
        self.when = when
        self.require = require
        self.slots = slots
    }
}

/// A policy compiled once into an immutable program: evaluate it as often as you like, from
/// any thread, each thread with its own `Evaluator`.
public struct CompiledPolicy: Sendable {
    public let policy: Policy
    public let facts: [FactDeclaration]
    public let criteria: [CriterionInfo]
    public let gates: [GateInfo]
    public let bands: [Band]
    /// Each band's upper bound as a comparison key (`RiskComparison.key`), +infinity for a band
    /// without one: computed once, since a sensitivity run places millions of risks in bands.
    let bandBounds: [Double]
    public let warnings: [Diagnostic]
    /// Constraints between facts, for what-if and sensitivity (never read while scoring).
    public let constraints: [CompiledConstraint]

    let fastCode: [Instruction]
    let traceCode: [Instruction]
    /// The same rules without jumps, for `Evaluator.scoreBatch`.
    let batchCode: [Instruction]
    /// Tables read by `member` and `lookup` instructions.
    let tables: [Double]
    /// Registers preloaded with constants, starting at register `constantBase`.
    let constantRegisters: [Double]
    let constantBase: Int
    let registerCount: Int
    public let leafCount: Int
    /// First register of leaf results; gate results follow them.
    let leafBase: Int
    var gateBase: Int { leafBase + leafCount }
    /// Post-order aggregation plan over groups; the root is the last.
    let groups: [GroupPlan]
    /// For each edge, the value index of the child.
    let childValues: [Int32]
    /// For each leaf, the risk used when its facts are unknown (NaN = skip).
    let leafMissingValue: [Double]
    /// Declared weight of each edge, parallel to `childValues` (groups normalise at evaluation
    /// time, so a sensitivity analysis can pass perturbed weights without recompiling).
    public let nominalWeights: [Double]
    /// For each edge, the pre-order criterion index of the child.
    public let edgeCriterion: [Int]
    /// Per fact slot: how the rules use it.
    public let factUses: [FactUse]
    /// Whether any group (or the root) aggregates geometrically.
    public var hasGeometric: Bool { groups.contains { $0.kind == .geometric } }
    /// Each leaf's share of the total weight when nothing is skipped (for coverage).
    public let leafNominalShare: [Double]
    /// Leaf index → pre-order criterion index.
    public let leafCriterion: [Int]
    /// Gate index → whether unknown excludes.
    let gateExcludesWhenUnknown: [Bool]

    public var id: String { policy.id }

    /// Candidates below this coverage (0–1) are not ranked: `insufficient_evidence`. A
    /// `--min-coverage` given on the command line is applied to the policy by the overrides stage.
    public var minimumCoverage: Double { policy.minCoverage ?? Policy.defaultMinCoverage }
    /// Size of the untraced program, in instructions (for benchmarks and curiosity).
    public var instructionCount: Int { fastCode.count }
    /// How many of each instruction the untraced program holds.
    public var instructionHistogram: [(String, Int)] {
        Dictionary(grouping: fastCode, by: { "\($0.op)" }).map { ($0.key, $0.value.count) }.sorted { $0.1 > $1.1 }
    }
    public var slotCount: Int { facts.count }

    /// The slot of a fact, by name (for building fact rows; never used while scoring).
    public func slot(of name: String) -> Int? { facts.firstIndex { $0.name == name } }

    /// The plan index of a group criterion, or of the root for "root"; nil for leaves and unknown ids.
    public func groupIndex(of id: String) -> Int? {
        if id == "root" { return groups.count - 1 }
        guard let c = criteria.first(where: { $0.id == id }), !c.isLeaf else { return nil }
        return c.valueIndex - leafCount
    }

    /// The ids of the groups (and "root"), for hints.
    public var groupIDs: [String] { criteria.filter { !$0.isLeaf }.map(\.id) + ["root"] }

    /// Declared aggregation of a plan group.
    public func aggregation(ofGroup g: Int) -> Aggregation { groups[g].kind.aggregation }

    /// The edges (indices into `nominalWeights`) of a plan group's children.
    public func edges(ofGroup g: Int) -> Range<Int> {
        Int(groups[g].childStart)..<Int(groups[g].childStart + groups[g].childCount)
    }
    public var groupCount: Int { groups.count }

    /// The band of a risk (compared at the resolution of `RiskComparison`); nil for NaN.
    public func band(for risk: Double) -> String? {
        bandIndex(for: risk).map { bands[$0].name }
    }

    /// The index in `bands` of the band a risk falls in; nil for no risk or no bands.
    public func bandIndex(for risk: Double) -> Int? {
        risk.isNaN ? nil : bandIndex(key: RiskComparison.key(risk))
    }

    /// The band of a risk given as its comparison key: the first whose bound it is below (the
    /// last band takes the rest); nil when there are no bands.
    @inline(__always)
    func bandIndex(key: Double) -> Int? {
        guard !bandBounds.isEmpty else { return nil }
        var b = 0
        while b < bandBounds.count - 1, !(key < bandBounds[b]) { b += 1 }
        return b
    }
}
