import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// Known answers for `hubs whatif`.
@Suite struct WhatIfTests {
    static let policy = policyYAML(
        facts: """
              e: {type: enum, values: [a, b, c]}
              x: {type: number, range: [0, 100]}
              fixed: {type: bool, changeable: false}
            """,
        criteria: """
              kind: {weight: 1, map: {fact: e, risk: {a: 100, b: 50, c: 0}}}
              level: {weight: 1, scale: {of: x, best: 0, worst: 100}}
            """,
        gates: """
              stuck:
                exclude_if: fixed
                reason: a fact nobody can change
            """)

    func run(_ facts: String, _ goal: WhatIfGoal, id: String = "t", extra: String = "") throws -> WhatIfResult {
        let a = try assess(policy: Self.policy, scenario: "scenario: s\ncandidates:\n  t: {name: T, facts: {\(facts)}}\n\(extra)").get()
        let table = a.table
        return try WhatIfSearch.run(a, table: table, candidate: id, goal: goal).get()
    }

    /// e = b, x = 100: risk (50 + 100)/2 = 75. For band moderate (< 50): e → c gives 50 (not
    /// enough); x must drop below 50, so the exact answer is x just under 50.
    @Test func singleNumericChangeIsExact() throws {
        let r = try run("e: b, x: 100, fixed: false", .band("moderate"))
        let first = try #require(r.answers.first)
        #expect(first.changes.count == 1)
        #expect(first.changes[0].fact == "x")
        #expect(abs(first.changes[0].value - 50) < 1e-6)
        #expect(first.changes[0].value < 50)
        #expect(first.exact)
        #expect(first.band == "moderate")
    }

    /// e = a, x = 100: risk 100. For band low (< 25) no single change works (best: 50); with e → c,
    /// x must go below 50: the minimal pair.
    @Test func minimalPairIsExact() throws {
        let r = try run("e: a, x: 100, fixed: false", .band("low"))
        let first = try #require(r.answers.first)
        #expect(first.changes.map(\.fact).sorted() == ["e", "x"])
        let x = try #require(first.changes.first { $0.fact == "x" })
        #expect(abs(x.value - 50) < 1e-6 && x.value < 50)
        #expect(first.changes.first { $0.fact == "e" }?.to == "c")
        #expect(first.exact)
    }

    @Test func goalAlreadyMet() throws {
        let r = try run("e: c, x: 0, fixed: false", .band("low"))
        #expect(r.alreadyMet)
        #expect(r.answers.isEmpty)
    }

    /// The gate reads only a fact the policy marks unchangeable: unreachable, and says why.
    @Test func unreachableGoalNamesTheBlockingGateAndFact() throws {
        let r = try run("e: c, x: 0, fixed: true", .pass("stuck"))
        #expect(!r.alreadyMet)
        #expect(r.answers.isEmpty)
        #expect(r.blocked.first == .unchangeableGate(gate: "stuck", facts: ["fixed"]))
        #expect(!r.changeable.contains("fixed"))
    }

    @Test func rankAndAboveGoals() throws {
        let extra = "  u: {name: U, facts: {e: b, x: 10, fixed: false}}\n"
        // t: (50 + 30)/2 = 40; u: (50 + 10)/2 = 30. For t to rank first it needs risk below 30.
        let r = try run("e: b, x: 30, fixed: false", .rank(1), extra: extra)
        let first = try #require(r.answers.first)
        #expect(first.rank == 1)
        let above = try run("e: b, x: 30, fixed: false", .above("u"), extra: extra)
        #expect(above.answers.first?.rank == 1)
    }

    /// t's x = 30, u's x = 10 (risks 40 and 30): the rank goal is met exactly where t's risk
    /// equals u's, so the answer is level with u and wins only on the tie-break, and says so.
    @Test func anAnswerThatWinsOnlyOnTheTieBreakSaysSo() throws {
        let extra = "  u: {name: U, facts: {e: b, x: 10, fixed: false}}\n"
        let r = try run("e: b, x: 30, fixed: false", .rank(1), extra: extra)
        let x = try #require(r.answers.first { $0.changes.map(\.fact) == ["x"] })
        #expect(abs(x.changes[0].value - 10) < 1e-6, "on the 1e-9 comparison grid of u's risk")
        #expect(x.tiedWith == ["u"])
        #expect(WhatIfRenderer.text(r).contains("level on risk with u: ahead only by the tie-break"))
        #expect(r.goal.description == "rank 1")
    }

    /// With `step: 1` (an index published in whole points) a numeric answer lands on the grid,
    /// moved away from the current value so the goal is still met: x just under 50 becomes 49.
    @Test func aNumericAnswerRespectsTheFactsStep() throws {
        let stepped = Self.policy.replacingOccurrences(
            of: "x: {type: number, range: [0, 100]}", with: "x: {type: number, range: [0, 100], step: 1}")
        #expect(stepped != Self.policy)
        let a = try assess(policy: stepped, scenario: "scenario: s\ncandidates:\n  t: {name: T, facts: {e: b, x: 100, fixed: false}}\n")
            .get()
        let r = try WhatIfSearch.run(a, table: a.table, candidate: "t", goal: .band("moderate")).get()
        let first = try #require(r.answers.first)
        #expect(first.changes.map(\.value) == [49])
        #expect(first.band == "moderate")
        // A step of 0 or a word is refused where it is written.
        for bad in ["0", "-1", "two"] {
            let p = Self.policy.replacingOccurrences(
                of: "x: {type: number, range: [0, 100]}", with: "x: {type: number, range: [0, 100], step: \(bad)}")
            let e = diagnostics(assess(policy: p, scenario: "scenario: s\ncandidates:\n  t: {name: T, facts: {x: 1}}\n"))
            #expect(e.contains { $0.message.contains("step must be a positive number") }, "\(bad): \(e.map(\.message))")
        }
    }

    /// One candidate with leaf risks 20 and 60 at weights 1 and 1: risk (20·w + 60)/(w + 1) leaves
    /// the moderate band at w = 1/3 (risk 50) and w = 7 (risk 25).
    @Test func weightStabilityBoundsMatchTheAlgebra() throws {
        let p = policyYAML(
            facts: "  x: {type: number}\n  y: {type: number}\n",
            criteria: """
                  first: {weight: 1, scale: {of: x, best: 0, worst: 100}}
                  second: {weight: 1, scale: {of: y, best: 0, worst: 100}}
                """)
        let a = try assess(policy: p, scenario: "scenario: s\ncandidates:\n  t: {name: T, facts: {x: 20, y: 60}}\n").get()
        let table = a.table
        let r = try WhatIfSearch.run(a, table: table, candidate: "t", goal: .band("low")).get()
        let b = try #require(r.weightBounds.first { $0.criterion == "first" })
        #expect(abs((b.low ?? 0) - 1.0 / 3) < 1e-6)
        #expect(abs((b.high ?? 0) - 7) < 1e-6)
    }

    @Test func badGoalsAreRefused() throws {
        let a = try assess(policy: Self.policy, scenario: "scenario: s\ncandidates:\n  t: {name: T, facts: {e: a, x: 1, fixed: false}}\n")
            .get()
        let table = a.table
        #expect(diagnostics(WhatIfSearch.run(a, table: table, candidate: "t", goal: .band("lowest"))).first?.hint == "did you mean 'low'?")
        #expect(diagnostics(WhatIfSearch.run(a, table: table, candidate: "tt", goal: .band("low"))).first?.hint == "did you mean 't'?")
        #expect(diagnostics(WhatIfSearch.run(a, table: table, candidate: "t", goal: .pass("stuk"))).first?.hint == "did you mean 'stuck'?")
    }
}
