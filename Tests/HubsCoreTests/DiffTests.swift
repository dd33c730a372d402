import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// The diff analysis: outcome changes split by criterion and fact, policy changes located in
/// both files.
@Suite struct DiffTests {
    static func baseline(_ scenario: String = "scenarios/baseline.yaml", policy: String = "policies/uk-return-hubs.yaml") throws
        -> Assessment
    {
        try Pipeline.assess(policyPath: shipped(policy), scenarioPath: shipped(scenario)).get()
    }

    @Test func outcomeDiffPartsAddUpToEachChange() throws {
        let d = OutcomeDiff.compare(try Self.baseline(), try Self.baseline("scenarios/kosovo-joins-coe.yaml"))
        let kosovo = try #require(d.candidates.first { $0.id == "kosovo" })
        #expect(kosovo.kind == .changed)
        #expect(kosovo.before?.rank == 3 && kosovo.after?.rank == 1)
        let delta = try #require(kosovo.riskDelta)
        #expect(Swift.abs(kosovo.parts.reduce(0) { $0 + $1.delta } - delta) < 1e-9)
        #expect(Set(kosovo.parts.map(\.criterion)) == ["echr"], "one criterion scores the ECHR and Council of Europe status together")
        #expect(Set(kosovo.facts.map(\.fact)) == ["coe_member", "echr_party"])
        #expect(d.differs(on: .rank) && !d.differs(on: .status))
        #expect(d.candidates.filter { $0.kind == .unchanged }.count == 5)
    }

    @Test func policyDiffFindsAWeightChangeWithBothLocations() throws {
        let a = try Pipeline.policy(at: shipped("policies/uk-return-hubs.yaml")).get()
        let dir = TempDir()
        let text = try String(contentsOfFile: shipped("policies/uk-return-hubs.yaml"), encoding: .utf8)
        let changed = text.replacingOccurrences(
            of: "    title: Security and Russian influence\n    weight: 30",
            with: "    title: Security and Russian influence\n    weight: 45")
        #expect(changed != text)
        let b = try Pipeline.policy(at: dir.write("p.yaml", changed)).get()
        let changes = PolicyDiff.compare(a, b)
        let w = try #require(changes.first { $0.kind == .weight })
        #expect(w.subject == "security")
        #expect(w.change == .weight(before: 30, after: 45))
        #expect(DiffRenderer.detail(w) == "weight of 'security': 30 → 45")
        #expect(w.before?.file.hasSuffix("uk-return-hubs.yaml") == true && w.after?.file.hasSuffix("p.yaml") == true)
        #expect(PolicyDiff.compare(a, a).isEmpty)
    }

    @Test func policyDiffFindsAMovedBandThresholdButNotARationaleEdit() throws {
        let a = try Pipeline.policy(at: shipped("policies/uk-return-hubs.yaml")).get()
        let dir = TempDir()
        let text = try String(contentsOfFile: shipped("policies/uk-return-hubs.yaml"), encoding: .utf8)
        let moved = text.replacingOccurrences(of: "  - {name: high, below: 75,", with: "  - {name: high, below: 70,")
        #expect(moved != text)
        let b = try Pipeline.policy(at: dir.write("moved.yaml", moved)).get()
        let band = try #require(PolicyDiff.compare(a, b).first { $0.kind == .band })
        #expect(band.subject == "bands")
        let reworded = text.replacingOccurrences(of: "no group raises serious concern.", with: "nothing serious.")
        #expect(reworded != text)
        let c = try Pipeline.policy(at: dir.write("reworded.yaml", reworded)).get()
        #expect(!PolicyDiff.compare(a, c).contains { $0.kind == .band })
    }
}
