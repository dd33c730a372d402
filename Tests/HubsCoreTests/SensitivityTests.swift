import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// Known answers for the sensitivity analysis.
@Suite struct SensitivityTests {
    func prepared(_ policy: String, _ scenario: String) throws -> (Assessment, FactTable) {
        let a = try assess(policy: policy, scenario: scenario).get()
        let t = a.table
        return (a, t)
    }

    /// Risk = (1·x1 + 2·x2 + 3·x3)/6 for one candidate whose three facts each range over 0–100.
    static let additivePolicy = policyYAML(
        facts: """
              x1: {type: number, range: [0, 100]}
              x2: {type: number, range: [0, 100]}
              x3: {type: number, range: [0, 100]}
            """,
        criteria: """
              a: {weight: 1, scale: {of: x1, best: 0, worst: 100}}
              b: {weight: 2, scale: {of: x2, best: 0, worst: 100}}
              c: {weight: 3, scale: {of: x3, best: 0, worst: 100}}
            """)
    static let additiveScenario = """
        scenario: s
        candidates:
          only:
            name: Only
            facts:
              x1: {value: 50, interval: [0, 100]}
              x2: {value: 50, interval: [0, 100]}
              x3: {value: 50, interval: [0, 100]}
        """

    /// Risk = (1·x1 + 2·x2 + 3·x3)/6 with independent uniform x_i: an additive model, so the
    /// first-order and total indices both equal w_i² / Σ w_j² = 1/14, 4/14, 9/14.
    @Test func additiveModelMatchesAnalyticSobolIndices() throws {
        let (a, t) = try prepared(Self.additivePolicy, Self.additiveScenario)
        var o = SensitivityOptions()
        o.sobol = true
        o.samples = 4_000
        o.seed = 11
        o.threads = 2
        let r = try SensitivityAnalysis.run(a, table: t, options: o).get()
        let analytic = ["x1 of only": 1.0 / 14, "x2 of only": 4.0 / 14, "x3 of only": 9.0 / 14]
        let indices = r.candidates[0].riskIndices
        #expect(indices.count == 3)
        for i in indices {
            let want = try #require(analytic[i.input])
            #expect(
                i.firstLow <= want && want <= i.firstHigh, "\(i.input) first order \(i.first) [\(i.firstLow), \(i.firstHigh)] vs \(want)")
            #expect(i.totalLow <= want && want <= i.totalHigh, "\(i.input) total \(i.total) [\(i.totalLow), \(i.totalHigh)] vs \(want)")
            #expect(abs(i.total - want) < 0.03)
        }
        // Largest first.
        #expect(indices.map(\.input) == ["x3 of only", "x2 of only", "x1 of only"])
        #expect(r.convergence < 0.05)
        // Risk interval: the 5th and 95th percentiles of a weighted sum of uniforms lie inside (0, 100).
        #expect(r.candidates[0].riskLow > 10 && r.candidates[0].riskHigh < 90)
    }

    /// Without Sobol indices the same additive model names x3 as the main input, with a share
    /// near its first-order index 9/14 (the given-data estimate is biased up by about bins/N).
    @Test func monteCarloNamesTheMainInputByItsCorrelationRatio() throws {
        let (a, t) = try prepared(Self.additivePolicy, Self.additiveScenario)
        var o = SensitivityOptions()
        o.samples = 4_000
        o.seed = 11
        let r = try SensitivityAnalysis.run(a, table: t, options: o).get()
        let main = try #require(r.candidates[0].mainInput)
        #expect(main.input == "x3 of only")
        #expect(abs(main.share - 9.0 / 14) < 0.04, "\(main.share)")
        #expect(r.candidates[0].riskIndices.isEmpty)
        // With Sobol indices there is no given-data estimate: the indices say it.
        o.sobol = true
        #expect(try SensitivityAnalysis.run(a, table: t, options: o).get().candidates[0].mainInput == nil)
    }

    static let twoCandidates = policyYAML(
        facts: """
              x: {type: number, range: [0, 100]}
              y: {type: number, range: [0, 100]}
            """,
        criteria: """
              one: {weight: 1, scale: {of: x, best: 0, worst: 100}}
              two: {weight: 1, scale: {of: y, best: 0, worst: 100}}
            """)

    /// A dominates B on every criterion, so no weights change the order: rank intervals are exact.
    @Test func dominanceGivesExactRankIntervals() throws {
        let (a, t) = try prepared(
            Self.twoCandidates,
            """
            scenario: s
            candidates:
              a: {name: A, facts: {x: 10, y: 20}}
              b: {name: B, facts: {x: 60, y: 70}}
            """)
        var o = SensitivityOptions()
        o.samples = 500
        o.weights = .perturbation(percent: 40)
        o.top = 1
        let r = try SensitivityAnalysis.run(a, table: t, options: o).get()
        let ca = try #require(r.candidates.first { $0.id == "a" })
        let cb = try #require(r.candidates.first { $0.id == "b" })
        #expect(ca.rankLow == 1 && ca.rankHigh == 1 && ca.topK == 1)
        #expect(cb.rankLow == 2 && cb.rankHigh == 2 && cb.topK == 0)
        #expect(r.rankShiftVariance == 0)
        // B's risk lies between its two criteria's risks, whatever the weights.
        #expect(cb.riskLow >= 60 && cb.riskHigh <= 70)
    }

    /// Crossing candidates: which ranks first depends on the weights, and both orders occur.
    @Test func crossingCandidatesSwapWithWeights() throws {
        let (a, t) = try prepared(
            Self.twoCandidates,
            """
            scenario: s
            candidates:
              a: {name: A, facts: {x: 10, y: 60}}
              b: {name: B, facts: {x: 60, y: 11}}
            """)
        var o = SensitivityOptions()
        o.sobol = true
        o.samples = 2_000
        o.weights = .dirichlet(concentration: 4)
        o.top = 1
        let r = try SensitivityAnalysis.run(a, table: t, options: o).get()
        let ca = try #require(r.candidates.first { $0.id == "a" })
        #expect(ca.rankLow == 1 && ca.rankHigh == 2)
        #expect(ca.topK > 0.2 && ca.topK < 0.8)
        #expect(r.rankShiftIndices.first?.input == "weights in root")
    }

    @Test func sameSeedSameBytesWhateverTheThreads() throws {
        let (a, t) = try prepared(
            Self.twoCandidates,
            """
            scenario: s
            candidates:
              a: {name: A, facts: {x: 10, y: {value: 60, confidence: low}}}
              b: {name: B, facts: {x: {value: 60, interval: [40, 80]}, y: 11}}
              c: {name: C, facts: {x: 35, y: 35}}
            """)
        var o = SensitivityOptions()
        o.samples = 1_000
        o.weights = .perturbation(percent: 30)
        o.factConfidence = [.low]
        o.alternatives = [("root", [.mean, .max], nil)]
        var outputs: [String] = []
        for threads in [1, 2, 3] {
            o.threads = threads
            outputs.append(SensitivityRenderer.json(try SensitivityAnalysis.run(a, table: t, options: o).get()).serialized())
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] == outputs[2])
        o.seed = 2
        #expect(SensitivityRenderer.json(try SensitivityAnalysis.run(a, table: t, options: o).get()).serialized() != outputs[0])
    }

    @Test func badInputsAreRefusedWithAReason() throws {
        let (a, t) = try prepared(Self.twoCandidates, "scenario: s\ncandidates:\n  a: {name: A, facts: {x: 1, y: 2}}\n")
        var o = SensitivityOptions()
        o.samples = 100
        #expect(diagnostics(SensitivityAnalysis.run(a, table: t, options: o)).first?.message.contains("no uncertain inputs") == true)
        o.weights = .perturbation(percent: 10)
        o.samples = 0
        #expect(diagnostics(SensitivityAnalysis.run(a, table: t, options: o)).first?.message.contains("sample count") == true)
        o.samples = SensitivityOptions.maxSamples + 1
        #expect(diagnostics(SensitivityAnalysis.run(a, table: t, options: o)).first?.message.contains("sample count") == true)
        o.samples = 100
        o.alternatives = [("rooot", [.mean, .max], nil)]
        #expect(diagnostics(SensitivityAnalysis.run(a, table: t, options: o)).first?.hint == "did you mean 'root'?")
    }

    @Test func intervalsAreCheckedAgainstTheirFact() {
        let d = diagnostics(
            assess(
                policy: Self.twoCandidates,
                scenario: """
                    scenario: s
                    candidates:
                      a: {name: A, facts: {x: {value: 90, interval: [10, 20]}, y: 1}}
                    """))
        #expect(d.first?.message.contains("does not contain its value") == true)
    }
}

/// Alternative conditions for a case: each run uses one, uniformly.
@Suite struct CaseAlternativeTests {
    static func policy(_ alternatives: String) -> String {
        policyYAML(
            facts: "  g: {type: number, range: [0, 1000]}\n",
            criteria: """
                  grants:
                    cases:
                      - {when: 'g >= 100', risk: 10, label: enough}
                    else: {risk: 90, label: too few}
                """, extra: "sensitivity:\n  alternatives:\n\(alternatives)")
    }

    /// g = 90 meets "g >= 80" but not "g >= 100" or "g >= 120": risk 10 a third of the time.
    @Test func aCandidateBetweenThresholdsMovesWithTheCondition() throws {
        let p = Self.policy("    - {criterion: grants, case: 1, when: ['g >= 80', 'g >= 120']}\n")
        let a = try assess(policy: p, scenario: "scenario: s\ncandidates:\n  t: {name: T, facts: {g: 90}}\n").get()
        var o = SensitivityOptions()
        o.sobol = true
        o.samples = 3_000
        o.caseAlternatives = a.policy.policy.sensitivity!.caseAlternatives
        let r = try SensitivityAnalysis.run(a, table: a.table, options: o).get()
        let low = try #require(r.candidates[0].bands.first { $0.name == "low" }).probability
        #expect(abs(low - 1.0 / 3) < 0.04, "P(low) = \(low)")
        #expect(r.inputs.map(\.name) == ["case 1 of grants (3 conditions)"])
        #expect(r.candidates[0].riskIndices.first?.total ?? 0 > 0.95)
    }

    @Test func badAlternativesAreLocated() throws {
        let unknown = Self.policy("    - {criterion: grant, case: 1, when: ['g >= 80']}\n")
        let a = try assess(policy: unknown, scenario: "scenario: s\ncandidates:\n  t: {name: T, facts: {g: 90}}\n").get()
        var o = SensitivityOptions()
        o.caseAlternatives = a.policy.policy.sensitivity!.caseAlternatives
        let d = diagnostics(SensitivityAnalysis.run(a, table: a.table, options: o))
        #expect(d.first?.hint == "did you mean 'grants'?")
        #expect(d.first?.location?.line != nil)
        let typo = Self.policy("    - {criterion: grants, case: 1, when: ['gg >= 80']}\n")
        let b = try assess(policy: typo, scenario: "scenario: s\ncandidates:\n  t: {name: T, facts: {g: 90}}\n").get()
        o.caseAlternatives = b.policy.policy.sensitivity!.caseAlternatives
        let e = diagnostics(SensitivityAnalysis.run(b, table: b.table, options: o))
        #expect(e.first?.code == .unknownFact)
        #expect(e.first?.hint == "did you mean 'g'?")
    }

    /// The memory estimate, part by part, worked by hand from docs/analysis.md's table: 1,000
    /// samples, 22 one-number inputs, Sobol on one thread, 200 resamples, 8 candidates.
    @Test func theMemoryEstimateIsTheDocumentedSum() {
        let inputs = (0..<22).map { UncertainInput(name: "w\($0)", kind: .weight(edge: 0, percent: 10)) }
        var o = SensitivityOptions()
        o.samples = 1_000
        o.sobol = true
        o.threads = 1
        o.unknowns = .fixed  // no family matrices: the table's N × (inputs + 2) runs
        let e = SensitivityAnalysis.memoryEstimate(inputs: inputs, options: o, candidates: 8)
        let parts = Dictionary(uniqueKeysWithValues: e.parts.map { ($0.what, $0.bytes) })
        #expect(parts["sample matrices"] == 352_000)
        #expect(parts["stored runs"] == 2_592_000)
        #expect(parts["tallies"] == 64_000)
        #expect(parts["bootstrap resamples"] == 1_600_000)
        #expect(parts["Sobol terms"] == 384_000)
        #expect(parts["the process itself"] == 67_108_864)
        #expect(e.total == 72_100_864)
        // Unknowns drawn: three family matrices more, N × (22 + 2 + 3) runs.
        o.unknowns = .draw
        let drawn = SensitivityAnalysis.memoryEstimate(inputs: inputs, options: o, candidates: 8)
        #expect(drawn.parts.first { $0.what == "stored runs" }?.bytes == 2_916_000, "27,000 runs × (8 × 13 + 4) bytes")
        o.sobol = false
        let mc = SensitivityAnalysis.memoryEstimate(inputs: inputs, options: o, candidates: 8)
        let orderings: Double = 22 * 1_000 * 8 + 22 * 800
        #expect(mc.parts.first { $0.what == "input orderings" }?.bytes == orderings)
    }

    /// A run whose estimate would exceed the memory budget is refused before it starts.
    @Test func memoryBudgetIsCheckedBeforeStarting() throws {
        let p = try Pipeline.policy(at: shipped("policies/uk-return-hubs.yaml")).get()
        let inputs = (0..<22).map { UncertainInput(name: "w\($0)", kind: .weight(edge: 0, percent: 10)) }
        var o = SensitivityOptions()
        o.samples = 1_000
        o.sobol = true
        o.unknowns = .fixed
        let problem = SensitivityAnalysis.budgetProblem(p, inputs: inputs, options: o, candidates: 12_000)
        #expect(problem?.message.contains("stored runs 3.5 GiB") == true, "\(String(describing: problem))")
        #expect(problem?.message.contains("more than the budget of 2.0 GiB") == true, "\(String(describing: problem))")
        #expect(SensitivityAnalysis.budgetProblem(p, inputs: inputs, options: o, candidates: 8) == nil)
        // Without Sobol indices the same run keeps N runs, not N × (inputs + 2): within budget.
        o.sobol = false
        #expect(SensitivityAnalysis.budgetProblem(p, inputs: inputs, options: o, candidates: 12_000) == nil)
    }

    /// Plain Monte Carlo draws the A matrix of the Saltelli design, and the per-candidate
    /// statistics of a Sobol run come from those same runs: the two agree on every interval and
    /// probability, and Monte Carlo makes N runs instead of N × (inputs + 2).
    @Test func monteCarloGivesTheSobolRunsStatistics() throws {
        let a = try Pipeline.assess(policyPath: shipped("policies/uk-return-hubs.yaml"), scenarioPath: shipped("scenarios/baseline.yaml"))
            .get()
        var o = SensitivityOptions()
        o.samples = 300
        o.weights = .dirichlet(concentration: 50)
        o.factConfidence = [.low]
        o.threads = 2
        let mc = try SensitivityAnalysis.run(a, table: a.table, options: o).get()
        o.sobol = true
        let sobol = try SensitivityAnalysis.run(a, table: a.table, options: o).get()
        #expect(!mc.sobol && sobol.sobol)
        #expect(mc.runs == 300)
        #expect(sobol.runs == 300 * (sobol.inputs.count + 2 + 3), "with the three family matrices")
        #expect(mc.rankShiftIndices.isEmpty && !sobol.rankShiftIndices.isEmpty)
        #expect(mc.candidates.count == sobol.candidates.count)
        for (m, s) in zip(mc.candidates, sobol.candidates) {
            #expect(m.id == s.id)
            #expect(m.medianRank == s.medianRank && m.rankLow == s.rankLow && m.rankHigh == s.rankHigh)
            #expect(m.riskLow == s.riskLow && m.riskHigh == s.riskHigh)
            #expect(m.topK == s.topK && m.excluded == s.excluded)
            #expect(m.bands.map(\.probability) == s.bands.map(\.probability))
            #expect(m.riskIndices.isEmpty)
        }
    }

    /// In a Saltelli design, a sample's runs that differ in weights alone are scored together
    /// (rules once, aggregation per run), and a run AB_i for a fact rescores only that fact's
    /// candidate (the others are run A's): every run's risks, ranks, exclusions and restored
    /// constraints are those of scoring it alone (a fresh worker per run), bit for bit, on the
    /// shipped files, whose inputs are weights, facts, an aggregation method and a case condition.
    @Test func runsSharingFactsScoreLikeEachRunAlone() throws {
        let a = try Pipeline.assess(policyPath: shipped("policies/uk-return-hubs.yaml"), scenarioPath: shipped("scenarios/baseline.yaml"))
            .get()
        var o = SensitivityOptions(declaredBy: a.policy.policy.sensitivity)
        o.sobol = true
        o.samples = 300
        o.seed = 5
        let plan = try SensitivityAnalysis.plan(a, table: a.table, options: o).get()
        let runs = plan.design.runs
        let count = a.table.candidateCount
        #expect(plan.design.inputs.contains { if case .weight = $0.kind { true } else { false } })
        #expect(plan.design.inputs.contains { if case .fact = $0.kind { true } else { false } })
        for threads in [1, 2] {
            let together = plan.runner.run(threads: threads, progress: nil)
            let alone = RunStore(runs: runs, candidates: count)
            for r in 0..<runs {
                var worker = SensitivityRunner.Worker(runner: plan.runner)
                worker.run(r, into: alone)
            }
            for k in 0..<(runs * count) {
                #expect(together.risks[k].bitPattern == alone.risks[k].bitPattern || (together.risks[k].isNaN && alone.risks[k].isNaN))
                #expect(together.ranks[k] == alone.ranks[k] && together.excludedFlags[k] == alone.excludedFlags[k])
            }
            #expect((0..<runs).allSatisfy { together.restores[$0] == alone.restores[$0] })
        }
    }

    /// One candidate under many weight vectors: the rules run once, each vector aggregates
    /// again, and each outcome is that of scoring with that vector alone.
    @Test func oneCandidateUnderManyWeightsScoresLikeEach() throws {
        let a = try Pipeline.assess(policyPath: shipped("policies/uk-return-hubs.yaml"), scenarioPath: shipped("scenarios/baseline.yaml"))
            .get()
        let ev = Evaluator(a.policy)
        let edges = a.policy.nominalWeights.count
        var rng = SplitMix64(seed: 12)
        let drawCount = 19
        let draws = (0..<(drawCount * edges)).map { _ in Double(rng.next() % 1_000) / 100 + 0.01 }
        for c in 0..<a.table.candidateCount {
            let row = Array(a.table.values[(c * a.table.slotCount)..<((c + 1) * a.table.slotCount)])
            var out = [Outcome](repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: drawCount * 3)
            row.withUnsafeBufferPointer { f in
                draws.withUnsafeBufferPointer { d in
                    out.withUnsafeMutableBufferPointer { o in
                        ev.score(
                            f.baseAddress!, weightDraws: d.baseAddress!, drawCount: drawCount, drawStride: edges, into: o.baseAddress! + 1,
                            outStride: 3)
                    }
                }
            }
            for d in 0..<drawCount {
                let one = ev.score(row, weights: Array(draws[(d * edges)..<((d + 1) * edges)]))
                let got = out[d * 3 + 1]
                #expect(got.risk.bitPattern == one.risk.bitPattern || (got.risk.isNaN && one.risk.isNaN))
                #expect(got.excluded == one.excluded && got.coverage == one.coverage && got.faults == one.faults)
            }
        }
    }

    /// When only weights vary, each block of draws is scored with leaves computed once: the
    /// outcomes are those of scoring each draw on its own, bit for bit.
    @Test func weightDrawsScoreLikeOneDrawAtATime() throws {
        let a = try Pipeline.assess(policyPath: shipped("policies/uk-return-hubs.yaml"), scenarioPath: shipped("scenarios/baseline.yaml"))
            .get()
        let ev = Evaluator(a.policy)
        let edges = a.policy.nominalWeights.count
        let count = a.table.candidateCount
        var rng = SplitMix64(seed: 11)
        let drawCount = 37
        let draws = (0..<(drawCount * edges)).map { _ in Double(rng.next() % 1_000) / 100 + 0.01 }
        var batched = [Outcome](repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: drawCount * count)
        a.table.values.withUnsafeBufferPointer { rows in
            draws.withUnsafeBufferPointer { d in
                batched.withUnsafeMutableBufferPointer { o in
                    ev.scoreBatch(
                        rows.baseAddress!, count: count, weightDraws: d.baseAddress!, drawCount: drawCount, drawStride: edges,
                        into: o.baseAddress!)
                }
            }
        }
        for d in 0..<drawCount {
            let w = Array(draws[(d * edges)..<((d + 1) * edges)])
            for c in 0..<count {
                let row = Array(a.table.values[(c * a.table.slotCount)..<((c + 1) * a.table.slotCount)])
                let one = ev.score(row, weights: w)
                let b = batched[d * count + c]
                #expect(b.risk.bitPattern == one.risk.bitPattern || (b.risk.isNaN && one.risk.isNaN))
                #expect(b.excluded == one.excluded && b.coverage == one.coverage)
            }
        }
    }
}

/// Quantiles are selected, not sorted for: the selection must give the sorted array's element.
@Suite struct SelectionTests {
    @Test func selectionAgreesWithSorting() {
        var rng = SplitMix64(seed: 5)
        for size in [1, 2, 3, 10, 101, 2_000] {
            let values = (0..<size).map { _ in Double(rng.next() % 50) / 7 }  // many ties
            let sorted = values.sorted()
            for k in Set([
                0, size / 2, size - 1, SensitivityAnalysis.quantileIndex(0.05, size), SensitivityAnalysis.quantileIndex(0.95, size),
            ]) {
                var v = values
                #expect(SensitivityAnalysis.select(&v, k) == sorted[k], "size \(size), k \(k)")
            }
        }
    }
}

/// A run split into shards merges into the same result as one run, byte for byte.
@Suite struct ShardTests {
    static func assessment() throws -> Assessment {
        try Pipeline.assess(policyPath: shipped("policies/uk-return-hubs.yaml"), scenarioPath: shipped("scenarios/baseline.yaml")).get()
    }

    @Test(arguments: [false, true])
    func shardsMergeToTheSameBytes(_ sobol: Bool) throws {
        let a = try Self.assessment()
        var o = SensitivityOptions()
        o.samples = 90
        o.seed = 4
        o.sobol = sobol
        o.weights = .perturbation(percent: 20)
        o.factConfidence = [.low]
        let single = try SensitivityAnalysis.run(a, table: a.table, options: o).get()
        for n in [1, 3, 7] {
            var shards: [(path: String, shard: SensitivityShard)] = []
            for k in 1...n {
                o.threads = k % 2 + 1  // threads never change the bytes
                let s = try SensitivityAnalysis.runShard(a, table: a.table, options: o, shard: k, of: n).get()
                // Through the file format, as another machine would hand it over.
                shards.append(("shard\(k)", try SensitivityShard.decode(s.encoded(), path: "shard\(k)").get()))
            }
            let merged = try SensitivityAnalysis.merge(a, table: a.table, options: o, shards: shards.reversed()).get()
            #expect(SensitivityRenderer.json(merged).serialized() == SensitivityRenderer.json(single).serialized())
            #expect(SensitivityRenderer.table(merged) == SensitivityRenderer.table(single))
        }
    }

    @Test func missingForeignAndBrokenShardsAreRefused() throws {
        let a = try Self.assessment()
        var o = SensitivityOptions()
        o.samples = 40
        o.weights = .perturbation(percent: 20)
        let one = try SensitivityAnalysis.runShard(a, table: a.table, options: o, shard: 1, of: 3).get()
        let two = try SensitivityAnalysis.runShard(a, table: a.table, options: o, shard: 2, of: 3).get()
        let missing = diagnostics(SensitivityAnalysis.merge(a, table: a.table, options: o, shards: [("a", one), ("b", two)]))
        #expect(missing.map(\.code) == [.shardMismatch])
        #expect(missing.first?.message.contains("are in no shard") == true)
        let repeated = diagnostics(SensitivityAnalysis.merge(a, table: a.table, options: o, shards: [("a", one), ("a2", one)]))
        #expect(repeated.first?.message.contains("repeats runs") == true)
        var other = o
        other.seed = 99
        let foreign = diagnostics(SensitivityAnalysis.merge(a, table: a.table, options: other, shards: [("a", one)]))
        #expect(foreign.first?.message.contains("another analysis") == true)
        #expect(foreign.first?.location?.file == "a")
        var bytes = one.encoded()
        bytes.removeLast()
        #expect(
            diagnostics(SensitivityShard.decode(bytes, path: "cut")).first?.message.contains("not a valid hubs sensitivity shard") == true)
        #expect(diagnostics(SensitivityShard.decode(Array("hello\n".utf8), path: "x")).map(\.code) == [.shardMismatch])
        // Header counts whose products or sums overflow are refused, never a trap.
        let max = Int.max
        for header in ["\(max) 0 \(max) \(max)", "\(max) \(max) 1 1", "10 0 \(max / 2) 3", "5 3 4 1"] {
            let digest = String(repeating: "0", count: 64)
            let fingerprint = String(repeating: "a", count: 32)
            let bytes = Array("\(SensitivityShard.magic) \(fingerprint) \(header) \(digest)\n".utf8) + [UInt8](repeating: 0, count: 17)
            #expect(diagnostics(SensitivityShard.decode(bytes, path: "h")).map(\.code) == [.shardMismatch], "\(header)")
        }
    }
}

/// A shard cannot be forged by accident or by a naive edit: every change to its body or header is
/// refused by the digest, and values no run can produce are refused even under a recomputed one.
@Suite struct ShardForgeryTests {
    static func shards() throws -> (Assessment, SensitivityOptions, [[UInt8]]) {
        let a = try ShardTests.assessment()
        var o = SensitivityOptions()
        o.samples = 30
        o.weights = .perturbation(percent: 20)
        // Unknowns held: the forgeries below edit run 0's ranks, which need its candidates ranked.
        o.unknowns = .fixed
        let bytes = try (1...2).map { try SensitivityAnalysis.runShard(a, table: a.table, options: o, shard: $0, of: 2).get().encoded() }
        return (a, o, bytes)
    }

    /// Splits a shard into its header words (digest dropped) and body.
    static func parts(_ bytes: [UInt8]) -> (words: [String], body: [UInt8]) {
        let nl = bytes.firstIndex(of: UInt8(ascii: "\n"))!
        let words = String(decoding: bytes[..<nl], as: UTF8.self).split(separator: " ").map(String.init)
        return (Array(words.dropLast()), Array(bytes[(nl + 1)...]))
    }

    /// A shard with these header words and body and a digest recomputed over them, as someone
    /// who knows the format could make.
    static func resealed(_ words: [String], _ body: [UInt8]) -> [UInt8] {
        let head = Array((words.joined(separator: " ") + "\n").utf8)
        return Array((words.joined(separator: " ") + " " + SHA256.hex(head + body) + "\n").utf8) + body
    }

    static func refusal(_ bytes: [UInt8]) -> String? {
        switch SensitivityShard.decode(bytes, path: "forged") {
        case .success: return nil
        case let .failure(e): return e.diagnostics.first.map { "\($0.code.rawValue) \($0.message)" }
        }
    }

    @Test func everyEditOfAShardIsRefused() throws {
        let (a, o, shards) = try Self.shards()
        let (words, body) = Self.parts(shards[0])
        let cells = Int(words[4])! * Int(words[5])!
        var edits: [(String, [UInt8])] = []
        for (name, offset) in [
            ("a risk", 3), ("a rank", 8 * cells + 1), ("an exclusion flag", 12 * cells), ("a restore count", 13 * cells),
        ] {
            var b = shards[0]
            b[b.count - body.count + offset] ^= 1
            edits.append((name, b))
        }
        var relabelled = words
        relabelled[3] = Self.parts(shards[1]).words[3]
        edits.append(
            (
                "shard 1 relabelled as shard 2",
                Array(
                    (relabelled.joined(separator: " ") + " " + shards[0].split(separator: 10)[0].split(separator: 32).last.map {
                        String(decoding: $0, as: UTF8.self)
                    }! + "\n").utf8) + body
            ))
        var otherSeed = o
        otherSeed.seed = 77
        let foreign = try SensitivityAnalysis.runShard(a, table: a.table, options: otherSeed, shard: 1, of: 2).get().encoded()
        let foreignBody = Self.parts(foreign).body
        edits.append(("another seed's body under a valid header", Array(shards[0][..<(shards[0].count - body.count)]) + foreignBody))
        for (name, bytes) in edits {
            let why = Self.refusal(bytes)
            #expect(why?.contains("digest does not match") == true, "\(name): \(why ?? "accepted")")
        }
    }

    @Test func valuesNoRunCanProduceAreRefusedUnderARecomputedDigest() throws {
        let (_, _, shards) = try Self.shards()
        let (words, body) = Self.parts(shards[0])
        #expect(Self.refusal(Self.resealed(words, body)) == nil, "resealing alone must not change anything")
        let cells = Int(words[4])! * Int(words[5])!
        func with(_ offset: Int, _ bytes: [UInt8]) -> [UInt8] {
            var b = body
            b.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
            return Self.resealed(words, b)
        }
        func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
        let cases: [(String, [UInt8], String)] = [
            ("infinite risk", with(0, le(Double.infinity.bitPattern, 8)), "outside 0-100"),
            ("negative risk", with(8, le((-1.0).bitPattern, 8)), "outside 0-100"),
            ("risk of 1000", with(16, le((1000.0).bitPattern, 8)), "outside 0-100"),
            ("rank 2^31-1", with(8 * cells, le(UInt64(Int32.max), 4)), "outside 0-"),
            ("negative rank", with(8 * cells, le(UInt64(UInt32.max), 4)), "outside 0-"),
            ("flag 7", with(12 * cells, [7]), "neither 0 nor 1"),
            ("every exclusion flag set", with(12 * cells, [UInt8](repeating: 1, count: cells)), "excluded yet ranked"),
            ("restores of a million", with(13 * cells, le(1_000_000, 4)), "restores"),
            ("a repeated rank", with(8 * cells, le(UInt64(body[8 * cells + 4]), 4) + le(UInt64(body[8 * cells + 4]), 4)), "twice"),
        ]
        for (name, bytes, expected) in cases {
            let why = Self.refusal(bytes)
            #expect(why?.contains(expected) == true, "\(name): \(why ?? "accepted")")
        }
    }

    /// A header is accepted only as `encoded()` writes it (a fuzz finding: a fingerprint of
    /// arbitrary bytes, read as text, was accepted and encoded back to other bytes).
    @Test func aHeaderIsAcceptedOnlyInItsWrittenForm() throws {
        let (_, _, shards) = try Self.shards()
        let (words, body) = Self.parts(shards[0])
        #expect(Self.refusal(Self.resealed(words, body)) == nil)
        var variants: [[String]] = []
        for (i, w) in [(1, "\u{FFFD}" + words[1].dropFirst()), (1, words[1].uppercased()), (2, "+" + words[2]), (3, "0" + words[3])] {
            var v = words
            v[i] = String(w)
            variants.append(v)
        }
        for v in variants {
            #expect(Self.refusal(Self.resealed(v, body)) != nil, "\(v)")
        }
    }

    @Test func anOlderShardAndAFileOfAnotherSizeAreRefusedBeforeTheBodyIsRead() throws {
        let (_, _, shards) = try Self.shards()
        let dir = TempDir(prefix: "hubs-shards")
        let (words, body) = Self.parts(shards[0])
        var old = words
        old[0] = "hubs.sensitivity-shard/1"
        let v1 = dir.write("old", bytes: Array((old.joined(separator: " ") + "\n").utf8) + body)
        #expect(diagnostics(SensitivityShard.read(path: v1)).first?.message.contains("older hubs") == true)
        // A valid header over a file padded to 256 MiB (sparse, so cheap to make): refused by its
        // size, read no further than the header.
        let big = dir.write("big", bytes: shards[0])
        #expect(truncate(big, 256 << 20) == 0)
        let refused = diagnostics(SensitivityShard.read(path: big))
        #expect(refused.first?.message.contains("bytes of runs, not the") == true, "\(refused)")
        let ok = dir.write("ok", bytes: shards[0])
        #expect((try? SensitivityShard.read(path: ok).get()) != nil)
    }
}

/// Runs are ranked by a sorter that starts from the previous run's order; the ranks must be
/// `RankOrder.ranks` whatever came before: small changes, reshuffles, ties at the comparison
/// resolution, equal coverage, and candidates leaving and joining the ranking.
@Suite struct RankSorterTests {
    @Test(arguments: [3, 40, 300])
    func ranksEqualAFreshSortRunAfterRun(_ n: Int) {
        var rng = SplitMix64(seed: UInt64(n))
        func unit() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        let ids = (0..<n).map { "c\(($0 * 7919) % n)-\($0)" }
        let order = RankOrder.idOrder(ids)
        var sorter = RankSorter(idOrder: order)
        var risks = (0..<n).map { _ in (unit() * 100).rounded() }
        var out = [Int32](repeating: -1, count: n)
        for run in 0..<400 {
            let reshuffle = run % 50 == 49
            for c in 0..<n {
                if reshuffle { risks[c] = unit() * 100 } else { risks[c] += (unit() - 0.5) * 2 }
                if rng.next() % 16 == 0 { risks[c] = risks[(c + 1) % n] + 1e-12 }  // ties at 1e-9
            }
            let outcomes = (0..<n).map { c in
                Outcome(
                    risk: rng.next() % 40 == 0 ? .nan : risks[c], excluded: rng.next() % 30 == 0,
                    coverage: rng.next() % 3 == 0 ? 0.5 : 1, faults: 0)
            }
            outcomes.withUnsafeBufferPointer { o in
                out.withUnsafeMutableBufferPointer { sorter.rank(o, minCoverage: 0.6, into: $0.baseAddress!) }
            }
            #expect(out.map(Int.init) == RankOrder.ranks(outcomes, idOrder: order, minCoverage: 0.6), "run \(run)")
        }
    }
}

/// The Sobol terms are computed from each drawn row and summed eight inputs a vector, up to 32
/// inputs a kernel call (the C kernel, at every vector width this processor runs), and the
/// variances four samples side by side; every sum must be the one a plain loop over the sample
/// gives, bit for bit, whatever the number of inputs (filling vectors and calls exactly or not)
/// and with samples that repeat indices, as resamples do (nine of them: two groups of four and
/// one alone).
@Suite struct SobolTermsTests {
    @Test(arguments: [1, 3, 8, 11, 22, 32, 33, 40])
    func sumsEqualPlainLoopsBitForBit(_ k: Int) {
        var rng = SplitMix64(seed: UInt64(k))
        func unit() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        let n = 257
        let y = (0..<((k + 2) * n)).map { _ in (unit() - 0.3) * 100 }
        let samples = [Array(0..<n), Array(0..<(n / 2))] + (0..<9).map { _ in (0..<n).map { _ in Int(rng.next() % UInt64(n)) } }
        let levels = BatchMachine.KernelLevel.allCases.filter { $0.rawValue <= BatchMachine.bestLevel.rawValue }
        for level in levels {
            let got = SobolTerms(y, n: n, k: k).sums(samples, level: level)
            expectPlainSums(got, y: y, n: n, k: k, samples: samples)
        }
    }

    func expectPlainSums(_ got: [(variance: Double, sums: [Double])], y: [Double], n: Int, k: Int, samples: [[Int]]) {
        for (r, sample) in samples.enumerated() {
            var sums = [Double](repeating: 0, count: 2 * k)
            var mean = 0.0
            for j in sample { mean += y[j] + y[n + j] }
            mean /= Double(2 * sample.count)
            var v = 0.0
            for j in sample {
                let (fa, fb) = (y[j], y[n + j])
                v += (fa - mean) * (fa - mean) + (fb - mean) * (fb - mean)
                for i in 0..<k {
                    let fab = y[(2 + i) * n + j]
                    sums[i] += fb * (fab - fa)
                    sums[k + i] += (fa - fab) * (fa - fab)
                }
            }
            #expect(got[r].variance.bitPattern == (v / Double(2 * sample.count)).bitPattern, "sample \(r)")
            #expect(got[r].sums.map(\.bitPattern) == sums.map(\.bitPattern), "sample \(r)")
        }
    }
}

/// The bootstrap resamples are drawn side by side, each from the one stream skipped to its
/// start: they must be the numbers of drawing them one after another, whatever the threads.
@Suite struct ResampleStreamTests {
    @Test func skippingGivesTheNumbersOfDrawingOnAfterAnother() {
        var one = SplitMix64(seed: 42)
        let sequence = (0..<1_000).map { _ in one.next() }
        for k in [0, 1, 7, 500, 999] {
            var skipped = SplitMix64(seed: 42).skipping(k)
            #expect(skipped.next() == sequence[k], "skipping \(k)")
        }
    }

    @Test(arguments: [1, 2, 5])
    func resamplesAreTheSameOnAnyNumberOfThreads(_ threads: Int) {
        let n = 37
        var rng = SplitMix64(seed: SensitivityAnalysis.mix(9, 7, 7, 7))
        let sequential = (0..<11).map { _ in (0..<n).map { _ in Int(rng.next().multipliedFullWidth(by: UInt64(n)).high) } }
        #expect(SensitivityAnalysis.bootstrapResamples(n: n, count: 11, seed: 9, threads: threads) == sequential)
    }
}
