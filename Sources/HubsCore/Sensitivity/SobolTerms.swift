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
    static let chunkWidth = 16
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
    func sums(_ samples: [[Int]]) -> [(variance: Double, sums: [Double])] {
        let w = Self.chunkWidth
        var acc = [Double](repeating: 0, count: samples.count * chunks * w)
        terms.withUnsafeBufferPointer { t in
            acc.withUnsafeMutableBufferPointer { a in
                guard let t0 = t.baseAddress, let a0 = a.baseAddress else { return }
                for c in 0..<chunks {
                    for (r, sample) in samples.enumerated() {
                        sample.withUnsafeBufferPointer { js in
                            Self.chunkSums(t0 + c * n * w, js, into: a0 + (r * chunks + c) * w)
                        }
                    }
                }
            }
        }
        return samples.indices.map { r in
            (variance(samples[r]), Array(acc[(r * chunks * w)..<(r * chunks * w + width)]))
        }
    }

    /// The variance of a sample's outputs: the mean first, then the squares about it.
    func variance(_ sample: [Int]) -> Double {
        pairs.withUnsafeBufferPointer { p in
            var mean = 0.0
            for j in sample { mean += p[2 * j] + p[2 * j + 1] }
            mean /= Double(2 * sample.count)
            var v = 0.0
            for j in sample {
                let a = p[2 * j] - mean
                let b = p[2 * j + 1] - mean
                v += a * a + b * b
            }
            return v / Double(2 * sample.count)
        }
    }

    /// The sums of one chunk's 16 terms over the samples `js`, in that order, into `out`: eight
    /// pairs of lanes held in registers (each lane adds as a scalar would).
    @inline(__always)
    static func chunkSums(_ chunk: UnsafePointer<Double>, _ js: UnsafeBufferPointer<Int>, into out: UnsafeMutablePointer<Double>) {
        typealias V = SIMD2<Double>
        let raw = UnsafeRawPointer(chunk)
        let row = chunkWidth * MemoryLayout<Double>.stride
        var a0 = V(repeating: 0)
        var a1 = a0
        var a2 = a0
        var a3 = a0
        var a4 = a0
        var a5 = a0
        var a6 = a0
        var a7 = a0
        for j in js {
            let p = raw + j * row
            a0 += p.loadUnaligned(fromByteOffset: 0, as: V.self)
            a1 += p.loadUnaligned(fromByteOffset: 16, as: V.self)
            a2 += p.loadUnaligned(fromByteOffset: 32, as: V.self)
            a3 += p.loadUnaligned(fromByteOffset: 48, as: V.self)
            a4 += p.loadUnaligned(fromByteOffset: 64, as: V.self)
            a5 += p.loadUnaligned(fromByteOffset: 80, as: V.self)
            a6 += p.loadUnaligned(fromByteOffset: 96, as: V.self)
            a7 += p.loadUnaligned(fromByteOffset: 112, as: V.self)
        }
        let o = UnsafeMutableRawPointer(out)
        for (k, v) in [a0, a1, a2, a3, a4, a5, a6, a7].enumerated() { o.storeBytes(of: v, toByteOffset: 16 * k, as: V.self) }
    }
}
