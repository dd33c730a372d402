import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// Scoring, attribution, gates, missing data and ranking on small policies whose answers are
/// computed by hand in the comments.
@Suite struct EvaluateTests {
    static let facts = """
          a: {type: number, range: [0, 100]}
          b: {type: number, range: [0, 100]}
          c: {type: bool}
        """

    static func policy(aggregate: String = "mean", bMissing: String = "worst", gates: String = "") -> String {
        policyYAML(
            facts: facts,
            criteria: """
                  g1:
                    weight: 3
                    aggregate: \(aggregate)
                    criteria:
                      l1: {weight: 1, expr: 'a'}
                      l2: {weight: 3, expr: 'b', missing: \(bMissing)}
                  l3:
                    weight: 1
                    map: {fact: c, risk: {true: 0, false: 100}}
                """, gates: gates)
    }

    static func scenario(_ rows: [(String, String, String, String)]) -> String {
        var s = "scenario: s\ncandidates:\n"
        for (id, a, b, c) in rows { s += "  \(id): {name: \(id.uppercased()), facts: {a: \(a), b: \(b), c: \(c)}}\n" }
        return s
    }

    func result(_ policy: String, _ rows: [(String, String, String, String)], _ id: String = "x") throws -> CandidateResult {
        let a = try assess(policy: policy, scenario: Self.scenario(rows)).get()
        return try #require(a.result(for: id))
    }

    func leaf(_ r: CandidateResult, _ id: String) -> CriterionResult { r.criteria.first { $0.id == id }! }

    func close(_ a: Double?, _ b: Double, _ tol: Double = 1e-9) -> Bool { a.map { abs($0 - b) <= tol } ?? false }

    /// g1 = (1·20 + 3·60)/4 = 50; total = (3·50 + 1·100)/4 = 62.5.
    /// Contributions: l1 = 0.75·0.25·20 = 3.75, l2 = 0.75·0.75·60 = 33.75, l3 = 0.25·100 = 25.
    @Test func meanContributionsAreEffectiveWeightTimesRisk() throws {
        let r = try result(Self.policy(), [("x", "20", "60", "false")])
        #expect(close(r.risk, 62.5))
        #expect(close(leaf(r, "g1").risk, 50))
        #expect(close(leaf(r, "l1").contribution, 3.75))
        #expect(close(leaf(r, "l2").contribution, 33.75))
        #expect(close(leaf(r, "l3").contribution, 25))
        #expect(close(leaf(r, "l2").effectiveWeight, 0.5625))
        #expect(close(leaf(r, "g1").contribution, 37.5))
        #expect(r.coverage == 1)
        #expect(r.band == "high")
    }

    /// b unknown. skip: g1 = 20, total = (60 + 100)/4 = 40, coverage 1 − 0.5625.
    /// assume 40: g1 = (20 + 120)/4 = 35, total = (105 + 100)/4 = 51.25. worst: g1 = 80, total = 85.
    @Test(arguments: [("skip", 40.0), ("{assume: 40}", 51.25), ("worst", 85.0)])
    func missingRules(_ rule: String, _ total: Double) throws {
        let r = try result(Self.policy(bMissing: rule), [("x", "20", "unknown", "false")])
        #expect(close(r.risk, total))
        #expect(close(r.coverage, 0.4375))
        #expect(r.assumptions.count == 1)
        guard case let .missingRule(criterion, facts, _) = r.assumptions.first else {
            Issue.record("no missing rule")
            return
        }
        #expect(criterion == "l2" && facts == [.init(name: "b", state: .unknown)])
        let l2 = leaf(r, "l2")
        #expect(l2.missingRule != nil)
        #expect(l2.skipped == (rule == "skip"))
        let sum = r.criteria.filter(\.isLeaf).reduce(0) { $0 + $1.contribution }
        #expect(close(sum, total))
    }

    /// Geometric over safety: g1 = 100·(1 − 0.8^(1/4)·0.4^(3/4)) = 52.4328…; attribution in
    /// proportion to w·(−ln(1 − r/100)).
    @Test func geometricAggregationAndAttribution() throws {
        let r = try result(Self.policy(aggregate: "geometric"), [("x", "20", "60", "true")])
        let g1 = 100 * (1 - pow(0.8, 0.25) * pow(0.4, 0.75))
        #expect(close(leaf(r, "g1").risk, g1))
        #expect(close(r.risk, 0.75 * g1))
        let l1 = leaf(r, "l1").contribution
        let l2 = leaf(r, "l2").contribution
        #expect(close(l1 + l2, 0.75 * g1))
        #expect(close(l1 / l2, -log(0.8) / (3 * -log(0.4))))
        // A child at risk 100 makes the group 100 and takes it all.
        let severe = try result(Self.policy(aggregate: "geometric"), [("x", "20", "100", "true")])
        #expect(close(leaf(severe, "g1").risk, 100))
        #expect(close(leaf(severe, "l2").contribution, 75))
        #expect(leaf(severe, "l1").contribution == 0)
    }

    @Test func maxAggregationGivesAllToTheWorstChild() throws {
        let r = try result(Self.policy(aggregate: "max"), [("x", "20", "60", "true")])
        #expect(close(leaf(r, "g1").risk, 60))
        #expect(close(leaf(r, "l2").contribution, 45))
        #expect(leaf(r, "l1").contribution == 0)
        #expect(close(r.risk, 45))
    }

    @Test func gatesExcludeAndExplain() throws {
        let gates = """
              no_c:
                exclude_if: not c
                reason: c must hold
                missing: exclude
            """
        let a = try assess(
            policy: Self.policy(gates: gates),
            scenario: Self.scenario([
                ("x", "20", "60", "false"), ("y", "90", "90", "true"), ("z", "10", "10", "unknown"),
            ])
        ).get()
        #expect(a.results.map(\.id) == ["y", "z", "x"])  // z: (3·10 + 100)/4 = 32.5 < x: 62.5
        let x = try #require(a.result(for: "x"))
        #expect(x.status == .excluded)
        #expect(x.rank == nil)
        #expect(close(x.risk, 62.5))
        #expect(x.excludingGates.map(\.id) == ["no_c"])
        #expect(x.gates[0].reads.first?.value == "false")
        let z = try #require(a.result(for: "z"))
        #expect(z.status == .excluded)
        #expect(z.gates[0].outcome == .undecided)
        #expect(z.assumptions.contains(.undecidedGate(gate: "no_c", facts: [.init(name: "c", state: .unknown)], treatedAsExcluding: true)))
        #expect(a.result(for: "y")?.rank == 1)
    }

    @Test func undecidedGatePassesByDefaultButIsFlagged() throws {
        let gates = "  no_c:\n    exclude_if: not c\n    reason: c must hold\n"
        let a = try assess(policy: Self.policy(gates: gates), scenario: Self.scenario([("x", "20", "60", "unknown")])).get()
        let x = try #require(a.result(for: "x"))
        #expect(x.status == .ranked)
        #expect(x.assumptions.contains(.undecidedGate(gate: "no_c", facts: [.init(name: "c", state: .unknown)], treatedAsExcluding: false)))
    }

    /// Equal risk: a shared rank, listed by id; a candidate below the minimum coverage (c: 44%) is
    /// not ranked but listed after; output order is the same every run.
    @Test func rankingTiesAreDeterministic() throws {
        let p = Self.policy(bMissing: "{assume: 60}")
        let rows = [("d", "20", "60", "false"), ("b", "20", "60", "false"), ("c", "20", "unknown", "false"), ("a", "0", "0", "true")]
        let first = try assess(policy: p, scenario: Self.scenario(rows)).get()
        #expect(first.results.map(\.id) == ["a", "b", "d", "c"])
        #expect(first.results.map(\.rank) == [1, 2, 2, nil])
        #expect(first.result(for: "c")?.status == .insufficientEvidence)
        let again = try assess(policy: p, scenario: Self.scenario(rows.reversed())).get()
        #expect(again.results.map(\.id) == first.results.map(\.id))
    }

    @Test func everythingSkippedIsNotAssessable() throws {
        let p = policyYAML(facts: "  a: {type: number}\n", criteria: "  only: {expr: 'a', missing: skip}\n")
        let a = try assess(policy: p, scenario: "scenario: s\ncandidates: {x: {name: X, facts: {a: unknown}}}\n").get()
        #expect(a.results[0].status == .notAssessable)
        #expect(a.results[0].risk == nil)
        #expect(a.results[0].band == nil)
    }

    @Test func runtimeFaultStopsScoringWithALocatedError() {
        let p = policyYAML(facts: "  a: {type: number}\n", criteria: "  only: {expr: '100 / a'}\n")
        let d = diagnostics(assess(policy: p, scenario: "scenario: s\ncandidates: {x: {name: X, facts: {a: 0}}}\n"))
        #expect(d.first?.message.contains("division by zero") == true)
        #expect(d.first?.location?.line != nil)
    }

    @Test func casesRecordWhichCaseFired() throws {
        let p = policyYAML(
            facts: "  a: {type: number}\n",
            criteria: """
                  only:
                    cases:
                      - {when: 'a > 50', risk: 90, label: above half}
                      - {when: 'a > 10', risk: 40, label: above a tenth}
                    else: {risk: 5, label: small}
                """)
        let a = try assess(policy: p, scenario: "scenario: s\ncandidates:\n  x: {name: X, facts: {a: 30}}\n  y: {name: Y, facts: {a: 1}}\n")
            .get()
        #expect(a.result(for: "x")?.criteria[0].firedLabel == "above a tenth")
        #expect(a.result(for: "x")?.risk == 40)
        #expect(a.result(for: "y")?.criteria[0].firedLabel == "small")
        #expect(a.result(for: "y")?.criteria[0].firedCase == 2)
    }

    @Test func scaleWorksInBothDirectionsAndOnLogs() throws {
        let p = policyYAML(
            facts: "  a: {type: number}\n",
            criteria: """
                  up: {scale: {of: a, best: 70, worst: 20}}
                  logged: {scale: {of: a, best: 1000, worst: 10, transform: log10}}
                """)
        let a = try assess(
            policy: p, scenario: "scenario: s\ncandidates:\n  x: {name: X, facts: {a: 100}}\n  y: {name: Y, facts: {a: 45}}\n"
        ).get()
        let x = try #require(a.result(for: "x"))
        let y = try #require(a.result(for: "y"))
        #expect(x.criteria[0].risk == 0)  // beyond best: clamped to 0
        #expect(close(y.criteria[0].risk, 50))  // halfway between 70 and 20
        #expect(close(x.criteria[1].risk, 50))  // log10(100) is halfway between 3 and 1
    }

    @Test func fastPathMatchesTracedPath() throws {
        let p = try compile(Synthetic.policy(groups: 5, leavesPerGroup: 8, gates: 3, seed: 7, aggregations: [.mean, .geometric, .max]))
        let rows = Synthetic.rows(for: p, count: 300, unknownShare: 0.1, seed: 11)
        let ev = Evaluator(p)
        for c in 0..<300 {
            let row = Array(rows[(c * p.slotCount)..<((c + 1) * p.slotCount)])
            let fast = ev.score(row)
            let traced = row.withUnsafeBufferPointer { ev.trace($0.baseAddress!).0 }
            #expect(fast.risk.bitPattern == traced.risk.bitPattern)
            #expect(fast.excluded == traced.excluded)
            #expect(fast.coverage == traced.coverage)
        }
    }

    func batchOutcomes(_ p: CompiledPolicy, _ rows: [Double], count: Int, weights: [Double]? = nil) -> [Outcome] {
        let ev = Evaluator(p)
        var out = [Outcome](repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: count)
        rows.withUnsafeBufferPointer { r in
            out.withUnsafeMutableBufferPointer { o in
                if let weights {
                    weights.withUnsafeBufferPointer { w in
                        ev.scoreBatch(r.baseAddress!, count: count, weights: w.baseAddress!, into: o.baseAddress!)
                    }
                } else {
                    ev.scoreBatch(r.baseAddress!, count: count, into: o.baseAddress!)
                }
            }
        }
        return out
    }

    /// Batch scoring gives the very bits of one-by-one scoring, on any policy and any batch size.
    @Test(arguments: [1, 63, 64, 65, 300])
    func batchMatchesScalarBitForBit(count: Int) throws {
        for seed in [UInt64(3), 5, 8] {
            let p = try compile(
                Synthetic.policy(groups: 5, leavesPerGroup: 8, gates: 3, seed: seed, aggregations: [.mean, .geometric, .max]))
            let rows = Synthetic.rows(for: p, count: count, unknownShare: 0.15, seed: seed)
            let ev = Evaluator(p)
            let batch = batchOutcomes(p, rows, count: count)
            var w = p.nominalWeights
            for i in w.indices { w[i] *= 1 + Double(i % 3) / 10 }
            let batchW = batchOutcomes(p, rows, count: count, weights: w)
            for c in 0..<count {
                let row = Array(rows[(c * p.slotCount)..<((c + 1) * p.slotCount)])
                let one = ev.score(row)
                #expect(batch[c].risk.bitPattern == one.risk.bitPattern, "seed \(seed) candidate \(c)")
                #expect(batch[c].excluded == one.excluded)
                #expect(batch[c].coverage.bitPattern == one.coverage.bitPattern)
                #expect(batchW[c].risk.bitPattern == ev.score(row, weights: w).risk.bitPattern)
            }
        }
    }

    /// A division guarded by `if` may divide by zero in the batch (both branches are computed);
    /// that lane is scored again one by one, so guards behave exactly as written.
    @Test func batchHonoursGuardsAndReportsRealFaults() throws {
        let p = try compile(
            policyYAML(
                facts: "  a: {type: number}\n  b: {type: number}\n",
                criteria: """
                      guarded: {expr: 'if a == 0 then 50 else clamp(100 / a, 0, 100)'}
                      unguarded: {expr: 'clamp(b / a, 0, 100)'}
                    """))
        let rows: [Double] = [0, 1, 4, 8, 0, 0]  // (a, b) = (0, 1), (4, 8), (0, 0)
        let out = batchOutcomes(p, rows, count: 3)
        let ev = Evaluator(p)
        for c in 0..<3 {
            let one = ev.score(Array(rows[(2 * c)..<(2 * c + 2)]))
            #expect(out[c].faults == one.faults)
            #expect(out[c].risk.bitPattern == one.risk.bitPattern)
        }
        #expect(out[0].faults == 1)  // b / a with a = 0: a real fault
        #expect(out[1].faults == 0)
    }

    /// Perturbed weights (as sensitivity analysis will pass) change the result without recompiling.
    @Test func weightsCanBePassedAtEvaluation() throws {
        let p = try compile(Self.policy())
        let ev = Evaluator(p)
        let row: [Double] = [20, 60, 0]
        #expect(ev.score(row).risk == 62.5)
        var w = p.nominalWeights
        // Edges: g1's children (l1, l2), then the root's (g1, l3). Make l3 as heavy as g1.
        let l3Edge = p.edgeCriterion.firstIndex { p.criteria[$0].id == "l3" }!
        w[l3Edge] = 3
        #expect(ev.score(row, weights: w).risk == 75)
    }
}

/// The cases docs/language.md decides ("Edge cases, decided"), one test each, so the rule and its
/// documentation cannot drift apart.
@Suite struct DocumentedCasesTests {
    static let threeLeaves = policyYAML(
        facts: "  a: {type: number}\n  b: {type: number}\n  c: {type: number}",
        criteria: "  ka: {weight: 1, expr: 'a', missing: skip}\n  kb: {weight: 1, expr: 'b', missing: skip}\n"
            + "  kc: {weight: 1, expr: 'c', missing: skip}",
        extra: "min_coverage: 66.66666666666667")

    /// Coverage equal to the minimum is enough, even where floating point puts the sum of the
    /// shares a hair below it: two of three equal weights are 0.6666666666666666, the minimum
    /// 0.6666666666666667; coverage is compared with a tolerance of 1e-12.
    @Test func coverageAtTheMinimumIsEnough() throws {
        let a = try assess(
            policy: Self.threeLeaves, scenario: "scenario: s\ncandidates:\n  x: {name: X, facts: {a: 10, b: 20, c: unknown}}\n"
        ).get()
        let x = try #require(a.result(for: "x"))
        #expect(x.coverage < a.policy.minimumCoverage, "the shares add up to a hair below the minimum")
        #expect(x.status == .ranked && x.rank == 1)
    }

    /// A risk a rounding error below a band bound is in the band from that bound: bands compare
    /// the risk rounded to the 1e-9 grid.
    @Test func aRiskOnTheGridBelowABoundIsInTheBandFromIt() throws {
        let p = policyYAML(facts: "  x: {type: number}", criteria: "  only: {weight: 1, expr: 'x'}")
        let a = try assess(policy: p, scenario: "scenario: s\ncandidates:\n  x: {name: X, facts: {x: 24.999999999999996}}\n").get()
        let x = try #require(a.result(for: "x"))
        #expect(x.risk! < 25 && x.band == "moderate")
        let b = try assess(policy: p, scenario: "scenario: s\ncandidates:\n  x: {name: X, facts: {x: 24.99999999}}\n").get()
        #expect(b.result(for: "x")?.band == "low", "a risk off the grid stays below the bound")
    }

    /// Two leaves that add the same to the risk: the one declared first is the first driver; a
    /// leaf that adds nothing is never a driver.
    @Test func driversTiedOnContributionFollowTheFileOrder() throws {
        let a = try assess(
            policy: Self.threeLeaves, scenario: "scenario: s\ncandidates:\n  x: {name: X, facts: {a: 0, b: 30, c: 30}}\n"
        ).get()
        let x = try #require(a.result(for: "x"))
        #expect(x.drivers().map(\.id) == ["kb", "kc"])
        let swapped = Self.threeLeaves.replacingOccurrences(of: "  kb:", with: "  kz:")
        let b = try assess(policy: swapped, scenario: "scenario: s\ncandidates:\n  x: {name: X, facts: {a: 0, b: 30, c: 30}}\n").get()
        #expect(b.result(for: "x")?.drivers().map(\.id) == ["kz", "kc"], "file order, not alphabetical order")
    }

    /// A candidate a gate excludes is excluded, whatever its coverage: exclusion is said first,
    /// then "not assessable", then "insufficient evidence".
    @Test func anExcludedCandidateBelowTheMinimumCoverageIsExcluded() throws {
        let gates = "  must_a:\n    exclude_if: a > 50\n    reason: a too high\n"
        let p = policyYAML(
            facts: "  a: {type: number}\n  b: {type: number}\n  c: {type: number}",
            criteria: "  ka: {weight: 1, expr: 'a', missing: skip}\n  kb: {weight: 1, expr: 'b', missing: skip}\n"
                + "  kc: {weight: 1, expr: 'c', missing: skip}",
            gates: gates)
        let a = try assess(
            policy: p, scenario: "scenario: s\ncandidates:\n  x: {name: X, facts: {a: 90, b: unknown, c: unknown}}\n"
        ).get()
        let x = try #require(a.result(for: "x"))
        #expect(x.coverage < 0.5)
        #expect(x.status == .excluded && x.rank == nil)
    }
}
