/// A range of numbers, either end open: `{min: 40, max: 50}` or a bare number (exactly that).
public struct NumberRange: Sendable, Equatable, CustomStringConvertible {
    public var min: Double?
    public var max: Double?
    /// Whether `v` is in the range (1e-9 of slack at each end).
    public func contains(_ v: Double) -> Bool {
        (min.map { v >= $0 - 1e-9 } ?? true) && (max.map { v <= $0 + 1e-9 } ?? true)
    }
    public var description: String {
        switch (min, max) {
        case let (a?, b?) where a == b: Format.number(a)
        case let (a?, b?): "between \(Format.number(a)) and \(Format.number(b))"
        case let (a?, nil): "at least \(Format.number(a))"
        case let (nil, b?): "at most \(Format.number(b))"
        default: "any"
        }
    }
}

/// What must hold of one candidate (or of every candidate a `where` selects).
public struct CandidateExpectation: Sendable {
    public var status: CandidateStatus?
    public var gate: String?
    public var band: String?
    public var bandNot: [String] = []
    public var risk: NumberRange?
    public var rank: Int?
    public var rankAtMost: Int?
    public var coverageAtLeast: Double?
    /// When set, `risk` and `skipped` apply to this criterion instead of the total.
    public var criterion: String?
    /// The criterion was (or was not) left out for missing data.
    public var skipped: Bool?
    /// The candidate's rank, band and status hold (or do not) whatever its missing facts turn out
    /// to be (`AssumptionSpread.robust`).
    public var robustToAssumptions: Bool?
}

/// One line under `expect:`: what it is about, and what must hold.
public struct Expectation: Sendable {
    /// Which candidates an expectation is about.
    public enum Subject: Sendable {
        case candidate(String, SourceLocation)
        /// Every candidate for which the expression over its facts is true.
        case each(ExpressionSource)
        /// Each candidate ranks above the next (comes earlier in the output).
        case order([(String, SourceLocation)])
    }
    public var subject: Subject
    public var expect: CandidateExpectation
    public var location: SourceLocation
}

/// The scenario a test runs on: a file, or a scenario written inline.
public enum TestScenario: Sendable {
    case file(String)
    case inline(YAML, SourceFile, String)
}

/// One test: a name, the scenario it runs on, and its expectations.
public struct PolicyTestCase: Sendable {
    public var name: String
    public var scenario: TestScenario
    public var expectations: [Expectation]
    public var location: SourceLocation
}

/// An expectation file: the policy it tests and its tests.
public struct PolicyTestFile: Sendable {
    public var path: String
    public var policy: String
    public var cases: [PolicyTestCase]
}
