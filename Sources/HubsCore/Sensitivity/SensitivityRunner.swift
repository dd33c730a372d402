import Foundation

/// Runs every run of a sampling design, split into contiguous ranges over threads, each thread
/// with its own evaluators and scratch rows; every run writes only its own slots of the store, so
/// the result is the same whatever the number of threads.
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
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var worker = Worker(runner: self)
            let lo = range.lowerBound + runs * t / threads
            let hi = range.lowerBound + runs * (t + 1) / threads
            if weightsOnly {
                worker.runWeightDraws(lo..<hi, into: results, progress: t == 0 ? progress : nil)
                return
            }
            worker.run(lo..<hi, into: results, progress: t == 0 ? progress : nil)
        }
        return results
    }

    /// Candidates with sampled facts, for the constraint check.
    var sampledCandidates: [Int] {
        guard !policy.constraints.isEmpty else { return [] }
        return Array(Set(design.inputs.compactMap { input -> Int? in if case let .fact(c, _, _) = input.kind { c } else { nil } })).sorted()
    }

    /// One thread's state: its evaluators (one per variant, made when first needed), weights and rows.
    struct Worker {
        let runner: SensitivityRunner
        let sampled: [Int]
        var evaluators: [Evaluator?]
        var weights: [Double]
        var rows: [Double]
        var outcomes: [Outcome]
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
        /// Scratch for the runs scored together: their weights and outcomes.
        var draws: [Double] = []
        var drawOutcomes: [Outcome] = []

        enum Step {
            case weight(edge: Int, offset: Int)
            case fact(index: Int)
            case aggregation(group: Int, firstMethod: Int)
        }

        init(runner: SensitivityRunner) {
            self.runner = runner
            sampled = runner.sampledCandidates
            evaluators = Array(repeating: nil, count: runner.variants.count)
            weights = runner.policy.nominalWeights
            rows = runner.table.values
            outcomes = Array(repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: runner.table.candidateCount)
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
                }
            }
            self.steps = steps
            isWeight = runner.design.inputs.map {
                switch $0.kind {
                case .weight, .groupWeights: true
                default: false
                }
            }
            sampledSlots = steps.compactMap { if case let .fact(index) = $0.step { index } else { nil } }
            self.methods = methods
            self.caseInputs = caseInputs
        }

        /// The runs `range` when only weights vary: each block of draws is scored together,
        /// leaves and gates once per column of candidates (`Evaluator.scoreBatch(weightDraws:)`).
        mutating func runWeightDraws(_ range: Range<Int>, into results: RunStore, progress: (@Sendable (Double) -> Void)?) {
            let design = runner.design
            let table = runner.table
            let count = table.candidateCount
            let edges = weights.count
            let block = 256
            var draws = [Double](repeating: 0, count: block * edges)
            var out = [Outcome](repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: block * count)
            let ev = evaluator(sample: 0, from: -1)
            var start = range.lowerBound
            while start < range.upperBound {
                let n = Swift.min(block, range.upperBound - start)
                for d in 0..<n {
                    let (j, from) = design.run(start + d)
                    let w = d * edges
                    for e in 0..<edges { draws[w + e] = runner.policy.nominalWeights[e] }
                    for (i, input) in design.inputs.enumerated() {
                        switch input.kind {
                        case let .weight(edge, _): draws[w + edge] = design.value(i, sample: j, from: from)
                        case let .groupWeights(_, es, _):
                            for (k, e) in es.enumerated() { draws[w + e] = design.value(i, sample: j, from: from, offset: k) }
                        default: break
                        }
                    }
                }
                table.values.withUnsafeBufferPointer { rows in
                    draws.withUnsafeBufferPointer { dw in
                        out.withUnsafeMutableBufferPointer { o in
                            guard let r0 = rows.baseAddress, let d0 = dw.baseAddress, let o0 = o.baseAddress else { return }
                            ev.scoreBatch(r0, count: count, weightDraws: d0, drawCount: n, drawStride: edges, into: o0)
                        }
                    }
                }
                out.withUnsafeBufferPointer { o in
                    for d in 0..<n {
                        results.record(
                            run: start + d, outcomes: UnsafeBufferPointer(rebasing: o[(d * count)..<((d + 1) * count)]),
                            sorter: &sorter, minCoverage: runner.policy.minimumCoverage)
                    }
                }
                start += n
                progress?(Double(start - range.lowerBound) / Double(Swift.max(1, range.count)))
            }
        }

        /// The runs `range`. In a Saltelli design, a sample's runs that differ in weights alone
        /// (A, and AB_i for each input i that is a weight) are scored together: the rules run
        /// once per candidate and each run only aggregates again, the same outcomes bit for bit
        /// (`Evaluator.score(_:weightDraws:…)`). The other runs (B, AB_i for facts, aggregation
        /// methods and case conditions) are scored one by one. Each run still writes only its own
        /// slots of the store, so the order they are scored in changes nothing.
        mutating func run(_ range: Range<Int>, into results: RunStore, progress: (@Sendable (Double) -> Void)?) {
            let design = runner.design
            let n = design.samples
            var done = 0
            func tick(_ k: Int) {
                guard let progress else { return }
                if (done + k) / 512 != done / 512 { progress(Double(done + k) / Double(Swift.max(1, range.count))) }
                done += k
            }
            let shared = isWeight.indices.filter { isWeight[$0] }
            guard design.sobol, !shared.isEmpty, n > 0 else {
                for r in range {
                    run(r, into: results)
                    tick(1)
                }
                return
            }
            var group: [(run: Int, from: Int)] = []
            for j in 0..<n {
                group.removeAll(keepingCapacity: true)
                for from in [-1] + shared {
                    let r = from == -1 ? j : (2 + from) * n + j
                    if range.contains(r) { group.append((r, from)) }
                }
                if group.count == 1 {
                    run(group[0].run, into: results)
                } else if group.count > 1 {
                    runTogether(group, sample: j, into: results)
                }
                tick(group.count)
            }
            for r in range {
                let from = design.run(r).from
                guard from == -2 || (from >= 0 && !isWeight[from]) else { continue }
                run(r, into: results)
                tick(1)
            }
        }

        /// Runs of sample `j` that differ in weights alone (A's facts, case alternatives and
        /// aggregation methods), scored together.
        mutating func runTogether(_ group: [(run: Int, from: Int)], sample j: Int, into results: RunStore) {
            let design = runner.design
            let table = runner.table
            for k in sampledSlots { rows[k] = table.values[k] }
            let ev = evaluator(sample: j, from: -1)
            for (i, step) in steps {
                switch step {
                case .weight: break
                case let .fact(index): rows[index] = design.value(i, sample: j, from: -1)
                case let .aggregation(g, first):
                    ev.setAggregation(group: g, to: methods[first + Int(design.value(i, sample: j, from: -1))])
                }
            }
            for c in sampled {
                let range = (c * table.slotCount)..<((c + 1) * table.slotCount)
                if runner.policy.brokenConstraint(rows[range]) != nil {
                    for k in range { rows[k] = table.values[k] }
                    for g in group { results.addRestore(run: g.run) }
                }
            }
            let edges = weights.count
            let count = table.candidateCount
            let slots = table.slotCount
            if draws.count < group.count * edges { draws = Array(repeating: 0, count: group.count * edges) }
            if drawOutcomes.count < group.count * count {
                drawOutcomes = Array(repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: group.count * count)
            }
            for (d, g) in group.enumerated() {
                for e in 0..<edges { draws[d * edges + e] = runner.policy.nominalWeights[e] }
                for (i, step) in steps {
                    if case let .weight(edge, k) = step { draws[d * edges + edge] = design.value(i, sample: j, from: g.from, offset: k) }
                }
            }
            drawOutcomes.withUnsafeMutableBufferPointer { out in
                rows.withUnsafeBufferPointer { rp in
                    draws.withUnsafeBufferPointer { dp in
                        guard let row0 = rp.baseAddress, let d0 = dp.baseAddress, let o = out.baseAddress else { return }
                        // As in `run(_:into:)`: a batch fills 64 lanes, worth it only for a few dozen candidates.
                        if count >= Evaluator.batchLanes / 2 {
                            ev.scoreBatch(row0, count: count, weightDraws: d0, drawCount: group.count, drawStride: edges, into: o)
                        } else {
                            for c in 0..<count {
                                ev.score(
                                    row0 + c * slots, weightDraws: d0, drawCount: group.count, drawStride: edges, into: o + c,
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

        mutating func run(_ r: Int, into results: RunStore) {
            let design = runner.design
            let table = runner.table
            let (j, from) = design.run(r)
            for e in weights.indices { weights[e] = runner.policy.nominalWeights[e] }
            for k in sampledSlots { rows[k] = table.values[k] }
            let ev = evaluator(sample: j, from: from)
            for (i, step) in steps {
                switch step {
                case let .weight(edge, k): weights[edge] = design.value(i, sample: j, from: from, offset: k)
                case let .fact(index): rows[index] = design.value(i, sample: j, from: from)
                case let .aggregation(g, first):
                    ev.setAggregation(group: g, to: methods[first + Int(design.value(i, sample: j, from: from))])
                }
            }
            // A draw that breaks a constraint leaves that candidate's facts as stated for the run.
            for c in sampled {
                let range = (c * table.slotCount)..<((c + 1) * table.slotCount)
                if runner.policy.brokenConstraint(rows[range]) != nil {
                    for k in range { rows[k] = table.values[k] }
                    results.addRestore(run: r)
                }
            }
            let count = table.candidateCount
            let slots = table.slotCount
            outcomes.withUnsafeMutableBufferPointer { out in
                rows.withUnsafeBufferPointer { rp in
                    weights.withUnsafeBufferPointer { wp in
                        guard let row0 = rp.baseAddress, let w = wp.baseAddress, let o = out.baseAddress else { return }
                        // A batch fills 64 lanes: worth it only for a few dozen candidates or more.
                        if count >= Evaluator.batchLanes / 2 {
                            ev.scoreBatch(row0, count: count, weights: w, into: o)
                        } else {
                            for c in 0..<count { o[c] = ev.score(row0 + c * slots, weights: w) }
                        }
                    }
                }
            }
            outcomes.withUnsafeBufferPointer { o in
                results.record(run: r, outcomes: o, sorter: &sorter, minCoverage: runner.policy.minimumCoverage)
            }
        }
    }
}
