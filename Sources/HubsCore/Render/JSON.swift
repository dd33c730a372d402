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
        var out = ""
        write(&out, indent: pretty ? 0 : nil)
        return out
    }

    private func write(_ out: inout String, indent: Int?) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .number(v): out += JSON.format(v)
        case let .string(s): JSON.escape(s, into: &out)
        case let .array(items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if let n = indent { out += "\n" + String(repeating: "  ", count: n + 1) }
                item.write(&out, indent: indent.map { $0 + 1 })
            }
            if let n = indent { out += "\n" + String(repeating: "  ", count: n) }
            out += "]"
        case let .object(pairs):
            if pairs.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out += "," }
                if let n = indent { out += "\n" + String(repeating: "  ", count: n + 1) }
                JSON.escape(k, into: &out)
                out += indent == nil ? ":" : ": "
                v.write(&out, indent: indent.map { $0 + 1 })
            }
            if let n = indent { out += "\n" + String(repeating: "  ", count: n) }
            out += "}"
        }
    }

    /// Integers print without a fraction; other numbers in Swift's shortest round-trip form.
    static func format(_ v: Double) -> String {
        if !v.isFinite { return "null" }
        if v == v.rounded(), Swift.abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    static func escape(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
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
