import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// Unknown facts as uncertain inputs: which are drawn, over what, with a prior, and what the
/// shipped assessment's figures become.
@Suite struct UnknownsTests {
    /// One bool and one enum fact behind assumptions, one number read by a scale, one fact the
    /// policy handles with `known()` (no assumption, so never drawn).
    static let policy = policyYAML(
        facts: """
              flag: {type: bool}
              stance: {type: enum, values: [yes, talks, no], prior: {probabilities: {yes: 0.2, talks: 0.3, no: 0.5}, rationale: r}}
              grants: {type: number, range: [0, ~]}
              ruling: {type: bool}
            """,
        criteria: """
              a: {weight: 1, map: {fact: flag, risk: {true: 0, false: 100}}, missing: {assume: 50, rationale: r}}
              b: {weight: 1, map: {fact: stance, risk: {yes: 0, talks: 40, no: 100}}, missing: {assume: 60, rationale: r}}
              c:
                weight: 1
                cases:
                  - {when: grants >= 100, risk: 30, label: many}
                  - {when: grants >= 50, risk: 50, label: some}
                else: {risk: 70, label: few}
                missing: worst
              d:
                weight: 1
                cases:
                  - {when: known(ruling) and ruling, risk: 100, label: ruled}
                else: {risk: 0, label: none}
            """)
    static let scenario = """
        scenario: s
        candidates:
          one: {name: One, facts: {flag: unknown, stance: unknown}}
          two: {name: Two, facts: {flag: true, stance: talks, grants: 120}}
        """

    func assessment() throws -> Assessment {
        try assess(policy: Self.policy, scenario: Self.scenario).get()
    }

    @Test func theFactsAnAssumptionRestsOnAreDrawnAndNoOthers() throws {
        let a = try assessment()
        let (inputs, held) = SensitivityAnalysis.unknownInputs(a.policy, a.table, assumed: SensitivityAnalysis.assumedFacts(a))
        #expect(inputs.map(\.name) == ["flag of one (unknown)", "stance of one (unknown)", "grants of one (not given)"])
        #expect(inputs.allSatisfy { $0.family == .unknown })
        #expect(held.isEmpty)
        // ruling is read only through known(ruling): the policy decided what unknown means.
        #expect(!inputs.contains { $0.name.hasPrefix("ruling") })
    }

    @Test func domainsAreBothBooleansEveryValueAPriorOrARangeWithOneSpanBeyondTheLastThreshold() throws {
        let a = try assessment()
        let (inputs, _) = SensitivityAnalysis.unknownInputs(a.policy, a.table, assumed: SensitivityAnalysis.assumedFacts(a))
        guard inputs.count == 3 else {
            Issue.record("expected three inputs")
            return
        }
        guard case let .fact(_, _, flag) = inputs[0].kind, case let .choices(v) = flag else {
            Issue.record("flag: \(inputs[0].kind)")
            return
        }
        #expect(v == [0, 1])
        guard case let .fact(_, _, stance) = inputs[1].kind, case let .weighted(p) = stance else {
            Issue.record("stance: \(inputs[1].kind)")
            return
        }
        #expect(p == [0.2, 0.3, 0.5])
        guard case let .fact(_, _, grants) = inputs[2].kind, case let .interval(lo, hi) = grants else {
            Issue.record("grants: \(inputs[2].kind)")
            return
        }
        #expect(lo == 0 && hi == 150)
    }

    @Test func drawsFollowThePrior() throws {
        let a = try assessment()
        let input = UncertainInput(
            name: "stance", kind: .fact(candidate: 0, slot: 1, domain: .weighted([0.2, 0.3, 0.5])), family: .unknown)
        var rng = SplitMix64(seed: 11)
        var out = [0.0]
        var counts = [0, 0, 0]
        for _ in 0..<20_000 {
            SamplingDesign.draw([input], 0, a.policy, into: &out, at: 0, &rng)
            counts[Int(out[0])] += 1
        }
        for (k, p) in [0.2, 0.3, 0.5].enumerated() { #expect(abs(Double(counts[k]) / 20_000 - p) < 0.015, "value \(k)") }
    }

    @Test func drawnUnknownsSpreadTheRiskAndFixedOnesDoNot() throws {
        let a = try assessment()
        var o = SensitivityOptions()
        o.samples = 4_000
        o.seed = 7
        let r = try SensitivityAnalysis.run(a, table: a.table, options: o).get()
        let one = try #require(r.candidates.first { $0.id == "one" })
        // Risk of one = (flag ? 0 : 100) + stance risk + grants' case, over 4 (d is 0).
        // Its risk spreads over draws of all three; fixed, it would be a single value.
        #expect(one.riskHigh - one.riskLow > 30)
        o.unknowns = .fixed
        let held = SensitivityAnalysis.run(a, table: a.table, options: o)
        // Nothing else is uncertain in this policy: held at their rules there is nothing to vary.
        #expect(diagnostics(held).contains { $0.message.contains("nothing") || $0.code == .invalidValue })
    }

    @Test func aPriorIsCheckedAgainstTheFactsValues() {
        let bad = policyYAML(
            facts: """
                  stance: {type: enum, values: [yes, no], prior: {probabilities: {yes: 0.2, maybe: 0.8}}}
                  n: {type: number, range: [0, 10], prior: {interval: [5, 20]}}
                  f: {type: bool, prior: {probabilities: {true: 0.5, false: 0.4}}}
                """,
            criteria: """
                  a: {weight: 1, map: {fact: stance, risk: {yes: 0, no: 100}}}
                  b: {weight: 1, scale: {of: n, best: 0, worst: 10}}
                  c: {weight: 1, map: {fact: f, risk: {true: 0, false: 100}}}
                """)
        let dir = TempDir()
        let found = diagnostics(Pipeline.policy(at: dir.write("p.yaml", bad)))
        #expect(found.contains { $0.code == .unknownEnumValue && $0.message.contains("'maybe'") })
        #expect(found.contains { $0.code == .invalidRange && $0.message.contains("leaves the fact's declared range") })
        #expect(found.contains { $0.message.contains("add up to 0.9, not 1") })
    }

    /// The shipped assessment: the host stances nobody knows are among the inputs, and first
    /// place is no longer certain.
    @Test func theShippedRankingCarriesItsUnknowns() throws {
        let a = try Pipeline.assess(policyPath: shipped("policies/uk-return-hubs.yaml"), scenarioPath: shipped("scenarios/baseline.yaml"))
            .get()
        var o = SensitivityOptions(declaredBy: a.policy.policy.sensitivity)
        o.samples = 2_000
        o.seed = 1
        let drawn = try SensitivityAnalysis.run(a, table: a.table, options: o).get()
        o.unknowns = .fixed
        let fixed = try SensitivityAnalysis.run(a, table: a.table, options: o).get()
        #expect(drawn.inputs.contains { $0.name == "host_stance of montenegro (unknown)" })
        #expect(!fixed.inputs.contains { $0.family == .unknown })
        #expect(drawn.inputs.count > fixed.inputs.count)
        for (d, f) in zip(drawn.candidates, fixed.candidates) where f.rankLow != nil && d.rankLow != nil {
            #expect((d.rankHigh ?? 0) - (d.rankLow ?? 0) >= (f.rankHigh ?? 0) - (f.rankLow ?? 0), "\(d.id)")
        }
        let nm = try #require(drawn.candidates.first { $0.id == "north_macedonia" })
        #expect(nm.firstPlace < 0.95, "with its host stance unknown, first place is not settled")
    }

    /// Candidate one's risk rests on three missing facts; two gives every fact. Over its
    /// assumptions one's rank spans both places and its band moves; two has none to move.
    @Test func theSpreadOverAssumptionsCountsEveryValueTogether() throws {
        let a = try assessment()
        let spreads = AssumptionSpreads.compute(a)
        let one = try #require(spreads[0])
        #expect(spreads[1] == nil, "two assumes nothing")
        #expect(!one.robust)
        #expect(one.joint, "2 × 3 × 7 combinations, tried together")
        #expect(one.rankLow == 1 && one.rankHigh == 2)
        #expect(Set(one.movers) == ["flag (unknown)", "stance (unknown)", "grants (not given)"])
        // By hand: every combination scored with the facts set, one at the best values ranks first.
        let best = try assess(
            policy: Self.policy,
            scenario: Self.scenario.replacingOccurrences(
                of: "{flag: unknown, stance: unknown}", with: "{flag: true, stance: yes, grants: 150}")
        ).get()
        #expect(best.results.first { $0.id == "one" }?.rank == 1)
    }

    /// A skip passes weight on: under `mean`, the part of the siblings' contributions resting on
    /// it is exactly contribution × (1 − nominal / effective share), and it counts as assumed.
    @Test func skipPassesWeightOnAndThatPartIsAssumed() throws {
        let policy = policyYAML(
            facts: "  x: {type: number, range: [0, 100]}\n  y: {type: number, range: [0, 100]}\n  z: {type: number, range: [0, 100]}",
            criteria: """
                  a: {weight: 1, scale: {of: x, best: 0, worst: 100}}
                  b: {weight: 1, scale: {of: y, best: 0, worst: 100}}
                  c: {weight: 2, scale: {of: z, best: 0, worst: 100}, missing: skip}
                """)
        let a = try assess(policy: policy, scenario: "scenario: s\ncandidates:\n  k: {name: K, facts: {x: 40, y: 80}}\n").get()
        let r = try #require(a.results.first)
        // a and b share the whole weight (0.5 each, nominally 0.25): risk 60, half of it passed on.
        #expect(abs((r.risk ?? 0) - 60) < 1e-9)
        #expect(abs(r.riskFromSkips - 30) < 1e-9)
        #expect(abs((r.riskFromAssumptions ?? 0) - 30) < 1e-9)
        #expect(abs((r.riskFromEvidence ?? 0) + (r.riskFromAssumptions ?? 0) - 60) < 1e-9)
    }

    /// Risk = (x1 + 2·x2 + 3·x3)/6, each uniform on its whole range: x1 and x2 stated with an
    /// interval (evidence), x3 unknown (ignorance). Additive, so each family's first-order and
    /// total indices both equal its share of Σ w²: evidence (1 + 4)/14, ignorance 9/14.
    @Test func familiesTakeTheirShareOfTheVariance() throws {
        // The additive policy of SensitivityTests; x3's missing rule (worst) is never used, as x3
        // is drawn in every run.
        let policy = SensitivityTests.additivePolicy
        let scenario = """
            scenario: s
            candidates:
              only:
                name: Only
                facts:
                  x1: {value: 50, interval: [0, 100]}
                  x2: {value: 50, interval: [0, 100]}
                  x3: unknown
            """
        let a = try assess(policy: policy, scenario: scenario).get()
        var o = SensitivityOptions()
        o.samples = 20_000
        o.sobol = true
        o.bootstrap = 20
        let r = try SensitivityAnalysis.run(a, table: a.table, options: o).get()
        let fam = try #require(r.candidates.first).familyIndices
        func index(_ f: UncertainInput.Family) throws -> SobolIndex {
            try #require(fam.first { $0.input == SensitivityAnalysis.familyName(f) })
        }
        #expect(abs(try index(.evidence).total - 5.0 / 14) < 0.03)
        #expect(abs(try index(.evidence).first - 5.0 / 14) < 0.03)
        #expect(abs(try index(.unknown).total - 9.0 / 14) < 0.03)
        #expect(abs(try index(.unknown).first - 9.0 / 14) < 0.03)
        #expect(try index(.judgement).total.isNaN || abs(try index(.judgement).total) < 1e-9, "no judgement varies")
        #expect(r.runs == 20_000 * (3 + 2 + 3))
    }

    /// An assumed risk with a stated range is drawn in that range, and its facts are not drawn
    /// for it: risk = (flag + assumed b)/2 with flag known, so the risk spans exactly [20, 40].
    @Test func anAssumedRiskWithARangeIsDrawnInIt() throws {
        let policy = policyYAML(
            facts: "  flag: {type: bool}\n  stance: {type: enum, values: [yes, no]}",
            criteria: """
                  a: {weight: 1, map: {fact: flag, risk: {true: 0, false: 100}}}
                  b: {weight: 1, map: {fact: stance, risk: {yes: 0, no: 100}}, missing: {assume: 60, range: [40, 80], rationale: r}}
                """)
        let a = try assess(policy: policy, scenario: "scenario: s\ncandidates:\n  one: {name: One, facts: {flag: true, stance: unknown}}\n")
            .get()
        var o = SensitivityOptions()
        o.samples = 2_000
        let r = try SensitivityAnalysis.run(a, table: a.table, options: o).get()
        #expect(r.inputs.map(\.name) == ["assumed risk of b in [40, 80]"])
        #expect(r.inputs.first?.family == .unknown)
        let one = try #require(r.candidates.first)
        #expect(one.riskLow >= 20 && one.riskLow < 22 && one.riskHigh <= 40 && one.riskHigh > 38, "\(one.riskLow)-\(one.riskHigh)")
        // Held at the rule, nothing is uncertain.
        o.unknowns = .fixed
        #expect(!diagnostics(SensitivityAnalysis.run(a, table: a.table, options: o)).isEmpty)
        // A range must hold the assumed risk.
        let bad = policy.replacingOccurrences(of: "range: [40, 80]", with: "range: [70, 80]")
        let dir = TempDir()
        let found = diagnostics(Pipeline.policy(at: dir.write("p.yaml", bad)))
        #expect(found.contains { $0.code == .invalidRange && $0.message.contains("leaves out the assumed risk 60") })
    }

    /// A missing fact with nothing to try (a number read only through arithmetic, with an open
    /// range) is listed as not tried, never dropped.
    @Test func gapsSayWhatTheyCouldNotTry() throws {
        let policy = policyYAML(
            facts: "  x: {type: number, range: [0, ~]}\n  f: {type: bool}",
            criteria: """
                  a: {weight: 1, expr: x * 10, missing: {assume: 50, rationale: r}}
                  b: {weight: 1, map: {fact: f, risk: {true: 0, false: 100}}, missing: {assume: 50, rationale: r}}
                """)
        let a = try assess(policy: policy, scenario: "scenario: s\ncandidates:\n  one: {name: One, facts: {f: unknown}}\n").get()
        let r = GapsAnalysis.run(a)
        #expect(r.entries.map(\.facts) == [["f"]])
        #expect(r.notTried == [GapNotTried(candidate: "one", facts: ["x"], reason: .noValues)])
        #expect(GapsRenderer.text(r, names: [:]).contains("Not tried:\n  one, x: nothing to try"))
    }
}
