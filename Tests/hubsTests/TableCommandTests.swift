import Foundation
import HubsTestSupport
import Testing

/// `hubs export` and `hubs import`: facts out to a table and back, checked before anything is written.
@Suite struct TableCommandTests {
    /// A copy of the shipped policy and baseline, to import into.
    static func project() -> TempDir {
        let dir = TempDir(prefix: "hubs-import")
        dir.copy(fromRepository: "policies/uk-return-hubs.yaml")
        dir.copy(fromRepository: "scenarios/baseline.yaml")
        return dir
    }

    static func columns(_ csv: String, _ n: Int) -> [String] {
        csv.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(n).joined(separator: ",") }
    }

    @Test func exportThenImportGivesTheSameScoresAndProvenance() throws {
        let dir = Self.project()
        let exported = try CLI.run(["export"], cwd: dir.url.path)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.hasPrefix("candidate,name,fact,value,source,as_of,confidence,note,interval,alternatives\r\n"))
        dir.write("facts.csv", exported.stdout)
        let imported = try CLI.run(
            ["import", "facts.csv", "--id", "copy", "--sources-from", "scenarios/baseline.yaml", "--into", "scenarios/copy.yaml"],
            cwd: dir.url.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.isEmpty)
        let before = try CLI.run(["score", "--format", "csv"], cwd: dir.url.path)
        let after = try CLI.run(["score", "--format", "csv", "--scenario", "scenarios/copy.yaml"], cwd: dir.url.path)
        #expect(Self.columns(before.stdout, 13) == Self.columns(after.stdout, 13), "identical scores")
        let again = try CLI.run(["export", "--scenario", "scenarios/copy.yaml"], cwd: dir.url.path)
        #expect(again.stdout == exported.stdout, "identical facts and provenance")
        for c in ["serbia", "kosovo", "rwanda"] {
            let a = try CLI.run(["explain", c, "--format", "json"], cwd: dir.url.path)
            let b = try CLI.run(["explain", c, "--format", "json", "--scenario", "scenarios/copy.yaml"], cwd: dir.url.path)
            // Everything but the file names in locations and the scenario's own id, title and files.
            func reads(_ s: String) throws -> String {
                let doc = try #require(try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any])
                let cands = try #require(doc["candidates"] as? [[String: Any]])
                let crit = try #require(cands.first?["criteria"] as? [[String: Any]])
                let facts = crit.flatMap { ($0["reads"] as? [[String: Any]]) ?? [] }.map { r in
                    "\(r["fact"] ?? ""),\(r["value"] ?? ""),\((r["source"] as? [String: Any])?["id"] ?? ""),\(r["as_of"] ?? ""),\(r["confidence"] ?? ""),\(r["note"] ?? "")"
                }
                return facts.joined(separator: "\n")
            }
            #expect(try reads(a.stdout) == reads(b.stdout), "\(c): provenance")
        }
    }

    @Test func aWideTableWithABOMQuotedCommasAndLineBreaksIsImported() throws {
        let dir = Self.project()
        dir.write(
            "wide.csv",
            bytes: [0xEF, 0xBB, 0xBF]
                + Array(
                    ("candidate,name,cpi_2024,russia_visa_free\r\n#source,,S1,\r\n#as_of,,2025-02,\r\n#note,,\"rounded, as published\",\r\n"
                        + "serbia,,35,false\r\ngeorgia,\"Georgia, the country\r\n(hypothetical)\",56,unknown\r\n").utf8))
        let r = try CLI.run(
            ["import", "wide.csv", "--extends", "scenarios/baseline.yaml", "--into", "scenarios/wide.yaml"], cwd: dir.url.path)
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: dir.path("scenarios/wide.yaml"), encoding: .utf8)
        #expect(text.contains("extends: baseline\n"))
        #expect(text.contains("  georgia:\n    name: \"Georgia, the country\\r\\n(hypothetical)\"\n"), "\(text)")
        #expect(text.contains("cpi_2024: {value: 35, source: S1, as_of: 2025-02, note: \"rounded, as published\"}"), "\(text)")
        #expect(text.contains("russia_visa_free: unknown"))
        let explain = try CLI.run(["explain", "serbia", "--scenario", "scenarios/wide.yaml"], cwd: dir.url.path)
        #expect(
            explain.stdout.contains("cpi_2024 = 35 points  [S1, 2025-02-11; as of 2025-02]  (rounded, as published)"), "\(explain.stdout)")
    }

    @Test func aBadRowIsLocatedAndNothingIsWritten() throws {
        let dir = Self.project()
        dir.write("bad.csv", "candidate,name,cpi_2024,russia_visa_free\nserbia,,35,false\nnarnia,\"Narnia\nthe land\",140,maybe\n")
        let r = try CLI.run(
            ["import", "bad.csv", "--extends", "scenarios/baseline.yaml", "--into", "scenarios/bad.yaml"], cwd: dir.url.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.csv:3:3: error: fact 'cpi_2024' of narnia is 140, outside its range [0, 100]"), "\(r.stderr)")
        #expect(r.stderr.contains("bad.csv:3:4: error: fact 'russia_visa_free' of narnia must be true or false, found 'maybe'"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("scenarios/bad.yaml")), "nothing written")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path("scenarios")) == ["baseline.yaml"], "no temporary file left")
    }

    @Test(arguments: [
        (
            "candidate,fact,value,sorce\nserbia,cpi_2024,35,S1\n", "t.csv:1:4: error: unknown column 'sorce' in a long table",
            "did you mean 'source'?"
        ),
        (
            "candidate,fact,value,source\nserbia,cpi_2024,35,S99\n", "t.csv:2:4: error: fact 'cpi_2024' of serbia cites source 'S99'",
            "did you mean"
        ),
        (
            "candidate,fact,value\nserbia,cpi_2024,35\nserbia,cpi_2024,36\n", "t.csv:3:3: error: fact 'cpi_2024' of serbia is given twice",
            "first given at t.csv:2:3"
        ),
        (
            "candidate,fact,value\nSerbia,cpi_2024,35\n", "t.csv:2:1: error: candidate id 'Serbia' is not a valid id",
            "the id, not the display name"
        ),
        ("candidate,fact,value,as_of\nserbia,cpi_2024,35,last year\n", "t.csv:2:4: error: as_of 'last year' is not a date", "YYYY-MM-DD"),
        (
            "candidate,fact,value\nserbai,cpi_2024,35\n", "t.csv:2:1: error: candidate 'serbai' is not in scenario 'baseline'",
            "did you mean 'serbia'?"
        ),
        (
            "candidate,fact,value\nserbia,cpi_2024,\"35\nkosovo,cpi_2024,44\n", "t.csv:2:3: error: a quoted cell is not closed",
            "close the quote"
        ),
    ])
    func badTablesAreLocatedErrors(_ table: String, _ message: String, _ hint: String) throws {
        let dir = Self.project()
        dir.write("t.csv", table)
        let r = try CLI.run(["import", "t.csv", "--extends", "scenarios/baseline.yaml"], cwd: dir.url.path)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.contains(hint), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func aTableThatIsNotUTF8IsLocated() throws {
        let dir = Self.project()
        dir.write("t.csv", bytes: Array("candidate,fact,value\nserbia,cpi_2024,35".utf8) + [0xFF, 0x0A])
        let r = try CLI.run(["import", "t.csv", "--extends", "scenarios/baseline.yaml"], cwd: dir.url.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("t.csv:2:19: error: the table is not valid UTF-8 (byte 0xFF)"), "\(r.stderr)")
        #expect(r.stderr.contains("CSV UTF-8"))
    }

    @Test func formulaCellsAreProtectedOnExportAndRestoredOnImport() throws {
        let dir = Self.project()
        dir.write(
            "scenarios/f.yaml",
            "scenario: f\nextends: baseline\nchanges:\n  serbia:\n    set:\n      cpi_2024: {value: 35, note: \"=1+1 is not a formula\"}\n")
        let out = try CLI.run(["export", "--scenario", "scenarios/f.yaml"], cwd: dir.url.path)
        #expect(out.stdout.contains(",'=1+1 is not a formula,"), "\(out.stdout.prefix(300))")
        dir.write("f.csv", out.stdout)
        let back = try CLI.run(["import", "f.csv", "--id", "g", "--sources-from", "scenarios/baseline.yaml"], cwd: dir.url.path)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stdout.contains("note: \"=1+1 is not a formula\""))
    }

    /// A table named with a line break and a YAML key cannot put that key into the written
    /// scenario: the name is quoted in the header comment.
    @Test func aTableNameCannotInjectAKey() throws {
        let dir = Self.project()
        let exported = try CLI.run(["export"], cwd: dir.url.path)
        let name = "t\nas_of: 1990-01-01\n#.csv"
        dir.write(name, exported.stdout)
        let r = try CLI.run(
            ["import", name, "--id", "x", "--extends", "scenarios/baseline.yaml", "--into", "scenarios/x.yaml"], cwd: dir.url.path)
        #expect(r.status == 0, "\(r.stderr)")
        let written = try String(contentsOfFile: dir.path("scenarios/x.yaml"), encoding: .utf8)
        #expect(!written.contains("\nas_of: 1990-01-01"), "\(written.prefix(400))")
        #expect(written.hasPrefix("# Written by hubs import from \"t\\nas_of: 1990-01-01\\n#.csv\""), "\(written.prefix(200))")
        let score = try CLI.run(["score", "--scenario", "scenarios/x.yaml", "--format", "json"], cwd: dir.url.path)
        #expect(score.status == 0)
        #expect(!score.stdout.contains("\"as_of\": \"1990-01-01\""), "the key reached the scenario")
    }

    /// A right-to-left override in a name is shown escaped in every sink, so it never reverses
    /// the text after it (terminal, HTML report, Markdown memo).
    @Test func aBidiOverrideInANameIsShownEscaped() throws {
        let dir = TempDir(prefix: "hubs-bidi")
        dir.write("policies/p.yaml", HostileInputTests.policy)
        dir.write("scenarios/s.yaml", "scenario: s\ncandidates:\n  a: {name: \"Evil\\u202Egnp.exe\\u2066x\", facts: {x: 3}}\n")
        let common = ["--policy", "policies/p.yaml", "--scenario", "scenarios/s.yaml"]
        for args in [
            ["score"], ["report", "--samples", "0", "--out", "-"], ["report", "--samples", "0", "--format", "markdown", "--out", "-"],
        ] {
            let r = try CLI.run(args + common, cwd: dir.url.path)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(!r.stdout.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) })
            #expect(r.stdout.contains("u{202E}gnp.exe"), "\(args)")
        }
    }

    /// A long table with two columns of one name is refused naming both, instead of reading the
    /// first and dropping the second; a very long column name is echoed cut.
    @Test func aRepeatedOrHugeColumnIsRefusedReadably() throws {
        let dir = Self.project()
        dir.write("dup.csv", "candidate,name,fact,value,value\na,A,cpi_2024,40,50\n")
        let r = try CLI.run(["import", "dup.csv", "--id", "x"], cwd: dir.url.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("dup.csv:1:5: error: column 'value' appears twice (columns 4 and 5)"), "\(r.stderr)")
        dir.write("huge.csv", "candidate,name,fact,value," + String(repeating: "z", count: 100_000) + "\na,A,cpi_2024,40,1\n")
        let huge = try CLI.run(["import", "huge.csv", "--id", "x"], cwd: dir.url.path)
        #expect(huge.status == 1)
        #expect(huge.stderr.utf8.count < 4_000, "\(huge.stderr.utf8.count) bytes")
        #expect(huge.stderr.contains("more characters)"))
    }

    /// Import is linear in its rows: new candidates are found by id through a dictionary (a
    /// search of the list made 20,000 rows take 19 s in a debug build; now about 4 s).
    @Test func aLargeImportStaysWithinItsBounds() throws {
        let dir = Self.project()
        var rows = "candidate,name,cpi_2024\n"
        for i in 0..<20_000 { rows += "c\(i),C \(i),\(i % 100)\n" }
        dir.write("big.csv", rows)
        let r = try CLI.run(
            ["import", "big.csv", "--extends", "scenarios/baseline.yaml", "--source", "S1", "--into", "scenarios/big.yaml"],
            cwd: dir.url.path, timeout: 60)
        #expect(r.status == 0, "\(r.stderr.prefix(300))")
        #expect(r.exceededBounds(seconds: 15, memoryBytes: 400_000_000) == nil, "\(r.exceededBounds() ?? "")")
    }
}

/// CSV line endings are chosen, not inherited: CRLF by default (RFC 4180), LF with --lf, for
/// export and score alike; import reads either.
@Suite struct LineEndingTests {
    @Test func crlfByDefaultLfOnRequestAndImportReadsBoth() throws {
        for args in [["export"], ["score", "--format", "csv"]] {
            let crlf = try CLI.run(args)
            let lf = try CLI.run(args + ["--lf"])
            #expect(crlf.status == 0 && lf.status == 0, "\(args)")
            #expect(crlf.stdout.hasSuffix("\r\n") && crlf.stdout.components(separatedBy: "\r\n").count > 5, "\(args)")
            #expect(!lf.stdout.contains("\r"), "\(args)")
            #expect(lf.stdout == crlf.stdout.replacingOccurrences(of: "\r\n", with: "\n"), "\(args)")
        }
        let dir = TempDir(prefix: "hubs-lf")
        for f in ["policies/uk-return-hubs.yaml", "scenarios/baseline.yaml", "hubs.yaml"] { dir.copy(fromRepository: f) }
        let lf = try CLI.run(["export", "--lf"], cwd: dir.path)
        dir.write("withlf.csv", lf.stdout)
        dir.write("withcrlf.csv", try CLI.run(["export"], cwd: dir.path).stdout)
        for name in ["withlf", "withcrlf"] {
            let r = try CLI.run(
                ["import", "\(name).csv", "--id", name, "--extends", "scenarios/baseline.yaml", "--into", "scenarios/\(name).yaml"],
                cwd: dir.path)
            #expect(r.status == 0, "\(name): \(r.stderr)")
        }
        let a = try String(contentsOfFile: dir.path("scenarios/withlf.yaml"), encoding: .utf8)
        let b = try String(contentsOfFile: dir.path("scenarios/withcrlf.yaml"), encoding: .utf8)
        // The same scenario but for its id and the header naming the table and its hash.
        func body(_ s: String, _ id: String) -> String {
            s.components(separatedBy: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n").replacingOccurrences(of: id, with: "X")
        }
        #expect(body(a, "withlf") == body(b, "withcrlf"))
    }
}

/// `import --extends` writes only what differs from the base: an export imported back over its
/// own scenario changes nothing, and one edited value is the one change written.
@Suite struct ImportOnlyDifferencesTests {
    @Test func onlyTheFactsThatDifferAreWritten() throws {
        let dir = TempDir(prefix: "hubs-import-diff")
        for f in ["policies/uk-return-hubs.yaml", "scenarios/baseline.yaml", "hubs.yaml"] { dir.copy(fromRepository: f) }
        let table = try CLI.run(["export"], cwd: dir.path).stdout
        dir.write("same.csv", table)
        dir.write("one.csv", table.replacingOccurrences(of: "\r\nserbia,Serbia,cpi_2024,35,", with: "\r\nserbia,Serbia,cpi_2024,36,"))
        for name in ["same", "one"] {
            let r = try CLI.run(
                ["import", "\(name).csv", "--id", name, "--extends", "scenarios/baseline.yaml", "--into", "scenarios/\(name).yaml"],
                cwd: dir.path)
            #expect(r.status == 0, "\(name): \(r.stderr)")
        }
        let same = try String(contentsOfFile: dir.path("scenarios/same.yaml"), encoding: .utf8)
        #expect(!same.contains("changes:"), "\(same)")
        #expect(same.contains("# 114 facts of the table are written in the base exactly as here"))
        let one = try String(contentsOfFile: dir.path("scenarios/one.yaml"), encoding: .utf8)
        #expect(one.contains("changes:\n  serbia:\n    set:\n      cpi_2024: {value: 36, source: S1, confidence: high"), "\(one)")
        #expect(one.components(separatedBy: "\n").filter { $0.hasPrefix("      ") }.count == 1, "one fact written")
        // Scored, the import is the base with the one change.
        let diff = try CLI.run(["diff", "scenarios/baseline.yaml", "scenarios/one.yaml"], cwd: dir.path)
        #expect(diff.stdout.contains("fact cpi_2024: 35 → 36"), "\(diff.stdout)")
    }
}
