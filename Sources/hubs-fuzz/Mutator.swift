// A structure-aware mutator for the `structured` target: it edits a policy and scenario pair the
// way a careless or hostile author would (keys, indentation, anchors and aliases, numbers,
// strings, whole lines), so that most mutants still parse as YAML and reach the checker, binder
// and evaluator instead of stopping at the YAML reader. For the other targets it hands over to
// libFuzzer's own byte-level mutator.
import Foundation

@_silgen_name("LLVMFuzzerMutate")
func llvmFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int

/// SplitMix64, seeded by libFuzzer, so a run can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Mutator {
    /// Keys of hubs's formats, so a mutant can move a key to where it does not belong.
    static let keys = [
        "policy", "title", "version", "facts", "type", "range", "values", "unit", "criteria", "weight", "aggregate", "scale", "of",
        "best", "worst", "map", "fact", "risk", "cases", "when", "label", "else", "missing", "assume", "gates", "exclude_if",
        "require", "reason", "bands", "expr", "rationale", "scenario", "extends", "as_of", "candidates", "name", "sources",
        "value", "source", "confidence", "note", "stale_after", "url", "publisher", "date", "like", "unknown", "hypothetical",
    ]
    /// Numbers at the edges of what the reader and the evaluator must handle.
    static let numbers = [
        "0", "-0", "1e308", "-1e308", "1e309", "4.9e-324", ".nan", ".inf", "-.inf", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "0x1F", "0o17", "1_000", "1e", "+", "00012", "1.5", "-3", "2026-13-45", "2026-02-29", "~",
    ]
    /// Strings that try the escaping of every sink and the typing of every scalar.
    static let strings = [
        "\"\\e[2J\\e]0;pwned\\a\"", "\"=HYPERLINK(\\\"http://x\\\")\"", "'+1'", "'@x'", "<script>alert(1)</script>",
        "\"[x](javascript:alert(1))\"", "\"line\\nbreak\"", "\"\\u202Eevil\"", "\"\\x9b31m\"", "yes", "no", "null", "!!str 44",
        "!!binary aGk=", "''", "\"\"", "\"*a\"", "[1, 2]", "{a: 1}", "|\n  block", String(repeating: "x", count: 300),
    ]

    static func mutate(_ text: String, rng: inout SplitMix) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return "policy: p\n" }
        let rounds = Int.random(in: 1...3, using: &rng)
        for _ in 0..<rounds { edit(&lines, rng: &rng) }
        return lines.joined(separator: "\n")
    }

    static func edit(_ lines: inout [String], rng: inout SplitMix) {
        let i = Int.random(in: 0..<lines.count, using: &rng)
        let line = lines[i]
        switch Int.random(in: 0..<9, using: &rng) {
        case 0: lines[i] = reindent(line, rng: &rng)
        case 1: lines[i] = replaceKey(line, with: keys.randomElement(using: &rng) ?? "x")
        case 2: lines[i] = replaceValue(line, with: numbers.randomElement(using: &rng) ?? "0")
        case 3: lines[i] = replaceValue(line, with: strings.randomElement(using: &rng) ?? "x")
        case 4: anchorAndAlias(&lines, at: i, rng: &rng)
        case 5: lines.insert(line, at: i)
        case 6: if lines.count > 1 { lines.remove(at: i) }
        case 7: lines.swapAt(i, Int.random(in: 0..<lines.count, using: &rng))
        default: lines[i] = replaceValue(line, with: valueFrom(lines.randomElement(using: &rng) ?? ""))
        }
    }

    static func reindent(_ line: String, rng: inout SplitMix) -> String {
        let body = line.drop(while: { $0 == " " })
        let indent = line.count - body.count
        let options = [0, max(0, indent - 2), indent + 2, indent + 1, indent * 2]
        let spaces = options.randomElement(using: &rng) ?? 0
        return Bool.random(using: &rng) && spaces > 0 ? "\t" + body : String(repeating: " ", count: spaces) + body
    }

    /// The key of a `key: value` line (after indentation and a list dash).
    static func keyRange(_ line: String) -> Range<String.Index>? {
        var start = line.startIndex
        while start < line.endIndex, line[start] == " " || line[start] == "-" { start = line.index(after: start) }
        guard let colon = line[start...].firstIndex(of: ":"), colon > start else { return nil }
        return start..<colon
    }

    static func replaceKey(_ line: String, with key: String) -> String {
        guard let r = keyRange(line) else { return line }
        return line.replacingCharacters(in: r, with: key)
    }

    static func replaceValue(_ line: String, with value: String) -> String {
        guard let r = keyRange(line) else { return line + " " + value }
        return String(line[..<r.upperBound]) + ": " + value
    }

    static func valueFrom(_ line: String) -> String {
        guard let r = keyRange(line) else { return line.trimmingCharacters(in: .whitespaces) }
        return String(line[r.upperBound...].dropFirst()).trimmingCharacters(in: .whitespaces)
    }

    /// Marks the value of one line with an anchor and makes another line's value an alias of it.
    static func anchorAndAlias(_ lines: inout [String], at i: Int, rng: inout SplitMix) {
        guard keyRange(lines[i]) != nil else { return }
        let name = ["a", "b", "x"].randomElement(using: &rng) ?? "a"
        lines[i] = replaceValue(lines[i], with: "&\(name) " + valueFrom(lines[i]))
        let j = Int.random(in: 0..<lines.count, using: &rng)
        if j != i { lines[j] = replaceValue(lines[j], with: "*\(name)") }
    }
}

@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>?, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    guard let data else { return 0 }
    var rng = SplitMix(state: UInt64(seed))
    guard Fuzz.target == "structured", Int.random(in: 0..<8, using: &rng) != 0,
        let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    else { return llvmFuzzerMutate(data, size, maxSize) }
    let mutant = Array(Mutator.mutate(text, rng: &rng).utf8.prefix(maxSize))
    for (k, byte) in mutant.enumerated() { data[k] = byte }
    return mutant.count
}
