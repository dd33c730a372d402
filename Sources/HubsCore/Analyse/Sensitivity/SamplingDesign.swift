/// The Saltelli sampling design: two matrices A and B of independent draws of every input, each
/// draw from its own SplitMix64 generator seeded by (seed, matrix, sample, input), so any run can
/// be recomputed alone and the output does not depend on the number of threads. Run r uses A
/// (r < N), B (N ≤ r < 2N), or AB_i: A with input i taken from B.
struct SamplingDesign: Sendable {
    let inputs: [UncertainInput]
    let samples: Int
    /// Where each input's values start within one sample's row (an input may span several values).
    let offsets: [Int]
    /// Values per sample.
    let width: Int
    let drawA: [Double]
    let drawB: [Double]
    /// With Sobol indices: A, B and every AB_i. Without: A only (plain Monte Carlo).
    let sobol: Bool
    /// The families with a matrix AB_F of their own (run `from` = inputs.count + position).
    let families: [UncertainInput.Family]
    /// Each input's family's position in `families` (−1 when families have no matrices).
    let familyOf: [Int]

    var runs: Int { sobol ? samples * (inputs.count + 2 + families.count) : samples }

    /// Only weights vary: leaves and gates are the same in every run.
    var weightsOnly: Bool {
        inputs.allSatisfy {
            switch $0.kind {
            case .weight, .groupWeights: true
            default: false
            }
        }
    }

    /// The design of `samples` samples; with `runs`, only the rows those runs read are drawn
    /// (a shard draws its own samples, not every sample), the others left at 0 and never read.
    /// Each draw has its own seed, so a row is the same whichever others are drawn.
    init(
        policy: CompiledPolicy, inputs: [UncertainInput], samples: Int, seed: UInt64, sobol: Bool = true, families: Bool = false,
        runs: Range<Int>? = nil
    ) {
        self.sobol = sobol
        let fams = sobol && families ? UncertainInput.Family.allCases : []
        self.families = fams
        familyOf = inputs.map { i in fams.firstIndex(of: i.family) ?? -1 }
        self.inputs = inputs
        self.samples = samples
        var offsets = [0]
        for input in inputs { offsets.append((offsets.last ?? 0) + input.dimension) }
        self.offsets = offsets
        width = offsets.last ?? 0
        // Which rows of A and of B the runs read: run r reads A (r < N), B (N ≤ r < 2N), or A
        // and B (AB_i: A with input i from B).
        var needA = [Bool](repeating: runs == nil, count: samples)
        var needB = [Bool](repeating: runs == nil && sobol, count: samples)
        if let runs, samples > 0 {
            for r in runs {
                let j = r % samples
                if r < samples {
                    needA[j] = true
                } else if r < 2 * samples {
                    needB[j] = true
                } else {
                    needA[j] = true
                    needB[j] = true
                }
            }
        }
        drawA = Self.draws(policy, inputs, offsets, width, samples, seed, matrix: 0, rows: needA)
        drawB = sobol ? Self.draws(policy, inputs, offsets, width, samples, seed, matrix: 1, rows: needB) : []
    }

    /// The sample and the matrix a run draws from: `from` is −1 for A, −2 for B, i for AB_i, and
    /// inputs.count + f for AB_F, family f's matrix.
    func run(_ r: Int) -> (sample: Int, from: Int) {
        let n = samples
        return r < n ? (r, -1) : (r < 2 * n ? (r - n, -2) : ((r - 2 * n) % n, (r - 2 * n) / n))
    }

    /// Input `i`'s first value for a run's sample.
    func value(_ i: Int, sample j: Int, from: Int, offset k: Int = 0) -> Double {
        (from == -2 || from == i || (from >= inputs.count && familyOf[i] == from - inputs.count) ? drawB : drawA)[
            j * width + offsets[i] + k]
    }

    static func draws(
        _ policy: CompiledPolicy, _ inputs: [UncertainInput], _ offsets: [Int], _ width: Int, _ n: Int, _ seed: UInt64, matrix: UInt64,
        rows: [Bool]
    ) -> [Double] {
        var out = [Double](repeating: 0, count: n * width)
        for j in 0..<n where rows[j] {
            for i in inputs.indices {
                var rng = SplitMix64(seed: SensitivityAnalysis.mix(seed, matrix, UInt64(j), UInt64(i)))
                draw(inputs, i, policy, into: &out, at: j * width + offsets[i], &rng)
            }
        }
        return out
    }

    /// One draw of one input.
    static func draw(
        _ inputs: [UncertainInput], _ i: Int, _ policy: CompiledPolicy, into out: inout [Double], at base: Int, _ rng: inout SplitMix64
    ) {
        let unit = SensitivityAnalysis.unit
        // Read in place: a copy of the input would retain its name and arrays for every draw.
        switch inputs[i].kind {
        case let .weight(edge, p):
            out[base] = policy.nominalWeights[edge] * (1 + p / 100 * (2 * unit(&rng) - 1))
        case let .groupWeights(_, edges, alphas):
            let g = alphas.map { SensitivityAnalysis.gamma($0, &rng) }
            let sum = g.reduce(0, +)
            let total = edges.reduce(0.0) { $0 + policy.nominalWeights[$1] }
            for k in g.indices { out[base + k] = sum > 0 ? g[k] / sum * total : policy.nominalWeights[edges[k]] }
        case let .fact(_, _, domain):
            switch domain {
            case let .interval(lo, hi): out[base] = lo + (hi - lo) * unit(&rng)
            case let .categorical(stated, k, keep):
                // One uniform draw: below `keep`, the stated value; above, the others evenly.
                let u = unit(&rng)
                if u < keep || k < 2 {
                    out[base] = Double(stated)
                } else {
                    let other = Swift.min(k - 2, Int((u - keep) / (1 - keep) * Double(k - 1)))
                    out[base] = Double(other >= stated ? other + 1 : other)
                }
            case let .choices(values): out[base] = values[Swift.min(values.count - 1, Int(unit(&rng) * Double(values.count)))]
            case let .weighted(p):
                // One uniform draw against the cumulative probabilities.
                let u = unit(&rng)
                var sum = 0.0
                var pick = p.count - 1
                for (k, q) in p.enumerated() {
                    sum += q
                    if u < sum {
                        pick = k
                        break
                    }
                }
                out[base] = Double(pick)
            }
        case let .aggregation(_, methods):
            out[base] = Double(Int(unit(&rng) * Double(methods.count)) % methods.count)
        case let .caseCondition(_, options):
            out[base] = Double(Int(unit(&rng) * Double(options)) % options)
        case let .assumedRisk(_, low, high):
            out[base] = low + (high - low) * unit(&rng)
        }
    }
}
