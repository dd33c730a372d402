import Foundation

/// Runs every run of a sampling design, split over threads by samples (each thread takes a
/// contiguous range of samples and every run of those: the same work for each, whichever inputs
/// are weights), each thread with its own evaluators and scratch rows; every run writes only its
/// own slots of the store, so the result is the same whatever the number of threads.
struct SensitivityRunner {
    let policy: CompiledPolicy
    let table: FactTable
    let design: SamplingDesign
    /// Compiled policy variants, one per combination of case alternatives.
    let variants: [CompiledPolicy]
    /// Options per case alternative (the written condition and its alternatives).
    let radix: [Int]

    /// Runs `range` of the design (all of it by default; a shard's part otherwise).
    func run(threads requested: Int, range: Range<Int>? = nil, progress: (@Sendable (Double) -> Void)?) -> RunStore {
        let range = range ?? 0..<design.runs
        let runs = range.count
        let results = RunStore(runs: runs, candidates: table.candidateCount, firstRun: range.lowerBound)
        let threads = Swift.max(1, Swift.min(requested, 64))
        let weightsOnly = design.weightsOnly && variants.count == 1
        let n = design.samples
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var worker = Worker(runner: self)
            if weightsOnly {
                let lo = range.lowerBound + runs * t / threads
                let hi = range.lowerBound + runs * (t + 1) / threads
                worker.runWeightDraws(lo..<hi, into: results, progress: t == 0 ? progress : nil)
                return
            }
            worker.run(range, samples: (n * t / threads)..<(n * (t + 1) / threads), into: results, progress: t == 0 ? progress : nil)
        }
        return results
    }

    /// Candidates with sampled facts, for the constraint check.
    var sampledCandidates: [Int] {
        guard !policy.constraints.isEmpty else { return [] }
        return Array(Set(design.inputs.compactMap { input -> Int? in if case let .fact(c, _, _) = input.kind { c } else { nil } })).sorted()
    }

    /// One thread's state: its evaluators (one per variant, made when first needed), rows and
    /// scratch.
    struct Worker {
        let runner: SensitivityRunner
        let sampled: [Int]
        var evaluators: [Evaluator?]
        var rows: [Double]
        /// Ranks each run, starting from the order of this thread's run before.
        var sorter: RankSorter
        /// The fact slots that some input samples: only these are reset before a run.
        let sampledSlots: [Int]
        /// What each input changes in a run, as plain numbers (reading the inputs themselves
        /// copies their names and arrays, retained and released, every run).
        let steps: [(input: Int, step: Step)]
        let methods: [Aggregation]
        /// The case alternatives' inputs, with their place values in the variant number.
        let caseInputs: [(input: Int, place: Int)]
        /// Which inputs are weights: a sample's runs A and AB_i for these differ in weights alone.
        let isWeight: [Bool]
        /// The candidate each input that is a fact belongs to: a sample's run AB_i for such an
        /// input differs from its run A in that candidate's facts alone.
        let factCandidate: [Int?]
        /// The outcomes of run A of sample `aSample`, the last this thread scored.
        var aOutcomes: [Outcome] = []
        var aSample = -1
        /// The runs scored together next, and scratch for their weights and outcomes.
        var group: [Run] = []
        var draws: [Double] = []
        var drawOutcomes: [Outcome] = []

        /// A run, with the sample and the matrix it draws from (see `SamplingDesign.run`).
        typealias Run = (run: Int, sample: Int, from: Int)

        enum Step {
            case weight(edge: Int, offset: Int)
            case fact(index: Int)
            case aggregation(group: Int, firstMethod: Int)
            case missingRisk(leaf: Int)
        }

        init(runner: SensitivityRunner) {
            self.runner = runner
            sampled = runner.sampledCandidates
            evaluators = Array(repeating: nil, count: runner.variants.count)
            rows = runner.table.values
            sorter = RankSorter(idOrder: RankOrder.idOrder(runner.table.scenario.candidates.map(\.id)))
            let slots = runner.table.slotCount
            var steps: [(input: Int, step: Step)] = []
            var methods: [Aggregation] = []
            var caseInputs: [(input: Int, place: Int)] = []
            var place = 1
            for (i, input) in runner.design.inputs.enumerated() {
                switch input.kind {
                case let .weight(edge, _): steps.append((i, .weight(edge: edge, offset: 0)))
                case let .groupWeights(_, edges, _):
                    for (k, e) in edges.enumerated() { steps.append((i, .weight(edge: e, offset: k))) }
                case let .fact(c, s, _): steps.append((i, .fact(index: c * slots + s)))
                case let .aggregation(g, ms):
                    steps.append((i, .aggregation(group: g, firstMethod: methods.count)))
                    methods += ms
                case let .caseCondition(k, _):
                    caseInputs.append((i, place))
                    place *= runner.radix[k]
                case let .assumedRisk(leaf, _, _): steps.append((i, .missingRisk(leaf: leaf)))
                }
            }
            self.steps = steps
            isWeight = runner.design.inputs.map {
                switch $0.kind {
                case .weight, .groupWeights: true
                default: false
                }
            }
            factCandidate = runner.design.inputs.map { if case let .fact(c, _, _) = $0.kind { c } else { nil } }
            sampledSlots = steps.compactMap { if case let .fact(index) = $0.step { index } else { nil } }
            self.methods = methods
            self.caseInputs = caseInputs
        }

        /// The runs `range` when only weights vary: blocks of 256 runs, each scored together
        /// (the facts are the scenario's in every run).
        mutating func runWeightDraws(_ range: Range<Int>, into results: RunStore, progress: (@Sendable (Double) -> Void)?) {
            var start = range.lowerBound
            while start < range.upperBound {
                group.removeAll(keepingCapacity: true)
                for r in start..<Swift.min(range.upperBound, start + 256) {
                    let (j, from) = runner.design.run(r)
                    group.append((r, j, from))
                }
                scoreGroup(factsOf: (0, -1), into: results)
                start += group.count
                progress?(Double(start - range.lowerBound) / Double(Swift.max(1, range.count)))
            }
        }

        /// The runs of `range` that belong to `samples`, sample by sample. In a Saltelli design, a
        /// sample's runs that differ in weights alone (A, and AB_i for each input i that is a
        /// weight) are scored together. The other runs (B, AB_i for facts, aggregation methods
        /// and case conditions) are scored one by one. Each run writes only its own slots of the
        /// store, so the order they are scored in changes nothing.
        mutating func run(
            _ range: Range<Int>, samples: Range<Int>, into results: RunStore, progress: (@Sendable (Double) -> Void)?
        ) {
            let design = runner.design
            let n = design.samples
            let matrices = n == 0 ? 0 : design.runs / n
            var done = 0
            let total = Swift.max(1, samples.count * matrices)
            func tick(_ k: Int) {
                guard let progress else { return }
                if (done + k) / 512 != done / 512 { progress(Double(done + k) / Double(total)) }
                done += k
            }
            let shared = isWeight.indices.filter { isWeight[$0] }
            let together = design.sobol && !shared.isEmpty
            for j in samples {
                if together {
                    group.removeAll(keepingCapacity: true)
                    for from in [-1] + shared {
                        let r = from == -1 ? j : (2 + from) * n + j
                        if range.contains(r) { group.append((r, j, from)) }
                    }
                    if !group.isEmpty { scoreGroup(factsOf: (j, -1), into: results) }
                }
                for m in 0..<matrices {
                    let r = m * n + j
                    guard range.contains(r) else { continue }
                    let from = design.run(r).from
                    guard !together || from == -2 || (from >= isWeight.count || (from >= 0 && !isWeight[from])) else { continue }
                    run(r, into: results)
                }
                tick(matrices)
            }
        }

        /// Run `r`, alone. A run AB_i for a fact of candidate c, after its sample's run A: only
        /// c is scored, the others' outcomes are run A's (the same facts, weights, methods and
        /// case alternatives: the same outcomes, bit for bit).
        mutating func run(_ r: Int, into results: RunStore) {
            let (j, from) = runner.design.run(r)
            group.removeAll(keepingCapacity: true)
            group.append((r, j, from))
            let only = from >= 0 && from < factCandidate.count && aSample == j ? factCandidate[from] : nil
            scoreGroup(factsOf: (j, from), into: results, only: only)
        }

        /// Scores the runs of `group`, which share the facts, case alternatives and aggregation
        /// methods of sample `facts.sample` drawn from matrix `facts.from` and differ at most in
        /// their weights: the rules run once per candidate and each run only aggregates again
        /// (`Evaluator.score(_:weightDraws:…)`, `scoreBatch(_:count:weightDraws:…)`), the
        /// outcomes of scoring each run alone, bit for bit.
        mutating func scoreGroup(factsOf facts: (sample: Int, from: Int), into results: RunStore, only: Int? = nil) {
            let design = runner.design
            let table = runner.table
            let (j, from) = facts
            for k in sampledSlots { rows[k] = table.values[k] }
            let ev = evaluator(sample: j, from: from)
            for (i, step) in steps {
                switch step {
                case .weight: break
                case let .fact(index): rows[index] = design.value(i, sample: j, from: from)
                case let .aggregation(g, first):
                    ev.setAggregation(group: g, to: methods[first + Int(design.value(i, sample: j, from: from))])
                case let .missingRisk(leaf): ev.setMissingValue(leaf: leaf, to: design.value(i, sample: j, from: from))
                }
            }
            // A draw that breaks a constraint leaves that candidate's facts as stated for the run.
            for c in sampled {
                let range = (c * table.slotCount)..<((c + 1) * table.slotCount)
                if runner.policy.brokenConstraint(rows[range]) != nil {
                    for k in range { rows[k] = table.values[k] }
                    for g in group { results.addRestore(run: g.run) }
                }
            }
            let edges = runner.policy.nominalWeights.count
            let count = table.candidateCount
            let slots = table.slotCount
            if draws.count < group.count * edges { draws = Array(repeating: 0, count: group.count * edges) }
            if drawOutcomes.count < group.count * count {
                drawOutcomes = Array(repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: group.count * count)
            }
            for (d, g) in group.enumerated() {
                for e in 0..<edges { draws[d * edges + e] = runner.policy.nominalWeights[e] }
                for (i, step) in steps {
                    if case let .weight(edge, k) = step {
                        draws[d * edges + edge] = design.value(i, sample: g.sample, from: g.from, offset: k)
                    }
                }
            }
            let drawCount = group.count
            drawOutcomes.withUnsafeMutableBufferPointer { out in
                rows.withUnsafeBufferPointer { rp in
                    draws.withUnsafeBufferPointer { dp in
                        guard let row0 = rp.baseAddress, let d0 = dp.baseAddress, let o = out.baseAddress else { return }
                        if let c = only {
                            // One run, one candidate scored; the others are run A's.
                            for k in 0..<count where k != c { o[k] = aOutcomes[k] }
                            o[c] = ev.score(row0 + c * slots, weights: d0)
                        } else if count >= Evaluator.batchLanes / 2 {
                            // A batch fills 64 lanes: worth it only for a few dozen candidates or more.
                            ev.scoreBatch(row0, count: count, weightDraws: d0, drawCount: drawCount, drawStride: edges, into: o)
                        } else {
                            for c in 0..<count {
                                ev.score(
                                    row0 + c * slots, weightDraws: d0, drawCount: drawCount, drawStride: edges, into: o + c,
                                    outStride: count)
                            }
                        }
                    }
                }
            }
            drawOutcomes.withUnsafeBufferPointer { o in
                for (d, g) in group.enumerated() {
                    results.record(
                        run: g.run, outcomes: UnsafeBufferPointer(rebasing: o[(d * count)..<((d + 1) * count)]), sorter: &sorter,
                        minCoverage: runner.policy.minimumCoverage)
                }
            }
            if let a = group.first, a.from == -1 {
                if aOutcomes.count != count { aOutcomes = Array(drawOutcomes[0..<count]) }
                for c in 0..<count { aOutcomes[c] = drawOutcomes[c] }
                aSample = a.sample
            }
        }

        /// The evaluator of the policy variant this run's case alternatives select.
        mutating func evaluator(sample j: Int, from: Int) -> Evaluator {
            var variant = 0
            for (i, place) in caseInputs { variant += Int(runner.design.value(i, sample: j, from: from)) * place }
            if let ev = evaluators[variant] { return ev }
            let ev = Evaluator(runner.variants[variant])
            evaluators[variant] = ev
            return ev
        }
    }
}
