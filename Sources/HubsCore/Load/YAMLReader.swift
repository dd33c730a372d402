import Foundation
import Yams

/// A YAML document read through a `FileSource`: its file (for source lines and hashes) and its tree.
public struct YAMLDocument: Sendable {
    public var file: SourceFile
    public var root: YAML

    /// Reads and parses one file: the one way every loader turns a path into a tree.
    public static func read(_ path: String, from files: any FileSource, limits: InputLimits) -> Result<YAMLDocument, DiagnosticsError> {
        files.read(path, limits: limits).flatMap { file in
            YAMLReader.parse(file, limits: limits).map { YAMLDocument(file: file, root: $0) }
        }
    }
}

/// Reads YAML text into a located tree.
public enum YAMLReader {
    /// Parses a file into a located tree, under `limits` (nesting, nodes visited, one document).
    public static func parse(_ file: SourceFile, limits: InputLimits = .standard) -> Result<YAML, DiagnosticsError> {
        if let d = preScanNesting(file, limits: limits) { return .failure(DiagnosticsError([d])) }
        if let d = preScanAliases(file, limits: limits) { return .failure(DiagnosticsError([d])) }
        let root: Node?
        do {
            var docs = try Yams.compose_all(yaml: file.text)
            guard let first = docs.next() else {
                if let e = docs.error { throw e }
                return .failure(
                    DiagnosticsError([
                        .error(
                            .emptyFile, "file has no YAML document",
                            at: SourceLocation(file: file.path, line: 1, column: 1))
                    ]))
            }
            if let second = docs.next() {
                let at = second.mark.map { SourceLocation(file: file.path, line: $0.line, column: $0.column) }
                return .failure(
                    DiagnosticsError([
                        .error(
                            .multipleDocuments, "file holds more than one YAML document",
                            at: at, hint: "keep one policy or scenario per file; remove the '---' separator")
                    ]))
            }
            if let e = docs.error { throw e }
            root = first
        } catch let e as YamlError {
            return .failure(DiagnosticsError([diagnostic(for: e, file: file)]))
        } catch {
            return .failure(
                DiagnosticsError([
                    .error(
                        .yamlSyntax, "cannot read YAML: \(error)",
                        at: SourceLocation(file: file.path, line: 1, column: 1))
                ]))
        }
        guard let root else {
            return .failure(
                DiagnosticsError([
                    .error(
                        .emptyFile, "file has no YAML document",
                        at: SourceLocation(file: file.path, line: 1, column: 1))
                ]))
        }
        var budget = limits.maxNodes
        do {
            return .success(try convert(root, file: file.path, depth: 1, limits: limits, budget: &budget))
        } catch let e as DiagnosticsError {
            return .failure(e)
        } catch {
            return .failure(DiagnosticsError([.error(.yamlSyntax, "\(error)", at: nil)]))
        }
    }

    /// libyaml and Yams compose recursively; estimate the nesting before handing the text over,
    /// so 20,000 '[' or '- - - …' never reach a recursive parser. The estimate counts open flow
    /// brackets, compact '- ' markers and indentation levels; it may over-count brackets inside
    /// quoted strings, which no hubs file needs more than a few of.
    static func preScanNesting(_ file: SourceFile, limits: InputLimits) -> Diagnostic? {
        var flow = 0
        var indents: [Int] = []
        var lineNo = 0
        for raw in file.text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            let line = Array(raw.unicodeScalars)
            var i = 0
            while i < line.count, line[i] == " " { i += 1 }
            if i == line.count || line[i] == "#" { continue }
            if flow == 0 {
                while let last = indents.last, last > i { indents.removeLast() }
                if indents.last != i { indents.append(i) }
            }
            var compact = 0
            var j = i
            while j + 1 < line.count, line[j] == "-" || line[j] == "?", line[j + 1] == " " {
                compact += 1
                j += 2
                while j < line.count, line[j] == " " { j += 1 }
            }
            var prev: Unicode.Scalar = " "
            for (k, ch) in line.enumerated() where k >= j {
                if ch == "#", prev == " " || prev == "\t" { break }
                prev = ch
                if ch == "[" || ch == "{" {
                    flow += 1
                } else if ch == "]" || ch == "}" {
                    flow = max(0, flow - 1)
                } else {
                    continue
                }
                if flow + compact + indents.count > limits.maxDepth {
                    return depthError(file, line: lineNo, column: k + 1, limits)
                }
            }
            if flow + compact + indents.count > limits.maxDepth {
                return depthError(file, line: lineNo, column: i + 1, limits)
            }
        }
        return nil
    }

    /// Before Yams composes (and hashes) anything: an alias used as a mapping key is refused (Yams
    /// hashes a key's whole expansion, so a small file could take minutes or overflow the
    /// stack), and so are more anchors than `maxAnchors` (which bounds how deep an alias chain can
    /// go). Quoted text and comments are skipped. Linear in the size of the file.
    static func preScanAliases(_ file: SourceFile, limits: InputLimits) -> Diagnostic? {
        var anchors = 0
        var lineNo = 0
        for raw in file.text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            let line = Array(raw.unicodeScalars)
            var quote: Unicode.Scalar?
            var k = 0
            var prev: Unicode.Scalar = " "
            var afterQuestion = false
            while k < line.count {
                let ch = line[k]
                if let q = quote {
                    if ch == q { quote = nil }
                    prev = ch
                    k += 1
                    continue
                }
                if ch == "#", prev == " " || prev == "\t" || k == 0 { break }
                if (ch == "\"" || ch == "'") && (prev == " " || prev == "[" || prev == "{" || prev == "," || prev == ":" || k == 0) {
                    quote = ch
                } else if ch == "?", k + 1 == line.count || line[k + 1] == " " {
                    afterQuestion = true
                } else if ch == "&", prev == " " || prev == "[" || prev == "{" || prev == "," || prev == "-" || k == 0 {
                    anchors += 1
                    if anchors > limits.maxAnchors {
                        return .error(
                            .tooManyNodes, "more than \(limits.maxAnchors) anchors (&name) in one file",
                            at: SourceLocation(file: file.path, line: lineNo, column: k + 1),
                            hint: "hubs files need few anchors; write the values out")
                    }
                } else if ch == "*", prev == " " || prev == "[" || prev == "{" || prev == "," || k == 0 {
                    // The alias name runs to a space, ',', ']', '}' or the end; a ':' after it (and
                    // spaces) makes it a key, as does a '?' before it.
                    var e = k + 1
                    while e < line.count, line[e] != " ", line[e] != ",", line[e] != "]", line[e] != "}" { e += 1 }
                    var f = e
                    while f < line.count, line[f] == " " { f += 1 }
                    let colonKey = f < line.count && line[f] == ":" && (f + 1 == line.count || line[f + 1] == " ")
                    let nameEndsInColon = e - 1 > k && line[e - 1] == ":"
                    if colonKey || afterQuestion || nameEndsInColon {
                        return .error(
                            .invalidValue, "an alias (*name) is used as a mapping key",
                            at: SourceLocation(file: file.path, line: lineNo, column: k + 1),
                            hint: "write the key out; hubs refuses alias keys, whose expansion can be enormous", length: e - k)
                    }
                    k = e
                    prev = " "
                    continue
                }
                prev = ch
                k += 1
            }
        }
        return nil
    }

    static func depthError(_ file: SourceFile, line: Int, column: Int, _ limits: InputLimits) -> Diagnostic {
        .error(
            .nestingTooDeep, "nesting is deeper than the limit of \(limits.maxDepth) levels",
            at: SourceLocation(file: file.path, line: line, column: column),
            hint: "flatten the structure; no hubs file needs this much nesting")
    }

    static func diagnostic(for e: YamlError, file: SourceFile) -> Diagnostic {
        func loc(_ m: Mark) -> SourceLocation { SourceLocation(file: file.path, line: m.line, column: m.column) }
        func clip(_ s: String) -> String { s.count > 160 ? String(s.prefix(157)) + "..." : s }
        switch e {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            var msg = "YAML syntax error: \(clip(problem))"
            if let c = context { msg += " (\(clip(c.text)))" }
            var hint = hintFor(problem)
            if let line = file.line(mark.line) {
                let chars = Array(line.unicodeScalars)
                if chars.indices.contains(mark.column - 1),
                    chars[mark.column - 1] == "\t" || chars.prefix(mark.column).contains("\t") && problem.contains("token")
                {
                    hint = "indent with spaces, not tabs"
                }
            }
            if let slip = indentationSlip(file, line: mark.line, problem: problem) { return slip }
            return .error(.yamlSyntax, msg, at: loc(mark), hint: hint)
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams points at the first occurrence; point at the second, where the fix goes.
            let key = duplicates.first ?? "?"
            let first = context.mark
            var at = loc(first)
            var lineNo = 0
            for line in file.text.split(separator: "\n", omittingEmptySubsequences: false) {
                lineNo += 1
                guard lineNo > first.line else { continue }
                let indent = line.prefix { $0 == " " }.count
                let rest = line.dropFirst(indent)
                if indent + 1 == first.column, rest.hasPrefix(key), rest.dropFirst(key.count).drop(while: { $0 == " " }).hasPrefix(":") {
                    at = SourceLocation(file: file.path, line: lineNo, column: indent + 1)
                    break
                }
            }
            return .error(
                .duplicateKey, "key '\(clip(key))' appears twice in the same mapping", at: at,
                hint: "the first is at line \(first.line); keep one", length: key.count)
        case let .reader(problem, offset, _, _):
            var at = SourceLocation(file: file.path, line: 1, column: 1)
            if let offset {
                let (l, c) = SourceFile.lineColumn(Array(file.text.utf8), upTo: min(offset, file.text.utf8.count))
                at = SourceLocation(file: file.path, line: l, column: c)
            }
            return .error(
                .yamlSyntax, "cannot read YAML: \(clip(problem))", at: at,
                hint: "remove control characters; hubs files are plain UTF-8 text")
        default:
            return .error(
                .yamlSyntax, "cannot read YAML: \(clip(String(describing: e)))",
                at: SourceLocation(file: file.path, line: 1, column: 1))
        }
    }

    /// "mapping values are not allowed" or "did not find expected key" on a line indented more or
    /// less than its siblings is an indentation slip, not a quoting problem: point at the start of
    /// the line and say which indentation the line above suggests.
    static func indentationSlip(_ file: SourceFile, line n: Int, problem: String) -> Diagnostic? {
        guard problem.contains("mapping values are not allowed") || problem.contains("did not find expected key"),
            let line = file.line(n)
        else { return nil }
        func indent(_ l: Substring) -> Int { l.prefix { $0 == " " }.count }
        let text = Substring(line)
        let own = indent(text)
        let body = text.dropFirst(own)
        // Only lines that are themselves "key: ..." (an indentation slip, not a value with ': ').
        guard let colon = body.firstIndex(of: ":"), !body[..<colon].contains(" "), !body.hasPrefix("-"), !body.hasPrefix("#") else {
            return nil
        }
        var k = n - 1
        while k >= 1, let above = file.line(k),
            above.trimmingCharacters(in: .whitespaces).isEmpty || above.trimmingCharacters(in: .whitespaces).hasPrefix("#")
        { k -= 1 }
        guard k >= 1, let above = file.line(k) else { return nil }
        let aboveIndent = indent(Substring(above))
        guard aboveIndent != own else { return nil }
        let key = String(body[..<colon])
        let at = SourceLocation(file: file.path, line: n, column: own + 1)
        if own > aboveIndent {
            guard !above.trimmingCharacters(in: .whitespaces).hasSuffix(":") else { return nil }
            return .error(
                .yamlSyntax, "line \(n) is indented more than line \(k) above it, which already has its value", at: at,
                hint: "if '\(key)' is a sibling of the key on line \(k), indent it by \(aboveIndent) spaces, like that line",
                length: key.count)
        }
        return .error(
            .yamlSyntax, "line \(n) is indented less than line \(k) above it, but not as far as any enclosing key", at: at,
            hint: "indent '\(key)' to line up with its siblings (line \(k) has \(aboveIndent) spaces)", length: key.count)
    }

    static func hintFor(_ problem: String) -> String {
        if problem.contains("tab") { return "indent with spaces, not tabs" }
        if problem.contains("mapping values are not allowed") {
            return "a value containing ': ' must be quoted"
        }
        if problem.contains("undefined alias") { return "define the anchor (&name) before using *name" }
        return "check indentation and quoting around this position"
    }

    static func convert(_ node: Node, file: String, depth: Int, limits: InputLimits, budget: inout Int) throws -> YAML {
        budget -= 1
        let at = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        if budget < 0 {
            throw DiagnosticsError([
                .error(
                    .tooManyNodes,
                    "document expands to more than \(limits.maxNodes) YAML nodes (counting alias expansions)", at: at,
                    hint: "this looks like an alias bomb; write the values out or use fewer '*' aliases")
            ])
        }
        if depth > limits.maxDepth {
            throw DiagnosticsError([
                .error(
                    .nestingTooDeep, "nesting is deeper than the limit of \(limits.maxDepth) levels",
                    at: at, hint: "flatten the structure")
            ])
        }
        switch node {
        case let .scalar(s):
            let style: YAMLScalar.Style
            switch s.style {
            case .singleQuoted: style = .singleQuoted
            case .doubleQuoted: style = .doubleQuoted
            case .literal: style = .literal
            case .folded: style = .folded
            default: style = .plain
            }
            // An explicit tag (`!!str 44`) says the value is not plain: it is read as text, like a
            // quoted one, never as the number it looks like.
            // (Yams resolves plain scalars, so a plain number tagged `str` can only be explicit.)
            var scalar = YAMLScalar(text: s.string, style: style, location: at)
            if style == .plain, s.tag.rawValue == Tag.Name.str.rawValue,
                Scalars.number(scalar) != nil || Scalars.bool(scalar) != nil
            {
                scalar.style = .tagged
            }
            return .scalar(scalar)
        case let .mapping(m):
            var pairs: [YAMLPair] = []
            pairs.reserveCapacity(m.count)
            for (k, v) in m {
                guard case let .scalar(ks) = try convert(k, file: file, depth: depth + 1, limits: limits, budget: &budget) else {
                    throw DiagnosticsError([
                        .error(
                            .wrongKind, "a key must be a single name, not a list or mapping",
                            at: k.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? at)
                    ])
                }
                pairs.append(YAMLPair(key: ks, value: try convert(v, file: file, depth: depth + 1, limits: limits, budget: &budget)))
            }
            return .mapping(pairs, at)
        case let .sequence(seq):
            var items: [YAML] = []
            items.reserveCapacity(seq.count)
            for item in seq {
                items.append(try convert(item, file: file, depth: depth + 1, limits: limits, budget: &budget))
            }
            return .sequence(items, at)
        case let .alias(a):
            // Yams resolves aliases while composing; an unresolved one is reported where it stands.
            throw DiagnosticsError([.error(.yamlSyntax, "unresolved alias '*\(a.anchor)'", at: at)])
        }
    }
}
