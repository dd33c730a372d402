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

    func run(threads requested: Int, progress: (@Sendable (Double) -> Void)?) -> RunStore {
        let runs = design.runs
        let results = RunStore(runs: runs, candidates: table.candidateCount)
        let threads = Swift.max(1, Swift.min(requested, 64))
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var worker = Worker(runner: self)
            let lo = runs * t / threads
            let hi = runs * (t + 1) / threads
            for r in lo..<hi {
                if t == 0, let progress, (r - lo) % 512 == 0 { progress(Double(r - lo) / Double(Swift.max(1, hi - lo))) }
                worker.run(r, into: results)
            }
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
        let ids: [String]

        init(runner: SensitivityRunner) {
            self.runner = runner
            sampled = runner.sampledCandidates
            evaluators = Array(repeating: nil, count: runner.variants.count)
            weights = runner.policy.nominalWeights
            rows = runner.table.values
            outcomes = Array(repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: runner.table.candidateCount)
            ids = runner.table.scenario.candidates.map(\.id)
        }

        /// The evaluator of the policy variant this run's case alternatives select.
        mutating func evaluator(sample j: Int, from: Int) -> Evaluator {
            var variant = 0
            var place = 1
            for (i, input) in runner.design.inputs.enumerated() {
                guard case let .caseCondition(k, _) = input.kind else { continue }
                variant += Int(runner.design.value(i, sample: j, from: from)) * place
                place *= runner.radix[k]
            }
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
            for k in rows.indices { rows[k] = table.values[k] }
            let ev = evaluator(sample: j, from: from)
            for (i, input) in design.inputs.enumerated() {
                switch input.kind {
                case let .weight(edge, _): weights[edge] = design.value(i, sample: j, from: from)
                case let .groupWeights(_, edges, _):
                    for (k, e) in edges.enumerated() { weights[e] = design.value(i, sample: j, from: from, offset: k) }
                case let .fact(c, s, _): rows[c * table.slotCount + s] = design.value(i, sample: j, from: from)
                case let .aggregation(g, methods): ev.setAggregation(group: g, to: methods[Int(design.value(i, sample: j, from: from))])
                case .caseCondition: break
                }
            }
            // A draw that breaks a constraint leaves that candidate's facts as stated for the run.
            for c in sampled {
                let range = (c * table.slotCount)..<((c + 1) * table.slotCount)
                if runner.policy.brokenConstraint(rows[range]) != nil {
                    for k in range { rows[k] = table.values[k] }
                    results.restores[r] += 1
                }
            }
            let count = table.candidateCount
            let slots = table.slotCount
            outcomes.withUnsafeMutableBufferPointer { out in
                rows.withUnsafeBufferPointer { rp in
                    weights.withUnsafeBufferPointer { wp in
                        guard let row0 = rp.baseAddress, let w = wp.baseAddress else { return }
                        for c in 0..<count { out[c] = ev.score(row0 + c * slots, weights: w) }
                    }
                }
            }
            results.record(run: r, outcomes: outcomes, ids: ids, minCoverage: runner.policy.minimumCoverage)
        }
    }
}
