/// What an unknown fact could be, for the analyses that ask "and if we knew it?" (sensitivity
/// draws from it, gaps enumerates it): its values (alike, or with the policy's prior), or an
/// interval for a number.
public enum UnknownDomain: Sendable, Equatable {
    /// These values (a bool as 0/1, an enum value by position), each with `probabilities[i]`,
    /// or alike when nil.
    case values([Double], probabilities: [Double]?)
    /// A number between the two ends, uniformly; `prior` when the policy stated the interval.
    case interval(Double, Double, prior: Bool)

    /// The domain of an unknown fact: the policy's `prior:` when it states one; else both
    /// booleans, every enum value, or a number's declared range, an open end lying one span
    /// (farthest minus nearest threshold or goalpost of the rules that read it) beyond the
    /// farthest. Nil for a date, a one-value enum, or a number with neither.
    public init?(_ decl: FactDeclaration, _ use: FactUse) {
        if let prior = decl.prior {
            switch prior.distribution {
            case let .probabilities(p): self = .values(p.indices.map(Double.init), probabilities: p)
            case let .interval(lo, hi): self = .interval(lo, hi, prior: true)
            }
            return
        }
        switch decl.type {
        case .bool: self = .values([0, 1], probabilities: nil)
        case let .enumeration(values):
            guard values.count > 1 else { return nil }
            self = .values(values.indices.map(Double.init), probabilities: nil)
        case let .number(lo, hi, _):
            // An open end lies one span beyond the farthest threshold or goalpost, so the
            // outermost case has as much room as the ones inside (grants [0, ~] read at 50 and
            // 100: [0, 150]).
            let b = use.breakpoints
            guard let first = b.first ?? lo, let last = b.last ?? hi else { return nil }
            let span = Swift.max(last - first, Swift.max(Swift.abs(last), 1) * (b.count > 1 ? 0 : 1))
            let low = lo ?? (first - span)
            let high = hi ?? (last + span)
            guard low < high, low.isFinite, high.isFinite else { return nil }
            self = .interval(low, high, prior: false)
        case .date: return nil
        }
    }

    /// Values to try one by one: every value; for an interval its ends, the thresholds and
    /// goalposts inside it, and the midpoints between neighbours (between two of them every rule
    /// is constant or linear, so the extremes of a candidate's risk lie on this grid).
    public func grid(_ use: FactUse) -> [Double] {
        switch self {
        case let .values(v, _): return v
        case let .interval(lo, hi, _):
            let points = ([lo, hi] + use.breakpoints.filter { $0 > lo && $0 < hi }).sorted()
            var out: [Double] = []
            for (k, p) in points.enumerated() {
                if k > 0 { out.append((points[k - 1] + p) / 2) }
                out.append(p)
            }
            return out
        }
    }

    /// The probability of each value of `grid` under the prior: the stated ones for values; nil
    /// for values alike or an interval (the grid is not evenly spaced).
    public var probabilities: [Double]? {
        if case let .values(_, p) = self { return p }
        return nil
    }
}
