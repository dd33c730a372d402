import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// Properties that must hold on any policy, checked on seeded random ones.
@Suite struct PropertyTests {
    func assessSynthetic(seed: UInt64, aggregations: [Aggregation], candidates: Int) throws -> Assessment {
        var rng = SplitMix64(seed: seed)
        let groups = Int.random(in: 1...4, using: &rng)
        let leaves = Int.random(in: 1...6, using: &rng)
        let yaml = Synthetic.policy(
            groups: groups, leavesPerGroup: leaves, gates: Int.random(in: 0...2, using: &rng),
            seed: seed, aggregations: aggregations)
        let p = try compile(yaml)
        let rows = Synthetic.rows(for: p, count: candidates, unknownShare: 0.15, seed: seed &+ 1)
        let dir = TempDir()
        let path = dir.write("s.yaml", Synthetic.scenario(for: p, rows: rows, count: candidates))
        let s = try withExtendedLifetime(dir) { try ScenarioLoader().load(path: path).get() }
        return try Pipeline.assess(policy: p, scenario: s).get()
    }

    /// Scenarios of 128 candidates or more are assessed in chunks side by side: each result is the
    /// one the candidate gets when assessed alone.
    @Test func chunkedAssessmentEqualsOneByOne() throws {
        let a = try assessSynthetic(seed: 77, aggregations: [.mean, .geometric, .max], candidates: 300)
        #expect(a.results.count == 300)
        let ev = Evaluator(a.policy)
        for r in a.results {
            let c = try #require(a.table.scenario.candidates.firstIndex { $0.id == r.id })
            let alone = ev.score(Array(a.table.row(c)))
            #expect(r.risk?.bitPattern == (alone.risk.isNaN ? nil : alone.risk.bitPattern), "\(r.id)")
            #expect(r.coverage == alone.coverage)
            #expect((r.status == .excluded) == alone.excluded)
        }
        #expect(a.results.map(\.position) == Array(1...300))
    }

    @Test(arguments: 1...40)
    func meanContributionsAddUpToTheTotal(seed: Int) throws {
        let a = try assessSynthetic(seed: UInt64(seed), aggregations: [.mean], candidates: 12)
        for r in a.results {
            guard let total = r.risk else { continue }
            let leaves = r.criteria.filter(\.isLeaf)
            let sum = leaves.reduce(0) { $0 + $1.contribution }
            #expect(abs(sum - total) <= 1e-9, "seed \(seed) \(r.id): \(sum) vs \(total)")
            for l in leaves {
                #expect(abs(l.contribution - l.effectiveWeight * (l.risk ?? 0)) <= 1e-9)
            }
            // Effective weights of the leaves that counted add up to 1.
            let ew = leaves.filter { !$0.skipped }.reduce(0) { $0 + $1.effectiveWeight }
            #expect(abs(ew - 1) <= 1e-9)
        }
    }

    @Test(arguments: 1...25)
    func anyAggregationAttributesExactlyTheTotal(seed: Int) throws {
        let a = try assessSynthetic(seed: UInt64(1000 + seed), aggregations: [.geometric, .max, .mean], candidates: 10)
        for r in a.results {
            guard let total = r.risk else { continue }
            let sum = r.criteria.filter(\.isLeaf).reduce(0) { $0 + $1.contribution }
            #expect(abs(sum - total) <= 1e-9, "seed \(seed) \(r.id): \(sum) vs \(total)")
            #expect(r.criteria.allSatisfy { $0.contribution >= 0 })
            #expect((0...100).contains(total))
        }
    }

    @Test func outputIsIdenticalAcrossRuns() throws {
        let one = AssessmentJSON.document(
            try Pipeline.assess(
                policyPath: shipped("policies/uk-return-hubs.yaml"),
                scenarioPath: shipped("scenarios/baseline.yaml")
            ).get()
        ).serialized()
        let two = AssessmentJSON.document(
            try Pipeline.assess(
                policyPath: shipped("policies/uk-return-hubs.yaml"),
                scenarioPath: shipped("scenarios/baseline.yaml")
            ).get()
        ).serialized()
        #expect(one == two)
    }
}
