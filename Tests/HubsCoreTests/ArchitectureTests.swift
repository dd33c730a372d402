import Foundation
import HubsTestSupport
import Testing

/// The dependency rule of docs/architecture.md, kept by a test: a file of one stage never names a
/// type declared by a later stage, and the analyses (diff, policy tests, sensitivity, what-if)
/// never name each other's types.
@Suite struct ArchitectureTests {
    /// The stages in order; a stage may use every earlier one. The analyses share a rank.
    static let stages: [[String]] = [
        ["Support"], ["Diagnostics"], ["Source"], ["Model"], ["Expression"], ["Load"], ["Check"], ["Compile"], ["Evaluate"],
        ["Diff", "PolicyTest", "Sensitivity", "WhatIf"], ["Pipeline"], ["Render"],
    ]

    struct SourceFile {
        var folder: String
        var name: String
        var code: String
    }

    static func rank(_ folder: String) -> Int? { stages.firstIndex { $0.contains(folder) } }

    static func files() throws -> [SourceFile] {
        let root = Repository.path("Sources/HubsCore")
        var out: [SourceFile] = []
        for folder in try FileManager.default.contentsOfDirectory(atPath: root).sorted() {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + folder, isDirectory: &isDir), isDir.boolValue else { continue }
            for name in try FileManager.default.contentsOfDirectory(atPath: root + "/" + folder).sorted() where name.hasSuffix(".swift") {
                let text = try String(contentsOfFile: "\(root)/\(folder)/\(name)", encoding: .utf8)
                out.append(SourceFile(folder: folder, name: name, code: withoutCommentsAndStrings(text)))
            }
        }
        return out
    }

    /// Line comments and string literals removed, so prose never counts as a dependency.
    static func withoutCommentsAndStrings(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var out = ""
            var inString = false
            var escaped = false
            var chars = Array(line)
            if let i = line.range(of: "//"), !line[..<i.lowerBound].contains("\"") { chars = Array(line[..<i.lowerBound]) }
            for ch in chars {
                if inString {
                    if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
                    continue
                }
                if ch == "\"" {
                    inString = true
                    continue
                }
                out.append(ch)
            }
            return out
        }.joined(separator: "\n")
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
        var owner: [String: String] = [:]
        for f in files { for t in Self.declarations(f.code) { owner[t] = f.folder } }
        #expect(owner.count > 50, "the scan found only \(owner.count) types")
        var violations: [String] = []
        for f in files {
            guard let mine = Self.rank(f.folder) else { continue }
            for (type, folder) in owner where folder != f.folder {
                guard let theirs = Self.rank(folder), theirs >= mine, Self.mentions(f.code, type) else { continue }
                violations.append("\(f.folder)/\(f.name) names \(type) (\(folder))")
            }
        }
        #expect(violations.isEmpty, "\(violations.sorted().joined(separator: "\n"))")
    }

    /// The checker itself catches a violation (so a passing run means something).
    @Test func theScanSeesADependency() {
        let code = Self.withoutCommentsAndStrings("let x = Evaluator(p) // Assessor\nlet s = \"Outcome\"")
        #expect(Self.mentions(code, "Evaluator"))
        #expect(!Self.mentions(code, "Assessor"))
        #expect(!Self.mentions(code, "Outcome"))
        #expect(Self.declarations("public final class Evaluator {\n    struct Inner {}\n}") == ["Evaluator"])
    }
}

/// No function of HubsCore is longer than about 80 lines, except the dispatch switch of the
/// scalar interpreter (one case per opcode; the batch interpreter's is in C, CHubsKernels).
@Suite struct FunctionLengthTests {
    static let limit = 80
    static let dispatchers: Set<String> = ["Evaluate/Machine.swift run"]

    @Test func functionsAreShortExceptTheDispatchSwitches() throws {
        let root = Repository.path("Sources/HubsCore")
        var long: [String] = []
        for folder in try FileManager.default.contentsOfDirectory(atPath: root).sorted() {
            let dir = root + "/" + folder
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names.sorted() where name.hasSuffix(".swift") {
                let lines = try String(contentsOfFile: dir + "/" + name, encoding: .utf8).components(separatedBy: "\n")
                for (start, count, fn) in Self.functions(lines) where count > Self.limit {
                    let key = "\(folder)/\(name) \(fn)"
                    if !Self.dispatchers.contains(key) { long.append("\(key) (line \(start + 1)): \(count) lines") }
                }
            }
        }
        #expect(long.isEmpty, "\(long.joined(separator: "\n"))")
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
            var depth = 0
            var opened = false
            for j in i..<lines.count {
                // Braces inside strings and comments do not count.
                for ch in ArchitectureTests.withoutCommentsAndStrings(lines[j]) {
                    if ch == "{" {
                        depth += 1
                        opened = true
                    }
                    if ch == "}" { depth -= 1 }
                }
                if opened && depth <= 0 {
                    out.append((i, j - i + 1, name))
                    break
                }
            }
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
        for folder in try FileManager.default.contentsOfDirectory(atPath: root).sorted() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder) else { continue }
            for name in names.sorted() where name.hasSuffix(".swift") {
                let lines = try String(contentsOfFile: "\(root)/\(folder)/\(name)", encoding: .utf8).components(separatedBy: "\n")
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
                        undocumented.append("\(folder)/\(name):\(i + 1): \(rest.prefix(60))")
                    }
                }
            }
        }
        #expect(undocumented.isEmpty, "\(undocumented.joined(separator: "\n"))")
    }
}
