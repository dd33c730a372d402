/// A fact as a criterion or gate read it, with its evidence trail.
public struct FactReading: Sendable {
    /// Whether the fact was known, stated unknown, or not given at all.
    public enum State: String, Sendable {
        case known, unknown
        case notGiven = "not_given"
    }
    public var name: String
    public var state: State
    /// The value as the analyst wrote it (for enums, the value's name), nil unless known.
    public var value: String?
    public var source: String?
    public var sourceTitle: String?
    public var sourcePublisher: String?
    public var sourceDate: Day?
    public var sourceURL: String?
    public var asOf: Day?
    public var confidence: Confidence?
    public var note: String?
    public var location: SourceLocation?
    /// For a variant candidate (`like:`), the candidate this fact was copied from; nil otherwise.
    public var inheritedFrom: String?
}

/// One criterion of one candidate: risk, weights, contribution and the facts it read.
public struct CriterionResult: Sendable {
    /// Pre-order index into `CompiledPolicy.criteria`.
    public var index: Int
    public var id: String
    public var title: String
    public var depth: Int
    public var isLeaf: Bool
    /// Risk 0–100; nil when the criterion was skipped for missing data.
    public var risk: Double?
    /// For leaves: the rule's value before clamping to 0–100 (nil if it could not be computed).
    public var rawValue: Double?
    public var weight: Double
    /// Weight within its group after skipped siblings' weight is shared out (0 when skipped).
    public var normalizedWeight: Double
    /// Product of normalised weights from the root: this criterion's share of the total.
    public var effectiveWeight: Double
    /// Its part of the total risk; the contributions of all leaves add up to the total.
    public var contribution: Double
    /// The part of a scored leaf's contribution that rests on weight skipped siblings passed on
    /// to it (`missing: skip` is an assumption too): contribution × (1 − nominal share /
    /// effective share); 0 when nothing near it was skipped.
    public var fromSkippedWeight: Double = 0
    /// The missing-data rule applied, if any.
    public var missingRule: MissingRule?
    /// For `cases` leaves: which case fired (index into the policy's cases; the last is `else`).
    public var firedCase: Int?
    public var firedLabel: String?
    public var reads: [FactReading]
    public var skipped: Bool { risk == nil }
    /// Whether this leaf's risk rests on a missing-data rule (`worst` or `assume`) rather than on
    /// evidence. Its contribution is then assumed, and every output says so.
    public var assumed: Bool { isLeaf && missingRule != nil && risk != nil }
}

/// One gate of one candidate: its outcome and the facts it read.
public struct GateResult: Sendable {
    /// Passed, excluded, or undecided (a fact it needs is unknown).
    public enum Outcome: String, Sendable { case passed, excluded, undecided }
    public var id: String
    public var reason: String
    public var condition: String
    public var outcome: Outcome
    /// For undecided gates: whether the policy's `missing` rule excluded the candidate.
    public var excludedWhenUndecided: Bool
    public var reads: [FactReading]
}

/// Something hubs had to assume for one candidate because a fact was unknown or not given.
public enum Assumption: Sendable, Equatable {
    /// A leaf's missing-data rule decided its risk (or skipped it); `facts` are what it lacked.
    case missingRule(criterion: String, facts: [MissingFact], rule: MissingRule)
    /// A gate's condition could not be decided; its `missing` rule treated the candidate as
    /// excluded or as passing.
    case undecidedGate(gate: String, facts: [MissingFact], treatedAsExcluding: Bool)

    /// A fact that was not known: stated `unknown`, or not given in the scenario at all.
    public struct MissingFact: Sendable, Equatable {
        public var name: String
        public var state: FactReading.State
    }
}

/// A fact whose evidence would raise a candidate's coverage: the share of the total weight that
/// rests on it and is now assumed or skipped.
public struct CoverageGap: Sendable, Equatable {
    public var fact: String
    public var state: FactReading.State
    /// Share (0–1) of the total weight that would rest on evidence if the fact were known.
    public var share: Double
}

/// One candidate's full result: status, rank, risk, coverage, criteria, gates and assumptions.
public struct CandidateResult: Sendable {
    /// The candidate's index in the scenario (and in the bound fact table).
    public var candidateIndex: Int
    public var id: String
    public var name: String
    /// 1-based rank among ranked candidates; nil for excluded or not assessable ones.
    public var rank: Int?
    /// Position in the output (excluded and not-assessable candidates come after ranked ones).
    public var position: Int
    public var risk: Double?
    public var band: String?
    public var status: CandidateStatus
    public var coverage: Double
    public var criteria: [CriterionResult]
    public var gates: [GateResult]
    /// Every missing-data rule applied and every undecided gate, in criterion then gate order.
    public var assumptions: [Assumption]
    /// The missing facts that would raise coverage most, largest first.
    public var coverageGaps: [CoverageGap] = []

    /// The part of the risk that rests on evidence: the contributions of leaves scored from facts,
    /// less what rests on weight that skipped criteria passed on to them.
    public var riskFromEvidence: Double? {
        risk.map { _ in criteria.reduce(0.0) { $0 + ($1.isLeaf && !$1.assumed ? $1.contribution - $1.fromSkippedWeight : 0) } }
    }
    /// The part of the risk that rests on missing-data rules (assumptions, not evidence): assumed
    /// risks, and the weight a `skip` passed on to the criteria beside it.
    public var riskFromAssumptions: Double? {
        risk.map { _ in criteria.reduce(0.0) { $0 + ($1.assumed ? $1.contribution : $1.fromSkippedWeight) } }
    }
    /// The part of the risk that rests on weight skipped criteria passed on (within
    /// `riskFromAssumptions`).
    public var riskFromSkips: Double { criteria.reduce(0.0) { $0 + $1.fromSkippedWeight } }

    public var excludingGates: [GateResult] {
        gates.filter { $0.outcome == .excluded || ($0.outcome == .undecided && $0.excludedWhenUndecided) }
    }

    /// The leaves that add most to the risk, largest first. Assumed ones are included and carry
    /// `assumed`, so a renderer must mark them; `evidenceOnly` leaves them out.
    public func drivers(_ count: Int = 3, evidenceOnly: Bool = false) -> [CriterionResult] {
        driverPositions(count, evidenceOnly: evidenceOnly).map { criteria[$0] }
    }

    /// The positions in `criteria` of `drivers(count, evidenceOnly:)`, for renderers that need
    /// only a few fields of each (copying a result copies the facts it read).
    public func driverPositions(_ count: Int = 3, evidenceOnly: Bool = false) -> [Int] {
        // The `count` largest, kept in order as the leaves are scanned: no sort of every leaf.
        func before(_ a: Int, _ b: Int) -> Bool {
            (criteria[a].contribution, criteria[b].index) > (criteria[b].contribution, criteria[a].index)
        }
        guard count > 0 else { return [] }
        var top: [Int] = []
        top.reserveCapacity(count + 1)
        for i in criteria.indices
        where criteria[i].isLeaf && criteria[i].contribution > 0 && !(evidenceOnly && criteria[i].assumed) {
            guard top.count < count || before(i, top[top.count - 1]) else { continue }
            let at = top.firstIndex { before(i, $0) } ?? top.count
            top.insert(i, at: at)
            if top.count > count { top.removeLast() }
        }
        return top
    }
}

/// An input file as read: its path and the SHA-256 of its bytes.
public struct InputFile: Sendable, Hashable {
    /// What the file was read as.
    public enum Role: String, Sendable { case policy, scenario }
    public var role: Role
    public var path: String
    /// Computed when first asked for, if the file's was not yet (see `SourceFile`).
    private var hash: SourceFile.Hash

    /// SHA-256 of the file's bytes (without a byte-order mark), as 64 lower-case hex digits.
    public var sha256: String {
        get { hash.value }
        set { hash = .known(newValue) }
    }

    /// A file with its hash.
    public init(role: Role, path: String, sha256: String) {
        self.init(role: role, path: path, hash: .known(sha256))
    }

    /// A file read as `role`, sharing its hash (and the work of computing it).
    init(role: Role, file: SourceFile) {
        self.init(role: role, path: file.path, hash: file.hash)
    }

    private init(role: Role, path: String, hash: SourceFile.Hash) {
        self.role = role
        self.path = path
        self.hash = hash
    }
}

/// How much of each candidate's reasoning an assessment keeps.
public enum AssessmentDetail: Sendable, Equatable {
    /// Every fact that every criterion and gate read, with its evidence trail.
    case full
    /// The facts read only where something was missing or a gate did not pass: what the ranking
    /// table and CSV show, and what the assumptions and coverage gaps are made from. Everything
    /// else (risks, weights, contributions, cases, assumptions) is as in `full`;
    /// `Assessor.explained` gives any candidate's full result again. For long rankings: the facts
    /// read are most of a full result's size and of its cost.
    case summary
    /// Only what places each candidate: its risk, band, status and coverage (no criteria, gates
    /// or assumptions). For writers that explain each candidate again as they write it (the
    /// score JSON), so that memory does not grow with a full result per candidate. Scenarios of
    /// up to `Assessor.rankingBlock` candidates are assessed in full instead (`detail` says so).
    case ranking

    /// Whether results kept with this detail hold all that `other` keeps (full, then summary,
    /// then ranking).
    public func covers(_ other: AssessmentDetail) -> Bool { level >= other.level }

    private var level: Int {
        switch self {
        case .ranking: 0
        case .summary: 1
        case .full: 2
        }
    }
}

/// The full result of scoring one scenario under one policy.
public struct Assessment: Sendable {
    public var policy: CompiledPolicy
    public var scenario: Scenario
    public var results: [CandidateResult]
    public var inputs: [InputFile]
    public var warnings: [Diagnostic]
    /// The scenario's facts as bound to the policy's slots (for analyses that re-score).
    public var table: FactTable
    /// Whether `results` hold every fact read (`full`) or only those a ranking shows (`summary`).
    public var detail: AssessmentDetail = .full
    /// How far each candidate's outcome moves over its assumptions, by candidate index, when
    /// computed (`AssumptionSpreads.compute`; the score and explain commands do); empty otherwise.
    public var assumptionSpreads: [AssumptionSpread?] = []

    /// The assumption spread of a result, when computed and the candidate has assumptions.
    public func spread(of r: CandidateResult) -> AssumptionSpread? {
        r.candidateIndex < assumptionSpreads.count ? assumptionSpreads[r.candidateIndex] : nil
    }

    /// The result of the candidate with this id.
    public func result(for id: String) -> CandidateResult? { results.first { $0.id == id } }
    /// Everything changed on the command line: the policy's changes, then the scenario's.
    public var overrides: [AppliedOverride] { policy.policy.overrides + scenario.overrides }
}
