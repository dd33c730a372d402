import Foundation
import Testing

@testable import HubsCore

/// Long scenarios are read in parts side by side (`YAMLParts`); the tree, every location in it,
/// and every error must be those of reading the file whole.
@Suite struct YAMLPartsTests {
    /// A scenario of `count` candidates, with quoted, block and commented values, blank lines,
    /// and `sources:` after the candidates; `candidate` may replace any candidate's text.
    static func scenario(_ count: Int, candidate: (Int) -> String? = { _ in nil }) -> String {
        var y = "# generated\nscenario: parts\ntitle: \"Parts: a test\"\nas_of: 2025-01-01\ncandidates:   # all of them\n"
        for c in 0..<count {
            if let text = candidate(c) {
                y += text
                continue
            }
            y += "  c\(c):\n    name: 'Candidate \(c)'\n\n    facts:\n"
            y += "      f1: \(Double(c) / 7)\n      f2: {value: true, source: s1}\n      # a comment\n"
            y += "      f3:\n        value: partial\n        note: |\n          first line\n\n          third: line\n"
            y += "      f4: \"quoted\\ttext\"\n      f5: {value: 3,\n        source: s1}\n"
        }
        y += "sources:\n  s1:\n    title: A source\n"
        return y
    }

    static func dump(_ r: Result<YAML, DiagnosticsError>) -> [String] {
        switch r {
        case let .success(y): return YAMLReader.outline(y)
        case let .failure(e): return e.diagnostics.map { "\($0.code) \($0.message) \($0.location?.description ?? "-")" }
        }
    }

    /// The file read whole, as without parts.
    static func whole(_ file: SourceFile, limits: InputLimits = .standard) -> Result<YAML, DiagnosticsError> {
        var text = file.text
        return text.withUTF8 { bytes in
            YAMLEventReader(file: file, limits: limits).readRange(bytes).map(\.0).mapError { DiagnosticsError([$0.diagnostic]) }
        }
    }

    static func plan(_ text: String) -> YAMLParts? {
        var t = text
        return t.withUTF8 { YAMLParts.plan($0, parts: 8) }
    }

    @Test func partsGiveTheTreeOfTheWholeFile() throws {
        let text = Self.scenario(8_000)
        #expect(text.utf8.count > 2 * YAMLParts.minimumBytes)
        let p = try #require(Self.plan(text))
        #expect(p.starts.count >= 4)
        #expect(p.blockEnd < text.utf8.count)  // the sources are read as a part of their own
        let file = SourceFile(path: "big.yaml", text: text)
        let parts = Self.dump(YAMLReader.parse(file))
        #expect(parts.count > 100_000)
        #expect(parts == Self.dump(Self.whole(file)))
        // And the scenario loads with every location where the file has it.
        let loaded = try ScenarioLoader().load(root: YAMLReader.parse(file).get(), file: file, path: file.path).get()
        #expect(loaded.candidates.count == 8_000)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(loaded.candidates[7_999].facts[2].location.line == (lines.lastIndex(of: "      f3:") ?? 0) + 1)
    }

    /// Files that must not be cut, or whose parts cannot be joined, are read whole: the same tree,
    /// or the same error at the same place.
    @Test(arguments: [
        "anchor used in a later part", "duplicate candidate in a later part", "quoted string across a cut",
        "flow mapping across a cut", "CRLF line breaks", "document marker after the candidates",
        "syntax error late in the file", "candidates as a list", "tab late in the file",
    ])
    func unusualFilesAreReadWhole(_ kind: String) throws {
        let n = 4_000
        var text: String
        switch kind {
        case "anchor used in a later part":
            text = Self.scenario(n) { c in
                c == 0 ? "  c0: &first\n    name: First\n" : c == n - 1 ? "  c\(c): *first\n" : nil
            }
        case "duplicate candidate in a later part":
            text = Self.scenario(n) { c in c == n - 1 ? "  c1:\n    name: again\n" : nil }
        case "quoted string across a cut":
            // A double-quoted name whose next line looks like a candidate key (libyaml reads it as
            // the string's own line); most of each candidate is before that line, so cuts land on it.
            text = Self.scenario(n) { c in
                "  c\(c):\n    name: \"opened \(String(repeating: "x", count: 300))\n  c\(c)x: still inside\n  the string\"\n"
            }
        case "flow mapping across a cut":
            text = Self.scenario(n) { c in "  c\(c): {name: open \(String(repeating: "x", count: 300)),\n  c\(c)x: inside}\n" }
        case "CRLF line breaks":
            text = Self.scenario(n).replacingOccurrences(of: "\n", with: "\r\n")
        case "document marker after the candidates":
            text = Self.scenario(n) + "---\nscenario: second\n"
        case "syntax error late in the file":
            text = Self.scenario(n) { c in c == n - 10 ? "  c\(c):\n    name: [unclosed\n" : nil }
        case "candidates as a list":
            text = Self.scenario(3 * n) { c in
                "  - id: c\(c)\n    name: C\(c)\n    facts: {f1: 1, f2: 2, f3: 3, f4: 4, f5: 5, f6: 6, f7: 7, f8: 8, f9: 9, f10: 10, f11: 11}\n"
            }
        default:
            text = Self.scenario(n) { c in c == n - 3 ? "  c\(c):\n\tname: tab\n" : nil }
        }
        #expect(text.utf8.count > YAMLParts.minimumBytes)
        // Some are cut and then read whole, because a part fails or the parts do not join; the
        // others are never cut.
        let neverCut = ["CRLF line breaks", "document marker after the candidates", "candidates as a list"]
        #expect((Self.plan(text) == nil) == neverCut.contains(kind), "\(kind)")
        let file = SourceFile(path: "odd.yaml", text: text)
        if !neverCut.contains(kind) {
            var t = text
            #expect(t.withUTF8 { YAMLEventReader(file: file, limits: .standard).readInParts($0) } == nil, "\(kind)")
        }
        #expect(Self.dump(YAMLReader.parse(file)) == Self.dump(Self.whole(file)), "\(kind)")
    }

    /// Small files cut into parts of a few bytes (as the fuzzer's `parts` target does): wherever
    /// the parts join, the tree is the whole file's.
    @Test func smallPartsGiveTheWholeTree() throws {
        var joined = 0
        for name in ["baseline", "kosovo-joins-coe", "montenegro-visas-2026", "serbia-visas-for-russians"] {
            let path = shipped("scenarios/\(name).yaml")
            let file = SourceFile(path: path, text: try String(contentsOfFile: path, encoding: .utf8))
            for size in [8, 64, 512] {
                guard let parts = YAMLReader.parseInParts(file, minimumPartBytes: size) else { continue }
                joined += 1
                #expect(YAMLReader.outline(parts) == Self.dump(YAMLReader.parse(file)), "\(name) \(size)")
            }
        }
        #expect(joined > 0)
    }

    /// The node limit counts the whole file's nodes, whichever way it is read.
    @Test func nodeLimitIsTheWholeFiles() throws {
        let file = SourceFile(path: "big.yaml", text: Self.scenario(4_000))
        var nodes = 0
        if case let .success((_, count)) = Self.wholeCount(file) { nodes = count }
        #expect(nodes > 100_000)
        for limit in [nodes - 1, nodes] {
            var limits = InputLimits.standard
            limits.maxNodes = limit
            #expect(Self.dump(YAMLReader.parse(file, limits: limits)) == Self.dump(Self.whole(file, limits: limits)))
        }
        var limits = InputLimits.standard
        limits.maxNodes = nodes - 1
        #expect(diagnostics(YAMLReader.parse(file, limits: limits)).map(\.code) == [.tooManyNodes])
    }

    static func wholeCount(_ file: SourceFile) -> Result<(YAML, Int), YAMLEventReader.Failure> {
        var text = file.text
        return text.withUTF8 { YAMLEventReader(file: file, limits: .standard).readRange($0) }
    }
}
