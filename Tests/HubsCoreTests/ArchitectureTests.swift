import Foundation
import HubsCore
import HubsTestSupport
import Testing

/// The dependency rule of docs/architecture.md, kept by a test: a file of one stage never names a
/// type declared by a later stage, and the analyses (diff, policy tests, sensitivity, what-if)
/// never name each other's types.
@Suite struct ArchitectureTests {
    /// The stages in order; a stage may use every earlier one. The analyses (the folders of
    /// `Analyse/`) share a rank and never name each other's types.
    static let stages: [[String]] = [
        ["Support"], ["Diagnostics"], ["Source"], ["Model"], ["Expression"], ["Load"], ["Check"], ["Compile"], ["Evaluate"],
        ["Pipeline"], ["Analyse/Coherence", "Analyse/Diff", "Analyse/Gaps", "Analyse/PolicyTest", "Analyse/Sensitivity", "Analyse/WhatIf"],
        ["Render"],
    ]

    struct SourceFile {
        var folder: String
        var name: String
        var code: String
    }

    static func rank(_ folder: String) -> Int? { stages.firstIndex { $0.contains(folder) } }

    /// Every Swift file under Sources/HubsCore, at any depth; its stage is its top folder.
    static func files(under root: String = Repository.path("Sources/HubsCore")) throws -> [SourceFile] {
        var out: [SourceFile] = []
        guard let walker = FileManager.default.enumerator(atPath: root) else { return out }
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            let parts = relative.split(separator: "/")
            // A file's stage is its top folder; an analysis is a folder of Analyse/.
            let depth = parts.first == "Analyse" && parts.count > 2 ? 2 : 1
            let folder = parts.count > depth ? parts.prefix(depth).joined(separator: "/") : ""
            let text = try String(contentsOfFile: "\(root)/\(relative)", encoding: .utf8)
            out.append(
                SourceFile(folder: folder, name: parts.dropFirst(depth).joined(separator: "/"), code: withoutCommentsAndStrings(text)))
        }
        return out.sorted { ($0.folder, $0.name) < ($1.folder, $1.name) }
    }

    /// Comments (line and block, nested) and string literals (single-line and multi-line, with
    /// interpolations dropped too) removed, so prose never counts as code.
    static func withoutCommentsAndStrings(_ text: String) -> String {
        let c = Array(text)
        var out = ""
        var i = 0
        var blockDepth = 0
        func at(_ s: String) -> Bool {
            let a = Array(s)
            return i + a.count <= c.count && Array(c[i..<(i + a.count)]) == a
        }
        while i < c.count {
            if blockDepth > 0 {
                if at("/*") {
                    blockDepth += 1
                    i += 2
                } else if at("*/") {
                    blockDepth -= 1
                    i += 2
                } else {
                    if c[i] == "\n" { out.append("\n") }
                    i += 1
                }
                continue
            }
            if at("/*") {
                blockDepth = 1
                i += 2
            } else if at("//") {
                while i < c.count, c[i] != "\n" { i += 1 }
            } else if at("\"\"\"") {
                i += 3
                while i < c.count, !at("\"\"\"") {
                    if c[i] == "\n" { out.append("\n") }
                    i += c[i] == "\\" ? 2 : 1
                }
                i += 3
            } else if c[i] == "\"" {
                i += 1
                while i < c.count, c[i] != "\"", c[i] != "\n" { i += c[i] == "\\" ? 2 : 1 }
                i += 1
            } else {
                out.append(c[i])
                i += 1
            }
        }
        return out
    }

    /// Type names declared at the top level of a file.
    static func declarations(_ code: String) -> [String] {
        let kinds = ["struct ", "enum ", "class ", "protocol ", "typealias ", "actor "]
        var out: [String] = []
        for line in code.split(separator: "\n") where !line.hasPrefix(" ") {
            var rest = Substring(line)
            for word in ["public ", "internal ", "private ", "fileprivate ", "final ", "indirect ", "@usableFromInline "]
            where rest.hasPrefix(word) {
                rest = rest.dropFirst(word.count)
            }
            for word in ["public ", "final ", "indirect "] where rest.hasPrefix(word) { rest = rest.dropFirst(word.count) }
            guard let kind = kinds.first(where: { rest.hasPrefix($0) }) else { continue }
            let name = rest.dropFirst(kind.count).prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if let first = name.first, first.isUppercase { out.append(String(name)) }
        }
        return out
    }

    /// Free functions declared at the top level of a file, functions that extensions add to a
    /// type (members of a top-level `extension`; a later stage's must not be called earlier), and
    /// every other function (which may share a name with one a later extension adds).
    static func functionDeclarations(_ code: String) -> (free: [String], extensionMembers: [String], other: [String]) {
        var free: [String] = []
        var members: [String] = []
        var other: [String] = []
        var inExtension = false
        for line in code.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { inExtension = line.contains("extension ") }
            let trimmed = line.drop { $0 == " " }
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == "<" })
            guard let k = words.firstIndex(of: "func"), k + 1 < words.count, words[..<k].allSatisfy({ Self.modifiers.contains(String($0)) })
            else { continue }
            let name = String(words[k + 1])
            if !line.hasPrefix(" ") {
                free.append(name)
            } else if inExtension && line.hasPrefix("    ") && !line.hasPrefix("     ") {
                members.append(name)
            } else {
                other.append(name)
            }
        }
        return (free, members, other)
    }

    static let modifiers: Set<String> = [
        "public", "internal", "private", "fileprivate", "static", "mutating", "nonmutating", "@inlinable", "@inline", "__always)",
        "@discardableResult", "@usableFromInline", "final", "override",
    ]

    /// Calls of functions named `names`: `name(` after a word boundary (for extension members,
    /// `.name(`), in `code`.
    static func calls(_ code: String, _ name: String, member: Bool) -> Bool {
        var from = code.startIndex
        let pattern = (member ? "." : "") + name + "("
        while let r = code.range(of: pattern, range: from..<code.endIndex) {
            let before = r.lowerBound == code.startIndex ? " " : code[code.index(before: r.lowerBound)]
            if member || !(before.isLetter || before.isNumber || before == "_" || before == ".") { return true }
            from = r.upperBound
        }
        return false
    }

    /// Every dependency a file has on a later stage (or a sibling analysis): types it names,
    /// free functions it calls and extension members it calls that no earlier or equal stage
    /// declares too. Each entry reads "Folder/File names X (Folder)".
    static func violations(_ files: [SourceFile]) -> [String] {
        var owner: [String: String] = [:]
        var freeOwner: [String: String] = [:]
        var memberOwners: [String: Set<String>] = [:]
        for f in files {
            for t in declarations(f.code) { owner[t] = f.folder }
            let fns = functionDeclarations(f.code)
            for n in fns.free { freeOwner[n] = f.folder }
            for n in fns.free + fns.extensionMembers + fns.other { memberOwners[n, default: []].insert(f.folder) }
        }
        var extensionOwner: [String: String] = [:]
        for f in files { for n in functionDeclarations(f.code).extensionMembers { extensionOwner[n] = f.folder } }
        var out: [String] = []
        for f in files {
            guard let mine = rank(f.folder) else { continue }
            func later(_ folder: String) -> Bool { folder != f.folder && (rank(folder) ?? -1) >= mine }
            for (type, folder) in owner where later(folder) && mentions(f.code, type) {
                out.append("\(f.folder)/\(f.name) names \(type) (\(folder))")
            }
            for (fn, folder) in freeOwner where later(folder) && calls(f.code, fn, member: false) {
                out.append("\(f.folder)/\(f.name) calls \(fn) (\(folder))")
            }
            for (fn, folder) in extensionOwner where later(folder) && calls(f.code, fn, member: true) {
                // A member of the same name declared at this stage or before may be the one called.
                let owners = memberOwners[fn] ?? []
                if owners.contains(where: { !later($0) }) { continue }
                out.append("\(f.folder)/\(f.name) calls .\(fn) (\(folder))")
            }
        }
        return out.sorted()
    }

    /// What HubsCore must never do itself (only front ends print, exit, read the environment or
    /// start processes): calls of these, in code (comments and strings do not count).
    static let forbidden = [
        "print(", "debugPrint(", "exit(", "fatalError(\"exit", "Process(", "ProcessInfo", "getenv(", "setenv(", "posix_spawn(",
        "fork(", "system(", "FileHandle.standardOutput", "FileHandle.standardError", "fputs(", "environ",
    ]

    /// Each forbidden call in the files, as "Folder/File: call".
    static func forbiddenCalls(_ files: [SourceFile]) -> [String] {
        var out: [String] = []
        for f in files {
            for call in forbidden {
                let name = call.hasSuffix("(") ? String(call.dropLast()) : call
                let found = call.hasSuffix("(") ? calls(f.code, name, member: false) : mentions(f.code, name)
                if found { out.append("\(f.folder)/\(f.name): \(call)") }
            }
        }
        return out
    }

    /// The loaders, which only the load stage and the pipeline that composes the stages call:
    /// every command and analysis starts from what `Pipeline` prepared.
    static let loaders = ["PolicyLoader", "ScenarioLoader", "TestLoader", "YAMLDocument.read"]

    /// Each use of a loader outside Load and Pipeline, as "Folder/File: loader".
    static func loaderCalls(_ files: [SourceFile]) -> [String] {
        files.filter { $0.folder != "Load" && $0.folder != "Pipeline" }.flatMap { f in
            loaders.filter { mentions(f.code, $0) }.map { "\(f.folder)/\(f.name): \($0)" }
        }
    }

    /// What renderers never call: they render values, the explain step (`Explanations`, made by
    /// the caller) is where results are explained again, and a diagnostic carries the line it
    /// quotes (`Quoting`), so no renderer reads a file.
    static let evaluating = [
        "Assessor", "Evaluator", "Binder", "Pipeline", "Stages", "ScenarioChecker", "PolicyCompiler", "DiskFiles", "FileSource",
        "FileManager", "Quoting",
    ]

    /// Each use of the evaluator or the pipeline in Render, as "Folder/File: name".
    static func renderCalls(_ files: [SourceFile]) -> [String] {
        files.filter { $0.folder == "Render" }.flatMap { f in
            evaluating.filter { mentions(f.code, $0) }.map { "\(f.folder)/\(f.name): \($0)" }
        }
    }

    /// Each place outside Diagnostics that builds a diagnostic from a code and a severity itself,
    /// as "Folder/File": stages call the constructor of their code (Diagnostics/Catalog.swift).
    static func diagnosticsMadeElsewhere(_ files: [SourceFile]) -> [String] {
        files.filter { $0.folder != "Diagnostics" && calls($0.code, "Diagnostic", member: false) }.map { "\($0.folder)/\($0.name)" }
    }

    static func mentions(_ code: String, _ name: String) -> Bool {
        var searchFrom = code.startIndex
        while let r = code.range(of: name, range: searchFrom..<code.endIndex) {
            let before = r.lowerBound == code.startIndex ? " " : code[code.index(before: r.lowerBound)]
            let after = r.upperBound == code.endIndex ? " " : code[r.upperBound]
            let isPart = { (c: Character) in c.isLetter || c.isNumber || c == "_" }
            if !isPart(before) && !isPart(after) { return true }
            searchFrom = r.upperBound
        }
        return false
    }

    @Test func everyFolderIsAStage() throws {
        for f in try Self.files() { #expect(Self.rank(f.folder) != nil, "Sources/HubsCore/\(f.folder) is not in the stage list") }
    }

    @Test func noStageNamesATypeOfALaterStageOrASiblingAnalysis() throws {
        let files = try Self.files()
        #expect(files.flatMap { Self.declarations($0.code) }.count > 50, "the scan found too few types")
        #expect(files.contains { $0.name.contains("/") }, "nested folders are read (Render/Report/Chart)")
        let violations = Self.violations(files)
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }

    @Test func theLibraryNeverPrintsExitsReadsTheEnvironmentOrStartsProcesses() throws {
        let found = Self.forbiddenCalls(try Self.files())
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test func renderOnlyRenders() throws {
        let found = Self.renderCalls(try Self.files())
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test func onlyThePipelineCallsALoader() throws {
        let found = Self.loaderCalls(try Self.files())
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    /// Tests mirror the stages: each stage (and each analysis) has a test file of its own,
    /// named after it, besides the cross-cutting and end-to-end tests.
    @Test func everyStageHasATestFile() throws {
        let tests = try FileManager.default.contentsOfDirectory(atPath: Repository.path("Tests/HubsCoreTests"))
        for stage in Self.stages.flatMap({ $0 }) {
            let name = (stage.split(separator: "/").last.map(String.init) ?? stage) + "Tests.swift"
            #expect(tests.contains(name), "\(stage) has no \(name)")
        }
    }

    @Test func diagnosticsAreMadeInOnePlace() throws {
        let found = Self.diagnosticsMadeElsewhere(try Self.files())
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
        let catalog = try String(contentsOfFile: Repository.path("Sources/HubsCore/Diagnostics/Catalog.swift"), encoding: .utf8)
        for code in DiagnosticCode.allCases {
            #expect(catalog.contains("public static func \(code)("), "no constructor for \(code.rawValue) in Catalog.swift")
            #expect(
                try String(contentsOfFile: Repository.path("docs/language.md"), encoding: .utf8).contains("`\(code.rawValue)`"),
                "docs/language.md does not list \(code.rawValue)")
        }
    }

    /// Each rule fails on a probe that breaks it (so a passing run means something): a stage
    /// naming a later stage's type, calling its free function or its extension member, the
    /// same from a nested folder, and a print, an exit, an environment read and a process in
    /// the library; comments, block comments and strings never count.
    @Test func everyRuleCatchesAProbe() {
        func file(_ folder: String, _ name: String, _ text: String) -> SourceFile {
            SourceFile(folder: folder, name: name, code: Self.withoutCommentsAndStrings(text))
        }
        let later = file(
            "Render", "R.swift", "public struct Renderer {}\nfunc wording() {}\nextension Outcome {\n    func worded() {}\n}\n")
        let decl = file("Evaluate", "E.swift", "public struct Outcome {}\n")
        #expect(
            Self.violations([later, decl, file("Evaluate", "A.swift", "let r = Renderer()")]) == [
                "Evaluate/A.swift names Renderer (Render)"
            ])
        #expect(
            Self.violations([later, decl, file("Evaluate", "B.swift", "let w = wording()")]) == ["Evaluate/B.swift calls wording (Render)"])
        #expect(Self.violations([later, decl, file("Evaluate", "C.swift", "o.worded()")]) == ["Evaluate/C.swift calls .worded (Render)"])
        #expect(
            Self.violations([later, decl, file("Evaluate", "Deep/D.swift", "let r = Renderer()")]) == [
                "Evaluate/Deep/D.swift names Renderer (Render)"
            ])
        let prose =
            "// Renderer()\n/* wording() /* nested */ Renderer */\nlet s = \"Renderer()\"\nlet m = \"\"\"\n  worded() Renderer\n  \"\"\"\n"
        #expect(Self.violations([later, decl, file("Evaluate", "P.swift", prose)]).isEmpty)
        for probe in [
            "print(\"x\")", "exit(1)", "let e = ProcessInfo.processInfo.environment", "let p = Process()", "let v = getenv(\"X\")",
        ] {
            #expect(Self.forbiddenCalls([file("Load", "L.swift", probe)]).count == 1, "\(probe)")
        }
        #expect(
            Self.loaderCalls([file("Analyse/PolicyTest", "T.swift", "let s = ScenarioLoader(limits: l).load(path: p)")]) == [
                "Analyse/PolicyTest/T.swift: ScenarioLoader"
            ])
        let sibling = file("Analyse/WhatIf", "W.swift", "public struct WhatIfResult {}\n")
        #expect(
            Self.violations([sibling, file("Analyse/Diff", "D.swift", "let w: WhatIfResult? = nil")]) == [
                "Analyse/Diff/D.swift names WhatIfResult (Analyse/WhatIf)"
            ])
        #expect(Self.renderCalls([file("Render", "R.swift", "let r = Assessor.explained(x, in: a)")]) == ["Render/R.swift: Assessor"])
        #expect(Self.renderCalls([file("Render", "Q.swift", "let f = DiskFiles().file(atLocation: p)")]) == ["Render/Q.swift: DiskFiles"])
        #expect(
            Self.diagnosticsMadeElsewhere([file("Check", "C.swift", "let d = Diagnostic(.error, .unknownFact, m, at: nil)")]) == [
                "Check/C.swift"
            ])
        #expect(Self.diagnosticsMadeElsewhere([file("Diagnostics", "Catalog.swift", "Diagnostic(.error, c, m, at: nil)")]).isEmpty)
        #expect(Self.loaderCalls([file("Pipeline", "P.swift", "let s = ScenarioLoader(limits: l).load(path: p)")]).isEmpty)
        #expect(Self.forbiddenCalls([file("Load", "L.swift", "// print(x)\nlet s = \"exit(1)\"\nfunc reprint() {}\nx.printed(1)")]).isEmpty)
    }
}

/// No function of HubsCore is longer than about 80 lines, except the dispatch switch of the
/// scalar interpreter (one case per opcode; the batch interpreter's is in C, CHubsKernels).
@Suite struct FunctionLengthTests {
    static let limit = 80
    static let dispatchers: Set<String> = ["Evaluate/Machine.swift run"]

    @Test func functionsAreShortExceptTheDispatchSwitches() throws {
        var long: [String] = []
        var seen = 0
        // The library, the command-line tool and the C kernels, at any depth.
        for target in ["HubsCore", "hubs", "CHubsKernels"] {
            let root = Repository.path("Sources/\(target)")
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            while let relative = walker.nextObject() as? String {
                let isC = relative.hasSuffix(".c")
                guard relative.hasSuffix(".swift") || isC else { continue }
                let lines = try String(contentsOfFile: root + "/" + relative, encoding: .utf8).components(separatedBy: "\n")
                let found = isC ? Self.cFunctions(lines) : Self.functions(lines)
                seen += found.count
                for (start, count, fn) in found where count > Self.limit {
                    let key = "\(target == "HubsCore" ? "" : target + "/")\(relative) \(fn)"
                    if !Self.dispatchers.contains(key) { long.append("\(key) (line \(start + 1)): \(count) lines") }
                }
            }
        }
        #expect(seen > 500, "the scan found only \(seen) functions")
        #expect(long.isEmpty, "\(long.joined(separator: "\n"))")
    }

    /// The number of lines from `i` to the brace that closes the first one opened there (braces
    /// in strings and comments do not count); nil if it never closes.
    static func bodyLength(_ lines: [String], from i: Int) -> Int? {
        var depth = 0
        var opened = false
        for j in i..<lines.count {
            for ch in ArchitectureTests.withoutCommentsAndStrings(lines[j]) {
                if ch == "{" {
                    depth += 1
                    opened = true
                }
                if ch == "}" { depth -= 1 }
            }
            if opened && depth <= 0 { return j - i + 1 }
        }
        return nil
    }

    /// (first line, length, name) of every C function definition: a line at the left margin
    /// naming a function, its body's brace on that line or the next.
    static func cFunctions(_ lines: [String]) -> [(Int, Int, String)] {
        var out: [(Int, Int, String)] = []
        for (i, line) in lines.enumerated() {
            guard let first = line.first, first.isLetter, line.contains("("), !line.hasSuffix(";"), !line.hasPrefix("typedef"),
                line.contains("{") || (i + 1 < lines.count && lines[i + 1].hasPrefix("{"))
            else { continue }
            let name = line[..<line.firstIndex(of: "(")!].split(separator: " ").last.map { String($0.drop { $0 == "*" }) } ?? "?"
            if let n = bodyLength(lines, from: i) { out.append((i, n, name)) }
        }
        return out
    }

    /// (first line, length, name) of every `func` and `init`, by brace matching.
    static func functions(_ lines: [String]) -> [(Int, Int, String)] {
        var out: [(Int, Int, String)] = []
        for (i, line) in lines.enumerated() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == "<" })
            guard let k = words.firstIndex(where: { $0 == "func" || $0 == "init" }), !line.contains("//"),
                !line.trimmingCharacters(in: .whitespaces).hasPrefix("///")
            else { continue }
            let name = words[k] == "init" ? "init" : (k + 1 < words.count ? String(words[k + 1]) : "?")
            if let n = Self.bodyLength(lines, from: i) { out.append((i, n, name)) }
        }
        return out
    }
}

/// Every public type, function and initialiser of HubsCore says what it is.
@Suite struct DocumentationTests {
    @Test func everyPublicTypeAndFunctionHasADocComment() throws {
        let root = Repository.path("Sources/HubsCore")
        var undocumented: [String] = []
        let kinds = ["struct ", "enum ", "class ", "protocol ", "func ", "init", "typealias "]
        // Every file at any depth (Render/Report/Chart too).
        let names = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") }
        #expect(names.contains { $0.hasPrefix("Render/Report/Chart/") })
        for name in names.sorted() {
            do {
                let lines = try String(contentsOfFile: "\(root)/\(name)", encoding: .utf8).components(separatedBy: "\n")
                for (i, line) in lines.enumerated() {
                    var rest = line.trimmingCharacters(in: .whitespaces)
                    guard rest.hasPrefix("public ") else { continue }
                    for word in ["public ", "static ", "final ", "indirect ", "mutating "] where rest.hasPrefix(word) {
                        rest = String(rest.dropFirst(word.count))
                    }
                    for word in ["static ", "final ", "indirect ", "mutating "] where rest.hasPrefix(word) {
                        rest = String(rest.dropFirst(word.count))
                    }
                    guard kinds.contains(where: { rest.hasPrefix($0) }) else { continue }
                    var j = i - 1
                    while j >= 0, lines[j].trimmingCharacters(in: .whitespaces).hasPrefix("@") { j -= 1 }
                    if j < 0 || !lines[j].trimmingCharacters(in: .whitespaces).hasPrefix("///") {
                        undocumented.append("\(name):\(i + 1): \(rest.prefix(60))")
                    }
                }
            }
        }
        #expect(undocumented.isEmpty, "\(undocumented.joined(separator: "\n"))")
    }
}
