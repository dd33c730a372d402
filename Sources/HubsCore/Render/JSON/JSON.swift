/// A JSON value with ordered keys, so output is byte-identical from run to run.
public indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    /// Builds an object from key-value pairs in order.
    public static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

    /// A number, or null when absent.
    public static func num(_ v: Double?) -> JSON { v.map { $0.isFinite ? .number($0) : .null } ?? .null }
    /// A string, or null when absent.
    public static func str(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }

    /// The document as text, keys in their given order, two-space indented.
    public func serialized(pretty: Bool = true) -> String {
        let out = ByteBuffer()
        write(into: out, indent: pretty ? 0 : nil)
        return out.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends the value's text to `out`; `indent` is the nesting level when pretty.
    func write(into out: ByteBuffer, indent: Int?) {
        switch self {
        case .null: out.append("null")
        case let .bool(b): out.append(b ? "true" : "false")
        case let .number(v): JSON.number(v, into: out)
        case let .string(s): JSON.escape(s, into: out)
        case let .array(items):
            if items.isEmpty {
                out.append("[]")
                return
            }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSON.newline(out, indent.map { $0 + 1 })
                item.write(into: out, indent: indent.map { $0 + 1 })
            }
            JSON.newline(out, indent)
            out.append(UInt8(ascii: "]"))
        case let .object(pairs):
            if pairs.isEmpty {
                out.append("{}")
                return
            }
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSON.key(k, into: out, indent: indent.map { $0 + 1 })
                v.write(into: out, indent: indent.map { $0 + 1 })
            }
            JSON.newline(out, indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A line break and two spaces per level, when pretty (`level` is nil when compact).
    @inline(__always) static func newline(_ out: ByteBuffer, _ level: Int?) {
        guard let n = level else { return }
        out.appendNewline(indent: 2 * n)
    }

    /// `"key": ` (or `"key":` when compact) on its own line at `level`.
    static func key(_ k: String, into out: ByteBuffer, indent level: Int?) {
        newline(out, level)
        escape(k, into: out)
        out.append(UInt8(ascii: ":"))
        if level != nil { out.append(UInt8(ascii: " ")) }
    }

    /// Integers print without a fraction; other numbers in Swift's shortest round-trip form;
    /// non-finite ones as null. Written straight to bytes, without making a string.
    static func number(_ v: Double, into out: ByteBuffer) {
        guard v.isFinite else {
            out.append("null")
            return
        }
        if v == v.rounded(), Swift.abs(v) < 1e15 {
            let n = Int64(v)
            if n < 0 { out.append(UInt8(ascii: "-")) }
            out.appendDecimal(Int(n.magnitude))
        } else {
            // `write(to:)` gives `description`'s characters; a stream that takes them as ASCII
            // bytes spares making a string of them (a third of the cost of a number).
            var sink = ASCIISink(out: out)
            v.write(to: &sink)
        }
    }

    /// A text stream into a byte buffer that takes a number's characters as they are made.
    struct ASCIISink: TextOutputStream {
        let out: ByteBuffer

        mutating func write(_ string: String) {
            var s = string
            s.withUTF8 { out.append(UnsafeRawBufferPointer($0)) }
        }

        /// ASCII text from the standard library's number formatting, written without a string.
        mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { out.append(UnsafeRawBufferPointer(buffer)) }
    }

    /// A JSON string. Every control character (C0, DEL and C1) is written as an escape, so JSON
    /// output never carries a raw control byte to a terminal.
    static func escape(_ s: String, into out: ByteBuffer) {
        // Most text needs no escape: check its bytes in place, then copy them whole.
        var text = s
        let plain = text.withUTF8 { bytes -> Bool in
            guard !needsEscape(bytes) else { return false }
            // The quotes and the text after one check for room.
            let n = bytes.count
            out.reserve(n &+ 2)
            let p = out.end
            p[0] = UInt8(ascii: "\"")
            if let from = bytes.baseAddress { ByteBuffer.copy(p + 1, from, n) }
            p[n &+ 1] = UInt8(ascii: "\"")
            out.advance(n &+ 2)
            return true
        }
        if plain { return }
        out.append(UInt8(ascii: "\""))
        var utf8 = s.utf8.makeIterator()
        var pendingC2 = false
        while let b = utf8.next() {
            if pendingC2 {
                pendingC2 = false
                if (0x80...0x9F).contains(b) {
                    unicodeEscape(UInt32(b), into: out)
                } else {
                    out.append(0xC2)
                    out.append(b)
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): out.append("\\\"")
            case UInt8(ascii: "\\"): out.append("\\\\")
            case UInt8(ascii: "\n"): out.append("\\n")
            case UInt8(ascii: "\r"): out.append("\\r")
            case UInt8(ascii: "\t"): out.append("\\t")
            case 0x00..<0x20, 0x7F: unicodeEscape(UInt32(b), into: out)
            // U+0080–U+009F are C2 80–C2 9F in UTF-8: look at the next byte.
            case 0xC2: pendingC2 = true
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether any byte is a control character (C0 or DEL), a quote, a backslash or 0xC2 (the
    /// lead byte of C1 controls and of other characters, which the slow path tells apart):
    /// eight bytes at a time, by the usual word tricks (each test is exact).
    static func needsEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        var i = 0
        let n = bytes.count
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= n {
                let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if (x &- ones &* 0x20) & ~x & highs != 0 || hasZero(x ^ (ones &* 0x22)) || hasZero(x ^ (ones &* 0x5C))
                    || hasZero(x ^ (ones &* 0x7F)) || hasZero(x ^ (ones &* 0xC2))
                {
                    return true
                }
                i += 8
            }
        }
        while i < n {
            let b = bytes[i]
            if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b == 0x7F || b == 0xC2 { return true }
            i += 1
        }
        return false
    }

    static func unicodeEscape(_ v: UInt32, into out: ByteBuffer) {
        let hex: StaticString = "0123456789abcdef"
        out.append("\\u00")
        hex.withUTF8Buffer { h in
            out.append(h[Int(v >> 4) & 0xF])
            out.append(h[Int(v) & 0xF])
        }
    }
}

extension Diagnostic {
    public var json: JSON {
        .object([
            ("code", .string(code.rawValue)),
            ("severity", .string(severity.rawValue)),
            ("message", .string(message)),
            ("file", .str(location?.file)),
            ("line", location.map { .number(Double($0.line)) } ?? .null),
            ("column", location.map { .number(Double($0.column)) } ?? .null),
            ("hint", .str(hint)),
        ])
    }
}
