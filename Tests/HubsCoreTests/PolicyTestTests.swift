import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// The policy-test runner: the shipped pins pass, and a failed expectation carries its problems.
@Suite struct PolicyTestTests {
    @Test func theShippedPolicyTestsPassWithCoverage() throws {
        let report = try TestRunner.run([shipped("policy-tests/uk-return-hubs.yaml"), shipped("policy-tests/security-first.yaml")]).get()
        #expect(report.failed == 0)
        #expect(report.passed == 10, "the pins live in their own files")
        #expect(report.coverage.count == 2)
        #expect(report.coverage.allSatisfy { $0.percent > 80 })
    }

    @Test func aFailedExpectationCarriesItsProblemsAndResults() throws {
        let dir = TempDir()
        let t = dir.write(
            "t.yaml",
            "policy: p.yaml\nscenario: s.yaml\ntests:\n  - name: wrong\n    expect: [{candidate: a, rank: 2, band: severe}]\n")
        dir.write("p.yaml", "policy: p\nfacts:\n  x: {type: number}\ncriteria:\n  only: {expr: 'x'}\n")
        dir.write("s.yaml", "scenario: s\ncandidates:\n  a: {name: A, facts: {x: 10}}\n")
        let report = try TestRunner.run([t]).get()
        let failure = try #require(report.results.first?.failures.first)
        #expect(failure.candidate?.id == "a")
        #expect(failure.problems.count == 2)
        guard case .rank(2) = failure.problems[1] else {
            Issue.record("expected a rank problem: \(failure.problems)")
            return
        }
        let words = TestRenderer.wording(failure)
        #expect(words.expected == "a band severe; a rank 2")
        #expect(words.actual == "band low; ranked 1 (risk 10.00)")
    }
}
