import Foundation

/// Reading a long scenario in parts, side by side.
///
/// libyaml reads about 25 MB a second, one thread; a scenario of 20,000 candidates is 14 MB. Its
/// `candidates:` mapping is cut at candidate keys into parts that are read on their own, with
/// their line numbers moved to where they stand in the file, and joined. The cut is made only
/// where it cannot change the tree:
/// - `candidates:` is a key of the top-level mapping, alone on its line at column 1, and its
///   candidates are keys on lines of their own at one indentation (a cut is made only before
///   such a line, so every block scalar and plain scalar has ended there);
/// - the file has no line break but `\n` (libyaml also counts `\r`, NEL, LS and PS), and after
///   the candidates nothing at column 1 starts a document or a directive;
/// - every part reads without an error, an anchor or an alias (a quoted string or a flow
///   collection left open across a cut makes the part before it fail, so the cut is never made
///   inside one), the candidate keys are unique across parts, and the node count is within the
///   limit.
/// Otherwise the file is read whole, so any error is reported exactly as it would be anyway.
struct YAMLParts {
    /// Files shorter than this are read whole: splitting gains nothing below a few milliseconds.
    static let minimumBytes = 1 << 20
    /// Each part is at least this long.
    static let minimumPartBytes = 1 << 19
    static let unsplittable = YAMLEventReader.Failure(diagnostic: .yamlSyntax("(read whole)", at: nil))

    /// Where each part starts (byte offset), and the lines before it; the last part is the text
    /// after the candidates, possibly empty.
    var starts: [Int]
    var lines: [Int]
    var blockEnd: Int
    var blockEndLine: Int
    /// The line of `candidates:` (0-based).
    var candidatesLine: Int

    /// A plan for `bytes`, or nil when the file does not have the shape described above.
    static func plan(_ bytes: UnsafeBufferPointer<UInt8>, parts wanted: Int, minimumPartBytes: Int = minimumPartBytes) -> YAMLParts? {
        let n = bytes.count
        guard let base = bytes.baseAddress, !LineBreaks.other(in: bytes) else { return nil }
        var i = 0
        var line = 0
        var candidatesLine = -1
        var indent = -1
        var cuts: [(offset: Int, line: Int)] = []
        var blockEnd = n
        var blockEndLine = -1
        var firstCandidate = true
        while i < n {
            // One line: [i, end), `end` at its '\n' or the end of the text.
            let end = memchr(base + i, 0x0A, n - i).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? n
            var spaces = 0
            while i + spaces < end, bytes[i + spaces] == 0x20 { spaces += 1 }
            let first: UInt8? = i + spaces < end ? bytes[i + spaces] : nil
            let content = first != nil && first != UInt8(ascii: "#")
            if candidatesLine < 0 {
                if spaces == 0, isCandidatesKey(bytes, from: i, to: end) { candidatesLine = line }
            } else if blockEndLine < 0 {
                if content && spaces == 0 {
                    blockEnd = i
                    blockEndLine = line
                } else if content, let first {
                    if indent < 0 {
                        guard first != UInt8(ascii: "-") else { return nil }
                        indent = spaces
                    }
                    if spaces == indent, isKeyStart(first) {
                        if !firstCandidate { cuts.append((i, line)) }
                        firstCandidate = false
                    } else if spaces < indent {
                        return nil
                    }
                }
            } else if spaces == 0, let first, first == UInt8(ascii: "-") || first == UInt8(ascii: ".") || first == UInt8(ascii: "%") {
                return nil
            }
            i = end + 1
            line += 1
        }
        guard candidatesLine >= 0, !cuts.isEmpty else { return nil }
        if blockEndLine < 0 { blockEndLine = line }
        // Cuts at candidate keys nearest to equal shares of the block.
        let blockStart = cuts[0].offset
        let count = Swift.min(wanted, Swift.max(1, (blockEnd - blockStart) / minimumPartBytes))
        guard count > 1 else { return nil }
        var starts = [0]
        var lines = [0]
        var k = 0
        for part in 1..<count {
            let target = blockStart + (blockEnd - blockStart) * part / count
            while k < cuts.count - 1, cuts[k].offset < target { k += 1 }
            if cuts[k].offset > starts[starts.count - 1] {
                starts.append(cuts[k].offset)
                lines.append(cuts[k].line)
            }
        }
        guard starts.count > 1 else { return nil }
        return YAMLParts(starts: starts, lines: lines, blockEnd: blockEnd, blockEndLine: blockEndLine, candidatesLine: candidatesLine)
    }

    private static let candidatesKey = Array("candidates:".utf8)

    /// `candidates:`, then nothing but spaces or a comment.
    static func isCandidatesKey(_ bytes: UnsafeBufferPointer<UInt8>, from i: Int, to end: Int) -> Bool {
        let key = candidatesKey
        guard end - i >= key.count else { return false }
        for (k, b) in key.enumerated() where bytes[i + k] != b { return false }
        var j = i + key.count
        while j < end, bytes[j] == 0x20 { j += 1 }
        return j == end || (bytes[j] == UInt8(ascii: "#") && j > i + key.count)
    }

    /// A candidate key as analysts and generators write them: a letter, digit, `_` or a quote.
    static func isKeyStart(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_")
            || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")
    }
}

/// A text's bytes, handed to the threads that read its parts (read-only while they run).
private struct SharedBytes: @unchecked Sendable { var bytes: UnsafeBufferPointer<UInt8> }

extension YAMLEventReader {
    /// The tree of `bytes` read in parts side by side (`YAMLParts`), or nil to read it whole.
    func readInParts(_ bytes: UnsafeBufferPointer<UInt8>, minimumPartBytes: Int = YAMLParts.minimumPartBytes) -> YAML? {
        guard let plan = YAMLParts.plan(bytes, parts: 8, minimumPartBytes: minimumPartBytes) else { return nil }
        let shared = SharedBytes(bytes: bytes)
        // Parts 0..<k are the file's start and the candidates after each cut; part k the rest.
        let k = plan.starts.count
        let results = Slots<(YAML, Int)>(count: k + 1)
        concurrentStride(k + 1, threads: k + 1) { p in
            let start = p < k ? plan.starts[p] : plan.blockEnd
            let end = p + 1 < k ? plan.starts[p + 1] : p == k - 1 ? plan.blockEnd : shared.bytes.count
            guard p < k || start < end else { return }
            var reader = self
            reader.isPart = true
            reader.lineOffset = p < k ? plan.lines[p] : plan.blockEndLine
            // A middle part's top is the candidates mapping, one level down in the file.
            if p > 0 && p < k { reader.limits.maxDepth -= 1 }
            let part = UnsafeBufferPointer(rebasing: shared.bytes[start..<end])
            if case let .success(tree) = reader.readRange(part) { results.items[p] = tree }
        }
        return join(results, plan: plan, parts: k, hasTail: plan.blockEnd < bytes.count)
    }

    /// The parts' trees as one: the candidates appended to the first part's, the rest's top-level
    /// keys to its top level. Nil if a part is missing or anything does not fit.
    private func join(_ results: Slots<(YAML, Int)>, plan: YAMLParts, parts k: Int, hasTail: Bool) -> YAML? {
        guard let (first, firstNodes) = results.take(0), case .mapping(var top, let topAt) = first,
            let last = top.indices.last, top[last].key.text == "candidates",
            top[last].key.location.line == plan.candidatesLine + 1, top[last].key.location.column == 1,
            case .mapping(var candidates, let candidatesAt) = top[last].value
        else { return nil }
        var nodes = firstNodes
        for p in 1..<k {
            guard let (tree, count) = results.take(p), case let .mapping(pairs, _) = tree else { return nil }
            candidates += pairs
            nodes += count - 1  // its top is the candidates mapping, counted in part 0
        }
        top[last].value = .mapping(candidates, candidatesAt)
        if hasTail {
            guard let (tail, count) = results.take(k), case let .mapping(pairs, _) = tail else { return nil }
            top += pairs
            nodes += count - 1  // its top is the file's, counted in part 0
        }
        guard nodes <= limits.maxNodes, Self.allDifferent(candidates), Self.allDifferent(top) else { return nil }
        return .mapping(top, topAt)
    }

    /// Whether no two keys are the same (through the table that finds duplicate keys as a
    /// mapping is read).
    private static func allDifferent(_ pairs: [YAMLPair]) -> Bool {
        var index = KeyIndex(capacity: pairs.count)
        for i in pairs.indices where index.add(i, key: pairs[i].key.text, keyAt: { pairs[$0].key.text }) != nil { return false }
        return true
    }
}
