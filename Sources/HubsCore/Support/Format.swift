import Foundation

/// Number formatting shared by every renderer, so the same value always prints the same way.
public enum Format {
    /// Integers without a decimal point; others with up to 6 significant digits.
    public static func number(_ v: Double) -> String {
        if v.isNaN { return "n/a" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        if let short = shortest(v) { return short }
        var s = printf("%.6g", v)
        // Byte checks: String.contains(String) goes through Foundation's slow search.
        if s.utf8.contains(UInt8(ascii: "e")) { return s }
        guard s.utf8.contains(UInt8(ascii: ".")) else { return s }
        while s.utf8.last == UInt8(ascii: "0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// Fixed decimals, with "-0.0" printed as "0.0".
    public static func fixed(_ v: Double, _ digits: Int) -> String {
        if v.isNaN { return "n/a" }
        if let s = exactFixed(v, digits) { return s }
        let s = printf("%.*f", Int32(clamping: digits), v)
        if s.hasPrefix("-"), Double(s) == 0 { return String(s.dropFirst()) }
        return s
    }

    /// `%.*f` without C: the exact binary value of `v` rounded to `digits` decimals, ties to even
    /// (what glibc prints), for the everyday range (up to 15 decimals, |v| × 10^digits below
    /// 2^52, |v| not tiny); nil outside it. v × 10^digits is split exactly into p + err (an
    /// error-free product by fused multiply-add), so rounding p to an integer is corrected by err
    /// exactly: only a p exactly halfway needs err's sign.
    static func exactFixed(_ v: Double, _ digits: Int) -> String? {
        guard (0...15).contains(digits), v.isFinite, v == 0 || abs(v) > 1e-200 else { return nil }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let p = v * scale
        guard abs(p) < 4_503_599_627_370_496 else { return nil }  // 2^52
        let err = (-p).addingProduct(v, scale)  // fused: v × scale − p, exactly
        var r = p.rounded(.towardZero)
        let frac = p - r  // exact: r is p's integer part
        if abs(frac) > 0.5 || (abs(frac) == 0.5 && (err.sign == frac.sign && err != 0)) {
            r += frac.sign == .minus ? -1 : 1
        } else if abs(frac) == 0.5 && err == 0 {
            // An exact tie: to even.
            if r.truncatingRemainder(dividingBy: 2) != 0 { r += frac.sign == .minus ? -1 : 1 }
        }
        let magnitude = UInt64(abs(r))
        var text = String(magnitude)
        if digits > 0 {
            if text.utf8.count <= digits { text = String(repeating: "0", count: digits - text.utf8.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -digits))
        }
        return r < 0 ? "-" + text : text
    }

    /// Swift's shortest round-trip digits, when they are what "%.6g" would print: at most 6
    /// significant digits in plain notation. Then the two agree exactly (the value is within half
    /// a unit in the last place of those digits, so rounding to 6 digits gives them back), and this
    /// is many times faster. Anything else returns nil.
    static func shortest(_ v: Double) -> String? {
        let d = v.description
        var significant = 0
        var leading = true
        for b in d.utf8 {
            switch b {
            case UInt8(ascii: "0"):
                if !leading { significant += 1 }
            case UInt8(ascii: "1")...UInt8(ascii: "9"):
                leading = false
                significant += 1
            case UInt8(ascii: "-"), UInt8(ascii: "."): continue
            default: return nil  // an exponent, inf or nan
            }
        }
        guard !leading, abs(v) >= 1e-4, abs(v) < 1e6 else { return nil }
        var out = d
        // Trailing zeros after the point are not significant ("2.50" is never printed, but be sure).
        while out.utf8.last == UInt8(ascii: "0") {
            out.removeLast()
            significant -= 1
        }
        if out.utf8.last == UInt8(ascii: ".") { out.removeLast() }
        return significant <= 6 ? out : nil
    }

    /// C's own formatting into a stack buffer: the same digits as `String(format:)`, without
    /// going through Foundation's string machinery (this runs for every number in every output).
    static func printf(_ format: StaticString, _ args: any CVarArg...) -> String {
        let fmt = UnsafeRawPointer(format.utf8Start).assumingMemoryBound(to: CChar.self)
        // Most numbers fit 64 bytes on the stack; a longer one (a huge fixed-point number) is
        // written again into a buffer of the size C reported.
        let (short, needed) = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf -> (String?, Int) in
            let n = Int(withVaList(args) { vsnprintf(buf.baseAddress, 64, fmt, $0) })
            guard n >= 0, n < 64, let base = buf.baseAddress else { return (nil, n) }
            return (
                base.withMemoryRebound(to: UInt8.self, capacity: n) {
                    String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self)
                }, n
            )
        }
        if let short { return short }
        var buf = [CChar](repeating: 0, count: Swift.max(0, needed) + 1)
        let written = Int(withVaList(args) { vsnprintf(&buf, buf.count, fmt, $0) })
        return String(decoding: buf.prefix(Swift.max(0, written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A share from 0 to 1 as a whole percentage: 0.85 → "85%".
    public static func percent(_ share: Double) -> String { fixed(share * 100, 0) + "%" }

    /// A size in bytes for a reader: "512 bytes", "340 MiB", "16.4 GiB" (binary units, one decimal
    /// from GiB on).
    public static func bytes(_ b: Double) -> String {
        let kib = 1024.0
        let mib = kib * kib
        let gib = mib * kib
        if b < kib { return fixed(b, 0) + " bytes" }
        if b < mib { return fixed(b / kib, 0) + " KiB" }
        if b < gib { return fixed(b / mib, 0) + " MiB" }
        return fixed(b / gib, 1) + " GiB"
    }
}
