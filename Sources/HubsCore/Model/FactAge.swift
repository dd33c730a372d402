import Foundation

/// A maximum age for evidence, written `3y`, `18m` (months), `6w` or `90d`.
public struct FactAge: Hashable, Sendable, CustomStringConvertible {
    public var years = 0, months = 0, days = 0
    public var text: String

    /// Reads `3y`, `18m`, `6w` or `90d`; nil for anything else.
    public static func parse(_ s: String) -> FactAge? {
        let t = s.trimmingSpace()
        guard let unit = t.last, let n = Int(t.dropLast()), n > 0, n <= 1000 else { return nil }
        var a = FactAge(text: t)
        switch unit {
        case "y": a.years = n
        case "m": a.months = n
        case "w": a.days = 7 * n
        case "d": a.days = n
        default: return nil
        }
        return a
    }

    /// The oldest day still within this age of `asOf`.
    public func cutoff(before asOf: Day) -> Day { asOf.subtracting(years: years, months: months, days: days) }
    public var description: String { text }
}
