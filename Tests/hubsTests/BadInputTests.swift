import Foundation
import HubsTestSupport
import Testing

/// Every kind of bad input ends with a located error on stderr, exit code 1, nothing on stdout,
/// no crash, no hang (a run is killed after 20 s), no partial output.
@Suite struct BadInputTests {
    static let policy = """
        policy: p
        facts:
          x: {type: number, range: [0, 10]}
        criteria:
          only: {scale: {of: x, best: 0, worst: 10}}
        """
    static let scenario = "scenario: s\ncandidates:\n  a: {name: A, facts: {x: 3}}\n"

    /// (name, which file is bad, its content, text expected on stderr, expected line or nil)
    static let cases: [(String, String, Data, String, Int?)] = {
        func t(_ s: String) -> Data { Data(s.utf8) }
        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { bomb += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        return [
            ("broken YAML", "policy", t("policy: p\nfacts: {x: {type: number}\ncriteria: [\n"), "yaml_syntax", nil),
            ("wrong type of value", "scenario", t("scenario: s\ncandidates:\n  a: {name: A, facts: {x: many}}\n"), "must be a number", 3),
            ("value out of range", "scenario", t("scenario: s\ncandidates:\n  a: {name: A, facts: {x: 11}}\n"), "outside its range", 3),
            (
                "unknown fact name", "policy", t("policy: p\nfacts:\n  x: {type: number}\ncriteria:\n  only: {expr: 'y + 1'}\n"),
                "unknown fact 'y'", 5
            ),
            ("duplicate ids", "scenario", t("scenario: s\ncandidates:\n  a: {name: A}\n  a: {name: B}\n"), "duplicate_key", 4),
            (
                "zero weight", "policy", t("policy: p\nfacts:\n  x: {type: number}\ncriteria:\n  only: {weight: 0, expr: 'x'}\n"),
                "must be above 0", 5
            ),
            (
                "weight not a number", "policy",
                t("policy: p\nfacts:\n  x: {type: number}\ncriteria:\n  only: {weight: heavy, expr: 'x'}\n"), "must be a number", 5
            ),
            ("cyclic extends", "scenario", t("scenario: s\nextends: s.yaml\n"), "extends_cycle", 2),
            ("missing extends", "scenario", t("scenario: s\nextends: nowhere\n"), "not found", 2),
            ("over the size limit", "scenario", t("scenario: s\n#" + String(repeating: "x", count: 1 << 20) + "\n"), "file_too_large", 1),
            ("nesting too deep", "scenario", t("scenario: s\nx: " + String(repeating: "[", count: 5_000) + "\n"), "nesting_too_deep", 2),
            ("alias bomb", "scenario", t(bomb + "scenario: s\n"), "too_many_nodes", nil),
            ("not UTF-8", "scenario", Data([0x73, 0x63, 0x65, 0x6E, 0xFF, 0x0A]), "not_utf8", 1),
            ("empty file", "policy", Data(), "empty_file", 1),
            ("a list, not a mapping", "policy", t("- policy\n"), "wrong_kind", 1),
            (
                "an operator chain deeper than the limit", "policy",
                t(
                    "policy: p\nfacts:\n  x: {type: number}\ncriteria:\n  only: {expr: 'x" + String(repeating: " + 1", count: 1_000)
                        + "'}\n"),
                "expr_too_deep", 5
            ),
        ]
    }()

    /// Limits lowered from the command line for a case (the default file limit is 256 MiB).
    static let extraArguments = ["over the size limit": ["--max-file-bytes", "1048576"]]

    @Test(arguments: cases.indices)
    func badInputGetsALocatedError(_ i: Int) throws {
        let (name, which, content, expected, line) = Self.cases[i]
        let files = TempDir(prefix: "hubs-bad")
        let bad = files.write(which == "policy" ? "p.yaml" : "s.yaml", bytes: Array(content))
        let p = which == "policy" ? bad : files.write("p.yaml", Self.policy)
        let s = which == "scenario" ? bad : files.write("s.yaml", Self.scenario)
        let extra = Self.extraArguments[name] ?? []
        for args in [["score", "--policy", p, "--scenario", s] + extra, ["check", p, s] + extra] {
            let r = try CLI.run(args, timeout: 20)
            #expect(r.status == 1, "\(name): exit \(r.status)\n\(r.stderr)")
            #expect(r.stderr.contains(expected), "\(name): \(r.stderr)")
            if args[0] == "score" { #expect(r.stdout.isEmpty, "\(name): partial output") }
            if let line { #expect(r.stderr.contains("\(bad):\(line):"), "\(name): \(r.stderr)") }
            #expect(!r.stderr.contains("Fatal error"))
            #expect(r.exceededBounds() == nil, "\(name): \(r.exceededBounds() ?? "")")
        }
        withExtendedLifetime(files) {}
    }

    @Test func directoryWhereAFileWasExpected() throws {
        let files = TempDir(prefix: "hubs-bad")
        let s = files.write("s.yaml", Self.scenario)
        let r = try CLI.run(["score", "--policy", files.path, "--scenario", s])
        #expect(r.status == 1)
        #expect(r.stderr.contains("is a directory"))
        #expect(r.stdout.isEmpty)
    }

    @Test func missingFile() throws {
        let r = try CLI.run(["score", "--policy", "no/such.yaml"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no such file"))
    }

    /// A misspelt fact in a scenario ('cpi_2042' for Serbia's 'cpi_2024') stops score and check
    /// with the location and a did-you-mean, instead of moving Serbia's risk silently.
    @Test func misspeltScenarioFactStopsScoreAndCheck() throws {
        let files = TempDir(prefix: "hubs-bad")
        let baseline = try String(contentsOfFile: CLI.root + "/scenarios/baseline.yaml", encoding: .utf8)
        let lines = baseline.components(separatedBy: "\n")
        // Serbia's cpi_2024 line (the first one in the file: Serbia is listed first).
        let i = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("cpi_2024:") })
        var changed = lines
        changed[i] = changed[i].replacingOccurrences(of: "cpi_2024", with: "cpi_2042")
        let s = files.write("baseline.yaml", changed.joined(separator: "\n"))
        let column = changed[i].prefix { $0 == " " }.count + 1
        for args in [["score", "--scenario", s], ["check", "policies/uk-return-hubs.yaml", s]] {
            let r = try CLI.run(args)
            #expect(r.status == 1, "\(args[0]): \(r.stderr)")
            #expect(r.stderr.contains("\(s):\(i + 1):\(column): error:"), "\(r.stderr)")
            #expect(r.stderr.contains("did you mean 'cpi_2024'?"))
            #expect(r.stderr.contains("[misspelt_fact]"))
            #expect(r.stdout.isEmpty)
        }
    }

    /// Huge numbers where a whole number is wanted end in a located error, not a trap.
    @Test func hugeIntegersInTestAndPolicyFiles() throws {
        let files = TempDir(prefix: "hubs-bad")
        let p = files.write("p.yaml", Self.policy + "\nsensitivity: {alternatives: [{criterion: only, case: 1e300, when: ['x > 1']}]}\n")
        let r1 = try CLI.run(["check", p])
        #expect(r1.status == 1)
        #expect(r1.stderr.contains("\(p):6:54:"), "\(r1.stderr)")
        #expect(r1.stderr.contains("whole number"))
        _ = files.write("good.yaml", Self.policy)
        _ = files.write("s.yaml", Self.scenario)
        let t = files.write(
            "t.yaml", "policy: good.yaml\nscenario: s.yaml\ntests:\n  - name: huge\n    expect: [{candidate: a, rank: 1e300}]\n")
        let r2 = try CLI.run(["test", t])
        #expect(r2.status == 2, "\(r2.stderr)")
        #expect(r2.stderr.contains("\(t):5:"), "\(r2.stderr)")
        #expect(!r2.stderr.contains("Fatal error"))
        let t2 = files.write(
            "t2.yaml", "policy: good.yaml\nscenario: s.yaml\ntests:\n  - name: fraction\n    expect: [{candidate: a, rank: 1.5}]\n")
        let r3 = try CLI.run(["test", t2])
        #expect(r3.status == 2, "\(r3.stderr)")
        #expect(r3.stderr.contains("whole number"))
        withExtendedLifetime(files) {}
    }
}
