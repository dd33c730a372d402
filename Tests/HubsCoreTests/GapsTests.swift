import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// The gaps analysis over the library: each missing fact of a candidate, tried at each value,
/// with what it would do to the ranking.
@Suite struct GapsTests {
    static let policy = policyYAML(
        facts: """
              stance: {type: enum, values: [agreed, open, refused]}
              cpi: {type: number, range: [0, 100]}
            """,
        criteria: """
              willing: {weight: 1, map: {fact: stance, risk: {agreed: 0, open: 50, refused: 100}}, missing: {assume: 50}}
              graft: {weight: 1, scale: {of: cpi, best: 100, worst: 0}, missing: skip}
            """)

    @Test func everyValueOfAnUnknownEnumIsTriedAndFirstPlaceCanChange() throws {
        let scenario = """
            scenario: s
            candidates:
              a: {name: A, facts: {stance: unknown, cpi: 60}}
              b: {name: B, facts: {stance: open, cpi: 55}}
            """
        let a = try assess(policy: Self.policy, scenario: scenario).get()
        let gaps = GapsAnalysis.run(a, top: 1)
        let entry = try #require(gaps.entries.first { $0.candidate == "a" && $0.facts == ["stance"] })
        #expect(entry.outcomes.map { $0.values } == [["agreed"], ["open"], ["refused"]])
        // As it stands A: (50 + 40)/2 = 45, B: (50 + 45)/2 = 47.5, so A is first; refused makes A 70.
        #expect(entry.nominalRank == 1)
        #expect(entry.outcomes.first { $0.values == ["refused"] }?.changesFirstPlace == true)
        #expect(entry.outcomes.first { $0.values == ["agreed"] }?.changesFirstPlace == false)
        #expect(entry.couldChangeFirstPlace && entry.rankLow == 1 && entry.rankHigh == 2)
        #expect(!gaps.entries.contains { $0.candidate == "b" }, "B has no missing fact")
    }
}
