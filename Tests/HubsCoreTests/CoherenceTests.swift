import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// Criteria that count twice: known answers for the statistics, and the findings.
@Suite struct CoherenceTests {
    @Test func pearsonAndCronbachKnownAnswers() throws {
        let x: [Double?] = [1, 2, 3, 4, 5]
        #expect(Coherence.pearson(x, [2, 4, 6, 8, 10]) == 1)
        #expect(Coherence.pearson(x, [5, 4, 3, 2, 1]) == -1)
        #expect(Coherence.pearson(x, [1, 2, nil, 4, 5]) == nil, "four pairs are fewer than five")
        #expect(Coherence.pearson(x, [3, 3, 3, 3, 3]) == nil, "a constant risk has no correlation")
        // Two identical items: alpha = 2/1 × (1 − 2v / 4v) = 1.
        let (same, n) = Coherence.cronbach([x, x])
        #expect(n == 5)
        #expect(abs((same ?? 0) - 1) < 1e-12)
        // Items 1..5 and 5..1: the sum is constant, so alpha is not computed.
        #expect(Coherence.cronbach([x, [5, 4, 3, 2, 1]]).0 == nil)
        // A worked example: items (1,2,3,4,5), (2,2,4,4,5): var 2.5 and 1.8; sums (3,4,7,8,10), var 8.3.
        let (worked, _) = Coherence.cronbach([x, [2, 2, 4, 4, 5]])
        #expect(abs((worked ?? 0) - 2 * (1 - 4.3 / 8.3)) < 1e-12)
    }

    @Test func linkedFactsInTwoCriteriaAreOneStatusCountedTwice() throws {
        let old = try Pipeline.assess(
            policyPath: shipped("Tests/hubsTests/golden/before-unknowns/uk-return-hubs-1.1.yaml"),
            scenarioPath: shipped("scenarios/baseline.yaml")
        ).get()
        let found = Coherence.findings(old)
        let pair = try #require(found.first { $0.message.contains("'echr' and 'coe'") })
        #expect(pair.code == .doubleCounted)
        #expect(pair.message.contains("constraint 'echr_needs_coe'"))
        #expect(pair.message.contains("together they carry 15% of the weight"))
        // The shipped policy scores the status once.
        let now = try Pipeline.assess(policyPath: shipped("policies/uk-return-hubs.yaml"), scenarioPath: shipped("scenarios/baseline.yaml"))
            .get()
        #expect(Coherence.findings(now).isEmpty, "\(Coherence.findings(now))")
        let report = Coherence.report(now)
        #expect(report.alphas.map(\.group) == ["legal", "security", "governance"])
        #expect(report.alphas.allSatisfy { $0.alpha != nil })
    }

    @Test func risksThatMoveInStepAreWarnedAbout() throws {
        let policy = policyYAML(
            facts: "  a: {type: number, range: [0, 10]}\n  b: {type: number, range: [0, 10]}",
            criteria: """
                  x: {weight: 1, rationale: r, scale: {of: a, best: 0, worst: 10}}
                  y: {weight: 3, rationale: r, scale: {of: b, best: 10, worst: 0}}
                """)
        var scenario = "scenario: s\ncandidates:\n"
        for (k, v) in [1, 3, 4, 6, 9].enumerated() { scenario += "  c\(k): {name: C\(k), facts: {a: \(v), b: \(10 - v)}}\n" }
        let a = try assess(policy: policy, scenario: scenario).get()
        let found = Coherence.findings(a)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("criteria 'x' and 'y' move together") == true, "\(found)")
        #expect(found.first?.message.contains("(correlation 1.00): together they carry 100% of the weight") == true)
    }
}
