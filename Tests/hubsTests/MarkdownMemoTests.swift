import Foundation
import HubsTestSupport
import Testing

/// Memo-ready Markdown: explain, score and diff, with sources, titles and notes; every pipe table
/// well formed (each row has as many cells as its header), as GitHub and pandoc require.
@Suite struct MarkdownMemoTests {
    /// The cells of a pipe-table line, counting only unescaped pipes.
    static func cellCount(_ line: Substring) -> Int {
        var count = 0
        var escaped = false
        for ch in line {
            if ch == "\\" && !escaped {
                escaped = true
                continue
            }
            if ch == "|" && !escaped { count += 1 }
            escaped = false
        }
        return count - 1
    }

    /// Problems with the pipe tables in a Markdown document.
    static func tableProblems(_ md: String) -> [String] {
        var problems: [String] = []
        var header: Int?
        for line in md.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else {
                header = nil
                continue
            }
            let n = cellCount(line)
            if let h = header {
                if n != h { problems.append("\(n) cells, header has \(h): \(line)") }
            } else {
                header = n
            }
        }
        return problems
    }

    @Test func explainAsMarkdownHasTheFactsTheirSourcesAndAssumptions() throws {
        let r = try CLI.run(["explain", "kosovo", "--format", "markdown"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("### Kosovo\n"))
        #expect(r.stdout.contains("| Fact | Value | Source | Source date | As of | Confidence | Note |"))
        #expect(r.stdout.contains("| cpi\\_2024 | 44 points | S1 | 2025-02-11 | – | high | ranked 73rd |"))
        #expect(r.stdout.contains("\n#### Assumptions for missing data\n"))
        #expect(r.stdout.contains("- **S1**: Corruption Perception Index"))
        #expect(r.stdout.contains("<https://europeanwesternbalkans.com/"))
        #expect(Self.tableProblems(r.stdout).isEmpty, "\(Self.tableProblems(r.stdout))")
    }

    @Test func scoreAsMarkdownListsItsSources() throws {
        let r = try CLI.run(["score", "--format", "markdown"])
        #expect(r.stdout.contains("\n#### Sources\n\n- **seed003**: "))
        #expect(r.stdout.contains("cited for host\\_stance (6 candidates)"))
        #expect(Self.tableProblems(r.stdout).isEmpty, "\(Self.tableProblems(r.stdout))")
    }

    @Test func diffAsMarkdownUsesTitlesSourcesAndNotes() throws {
        let r = try CLI.run(["diff", "scenarios/baseline.yaml", "scenarios/kosovo-joins-coe.yaml", "--format", "markdown"])
        #expect(r.stdout.contains("Party to the ECHR (a Council of Europe member) −15.00"))
        #expect(r.stdout.contains("- Kosovo: echr\\_party false → true \\[S29\\] (HYPOTHETICAL: would follow accession"))
        #expect(r.stdout.contains("5 unchanged: Bosnia and Herzegovina, Moldova"))
        #expect(Self.tableProblems(r.stdout).isEmpty)
        let o = try CLI.run(["diff", "--set", "moldova.host_stance=refused", "--format", "markdown"])
        #expect(o.stdout.contains("host\\_stance unknown → refused \\[set on the command line\\]"), "\(o.stdout)")
        #expect(o.stdout.contains("Moldova newly excluded by host\\_refused"))
    }
}

/// The Markdown tables as pandoc reads them, in GitHub's dialect and its own: every table row
/// becomes an HTML row. Skipped, saying so, where pandoc is not installed (CI installs it).
@Suite struct PandocTests {
    static let pandoc = ["/usr/bin/pandoc", "/usr/local/bin/pandoc"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func html(_ markdown: String, from dialect: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(pandoc))
        p.arguments = ["-f", dialect, "-t", "html"]
        let input = Pipe()
        let output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(markdown.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The Markdown brief converts with pandoc, in both dialects, without a warning.
    @Test(.enabled(if: pandoc != nil, "pandoc is not installed (CI installs it; apt-get install pandoc)"))
    func theMarkdownReportConvertsWithoutWarnings() throws {
        let pandoc = try #require(Self.pandoc)
        let dir = TempDir(prefix: "hubs-pandoc")
        #expect(try CLI.run(["report", "--format", "markdown", "--samples", "200", "--out", dir.path("brief.md")]).status == 0)
        for dialect in ["gfm", "markdown"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: pandoc)
            p.arguments = ["-f", dialect, "--fail-if-warnings", "-o", dir.path("brief-\(dialect).html"), dir.path("brief.md")]
            let err = Pipe()
            p.standardError = err
            try p.run()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "\(dialect): \(message)")
            #expect(message.isEmpty, "\(dialect): \(message)")
        }
    }

    @Test(
        .enabled(if: pandoc != nil, "pandoc is not installed (CI installs it; apt-get install pandoc)"),
        arguments: [
            ["explain", "kosovo", "--format", "markdown"], ["score", "--format", "markdown"],
            ["diff", "scenarios/baseline.yaml", "scenarios/kosovo-joins-coe.yaml", "--format", "markdown"],
        ])
    func everyTableRowIsATableRow(_ args: [String]) throws {
        let md = try CLI.run(args).stdout
        let lines = md.split(separator: "\n").filter { $0.hasPrefix("|") }
        let delimiters = lines.filter { $0.hasPrefix("|---") || $0.hasPrefix("|:--") }.count
        for dialect in ["gfm", "markdown"] {
            let html = try Self.html(md, from: dialect)
            #expect(html.components(separatedBy: "<tr").count - 1 == lines.count - delimiters, "\(args[0]) via \(dialect)")
            #expect(!html.contains("<script"))
        }
    }
}
