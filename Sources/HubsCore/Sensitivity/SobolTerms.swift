import CHubsKernels

/// The terms of the Sobol estimators of one output series (first order: Saltelli 2010; total:
/// Jansen 1999), laid out for summing over many samples of the runs: the full sample, its first
/// half and every bootstrap resample. For input i and sample j,
/// term i = f(B)·(f(ABᵢ) − f(A)) and term k + i = (f(A) − f(ABᵢ))².
///
/// The terms are kept in chunks of 16 per sample, chunk by chunk (all samples' first 16 terms,
/// then the next 16, …), so that summing one chunk over a resample keeps its 16 sums in registers
/// and reads 128 contiguous bytes per sample drawn, and one chunk of every sample (n × 128 bytes)
/// stays in cache while every resample is summed. Each sum still adds in the order of its sample,
/// as a plain loop would: the same bits as summing row by row.
struct SobolTerms {
    static let chunkWidth = Int(HUBS_SOBOL_CHUNK)
    let n: Int
    let width: Int
    let chunks: Int
    /// terms[(c·n + j)·16 + m]: term c·16 + m of sample j (0 past the last term).
    let terms: [Double]
    /// Each sample's two outputs, f(A) and f(B), side by side.
    let pairs: [Double]

    /// The terms of the series `y` (f(A) for 0..<n, f(B) for n..<2n, then f(ABᵢ) for each of the
    /// `k` inputs).
    init(_ y: [Double], n: Int, k: Int) {
        let w = Self.chunkWidth
        self.n = n
        width = 2 * k
        chunks = (2 * k + w - 1) / w
        var terms = [Double](repeating: 0, count: chunks * n * w)
        func at(_ m: Int, _ j: Int) -> Int { ((m / w) * n + j) * w + m % w }
        var pairs = [Double](repeating: 0, count: 2 * n)
        for j in 0..<n {
            let fa = y[j]
            let fb = y[n + j]
            pairs[2 * j] = fa
            pairs[2 * j + 1] = fb
            for i in 0..<k {
                let fab = y[(2 + i) * n + j]
                terms[at(i, j)] = fb * (fab - fa)
                terms[at(k + i, j)] = (fa - fab) * (fa - fab)
            }
        }
        self.terms = terms
        self.pairs = pairs
    }

    /// For each sample (indices into 0..<n, with repeats): the variance of its outputs (f(A) and
    /// f(B) together) and the sums of its terms.
    func sums(_ samples: [[Int]], level: BatchMachine.KernelLevel = BatchMachine.bestLevel) -> [(variance: Double, sums: [Double])] {
        let w = Self.chunkWidth
        var acc = [Double](repeating: 0, count: samples.count * chunks * w)
        terms.withUnsafeBufferPointer { t in
            acc.withUnsafeMutableBufferPointer { a in
                guard let t0 = t.baseAddress, let a0 = a.baseAddress else { return }
                for c in 0..<chunks {
                    for (r, sample) in samples.enumerated() {
                        Self.indices(sample) { js in
                            hubs_sobol_chunk_sums(
                                Int32(level.rawValue), t0 + c * n * w, js.baseAddress, js.count, a0 + (r * chunks + c) * w)
                        }
                    }
                }
            }
        }
        let v = variances(samples)
        return samples.indices.map { r in
            (v[r], Array(acc[(r * chunks * w)..<(r * chunks * w + width)]))
        }
    }

    /// A sample's indices as the kernels read them (`Int` is 64 bits wide on every platform
    /// hubs builds for).
    static func indices<R>(_ sample: [Int], _ body: (UnsafeBufferPointer<Int64>) -> R) -> R {
        sample.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: Int64.self) { body($0) }
        }
    }

    /// The variance of each sample's outputs: the mean first, then the squares about it
    /// (`hubs_sobol_variances`, four samples of one size side by side).
    func variances(_ samples: [[Int]]) -> [Double] {
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
                            guard let o0 = o.baseAddress else { return }
                            hubs_sobol_variances(p.baseAddress, ps.baseAddress, ps.count, group[0].count, o0 + start)
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
