import Foundation
import HubsCore

/// `hubs lsp`: the Language Server Protocol over stdio for hubs policies and scenarios. The
/// documents the editor has open stand in front of the files on disk (a `Workspace`), so an
/// unsaved policy changes its scenario's diagnostics. Features: diagnostics on open, change and
/// save (the codes, severities and hints of `hubs check`); hover on a fact, a criterion or a
/// source id; go to definition of the same; completion of fact names, criterion ids and source
/// ids; a quick fix that applies a did-you-mean; find references (whole-word uses in the project's
/// files); document symbols (facts, the criteria tree, gates; sources, candidates); inlay hints
/// (effective weights; each candidate's rank, risk and band). Not yet: formatting.
///
/// One message at a time, in order: `handle` takes a message's bytes and returns what to send.
public final class LanguageServer {
    /// The project folder: files are named relative to it.
    public private(set) var root: String
    let workspace: Workspace
    var open: [String: String] = [:]  // path → text
    var initialized = false
    var shuttingDown = false
    /// Set by `exit`: the status to leave with (0 after `shutdown`, 1 otherwise).
    public private(set) var exitStatus: Int32?

    /// A server for the project at `root`.
    public init(root: String) {
        self.root = URL(fileURLWithPath: root).standardizedFileURL.path
        workspace = Workspace(over: DiskFiles(root: root))
    }

    // MARK: messages

    /// Answers one message (its body's bytes): the messages to send back, each a JSON body.
    public func handle(_ body: [UInt8]) -> [[UInt8]] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) else {
            return [Self.error(id: NSNull(), code: -32700, "the message is not JSON")]
        }
        guard let message = object as? [String: Any], let method = message["method"] as? String else {
            if let m = object as? [String: Any], m["id"] != nil, m["method"] == nil { return [] }  // a response to us: none expected
            return [Self.error(id: (object as? [String: Any])?["id"] ?? NSNull(), code: -32600, "not a request or notification")]
        }
        let id = message["id"]
        let params = message["params"] as? [String: Any] ?? [:]
        if shuttingDown && method != "exit" {
            return id.map { [Self.error(id: $0, code: -32600, "the server is shutting down")] } ?? []
        }
        if !initialized && method != "initialize" && method != "exit" {
            return id.map { [Self.error(id: $0, code: -32002, "the server is not initialized")] } ?? []
        }
        switch method {
        case "initialize": return [respond(id, initialize(params))]
        case "initialized", "$/cancelRequest", "$/setTrace", "workspace/didChangeConfiguration", "workspace/didChangeWatchedFiles":
            return []
        case "shutdown":
            shuttingDown = true
            return [respond(id, NSNull())]
        case "exit":
            exitStatus = shuttingDown ? 0 : 1
            return []
        case "textDocument/didOpen", "textDocument/didChange", "textDocument/didSave", "textDocument/didClose":
            return documentChanged(method, params)
        case "textDocument/hover": return [respond(id, hover(params) ?? NSNull())]
        case "textDocument/definition": return [respond(id, definition(params) ?? NSNull())]
        case "textDocument/completion": return [respond(id, completion(params))]
        case "textDocument/codeAction": return [respond(id, codeActions(params))]
        case "textDocument/references": return [respond(id, references(params))]
        case "textDocument/documentSymbol": return [respond(id, symbols(params))]
        case "textDocument/inlayHint": return [respond(id, inlayHints(params))]
        default:
            return id.map { [Self.error(id: $0, code: -32601, "hubs lsp does not handle '\(method.prefix(100))'")] } ?? []
        }
    }

    func respond(_ id: Any?, _ result: Any) -> [UInt8] {
        Self.json(["jsonrpc": "2.0", "id": id ?? NSNull(), "result": result])
    }

    static func error(id: Any, code: Int, _ message: String) -> [UInt8] {
        json(["jsonrpc": "2.0", "id": id, "error": ["code": code, "message": message]])
    }

    static func json(_ object: Any) -> [UInt8] {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { Array($0) } ?? []
    }

    func initialize(_ params: [String: Any]) -> [String: Any] {
        if let uri = params["rootUri"] as? String, let path = Self.path(uri) { root = URL(fileURLWithPath: path).standardizedFileURL.path }
        initialized = true
        return [
            "capabilities": [
                "textDocumentSync": ["openClose": true, "change": 1, "save": ["includeText": false]],
                "hoverProvider": true, "definitionProvider": true, "codeActionProvider": ["codeActionKinds": ["quickfix"]],
                "referencesProvider": true, "documentSymbolProvider": true, "inlayHintProvider": true,
                "completionProvider": ["triggerCharacters": [":", " ", "("]],
            ],
            "serverInfo": ["name": "hubs", "version": "0.1.0"],
        ]
    }

    // MARK: documents and diagnostics

    /// The path of a file URI, or nil for any other scheme.
    static func path(_ uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        return URL(string: uri)?.path ?? String(uri.dropFirst(7)).removingPercentEncoding
    }

    /// A path as hubs names it: relative to the project folder when inside it.
    func relative(_ path: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    func uri(_ relativePath: String) -> String {
        URL(fileURLWithPath: relativePath.hasPrefix("/") ? relativePath : root + "/" + relativePath).absoluteString
    }

    func documentChanged(_ method: String, _ params: [String: Any]) -> [[UInt8]] {
        guard let doc = params["textDocument"] as? [String: Any], let uri = doc["uri"] as? String, let full = Self.path(uri) else {
            return []
        }
        let path = relative(full)
        switch method {
        case "textDocument/didOpen":
            guard let text = doc["text"] as? String else { return [] }
            open[path] = text
            workspace.set(path, text: text)
        case "textDocument/didChange":
            // Full sync: the last change is the whole text.
            guard let changes = params["contentChanges"] as? [[String: Any]], let text = changes.last?["text"] as? String else { return [] }
            open[path] = text
            workspace.set(path, text: text)
        case "textDocument/didClose":
            open[path] = nil
            workspace.remove(path)
            return [publish(path, [])]
        default: break
        }
        // Every open document is checked again: a policy edit changes its scenarios' findings.
        return open.keys.sorted().map { publish($0, diagnostics(for: $0)) }
    }

    func publish(_ path: String, _ found: [[String: Any]]) -> [UInt8] {
        Self.json([
            "jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": ["uri": uri(path), "diagnostics": found],
        ])
    }

    /// The project file (hubs.yaml), if the project has a readable one.
    func projectFile() -> ProjectFile? {
        try? ProjectFile.load(path: root + "/" + ProjectFile.name, files: DiskFiles()).get()
    }

    /// The project's policy (hubs.yaml's, or the first under policies/).
    func projectPolicy() -> String? {
        if let policy = projectFile()?.policy { return policy }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root + "/policies")) ?? []).filter { $0.hasSuffix(".yaml") }
            .sorted()
        return names.first.map { "policies/" + $0 }
    }

    /// The project's scenario (hubs.yaml's).
    func projectScenario() -> String? { projectFile()?.scenario }

    /// The diagnostics `hubs check` gives for `path`, with the project's other file beside it.
    func diagnostics(for path: String) -> [[String: Any]] {
        let found = withProjectFolder { findings(for: path) }
        let text = open[path] ?? (try? workspace.read(path, limits: .standard).get().text) ?? ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var bag = DiagnosticBag()
        bag.add(contentsOf: found.filter { $0.location?.file == path || $0.location == nil })
        return bag.sorted.filter { $0.code != .tooManyDiagnostics }.map { d in
            var message = d.message
            if let hint = d.hint { message += "\n(hint: \(hint))" }
            var entry: [String: Any] = [
                "range": Self.range(d.location, length: d.length, lines: lines), "severity": Self.severity(d.severity),
                "code": d.code.rawValue, "source": "hubs", "message": message,
            ]
            // The did-you-mean's name, for the quick fix (textDocument/codeAction).
            if let r = d.replacement { entry["data"] = ["replacement": r] }
            return entry
        }
    }

    func findings(for path: String) -> [Diagnostic] {
        switch Pipeline.kind(of: path, files: workspace) {
        case let .failure(e): return e.diagnostics
        case .success(.policy):
            switch Pipeline.policy(at: path, files: workspace) {
            case let .failure(e): return e.diagnostics
            case let .success(p):
                guard let scenario = projectScenario() else { return p.warnings }
                if case let .success(s) = Pipeline.scenario(at: scenario, files: workspace),
                    case let .success(prepared) = Pipeline.prepare(policy: p, scenario: s)
                {
                    return prepared.warnings
                }
                return p.warnings
            }
        case .success(.scenario):
            guard let policy = projectPolicy() else {
                return Pipeline.scenario(at: path, files: workspace).failureDiagnostics
            }
            switch Pipeline.prepare(policyPath: policy, scenarioPath: path, files: workspace) {
            case let .failure(e): return e.diagnostics
            case let .success(p): return p.warnings
            }
        }
    }

    /// Runs `body` in the project folder (hubs names files relative to it).
    func withProjectFolder<T>(_ body: () -> T) -> T {
        let before = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(root)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(before) }
        return body()
    }

    static func severity(_ s: Severity) -> Int {
        switch s {
        case .error: 1
        case .warning: 2
        case .note: 3
        }
    }

    /// An LSP range (0-based lines, UTF-16 columns) for a hubs location (1-based line, column in
    /// characters) spanning `length` characters.
    static func range(_ location: SourceLocation?, length: Int, lines: [String]) -> [String: Any] {
        guard let location, location.line > 0 else {
            return ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 0]]
        }
        let line = location.line - 1
        let text = line < lines.count ? lines[line] : ""
        let start = utf16Column(text, scalars: location.column - 1)
        let end = utf16Column(text, scalars: location.column - 1 + max(1, length))
        return ["start": ["line": line, "character": start], "end": ["line": line, "character": end]]
    }

    /// The UTF-16 offset of the character after the first `n` characters (Unicode scalars) of
    /// `text`, as LSP counts columns.
    public static func utf16Column(_ text: String, scalars n: Int) -> Int {
        var count = 0
        for (i, s) in text.unicodeScalars.enumerated() {
            if i >= n { break }
            count += s.utf16.count
        }
        return count
    }

    /// The number of characters (Unicode scalars) before a UTF-16 column.
    public static func scalarColumn(_ text: String, utf16 column: Int) -> Int {
        var units = 0
        var scalars = 0
        for s in text.unicodeScalars {
            if units >= column { break }
            units += s.utf16.count
            scalars += 1
        }
        return scalars
    }

    // MARK: hover, definition, completion

    /// The identifier at a position, and the path.
    func word(_ params: [String: Any]) -> (path: String, word: String)? {
        guard let doc = params["textDocument"] as? [String: Any], let uri = doc["uri"] as? String, let full = Self.path(uri),
            let position = params["position"] as? [String: Any], let line = position["line"] as? Int,
            let character = position["character"] as? Int
        else { return nil }
        let path = relative(full)
        guard let text = open[path] ?? (try? workspace.read(path, limits: .standard).get().text) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 0, line < lines.count else { return nil }
        let scalars = Array(String(lines[line]).unicodeScalars)
        let at = Self.scalarColumn(String(lines[line]), utf16: character)
        func isWord(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || s.properties.numericType != nil || s == "_" }
        var lo = min(at, scalars.count)
        var hi = lo
        while lo > 0, isWord(scalars[lo - 1]) { lo -= 1 }
        while hi < scalars.count, isWord(scalars[hi]) { hi += 1 }
        guard lo < hi else { return nil }
        var w = ""
        w.unicodeScalars.append(contentsOf: scalars[lo..<hi])
        return (path, w)
    }

    /// What the project declares: the policy (compiled), the scenario sources.
    func project(for path: String) -> (policy: CompiledPolicy?, sources: [EvidenceSource]) {
        withProjectFolder {
            let policyPath: String? =
                (try? Pipeline.kind(of: path, files: workspace).get()) == .policy ? path : projectPolicy()
            let policy = policyPath.flatMap { try? Pipeline.policy(at: $0, files: workspace).get() }
            let scenarioPath: String? =
                (try? Pipeline.kind(of: path, files: workspace).get()) == .scenario ? path : projectScenario()
            let sources = scenarioPath.flatMap { try? Pipeline.scenario(at: $0, files: workspace).get().sources } ?? []
            return (policy, (policy?.policy.sources ?? []) + sources)
        }
    }

    func hover(_ params: [String: Any]) -> [String: Any]? {
        guard let (path, w) = word(params) else { return nil }
        let (policy, sources) = project(for: path)
        var text: String?
        if let f = policy?.facts.first(where: { $0.name == w }) {
            var t = "**fact `\(f.name)`** (\(f.type.name))\n\n\(f.description)"
            if case let .enumeration(values) = f.type { t += "\n\nvalues: " + values.joined(separator: ", ") }
            text = t
        } else if let p = policy, let i = p.criteria.firstIndex(where: { $0.id == w }) {
            let c = p.criteria[i]
            let effective = p.leafCriterion.firstIndex(of: i).map { p.leafNominalShare[$0] }
            var t = "**criterion `\(c.id)`**: \(c.title)\n\nweight \(Format.number(c.weight))"
            if let effective { t += ", effective weight \(Format.percent(effective)) of the total" }
            if let r = (c.rationale ?? c.ruleRationale)?.text { t += "\n\nwhy: \(r)" }
            text = t
        } else if let s = sources.first(where: { $0.id == w }) {
            var t = "**source `\(s.id)`**: \(s.title)"
            if let p = s.publisher { t += ", \(p)" }
            t += ", \(s.date?.description ?? "undated")"
            if let u = s.url { t += "\n\n\(u)" }
            text = t
        }
        if text == nil { text = candidateHover(path, w) }
        guard let text else { return nil }
        return ["contents": ["kind": "markdown", "value": text]]
    }

    /// A candidate of a scenario: its rank, risk and band under the project's policy.
    func candidateHover(_ path: String, _ id: String) -> String? {
        withProjectFolder {
            guard (try? Pipeline.kind(of: path, files: workspace).get()) == .scenario, let policy = projectPolicy(),
                let a = try? Pipeline.assess(policyPath: policy, scenarioPath: path, files: workspace, detail: .ranking).get(),
                let r = a.result(for: id)
            else { return nil }
            let rank = r.rank.map { "rank \($0) of \(a.results.filter { $0.rank != nil }.count)" } ?? r.status.name
            return "**candidate `\(r.id)`**: \(r.name)\n\n\(rank), risk \(r.risk.map { Format.fixed($0, 2) } ?? "none")"
                + "\(r.band.map { " (\($0))" } ?? ""), coverage \(Format.percent(r.coverage)) under \(policy)"
        }
    }

    func definition(_ params: [String: Any]) -> [String: Any]? {
        guard let (path, w) = word(params) else { return nil }
        // `extends: NAME`: the parent scenario's file.
        if let position = params["position"] as? [String: Any], let line = position["line"] as? Int, let text = text(path) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if line >= 0, line < lines.count, lines[line].hasPrefix("extends:") {
                let name = lines[line].dropFirst("extends:".count).trimmingCharacters(in: .whitespaces)
                let folder = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) + "/" : ""
                let parent = folder + name + (name.hasSuffix(".yaml") || name.hasSuffix(".yml") ? "" : ".yaml")
                if ProjectBoundary.editableProblem(parent, root: root) == nil, self.text(parent) != nil {
                    return ["uri": uri(parent), "range": ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 0]]]
                }
            }
        }
        let (policy, sources) = project(for: path)
        // A candidate (`like: OTHER`, a test's `candidate:`): where the scenario declares it.
        let candidate: SourceLocation? = withProjectFolder {
            guard (try? Pipeline.kind(of: path, files: workspace).get()) == .scenario else { return nil }
            return (try? Pipeline.scenario(at: path, files: workspace).get())?.candidates.first { $0.id == w }?.location
        }
        let location: SourceLocation? =
            policy?.facts.first(where: { $0.name == w })?.location
            ?? policy?.criteria.first(where: { $0.id == w })?.location
            ?? sources.first(where: { $0.id == w })?.location ?? candidate
        guard let location, location.line > 0 else { return nil }
        let file = location.file
        let text = open[file] ?? (try? workspace.read(withProjectFolder { file }, limits: .standard).get().text) ?? ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return ["uri": uri(file), "range": Self.range(location, length: w.unicodeScalars.count, lines: lines)]
    }

    /// A quick fix for each diagnostic in the request that proposes a name (a did-you-mean): the
    /// underlined text replaced by it.
    func codeActions(_ params: [String: Any]) -> [[String: Any]] {
        guard let doc = params["textDocument"] as? [String: Any], let uri = doc["uri"] as? String,
            let context = params["context"] as? [String: Any], let diagnostics = context["diagnostics"] as? [[String: Any]]
        else { return [] }
        return diagnostics.compactMap { d in
            guard let name = (d["data"] as? [String: Any])?["replacement"] as? String, let range = d["range"] else { return nil }
            return [
                "title": "Replace with '\(name)'", "kind": "quickfix", "diagnostics": [d], "isPreferred": true,
                "edit": ["changes": [uri: [["range": range, "newText": name]]]],
            ]
        }
    }

    /// The text of a project file: the editor's buffer, or the file.
    func text(_ path: String) -> String? {
        open[path] ?? withProjectFolder { try? workspace.read(path, limits: .standard).get().text }
    }

    /// The project's YAML files (policies, scenarios, policy tests) and the open documents.
    func projectFiles() -> [String] {
        var out = Set(open.keys)
        for folder in ["policies", "scenarios", "policy-tests"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? []
            where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                out.insert(folder + "/" + name)
            }
        }
        return out.sorted()
    }

    /// Every whole-word use of the identifier under the cursor in the project's files: a fact,
    /// a criterion, a source id or a candidate id is a word that names it wherever it stands.
    func references(_ params: [String: Any]) -> [[String: Any]] {
        guard let (_, w) = word(params) else { return [] }
        let target = Array(w.unicodeScalars)
        func isWord(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || s.properties.numericType != nil || s == "_" }
        var out: [[String: Any]] = []
        for path in projectFiles() {
            guard let text = text(path) else { continue }
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let scalars = Array(String(line).unicodeScalars)
                guard scalars.count >= target.count else { continue }
                var i = 0
                while i + target.count <= scalars.count {
                    if Array(scalars[i..<(i + target.count)]) == target, i == 0 || !isWord(scalars[i - 1]),
                        i + target.count == scalars.count || !isWord(scalars[i + target.count])
                    {
                        let start = Self.utf16Column(String(line), scalars: i)
                        let end = Self.utf16Column(String(line), scalars: i + target.count)
                        out.append([
                            "uri": uri(path),
                            "range": ["start": ["line": n, "character": start], "end": ["line": n, "character": end]],
                        ])
                        i += target.count
                    } else {
                        i += 1
                    }
                }
            }
        }
        return out
    }

    /// The outline: a policy's facts, criteria (as a tree) and gates; a scenario's sources and
    /// candidates.
    func symbols(_ params: [String: Any]) -> [[String: Any]] {
        guard let doc = params["textDocument"] as? [String: Any], let u = doc["uri"] as? String, let full = Self.path(u) else { return [] }
        let path = relative(full)
        let lines = (text(path) ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func symbol(_ name: String, _ detail: String, _ kind: Int, _ at: SourceLocation, _ children: [[String: Any]] = []) -> [String: Any]
        {
            let r = Self.range(at, length: name.unicodeScalars.count, lines: lines)
            return ["name": name, "detail": detail, "kind": kind, "range": r, "selectionRange": r, "children": children]
        }
        return withProjectFolder {
            switch Pipeline.kind(of: path, files: workspace) {
            case .success(.policy):
                guard let p = try? Pipeline.policy(at: path, files: workspace).get() else { return [] }
                func tree(_ parent: Int?) -> [[String: Any]] {
                    p.criteria.indices.filter { p.criteria[$0].parent == parent }.map { i in
                        let c = p.criteria[i]
                        return symbol(c.id, c.title, c.isLeaf ? 8 : 2, c.location, tree(i))
                    }
                }
                return p.facts.map { symbol($0.name, $0.type.name, 13, $0.location) } + tree(nil)
                    + p.gates.map { symbol($0.id, $0.reason, 24, $0.location) }
            case .success(.scenario):
                guard let s = try? Pipeline.scenario(at: path, files: workspace).get() else { return [] }
                return s.sources.filter { $0.location.file == path }.map { symbol($0.id, $0.title, 20, $0.location) }
                    + s.candidates.filter { $0.location.file == path }.map { symbol($0.id, $0.name, 19, $0.location) }
            case .failure: return []
            }
        }
    }

    /// Beside each leaf criterion of a policy, its effective weight; beside each candidate of a
    /// scenario, its rank, risk and band under the project's policy.
    func inlayHints(_ params: [String: Any]) -> [[String: Any]] {
        guard let doc = params["textDocument"] as? [String: Any], let u = doc["uri"] as? String, let full = Self.path(u) else { return [] }
        let path = relative(full)
        let lines = (text(path) ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func hint(_ at: SourceLocation, _ label: String) -> [String: Any]? {
            guard at.line > 0, at.line <= lines.count else { return nil }
            let end = lines[at.line - 1].utf16.count
            return ["position": ["line": at.line - 1, "character": end], "label": label, "paddingLeft": true]
        }
        return withProjectFolder {
            switch Pipeline.kind(of: path, files: workspace) {
            case .success(.policy):
                guard let p = try? Pipeline.policy(at: path, files: workspace).get() else { return [] }
                return p.leafCriterion.enumerated().compactMap { leaf, i in
                    hint(p.criteria[i].location, "\(Format.percent(p.leafNominalShare[leaf])) of the total")
                }
            case .success(.scenario):
                guard let policy = projectPolicy(),
                    let a = try? Pipeline.assess(policyPath: policy, scenarioPath: path, files: workspace, detail: .ranking).get()
                else { return [] }
                return a.results.compactMap { r in
                    guard let c = a.scenario.candidates.first(where: { $0.id == r.id }), c.location.file == path else { return nil }
                    let rank = r.rank.map { "rank \($0)" } ?? r.status.name
                    return hint(
                        c.location, "\(rank), risk \(r.risk.map { Format.fixed($0, 1) } ?? "none")\(r.band.map { " (\($0))" } ?? "")")
                }
            case .failure: return []
            }
        }
    }

    /// What the cursor's place asks for, read from the line before it.
    enum Wanted: Equatable {
        /// Source ids (after `source:` or `cite:`).
        case sources
        /// Fact names (after `fact:` or `of:`, or as a key under a candidate's facts).
        case facts
        /// Fact names and functions (in an expression: `when:`, `expr:`, `exclude_if:`, `require:`).
        case expression
        /// The values of this fact (after `FACT:` in a scenario), and `unknown`.
        case values(String)
        /// Every name.
        case anything
    }

    /// What to offer at the end of `prefix` (a line's text before the cursor).
    static func wanted(_ prefix: String, facts: Set<String>) -> Wanted {
        let trimmed = prefix.drop { $0 == " " || $0 == "-" }
        guard let colon = trimmed.firstIndex(of: ":") else {
            // A key being typed: under a candidate's facts, a fact name.
            return trimmed.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && prefix.hasPrefix("      ") ? .facts : .anything
        }
        let key = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
        let after = trimmed[trimmed.index(after: colon)...]
        // Inline mappings: the last key before the cursor decides ({value: x, source: S).
        if let inner = after.range(of: "{", options: .backwards) {
            return wanted(
                String(after[inner.upperBound...]).replacingOccurrences(of: ",", with: "\n").components(separatedBy: "\n").last ?? "",
                facts: facts)
        }
        switch key {
        case "source", "cite": return .sources
        case "fact", "of": return .facts
        case "when", "expr", "exclude_if", "require": return .expression
        default: return facts.contains(key) ? .values(key) : .anything
        }
    }

    func completion(_ params: [String: Any]) -> [String: Any] {
        guard let doc = params["textDocument"] as? [String: Any], let uri = doc["uri"] as? String, let full = Self.path(uri) else {
            return ["isIncomplete": false, "items": []]
        }
        let path = relative(full)
        let (policy, sources) = project(for: path)
        let factNames = Set(policy?.facts.map(\.name) ?? [])
        var prefix = ""
        if let position = params["position"] as? [String: Any], let line = position["line"] as? Int,
            let character = position["character"] as? Int, let text = text(path)
        {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if line >= 0, line < lines.count {
                let l = String(lines[line])
                prefix = String(l.unicodeScalars.prefix(Self.scalarColumn(l, utf16: character)))
            }
        }
        let facts = (policy?.facts ?? []).map { ["label": $0.name, "kind": 6, "detail": "fact (\($0.type.name))"] as [String: Any] }
        let criteria = (policy?.criteria ?? []).map { ["label": $0.id, "kind": 7, "detail": "criterion: \($0.title)"] as [String: Any] }
        let ids = sources.map { ["label": $0.id, "kind": 18, "detail": "source: \($0.title)"] as [String: Any] }
        let items: [[String: Any]]
        switch Self.wanted(prefix, facts: factNames) {
        case .sources: items = ids
        case .facts: items = facts
        case .expression: items = facts + Function.allCases.map(\.rawValue).map { ["label": $0, "kind": 3, "detail": "function"] }
        case let .values(name):
            var values: [String] = []
            switch policy?.facts.first(where: { $0.name == name })?.type {
            case let .enumeration(v)?: values = v
            case .bool?: values = ["true", "false"]
            default: break
            }
            items = (values + ["unknown"]).map { ["label": $0, "kind": 12, "detail": "a value of \(name)"] }
        case .anything: items = facts + criteria + ids
        }
        return ["isIncomplete": false, "items": items]
    }
}

extension Result where Failure == DiagnosticsError {
    var failureDiagnostics: [Diagnostic] {
        if case let .failure(e) = self { return e.diagnostics }
        return []
    }
}
