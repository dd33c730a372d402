import Foundation

/// A YAML document read through a `FileSource`: its file (for source lines and hashes) and its tree.
public struct YAMLDocument: Sendable {
    public var file: SourceFile
    public var root: YAML

    /// Reads and parses one file: the one way every loader turns a path into a tree. A source
    /// that keeps trees (`Workspace`) hands back the one parsed before from the same text.
    public static func read(_ path: String, from files: any FileSource, limits: InputLimits) -> Result<YAMLDocument, DiagnosticsError> {
        files.read(path, limits: limits).flatMap { file in
            if let tree = files.cachedTree(for: file, limits: limits) { return .success(YAMLDocument(file: file, root: tree)) }
            return YAMLReader.parse(file, limits: limits).map { tree in
                files.remember(tree, for: file, limits: limits)
                return YAMLDocument(file: file, root: tree)
            }
        }
    }
}

/// Reads YAML text into a located tree.
public enum YAMLReader {
    /// Parses a file into a located tree, under `limits` (nesting, nodes, alias expansion, one
    /// document). The text goes to libyaml as a stream of events (`YAMLEventReader`); every limit
    /// is checked as the events arrive, so no input can make the reader recurse, hash or expand
    /// more than the limits allow.
    public static func parse(_ file: SourceFile, limits: InputLimits = .standard) -> Result<YAML, DiagnosticsError> {
        YAMLEventReader(file: file, limits: limits).read()
    }

    /// The tree of `file` read in parts as a long scenario is read (`YAMLParts`), with parts as
    /// small as `minimumPartBytes` whatever the file's size; nil when the file is not cut or its
    /// parts do not join (then `parse` reads it whole). For differential testing: wherever this
    /// gives a tree, it must be `parse`'s, locations included (the fuzzer's `parts` target).
    public static func parseInParts(_ file: SourceFile, limits: InputLimits = .standard, minimumPartBytes: Int) -> YAML? {
        var text = file.text
        return text.withUTF8 { YAMLEventReader(file: file, limits: limits).readInParts($0, minimumPartBytes: minimumPartBytes) }
    }

    /// Every node of a tree as a line of text (kind, text or size, style, location), in document
    /// order: two trees are the same when their outlines are.
    public static func outline(_ y: YAML) -> [String] {
        var out: [String] = []
        var stack: [YAML] = [y]
        while let node = stack.popLast() {
            switch node {
            case let .scalar(s): out.append("s \(s.text) \(s.style) \(s.location)")
            case let .mapping(pairs, at):
                out.append("m \(pairs.count) \(at)")
                for p in pairs.reversed() {
                    stack.append(p.value)
                    stack.append(.scalar(p.key))
                }
            case let .sequence(items, at):
                out.append("q \(items.count) \(at)")
                stack += items.reversed()
            }
        }
        return out
    }

    /// A scanner or parser error from libyaml, with hubs's hints for the common slips.
    static func syntaxDiagnostic(problem: String, context: String?, line: Int, column: Int, file: SourceFile) -> Diagnostic {
        func clip(_ s: String) -> String { s.count > 160 ? String(s.prefix(157)) + "..." : s }
        var msg = "YAML syntax error: \(clip(problem))"
        if let c = context { msg += " (\(clip(c)))" }
        var hint = hintFor(problem)
        if let text = file.line(line) {
            let chars = Array(text.unicodeScalars)
            if chars.indices.contains(column - 1),
                chars[column - 1] == "\t" || chars.prefix(column).contains("\t") && problem.contains("token")
            {
                hint = "indent with spaces, not tabs"
            }
        }
        if let slip = indentationSlip(file, line: line, problem: problem) { return slip }
        return .yamlSyntax(msg, at: SourceLocation(file: file.path, line: line, column: column), hint: hint)
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
            above.trimmingSpace().isEmpty || above.trimmingSpace().hasPrefix("#")
        { k -= 1 }
        guard k >= 1, let above = file.line(k) else { return nil }
        let aboveIndent = indent(Substring(above))
        guard aboveIndent != own else { return nil }
        let key = String(body[..<colon])
        let at = SourceLocation(file: file.path, line: n, column: own + 1)
        if own > aboveIndent {
            guard !above.trimmingSpace().hasSuffix(":") else { return nil }
            return .yamlSyntax(
                "line \(n) is indented more than line \(k) above it, which already has its value", at: at,
                hint: "if '\(key)' is a sibling of the key on line \(k), indent it by \(aboveIndent) spaces, like that line",
                length: key.count)
        }
        return .yamlSyntax(
            "line \(n) is indented less than line \(k) above it, but not as far as any enclosing key", at: at,
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
}
