import Foundation
import HubsTestSupport
import Testing

/// Hostile files: paths that try to make hubs read (and quote) files outside the project, write
/// errors, and limits at their boundaries. Each runs the built binary.
@Suite struct HostileInputTests {
    static let policy = "policy: p\nfacts:\n  x: {type: number, range: [0, 10]}\ncriteria:\n  only: {scale: {of: x, best: 0, worst: 10}}\n"

    /// A project: policies/p.yaml, and scenarios/ for the test to fill.
    static func project() -> TempDir {
        let dir = TempDir(prefix: "hubs-hostile")
        dir.write("policies/p.yaml", policy)
        return dir
    }

    @Test(arguments: ["/etc/passwd", "../../../proc/self/environ", "../../../../../../etc/passwd", "~/secrets"])
    func extendsOutsideTheProjectIsRefusedWithoutPrintingTheTarget(_ target: String) throws {
        let dir = Self.project()
        let s = dir.write("scenarios/s.yaml", "scenario: s\nextends: \(target)\n")
        for args in [["check", dir.path("policies/p.yaml"), s], ["score", "--policy", dir.path("policies/p.yaml"), "--scenario", s]] {
            let r = try CLI.run(args, timeout: 20)
            #expect(r.exceededBounds() == nil, "\(r.exceededBounds() ?? "")")
            #expect(r.status == 1, "\(r.stderr)")
            #expect(r.stderr.contains("\(s):2:10: error: 'extends' names a file"), "\(r.stderr)")
            #expect(!r.stderr.contains("root:"), "printed the target: \(r.stderr)")
            #expect(!r.stderr.contains("PATH="), "printed the environment: \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }

    @Test func aSymbolicLinkLeavingTheProjectIsRefused() throws {
        let dir = Self.project()
        let s = dir.write("scenarios/s.yaml", "scenario: s\nextends: evil\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path("scenarios/evil.yaml"), withDestinationPath: "/etc/passwd")
        let r = try CLI.run(["check", dir.path("policies/p.yaml"), s], timeout: 20)
        #expect(r.exceededBounds() == nil, "\(r.exceededBounds() ?? "")")
        #expect(r.status == 1)
        #expect(r.stderr.contains("outside the project folder"), "\(r.stderr)")
        #expect(!r.stderr.contains("root:"))
    }

    /// `--root` names the project folder: wider, it admits a parent shared between projects;
    /// narrower, it refuses what the default root would admit.
    @Test func theRootOptionMovesTheBoundary() throws {
        let outer = TempDir(prefix: "hubs-root")
        outer.write("shared/base.yaml", "scenario: base\ncandidates:\n  a: {name: A, facts: {x: 3}}\n")
        outer.write("project/policies/p.yaml", Self.policy)
        let s = outer.write("project/scenarios/s.yaml", "scenario: s\nextends: ../../shared/base\n")
        let p = outer.path("project/policies/p.yaml")
        let refused = try CLI.run(["score", "--policy", p, "--scenario", s])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(s):2:10: error:"), "\(refused.stderr)")
        #expect(refused.stderr.contains("outside the project folder"), "\(refused.stderr)")
        let widened = try CLI.run(["score", "--policy", p, "--scenario", s, "--root", outer.url.path])
        #expect(widened.status == 0, "\(widened.stderr)")
        #expect(widened.stdout.contains("A"))
        let checked = try CLI.run(["check", p, s, "--root", outer.url.path])
        #expect(checked.status == 0, "\(checked.stderr)")
        let inner = outer.write("project/scenarios/t.yaml", "scenario: t\nextends: ../policies/p\n")
        let narrowed = try CLI.run(["check", inner, "--root", outer.path("project/scenarios")])
        #expect(narrowed.status == 1)
        #expect(narrowed.stderr.contains("outside the project folder"), "\(narrowed.stderr)")
        let noFolder = try CLI.run(["score", "--root", outer.path("nowhere")])
        #expect(noFolder.status == 64)
        #expect(noFolder.stderr.contains("--root names no folder"), "\(noFolder.stderr)")
        for r in [refused, widened, checked, narrowed, noFolder] { #expect(r.exceededBounds() == nil) }
    }

    @Test func aTestFileNamingFilesOutsideTheProjectIsRefused() throws {
        let dir = Self.project()
        let t = dir.write("policy-tests/t.yaml", "policy: /etc/passwd\nscenario: ../../../proc/self/environ\ntests: []\n")
        let r = try CLI.run(["test", t], timeout: 20)
        #expect(r.exceededBounds() == nil, "\(r.exceededBounds() ?? "")")
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(t):1:9: error: '/etc/passwd' is an absolute path"), "\(r.stderr)")
        #expect(r.stderr.contains("\(t):2:11: error:"), "\(r.stderr)")
        #expect(!r.stderr.contains("root:"))
        #expect(!r.stderr.contains("PATH="))
    }

    /// The documented limit is 16 scenarios in an `extends` chain: 16 load, 17 are refused.
    @Test(arguments: [(16, true), (17, false)])
    func extendsChainLimit(_ length: Int, _ accepted: Bool) throws {
        let dir = Self.project()
        dir.write("scenarios/s1.yaml", "scenario: s1\ncandidates:\n  a: {name: A, facts: {x: 3}}\n")
        for k in 2...length { dir.write("scenarios/s\(k).yaml", "scenario: s\(k)\nextends: s\(k - 1)\n") }
        let r = try CLI.run(["score", "--policy", dir.path("policies/p.yaml"), "--scenario", dir.path("scenarios/s\(length).yaml")])
        #expect(r.exceededBounds() == nil, "\(r.exceededBounds() ?? "")")
        #expect((r.status == 0) == accepted, "\(length): \(r.stderr)")
        if !accepted { #expect(r.stderr.contains("chain is longer than 16")) }
    }

    /// A full disk, a closed stream and a reader that goes away: a one-line message or the quiet
    /// SIGPIPE status, never a trap.
    @Test func writeErrorsAreReportedNotTrapped() throws {
        let full = try Self.shell("\(CLI.binary) score > /dev/full")
        #expect(full.status == 74, "\(full.err)")
        #expect(full.err == "hubs: cannot write to standard output: No space left on device\n")
        let closed = try Self.shell("\(CLI.binary) score >&-")
        #expect(closed.status == 74)
        #expect(!closed.err.contains("Fatal error"))
        let pipe = try Self.shell("trap '' PIPE; \(CLI.binary) score --format json | head -c 1 > /dev/null; echo ${PIPESTATUS[0]} >&2")
        #expect(pipe.err.hasSuffix("141\n") || pipe.err.hasSuffix("0\n"), "\(pipe.err)")
        #expect(!pipe.err.contains("Fatal error"))
    }

    static func shell(_ command: String) throws -> (status: Int32, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", command]
        p.currentDirectoryURL = URL(fileURLWithPath: CLI.root)
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    // MARK: injection into terminals, spreadsheets and Markdown

    static let hostileScenario = #"""
        scenario: hostile
        title: "Hostile \e]0;pwned\a names"
        sources:
          S1: {title: "=HYPERLINK(\"http://x\")", date: 2025-01-01}
        candidates:
          evil:
            name: "\e[2J\e[31mEvil\nrow <script>alert(1)</script> [x](javascript:alert(1)) **bold**"
            facts: {x: {value: 3, source: S1, note: "\x9b31m note \u0007"}}
          formula:
            name: "=HYPERLINK(\"http://evil\",\"click\")"
            facts: {x: 4}
          at: {name: "@SUM(A1)", facts: {x: 5}}
        """#

    static func hasRawControl(_ s: String) -> Bool {
        s.unicodeScalars.contains { u in
            (u.value < 0x20 && u != "\n" && u != "\r" && u != "\t") || u.value == 0x7F || (0x80...0x9F).contains(u.value)
        }
    }

    /// The files under a folder, as relative paths, sorted.
    static func listing(_ dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).sorted()
    }

    /// The memory bound the other tests assert is measured, not vacuously zero.
    @Test func peakMemoryIsMeasured() throws {
        let r = try CLI.run(["score"])
        #expect(r.status == 0)
        #expect(r.peakMemoryBytes > 5_000_000 && r.peakMemoryBytes < 200_000_000, "\(r.peakMemoryBytes)")
    }

    @Test(arguments: ["table", "csv", "markdown", "json"])
    func hostileNamesReachNoSinkRaw(_ format: String) throws {
        let dir = Self.project()
        let s = dir.write("scenarios/h.yaml", Self.hostileScenario)
        let before = Self.listing(dir.url.path)
        let r = try CLI.run(
            ["score", "--policy", "policies/p.yaml", "--scenario", "scenarios/h.yaml", "--format", format], cwd: dir.url.path, timeout: 20)
        #expect(Self.listing(dir.url.path) == before, "nothing written beside the inputs")
        #expect(r.exceededBounds() == nil, "\(r.exceededBounds() ?? "")")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!Self.hasRawControl(r.stdout), "raw control character in \(format) output")
        #expect(!Self.hasRawControl(r.stderr))
        switch format {
        case "table":
            // The line break in the name does not break the row: one line per candidate.
            #expect(r.stdout.split(separator: "\n").filter { $0.contains("Evil") }.count == 1)
            #expect(r.stdout.contains("\\e[2J"))
        case "csv":
            #expect(r.stdout.contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\","))
            #expect(r.stdout.contains(",'@SUM(A1),"))
            let raw = try CLI.run(["score", "--policy", dir.path("policies/p.yaml"), "--scenario", s, "--format", "csv", "--raw-csv"])
            #expect(raw.stdout.contains(",\"=HYPERLINK("))
        case "markdown":
            #expect(!r.stdout.contains("<script>"))
            #expect(r.stdout.contains("&lt;script&gt;"))
            #expect(!r.stdout.contains("[x](javascript:"))
            #expect(r.stdout.contains("\\*\\*bold\\*\\*"))
        default:
            #expect(r.stdout.contains("\\u001b[2J"))
        }
    }

    @Test func hostileTextInExplainAndDiagnosticsIsEscaped() throws {
        let dir = Self.project()
        let s = dir.write("scenarios/h.yaml", Self.hostileScenario)
        let r = try CLI.run(["explain", "evil", "--policy", dir.path("policies/p.yaml"), "--scenario", s])
        #expect(r.exceededBounds() == nil, "\(r.exceededBounds() ?? "")")
        #expect(r.status == 0)
        #expect(!Self.hasRawControl(r.stdout))
        // A diagnostic echoes its source line escaped.
        let bad = dir.write("scenarios/b.yaml", "scenario: b\ncandidates:\n  a: {name: \"\u{1B}[2Jx\", facts: {x: lots}}\n")
        let d = try CLI.run(["score", "--policy", dir.path("policies/p.yaml"), "--scenario", bad])
        #expect(d.exceededBounds() == nil, "\(d.exceededBounds() ?? "")")
        #expect(d.status == 1)
        #expect(!Self.hasRawControl(d.stderr), "\(d.stderr)")
    }

    // MARK: the smaller items

    @Test func overflowIsAFaultNotMissingData() throws {
        let dir = TempDir(prefix: "hubs-overflow")
        let p = dir.write(
            "policies/p.yaml",
            "policy: p\nfacts:\n  n: {type: number}\n  m: {type: number}\ncriteria:\n  a: {expr: 'n*n - n*n'}\n  b: {expr: 'round(m, 400)'}\n"
        )
        let s = dir.write("scenarios/s.yaml", "scenario: s\ncandidates:\n  c: {name: C, facts: {n: 1e300, m: 2}}\n")
        let r = try CLI.run(["score", "--policy", p, "--scenario", s])
        #expect(r.exceededBounds() == nil, "\(r.exceededBounds() ?? "")")
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(p):6:3: error: criterion 'a' cannot be computed for c: the arithmetic overflows"), "\(r.stderr)")
        #expect(r.stderr.contains("[arithmetic_fault]"), "\(r.stderr)")
        #expect(r.stderr.contains("\(p):7:3: error: criterion 'b'"))
        #expect(r.stdout.isEmpty)
    }

    @Test func absurdSensitivityOptionsAreUsageErrors() throws {
        #expect(try CLI.run(["sensitivity", "--dirichlet", "inf"]).status == 64)
        #expect(try CLI.run(["sensitivity", "--dirichlet", "nan"]).status == 64)
        #expect(try CLI.run(["sensitivity", "--weights", "inf"]).status == 64)
    }

    @Test func aNumberTaggedAsTextIsNotANumber() throws {
        let dir = Self.project()
        let s = dir.write("scenarios/s.yaml", "scenario: s\ncandidates:\n  a: {name: A, facts: {x: !!str 4}}\n")
        let r = try CLI.run(["score", "--policy", dir.path("policies/p.yaml"), "--scenario", s])
        #expect(r.exceededBounds() == nil, "\(r.exceededBounds() ?? "")")
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(s):3:27: error: fact 'x' of a must be a number"), "\(r.stderr)")
        #expect(r.stderr.contains("remove the !!str tag"), "\(r.stderr)")
    }

    @Test func fileErrorsNameTheFileOnce() throws {
        let long = "no/" + String(repeating: "x", count: 300) + ".yaml"
        let r = try CLI.run(["score", "--policy", long])
        #expect(r.exceededBounds() == nil, "\(r.exceededBounds() ?? "")")
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("\(long): error: no such file [file_not_found]"))
        #expect(r.stderr.components(separatedBy: long).count == 2, "the path is echoed once")
    }

    // MARK: bounded by construction

    /// An alias used as a mapping key (once hashed in full by Yams, for minutes, or a stack
    /// overflow) is refused at the alias event, before anything is expanded.
    @Test(arguments: ["k: {*a11 : 1}\n", "? *a11\n: 1\n", "*a11 : 1\n"])
    func anAliasUsedAsAKeyIsRefusedAtOnce(_ use: String) throws {
        var bomb = "scenario: s\na0: &a0 [x, x]\n"
        for i in 1..<12 { bomb += "a\(i): &a\(i) [*a\(i - 1), *a\(i - 1)]\n" }
        let dir = Self.project()
        let s = dir.write("scenarios/s.yaml", bomb + use)
        let r = try CLI.run(["check", dir.path("policies/p.yaml"), s], timeout: 20)
        #expect(r.exceededBounds() == nil, "\(r.exceededBounds() ?? "")")
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("an alias (*name) is used as a mapping key"), "\(r.stderr)")
    }

    /// An alias chain 50,000 anchors long (which crashed Yams when its tree was released) is
    /// refused at the nesting limit, since an alias counts as the height of what it repeats.
    @Test func aLongAliasChainIsRefusedAtTheNestingLimit() throws {
        var text = "scenario: s\ncandidates: {a: {name: A, facts: {x: 3}}}\nchain:\n"
        for i in 0..<50_000 { text += "  x\(i): &n\(i) [\(i == 0 ? "0" : "*n\(i - 1)")]\n" }
        let dir = Self.project()
        let s = dir.write("scenarios/s.yaml", text)
        let r = try CLI.run(["check", s], timeout: 20)
        #expect(r.exceededBounds() == nil, "\(r.exceededBounds() ?? "")")
        #expect(r.status == 1)
        #expect(!r.stderr.contains("Fatal error"))
        #expect(r.stderr.contains("\(s):"), "\(r.stderr)")
        #expect(r.stderr.contains("nesting_too_deep"), "\(r.stderr)")
    }

    /// A what-if search whose work could explode (60 numeric facts × 60 thresholds, in pairs) is
    /// refused before it starts, with the figure and how to narrow it.
    @Test func anExplosiveWhatIfIsRefusedWithTheFigure() throws {
        let dir = TempDir(prefix: "hubs-wide")
        var policy = "policy: wide\nfacts:\n"
        for i in 0..<60 { policy += "  f\(i): {type: number, range: [0, 100]}\n" }
        policy += "criteria:\n"
        for i in 0..<60 {
            policy += "  c\(i):\n    cases:\n"
            for t in 1...60 { policy += "      - {when: 'f\(i) >= \(t)', risk: \(t), label: t\(t)}\n" }
            policy += "    else: {risk: 100, label: low}\n"
        }
        let p = dir.write("policies/wide.yaml", policy)
        let facts = (0..<60).map { "f\($0): 0" }.joined(separator: ", ")
        let s = dir.write("scenarios/wide.yaml", "scenario: w\ncandidates:\n  a: {name: A, facts: {\(facts)}}\n")
        let r = try CLI.run(["whatif", "a", "--band", "low", "--policy", p, "--scenario", s], timeout: 30)
        #expect(r.exceededBounds() == nil, "\(r.exceededBounds() ?? "")")
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("more than the budget of 20000000"))
        #expect(r.stderr.contains("--only FACT"))
    }
}
