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
        case let .rank(n): n == 1 ? "rank 1" : "rank \(n) or better"
        case let .above(o): "rank above \(o)"
        case let .pass(g): "pass gate \(g)"
        }
    }
}

/// One fact changed by an answer: from and to as written, and the new value.
public struct FactChangeProposal: Sendable {
    public var fact: String
    public var from: String
    public var to: String
    public var value: Double
}

/// One way to reach the goal: the changes, the outcome, and whether it is exact.
public struct WhatIfAnswer: Sendable {
    public var changes: [FactChangeProposal]
    public var risk: Double?
    public var band: String?
    public var rank: Int?
    /// The answer is minimal: no change to fewer facts reaches the goal, and among changes to
    /// these facts none is smaller. Otherwise it comes from a search that may have missed one.
    public var exact: Bool
    public var method: SearchMethod
    /// The ranked candidates whose risk equals this answer's (at the comparison resolution): the
    /// goal is then met only by the tie-break (coverage, then id), not by a lower risk.
    public var tiedWith: [String] = []
    /// How much the answer's risk could rise and still meet the goal: to the risk of the candidate
    /// that would pass it (rank, above) or to the band's bound (band); nil for a gate, or when
    /// nothing could pass it. Answers under `WhatIfAnswer.thinMargin` are called thin.
    public var margin: Double? = nil

    /// A margin below this many risk points is thin: the goal is met, but a small revision of any
    /// input could undo it.
    public static let thinMargin = 1.0
    /// Whether the goal is met with room to spare (not on a tie-break, not by a thin margin).
    public var clear: Bool { tiedWith.isEmpty && (margin.map { $0 >= Self.thinMargin } ?? true) }
}

/// How an answer was found, and so whether it is exact.
public enum SearchMethod: Sendable, Equatable {
    /// One enum or bool fact: every value tried.
    case everyValueTried
    /// One number: breakpoints and bisection, exact because the rules are piecewise linear in it.
    case bisectionExact
    /// One number: breakpoints and bisection, approximate because the fact enters arithmetic.
    case bisectionApproximate
    /// Two facts: every value of the first tried, the second searched exactly.
    case pairExact(enumerated: String, searched: String)
    /// Two numbers, searched over breakpoints only.
    case pairOfNumbers
    /// Two facts where the search over one was not exact.
    case pairApproximate
}

/// What stands in the way of a goal no change reaches.
public enum Blocker: Sendable, Equatable {
    /// An excluding gate reads only facts the policy marks unchangeable.
    case unchangeableGate(gate: String, facts: [String])
    /// An excluding gate, with its reason.
    case excludingGate(gate: String, reason: String)
    /// `count` changes would reach the goal but break this constraint.
    case constraint(id: String, condition: String, reason: String, count: Int)
    /// No change to up to `maxChanges` changeable facts reaches the goal.
    case noChangeSuffices(maxChanges: Int)
}

/// How far one weight can move, the others as declared, before rank or band changes.
public struct WeightBound: Sendable {
    public var criterion: String
    public var weight: Double
    /// The range of this weight (others unchanged) over which rank and band stay the same;
    /// nil ends mean no change was found down to 1% or up to 10 times the weight.
    public var low: Double?
    public var high: Double?
}

/// Everything a what-if search found.
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
    public var blocked: [Blocker]
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
    /// Changes made on the command line for this run (`--set`, `--weight`, `--policy-set`).
    public var overrides: [AppliedOverride] = []
}
