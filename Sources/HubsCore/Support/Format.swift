import Foundation

/// Number formatting shared by every renderer, so the same value always prints the same way.
public enum Format {
    /// Integers without a decimal point; others with up to 6 significant digits.
    public static func number(_ v: Double) -> String {
        if v.isNaN { return "n/a" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.6g", v)
        if s.contains("e") { return s }
        while s.contains("."), s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// Fixed decimals, with "-0.0" printed as "0.0".
    public static func fixed(_ v: Double, _ digits: Int) -> String {
        if v.isNaN { return "n/a" }
        let s = String(format: "%.\(digits)f", v)
        if s.hasPrefix("-"), Double(s) == 0 { return String(s.dropFirst()) }
        return s
    }

    /// A share from 0 to 1 as a whole percentage: 0.85 → "85%".
    public static func percent(_ share: Double) -> String { fixed(share * 100, 0) + "%" }
}
