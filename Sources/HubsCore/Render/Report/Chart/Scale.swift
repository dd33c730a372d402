import Foundation

/// A linear map from values (the domain) to positions on a chart (the range), with "nice" ticks:
/// steps of 1, 2 or 5 times a power of ten, as people read axes.
struct LinearScale: Sendable, Equatable {
    var domain: ClosedRange<Double>
    var range: ClosedRange<Double>
    /// Whether larger values go towards the start of the range (a rank axis drawn downwards
    /// keeps 1 at the top by mapping normally; a value axis drawn upwards inverts).
    var inverted = false

    /// The position of value `v`; values outside the domain are placed beyond the range, in
    /// proportion (the caller clips if it must).
    func callAsFunction(_ v: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        let t = span == 0 ? 0.5 : (v - domain.lowerBound) / span
        let u = inverted ? 1 - t : t
        return range.lowerBound + u * (range.upperBound - range.lowerBound)
    }

    /// About `count` ticks inside the domain, at a nice step; a single tick for an empty domain.
    func ticks(_ count: Int) -> [Double] {
        let step = LinearScale.niceStep(domain.upperBound - domain.lowerBound, count: count)
        guard step > 0 else { return [domain.lowerBound] }
        // A hair of slack, so that 0.7 / 0.1 = 6.9999… still reaches the tick at 0.7.
        let first = (domain.lowerBound / step - 1e-9).rounded(.up)
        let last = (domain.upperBound / step + 1e-9).rounded(.down)
        guard first <= last else { return [] }
        // Multiples of the step, computed from integers so that 0.1 × 3 prints as 0.3.
        return stride(from: first, through: last, by: 1).map { k in (k * step * 1e9).rounded() / 1e9 }
    }

    /// Whole-number ticks only (ranks, counts): at least 1 apart.
    func integerTicks(_ count: Int) -> [Int] {
        let step = Swift.max(1, LinearScale.niceStep(domain.upperBound - domain.lowerBound, count: count))
        let first = Int((domain.lowerBound / step).rounded(.up) * step)
        let s = Int(step)
        var out: [Int] = []
        var k = first
        while Double(k) <= domain.upperBound {
            out.append(k)
            k += s
        }
        return out
    }

    /// The step of 1, 2 or 5 × 10^k that cuts `span` into about `count` parts (0 for no span).
    static func niceStep(_ span: Double, count: Int) -> Double {
        guard span > 0, span.isFinite, count > 0 else { return 0 }
        let raw = span / Double(count)
        let power = Foundation.pow(10, (Foundation.log10(raw)).rounded(.down))
        let fraction = raw / power
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return nice * power
    }
}
