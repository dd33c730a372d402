import Foundation

/// Reads a YAML mapping strictly: each key read is ticked off, and `finish()` reports keys that
/// were never read as unknown (with a did-you-mean hint). Duplicate keys are errors.
struct MappingReader {
    let pairs: [YAMLPair]
    let location: SourceLocation
    let what: String
    /// Which pairs have been read, by position (the first 64 in a mask; a mapping of fixed words
    /// rarely has more), so that ticking a key off costs neither hashing nor memory.
    private var readMask: UInt64 = 0
    private var readBeyond: Set<Int> = []
    /// Set by `everyPair()`: every key is read (candidates, facts: each key is a name).
    private var readAll = false
    var diags: [Diagnostic] = []

    init?(_ node: YAML, what: String, diags: inout [Diagnostic]) {
        guard case let .mapping(pairs, loc) = node else {
            diags.append(
                .wrongKind(
                    "\(what) must be a mapping (key: value), found \(node.kindName)",
                    at: node.location))
            return nil
        }
        self.pairs = pairs
        self.location = loc
        self.what = what
        // Duplicate keys never get here: the YAML reader refuses them where they stand.
    }

    var keys: [String] { pairs.map(\.key.text) }

    /// All pairs, each counted as read: for mappings whose keys are names, not fixed words.
    mutating func everyPair() -> [YAMLPair] {
        readAll = true
        return pairs
    }

    mutating func node(_ key: String) -> YAML? {
        guard let i = pairs.firstIndex(where: { $0.key.text == key }) else { return nil }
        if i < 64 { readMask |= 1 << UInt64(i) } else { readBeyond.insert(i) }
        return pairs[i].value
    }

    private func wasRead(_ i: Int) -> Bool { readAll || (i < 64 ? readMask & (1 << UInt64(i)) != 0 : readBeyond.contains(i)) }

    mutating func has(_ key: String) -> Bool { pairs.contains { $0.key.text == key } }

    mutating func required(_ key: String, hint: String? = nil) -> YAML? {
        if let n = node(key) { return n }
        diags.append(.missingKey("\(what) has no '\(key)'", at: location, hint: hint ?? "add '\(key):'"))
        return nil
    }

    /// Text shown inline (names, titles, labels, reasons, notes): line breaks (of a block scalar,
    /// or written as escapes) are folded to spaces, so no value can break a table row or a line.
    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let n = required ? self.required(key) : node(key) else { return nil }
        return scalarText(n, key: key).map(Scalars.oneLine)
    }

    mutating func scalar(_ key: String, required: Bool = false) -> YAMLScalar? {
        guard let n = required ? self.required(key) : node(key) else { return nil }
        guard case let .scalar(s) = n, !s.isNull else {
            diags.append(.wrongKind("'\(key)' must be a single value, found \(n.kindName)", at: n.location))
            return nil
        }
        return s
    }

    mutating func scalarText(_ n: YAML, key: String) -> String? {
        guard case let .scalar(s) = n, !s.isNull else {
            diags.append(.wrongKind("'\(key)' must be text, found \(n.kindName)", at: n.location))
            return nil
        }
        return s.text
    }

    mutating func number(_ key: String, required: Bool = false) -> (Double, YAMLScalar)? {
        guard let s = scalar(key, required: required) else { return nil }
        guard let v = Scalars.number(s) else {
            diags.append(Scalars.notANumber(s, what: "'\(key)'"))
            return nil
        }
        return (v, s)
    }

    /// A whole number within `range`, read through one checked path: a fraction, a huge number or
    /// one outside the range is a located error, never a trap.
    mutating func integer(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> (Int, YAMLScalar)? {
        guard let (v, s) = number(key, required: required) else { return nil }
        guard let i = Scalars.integer(v, in: range) else {
            diags.append(
                .invalidValue(
                    "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound), found \(s.text)",
                    at: s.location, length: s.text.count))
            return nil
        }
        return (i, s)
    }

    mutating func date(_ key: String, required: Bool = false, allowPartial: Bool = true) -> Day? {
        guard let s = scalar(key, required: required) else { return nil }
        guard let d = Day.parse(s.text, allowPartial: allowPartial) else {
            diags.append(
                .invalidDate(
                    "'\(key)' must be a date written YYYY-MM-DD\(allowPartial ? " (or YYYY-MM, YYYY)" : ""), found '\(s.text)'",
                    at: s.location, length: s.text.count))
            return nil
        }
        return d
    }

    /// Reports keys never read, with a did-you-mean hint drawn from `allowed`.
    mutating func finish(allowed: [String]) -> [Diagnostic] {
        for (i, p) in pairs.enumerated() where !wasRead(i) {
            // A key that is allowed but was not read is out of place here; never "did you mean" itself.
            let others = allowed.filter { $0 != p.key.text }
            diags.append(
                .unknownKey(
                    "unknown key '\(p.key.text)' in \(what)", at: p.key.location,
                    hint: Suggest.hint(for: p.key.text, in: others) ?? "allowed keys: \(allowed.joined(separator: ", "))",
                    length: p.key.text.count))
        }
        return diags
    }
}

/// Reading typed values from scalars, strictly (no YAML 1.1 'yes'/'no' booleans).
public enum Scalars {
    /// A plain number (no quotes, no tags); nil otherwise.
    public static func number(_ s: YAMLScalar) -> Double? {
        guard s.style == .plain, !s.text.isEmpty else { return nil }
        // Only digits, signs, '.', 'e' and '_' (a digit separator), checked byte by byte.
        var underscores = false
        for b in s.text.utf8 {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                continue
            case UInt8(ascii: "_"): underscores = true
            default: return nil
            }
        }
        let t = underscores ? String(decoding: s.text.utf8.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self) : s.text
        guard !t.isEmpty, let v = Double(t), v.isFinite else { return nil }
        return v
    }

    /// Line breaks folded to single spaces, trailing space dropped.
    public static func oneLine(_ s: String) -> String {
        // In the bytes when they are at hand (a string of one piece, nearly always).
        let hasBreak = s.utf8.withContiguousStorageIfAvailable { LineBreaks.any(in: $0) }
        guard
            hasBreak
                ?? s.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{85}" })
        else { return s }
        var out = ""
        var lastWasBreak = false
        for ch in s {
            if ch.isNewline {
                if !lastWasBreak { out += " " }
                lastWasBreak = true
            } else {
                out.append(ch)
                lastWasBreak = false
            }
        }
        while out.last == " " { out.removeLast() }
        return out
    }

    /// `v` as an Int when it is a whole number within `range`; nil otherwise (never traps).
    public static func integer(_ v: Double, in range: ClosedRange<Int>) -> Int? {
        guard v.isFinite, v == v.rounded(), v >= Double(range.lowerBound), v <= Double(range.upperBound) else { return nil }
        return Int(v)
    }

    /// The error for a scalar that should be a number, saying so when the number is only quoted.
    /// Says when the number is only quoted or tagged as text, and how to fix each; `hint` is for
    /// anything else. One message for every number read from a file.
    static func notANumber(_ s: YAMLScalar, what: String, code: DiagnosticCode = .invalidValue, hint: String? = nil) -> Diagnostic {
        let length = s.text.count + (s.isQuoted ? 2 : 0)
        var plain = s
        plain.style = .plain
        if s.style != .plain, number(plain) != nil {
            let tagged = s.style == .tagged
            return .coded(
                code, "\(what) must be a number, found \(tagged ? "a number tagged as text" : "the quoted text") \"\(s.text)\"",
                at: s.location,
                hint: tagged ? "remove the !!str tag: a tagged number is text" : "remove the quotes: a quoted number is text",
                length: length)
        }
        return .coded(code, "\(what) must be a number, found '\(s.text)'", at: s.location, hint: hint, length: length)
    }

    /// A plain `true` or `false`; nil otherwise.
    public static func bool(_ s: YAMLScalar) -> Bool? {
        guard s.style == .plain else { return nil }
        switch s.text {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// Ids are lower-case words joined by '_' or '-': they appear in output, paths and expressions.
    public static func isValidID(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, ("a"..."z").contains(f), s.count <= 64 else { return false }
        return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    /// Fact names are also expression identifiers, so they may not contain '-'.
    public static func isValidFactName(_ s: String) -> Bool { isValidID(s) && !s.utf8.contains(UInt8(ascii: "-")) }
}
