import CHubsKernels

/// The outputs of one series laid out for the Sobol estimators (first order: Saltelli 2010;
/// total: Jansen 1999), summed over many samples of the runs: the full sample, its first half and
/// every bootstrap resample. For input i and sample j, term i = f(B)·(f(ABᵢ) − f(A)) and term
/// k + i = (f(A) − f(ABᵢ))².
///
/// Each sample's outputs are one row: f(ABᵢ) for every input, then f(A) and f(B), padded to a
/// multiple of 8 (24 doubles, three cache lines, for 22 inputs). The kernel
/// (`hubs_sobol_sums`) computes a drawn row's 2k terms as it reads them, eight inputs a vector,
/// so a resample reads a row once where a table of the terms themselves (2k doubles, padded)
/// took twice the memory traffic. Each sum still adds in the order of its sample, as a plain
/// loop over the terms would: the same bits.
struct SobolTerms {
    let n: Int
    let k: Int
    /// Doubles per row.
    let width: Int
    /// rows[j·width + i]: f(ABᵢ) of sample j; rows[j·width + k], [… + k + 1]: f(A), f(B).
    let rows: [Double]
    /// Each sample's two outputs, f(A) and f(B), side by side: the rows hold them too, but the
    /// variances' pass reads these 16 bytes per drawn sample from a table an eighth the size.
    let pairs: [Double]

    /// Inputs summed per kernel call (four vectors of eight).
    static let inputsPerCall = 32

    /// The rows of the series `y` (f(A) for 0..<n, f(B) for n..<2n, then f(ABᵢ) for each of the
    /// `k` inputs).
    init(_ y: [Double], n: Int, k: Int) {
        self.n = n
        self.k = k
        width = (k + 2 + 7) / 8 * 8
        var rows = [Double](repeating: 0, count: n * width)
        var pairs = [Double](repeating: 0, count: 2 * n)
        for j in 0..<n {
            let fa = y[j]
            let fb = y[n + j]
            pairs[2 * j] = fa
            pairs[2 * j + 1] = fb
            for i in 0..<k { rows[j * width + i] = y[(2 + i) * n + j] }
            rows[j * width + k] = fa
            rows[j * width + k + 1] = fb
        }
        self.rows = rows
        self.pairs = pairs
    }

    /// For each sample (indices into 0..<n, with repeats): the variance of its outputs (f(A) and
    /// f(B) together) and the sums of its terms (the k first-order sums, then the k totals).
    func sums(_ samples: [[Int]], level: BatchMachine.KernelLevel = BatchMachine.bestLevel) -> [(variance: Double, sums: [Double])] {
        precondition(k > 0, "a Sobol analysis varies at least one input")
        let per = Self.inputsPerCall
        var out = [Double](repeating: 0, count: 2 * per + 1)
        // Each sample's sum of f(A) + f(B), in its order: from the kernel's first call.
        var outputSums = [Double](repeating: 0, count: samples.count)
        let all: [[Double]] = rows.withUnsafeBufferPointer { r in
            samples.enumerated().map { s, sample in
                var sums = [Double](repeating: 0, count: 2 * k)
                Self.indices(sample) { js in
                    for first in stride(from: 0, to: k, by: per) {
                        let inputs = Swift.min(per, k - first)
                        let vectors = (inputs + 7) / 8
                        out.withUnsafeMutableBufferPointer { o in
                            hubs_sobol_sums(
                                Int32(level.rawValue), r.baseAddress, width, k, first, vectors, js.baseAddress, js.count,
                                o.baseAddress)
                        }
                        for i in 0..<inputs {
                            sums[first + i] = out[i]
                            sums[k + first + i] = out[8 * vectors + i]
                        }
                        if first == 0 { outputSums[s] = out[16 * vectors] }
                    }
                }
                return sums
            }
        }
        let v = variances(samples, outputSums: outputSums)
        return samples.indices.map { (v[$0], all[$0]) }
    }

    /// A sample's indices as the kernels read them (`Int` is 64 bits wide on every platform
    /// hubs builds for).
    static func indices<R>(_ sample: [Int], _ body: (UnsafeBufferPointer<Int64>) -> R) -> R {
        sample.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: Int64.self) { body($0) }
        }
    }

    /// The variance of each sample's outputs, given the sum of each one's outputs (in its order):
    /// the squares about their mean (`hubs_sobol_variances`, four samples of one size side by
    /// side). A Sobol analysis has at least one input, so the sums come from the terms' kernel.
    func variances(_ samples: [[Int]], outputSums: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: samples.count)
        var start = 0
        pairs.withUnsafeBufferPointer { p in
            while start < samples.count {
                var end = start + 1
                while end < samples.count && end - start < 4 && samples[end].count == samples[start].count { end += 1 }
                let group = Array(samples[start..<end])
                Self.withIndices(group[...], []) { pointers in
                    pointers.withUnsafeBufferPointer { ps in
                        out.withUnsafeMutableBufferPointer { o in
                            outputSums.withUnsafeBufferPointer { m in
                                guard let o0 = o.baseAddress, let m0 = m.baseAddress else { return }
                                hubs_sobol_variances(p.baseAddress, ps.baseAddress, m0 + start, ps.count, group[0].count, o0 + start)
                            }
                        }
                    }
                }
                start = end
            }
        }
        return out
    }

    /// Calls `body` with pointers to the indices of every sample of `samples` at once.
    static func withIndices(
        _ samples: ArraySlice<[Int]>, _ pointers: [UnsafePointer<Int64>?], _ body: ([UnsafePointer<Int64>?]) -> Void
    ) {
        guard let first = samples.first else { return body(pointers) }
        indices(first) { withIndices(samples.dropFirst(), pointers + [$0.baseAddress], body) }
    }
}
