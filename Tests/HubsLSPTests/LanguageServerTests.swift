import Foundation
import HubsTestSupport
import Testing

@testable import HubsLSP

/// The framing, the position mapping and a session with the server, in process.
@Suite struct FramingTests {
    func items(_ text: String, maxBody: Int = 1000) -> [LSPFraming.Item] {
        var reader = BufferedReader.bytes(Array(text.utf8))
        var out: [LSPFraming.Item] = []
        while let i = LSPFraming(maxBody: maxBody).next(from: &reader) { out.append(i) }
        return out
    }

    @Test func messagesAreReadByLength() {
        #expect(
            items("Content-Length: 2\r\n\r\n{}Content-Length: 3\r\nContent-Type: x\r\n\r\n[1]") == [
                .message(Array("{}".utf8)), .message(Array("[1]".utf8)),
            ])
    }

    @Test func badFramesAreProblemsAndTheStreamGoesOn() {
        let found = items(
            "Content-Length: x\r\n\r\nX-Other: 1\r\n\r\nno colon\r\n\r\nContent-Length: 5000\r\n\r\n" + String(repeating: "a", count: 5000)
                + "Content-Length: 2\r\n\r\n{}")
        #expect(found.count == 5, "a bad length, no length, no colon, too long, then the message")
        #expect(found.last == .message(Array("{}".utf8)), "the oversized body was skipped and the next message read: \(found)")
        #expect(items("Content-Length: 10\r\n\r\n{}") == [.problem("the stream ended inside a message")])
        #expect(items(String(repeating: "X", count: 9000) + "\r\n\r\nContent-Length: 2\r\n\r\n{}").last == .message(Array("{}".utf8)))
    }

    @Test func columnsAreCountedInUTF16() {
        let line = "  name: \"Kosovë 🇽🇰\" # x"
        // The 🇽 and 🇰 scalars take two UTF-16 units each.
        #expect(LanguageServer.utf16Column(line, scalars: 10) == 10)
        #expect(LanguageServer.utf16Column(line, scalars: 17) == 18)
        #expect(LanguageServer.utf16Column(line, scalars: 18) == 20)
        #expect(LanguageServer.scalarColumn(line, utf16: 20) == 18)
        #expect(LanguageServer.scalarColumn(line, utf16: 0) == 0)
    }
}

@Suite struct LanguageServerTests {
    static let root = Repository.root

    func request(_ s: LanguageServer, _ id: Int, _ method: String, _ params: [String: Any]) -> [String: Any] {
        let replies = s.handle(Self.json(["jsonrpc": "2.0", "id": id, "method": method, "params": params]))
        return replies.compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }.first { ($0["id"] as? Int) == id }
            ?? [:]
    }

    func notify(_ s: LanguageServer, _ method: String, _ params: [String: Any]) -> [[String: Any]] {
        s.handle(Self.json(["jsonrpc": "2.0", "method": method, "params": params]))
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
    }

    static func json(_ o: Any) -> [UInt8] { Array(try! JSONSerialization.data(withJSONObject: o)) }

    func started() -> LanguageServer {
        let s = LanguageServer(root: Self.root)
        _ = request(s, 1, "initialize", ["rootUri": URL(fileURLWithPath: Self.root).absoluteString, "capabilities": [:]])
        _ = notify(s, "initialized", [:])
        return s
    }

    func uri(_ path: String) -> String { URL(fileURLWithPath: Self.root + "/" + path).absoluteString }

    @Test func aMisspeltFactIsTheDiagnosticOfHubsCheck() throws {
        let s = started()
        let text = try String(contentsOfFile: Repository.path("policies/uk-return-hubs.yaml"), encoding: .utf8)
        let broken = text.replacingOccurrences(of: "    when: echr_party", with: "    when: echr_prty")
        #expect(broken != text)
        let sent = notify(
            s, "textDocument/didOpen",
            ["textDocument": ["uri": uri("policies/uk-return-hubs.yaml"), "languageId": "yaml", "version": 1, "text": broken]])
        let published = try #require(
            sent.first { (($0["params"] as? [String: Any])?["uri"] as? String) == uri("policies/uk-return-hubs.yaml") })
        let diags = try #require((published["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]])
        let d = try #require(diags.first { $0["code"] as? String == "unknown_fact" })
        #expect((d["message"] as? String)?.contains("did you mean 'echr_party'?") == true)
        #expect(d["severity"] as? Int == 1)
        let start = try #require((d["range"] as? [String: Any])?["start"] as? [String: Int])
        #expect(start["line"] == 72 && start["character"] == 10, "line 73, column 11 in hubs's counting: \(start)")
        // The quick fix replaces the misspelt name with the did-you-mean's.
        let actions = request(
            s, 9, "textDocument/codeAction",
            ["textDocument": ["uri": uri("policies/uk-return-hubs.yaml")], "range": d["range"] ?? [:], "context": ["diagnostics": [d]]])
        let action = try #require((actions["result"] as? [[String: Any]])?.first)
        #expect(action["title"] as? String == "Replace with 'echr_party'")
        let edits = try #require(
            ((action["edit"] as? [String: Any])?["changes"] as? [String: Any])?[uri("policies/uk-return-hubs.yaml")] as? [[String: Any]])
        #expect(edits.first?["newText"] as? String == "echr_party")
        #expect(((edits.first?["range"] as? [String: Any])?["end"] as? [String: Int])?["character"] == 19, "the whole of 'echr_prty'")
        // Fixed: the diagnostics go away.
        let fixed = notify(
            s, "textDocument/didChange",
            ["textDocument": ["uri": uri("policies/uk-return-hubs.yaml"), "version": 2], "contentChanges": [["text": text]]])
        let after = fixed.compactMap { ($0["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]] }.first ?? []
        #expect(!after.contains { $0["severity"] as? Int == 1 })
    }

    @Test func hoverShowsSourcesAndWeights() throws {
        let s = started()
        let scenario = try String(contentsOfFile: Repository.path("scenarios/baseline.yaml"), encoding: .utf8)
        let lines = scenario.split(separator: "\n", omittingEmptySubsequences: false)
        let row = try #require(lines.firstIndex { $0.hasPrefix("  S29:") })
        let h = request(
            s, 2, "textDocument/hover",
            ["textDocument": ["uri": uri("scenarios/baseline.yaml")], "position": ["line": row, "character": 3]])
        let value = try #require(((h["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String)
        #expect(value.contains("PACE recommends Kosovo") && value.contains("2024-04-17"), "\(value)")
        let policy = try String(contentsOfFile: Repository.path("policies/uk-return-hubs.yaml"), encoding: .utf8)
        let prow = try #require(
            policy.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("      host_willingness:") })
        let w = request(
            s, 3, "textDocument/hover",
            ["textDocument": ["uri": uri("policies/uk-return-hubs.yaml")], "position": ["line": prow, "character": 8]])
        let text = try #require(((w["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String)
        #expect(text.contains("effective weight 15") && text.contains("why: The further talks"), "\(text)")
        let crow = try #require(lines.firstIndex { $0.hasPrefix("  north_macedonia:") })
        let c = request(
            s, 14, "textDocument/hover",
            ["textDocument": ["uri": uri("scenarios/baseline.yaml")], "position": ["line": crow, "character": 4]])
        let ctext = try #require(((c["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String)
        #expect(ctext.contains("rank 1 of 6, risk 33.74 (moderate)"), "\(ctext)")
    }

    @Test func definitionAndCompletion() throws {
        let s = started()
        let policy = try String(contentsOfFile: Repository.path("policies/uk-return-hubs.yaml"), encoding: .utf8)
        let lines = policy.split(separator: "\n", omittingEmptySubsequences: false)
        let use = try #require(lines.firstIndex { $0.contains("    when: echr_party") })
        let d = request(
            s, 4, "textDocument/definition",
            ["textDocument": ["uri": uri("policies/uk-return-hubs.yaml")], "position": ["line": use, "character": 12]])
        let range = try #require((d["result"] as? [String: Any])?["range"] as? [String: Any])
        #expect((range["start"] as? [String: Int])?["line"] == 36, "the declaration on line 37")
        let c = request(
            s, 5, "textDocument/completion",
            ["textDocument": ["uri": uri("scenarios/baseline.yaml")], "position": ["line": 0, "character": 0]])
        let labels = ((c["result"] as? [String: Any])?["items"] as? [[String: Any]])?.compactMap { $0["label"] as? String } ?? []
        #expect(labels.contains("cpi_2024") && labels.contains("host_willingness") && labels.contains("S29"))
    }

    @Test func referencesSymbolsAndInlayHints() throws {
        let s = started()
        let policy = try String(contentsOfFile: Repository.path("policies/uk-return-hubs.yaml"), encoding: .utf8)
        let row = try #require(policy.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("  echr_party:") })
        let refs = request(
            s, 6, "textDocument/references",
            [
                "textDocument": ["uri": uri("policies/uk-return-hubs.yaml")], "position": ["line": row, "character": 4],
                "context": ["includeDeclaration": true],
            ])
        let found = try #require(refs["result"] as? [[String: Any]])
        let files = Set(found.compactMap { ($0["uri"] as? String).map { URL(string: $0)?.lastPathComponent ?? "" } })
        #expect(files.isSuperset(of: ["uk-return-hubs.yaml", "baseline.yaml"]), "the declaration and the scenario's values: \(files)")
        let symbols = try #require(
            request(s, 7, "textDocument/documentSymbol", ["textDocument": ["uri": uri("policies/uk-return-hubs.yaml")]])["result"]
                as? [[String: Any]])
        let legal = try #require(symbols.first { $0["name"] as? String == "legal" })
        #expect((legal["children"] as? [[String: Any]])?.contains { $0["name"] as? String == "echr" } == true)
        #expect(symbols.contains { $0["name"] as? String == "host_refused" })
        let hints = try #require(
            request(s, 8, "textDocument/inlayHint", ["textDocument": ["uri": uri("scenarios/baseline.yaml")], "range": [:]])["result"]
                as? [[String: Any]])
        #expect(hints.contains { ($0["label"] as? String)?.hasPrefix("rank 1, risk 33.7 (moderate)") == true }, "\(hints.prefix(3))")
        let weights = try #require(
            request(s, 10, "textDocument/inlayHint", ["textDocument": ["uri": uri("policies/uk-return-hubs.yaml")], "range": [:]])["result"]
                as? [[String: Any]])
        #expect(weights.contains { $0["label"] as? String == "15% of the total" })
    }

    /// Completion offers what the place asks for, read from the line before the cursor.
    @Test func completionKnowsThePlace() {
        let facts: Set<String> = ["host_stance", "cpi_2024"]
        #expect(LanguageServer.wanted("      host_stance: ", facts: facts) == .values("host_stance"))
        #expect(LanguageServer.wanted("      host_stance: {value: ag", facts: facts) == .anything)
        #expect(LanguageServer.wanted("      cpi_2024: {value: 44, source: S", facts: facts) == .sources)
        #expect(LanguageServer.wanted("          cite: [S1, ", facts: facts) == .sources)
        #expect(LanguageServer.wanted("          map: {fact: ho", facts: facts) == .facts)
        #expect(LanguageServer.wanted("    exclude_if: known(re", facts: facts) == .expression)
        #expect(LanguageServer.wanted("      cpi", facts: facts) == .facts)
        #expect(LanguageServer.wanted("title: x", facts: facts) == .anything)
    }

    @Test func completionOffersAnEnumsValues() throws {
        let s = started()
        let text = "scenario: t\ncandidates:\n  x:\n    name: X\n    facts:\n      host_stance: \n"
        _ = notify(
            s, "textDocument/didOpen", ["textDocument": ["uri": uri("scenarios/t.yaml"), "languageId": "yaml", "version": 1, "text": text]])
        let c = request(
            s, 11, "textDocument/completion", ["textDocument": ["uri": uri("scenarios/t.yaml")], "position": ["line": 5, "character": 19]])
        let labels = ((c["result"] as? [String: Any])?["items"] as? [[String: Any]])?.compactMap { $0["label"] as? String } ?? []
        #expect(
            labels.contains("agreed") && labels.contains("refused") && labels.contains("unknown") && !labels.contains("cpi_2024"),
            "\(labels)")
    }

    @Test func extendsAndLikeLeadToTheirDefinitions() throws {
        let s = started()
        let child = try String(contentsOfFile: Repository.path("scenarios/kosovo-joins-coe.yaml"), encoding: .utf8)
        let row = try #require(child.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("extends:") })
        let d = request(
            s, 12, "textDocument/definition",
            ["textDocument": ["uri": uri("scenarios/kosovo-joins-coe.yaml")], "position": ["line": row, "character": 11]])
        #expect((d["result"] as? [String: Any])?["uri"] as? String == uri("scenarios/baseline.yaml"))
        let text = "scenario: t\ncandidates:\n  a:\n    name: A\n    facts: {cpi_2024: 40}\n  b:\n    name: B\n    like: a\n"
        _ = notify(
            s, "textDocument/didOpen", ["textDocument": ["uri": uri("scenarios/t.yaml"), "languageId": "yaml", "version": 1, "text": text]])
        let like = request(
            s, 13, "textDocument/definition", ["textDocument": ["uri": uri("scenarios/t.yaml")], "position": ["line": 7, "character": 10]])
        #expect((((like["result"] as? [String: Any])?["range"] as? [String: Any])?["start"] as? [String: Int])?["line"] == 2)
    }

    @Test func theProtocolsRulesAreKept() {
        let s = LanguageServer(root: Self.root)
        #expect((request(s, 1, "textDocument/hover", [:])["error"] as? [String: Any])?["code"] as? Int == -32002, "before initialize")
        _ = request(s, 2, "initialize", [:])
        #expect((request(s, 3, "no/such", [:])["error"] as? [String: Any])?["code"] as? Int == -32601)
        let bad = s.handle(Array("{not json".utf8)).first.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
        #expect((bad?["error"] as? [String: Any])?["code"] as? Int == -32700)
        #expect(s.handle(Array("[1, 2]".utf8)).count == 1, "a batch is not a request: an error, not a crash")
        #expect(notify(s, "textDocument/didOpen", ["textDocument": 5]).isEmpty, "wrong types are ignored")
        _ = request(s, 4, "shutdown", [:])
        #expect((request(s, 5, "textDocument/hover", [:])["error"] as? [String: Any])?["code"] as? Int == -32600)
        _ = notify(s, "exit", [:])
        #expect(s.exitStatus == 0)
        let t = LanguageServer(root: Self.root)
        _ = notify(t, "exit", [:])
        #expect(t.exitStatus == 1, "exit without shutdown")
    }
}
