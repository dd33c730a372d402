import Foundation
import HubsTestSupport
import Testing

/// The conventions of a mature command-line tool: a current man page, completion scripts, help
/// that the parser wraps.
@Suite struct ConventionsTests {
    /// docs/man/hubs.1 is generated (scripts/man) from the help the commands give; the help it was
    /// made from is committed beside it, so a change to any command's help fails here until the
    /// man page is made again.
    static let mandoc = ["/usr/bin/mandoc", "/usr/local/bin/mandoc"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The man page passes `mandoc -T lint` with nothing to say: no warning, no style note.
    @Test(.enabled(if: mandoc != nil, "mandoc is not installed (CI installs it; apt-get install mandoc)"))
    func theManPageLintsClean() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(Self.mandoc))
        p.arguments = ["-T", "lint", Repository.path("docs/man/hubs.1")]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.isEmpty, "\(text)")
    }

    @Test func theManPageIsCurrent() throws {
        let r = try CLI.run(["--experimental-dump-help"])
        #expect(r.status == 0)
        let committed = try String(contentsOfFile: Repository.path("docs/man/hubs-help.json"), encoding: .utf8)
        #expect(r.stdout == committed, "the commands' help changed: run scripts/man and commit docs/man/")
        let man = try String(contentsOfFile: Repository.path("docs/man/hubs.1"), encoding: .utf8)
        for command in [
            "score", "explain", "check", "diff", "test", "sensitivity", "whatif", "gaps", "import", "export", "schema", "init", "report",
        ] {
            #expect(man.contains(".It Em \(command)"), "the man page describes \(command)")
        }
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsAreGenerated(_ shell: String) throws {
        let r = try CLI.run(["--generate-completion-script", shell])
        #expect(r.status == 0)
        #expect(r.stdout.contains("whatif"))
        #expect(r.stdout.contains("policy"))
    }

    /// `hubs help COMMAND` is `hubs COMMAND --help`, as the root help says, and `hubs help` the
    /// root's help (the default subcommand once took both for its own arguments and refused them).
    @Test func helpCommandGivesEachCommandsHelp() throws {
        for command in ["score", "explain", "diff", "sensitivity", "report"] {
            let a = try CLI.run(["help", command])
            let b = try CLI.run([command, "--help"])
            #expect(a.status == 0 && b.status == 0)
            #expect(a.stdout == b.stdout && a.stdout.contains("USAGE: hubs \(command)"), "\(command)")
        }
        let root = try CLI.run(["help"])
        #expect(root.status == 0)
        #expect(try root.stdout == CLI.run(["--help"]).stdout && root.stdout.contains("score (default)"))
    }

    /// No line of any command's help is longer than 80 columns (the usage line aside), and no
    /// paragraph is broken by hand in the middle of a sentence.
    @Test func helpIsWrappedByTheParser() throws {
        for command in [
            "score", "explain", "check", "diff", "test", "sensitivity", "whatif", "import", "export", "schema", "init", "report",
        ] {
            let r = try CLI.run([command, "--help"], env: ["COLUMNS": "80"])
            #expect(r.status == 0)
            // The usage line and the examples ("  hubs …") are exempt: a command line is not re-wrapped.
            let lines = r.stdout.split(separator: "\n").filter { !$0.hasPrefix("USAGE:") && !$0.hasPrefix("  hubs ") }
            for line in lines { #expect(line.count <= 80, "\(command): \(line)") }
            let ragged = zip(lines, lines.dropFirst()).filter { a, b in
                a.count < 40 && !a.hasSuffix(".") && !a.hasSuffix(":") && b.first?.isLowercase == true
            }
            #expect(ragged.isEmpty, "\(command): \(ragged.map { "\($0.0) / \($0.1)" })")
        }
    }
}

/// `hubs init`: a starter project that passes its own checks.
@Suite struct InitCommandTests {
    @Test func initThenCheckStrictAndTestPass() throws {
        let dir = TempDir(prefix: "hubs-init")
        let target = dir.path("project")
        let r = try CLI.run(["init", target])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Wrote 7 files"))
        #expect(FileManager.default.fileExists(atPath: target + "/hubs.yaml"))
        #expect(try String(contentsOfFile: target + "/.gitignore", encoding: .utf8) == "reports/\n")
        // The report goes to reports/, which that .gitignore leaves out, never the project root.
        let report = try CLI.run(["report", "--samples", "0"], cwd: target)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(FileManager.default.fileExists(atPath: target + "/reports/report.html"))
        #expect(!FileManager.default.fileExists(atPath: target + "/report.html"))
        let check = try CLI.run(["check", "--strict"], cwd: target)
        #expect(check.status == 0, "\(check.stderr)")
        let test = try CLI.run(["test"], cwd: target)
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.contains("3 passed, 0 failed"))
        // The project file names the policy and scenario: no options needed.
        let score = try CLI.run(["score"], cwd: target)
        #expect(score.status == 0, "\(score.stderr)")
        #expect(score.stdout.hasPrefix("Policy starter 0.1"), "\(score.stdout)")
        #expect(score.stdout.contains("EXCLUDED by no_permit"))
        for command in [
            ["report", "--samples", "0", "--out", "-"], ["explain", "site_a"], ["sensitivity", "--samples", "20", "--weights", "20"],
        ] {
            let r = try CLI.run(command, cwd: target)
            #expect(r.status == 0, "\(command): \(r.stderr)")
        }
        // `hubs check FILE` with a scenario alone uses the project's policy, as score does.
        let alone = try CLI.run(["check", "scenarios/baseline.yaml"], cwd: target)
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(alone.stderr.contains("checked against the project's policy policies/policy.yaml"), "\(alone.stderr)")
        #expect(alone.stderr.contains("2 files (1 policy, 1 scenario): ok"))
        let schema = try String(contentsOfFile: target + "/schemas/policy.schema.json", encoding: .utf8)
        #expect(schema == (try CLI.run(["schema", "policy"])).stdout, "the schemas written are the current ones")
        let policy = try String(contentsOfFile: target + "/policies/policy.yaml", encoding: .utf8)
        #expect(policy.hasPrefix("# yaml-language-server: $schema=../schemas/policy.schema.json\n"))
    }

    /// A broken project file stops every command with a located error, before anything runs.
    @Test func aBrokenProjectFileIsALocatedError() throws {
        let dir = TempDir(prefix: "hubs-project")
        dir.write("hubs.yaml", "polcy: policies/p.yaml\nscenario: /etc/passwd\n")
        let r = try CLI.run(["score"], cwd: dir.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("hubs.yaml:1:1: error: unknown key 'polcy' in a project file"), "\(r.stderr)")
        #expect(r.stderr.contains("did you mean 'policy'?"))
        #expect(r.stderr.contains("hubs.yaml:2:11: error: 'scenario' must name a file inside the project"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// An existing .gitignore keeps its lines and gains reports/ once.
    @Test func initAddsReportsToAnExistingGitignoreOnce() throws {
        let dir = TempDir(prefix: "hubs-init")
        dir.write(".gitignore", "build/")
        #expect(try CLI.run(["init", dir.path]).status == 0)
        #expect(try String(contentsOfFile: dir.path(".gitignore"), encoding: .utf8) == "build/\nreports/\n")
        #expect(try CLI.run(["init", "--force", dir.path]).status == 0)
        #expect(try String(contentsOfFile: dir.path(".gitignore"), encoding: .utf8) == "build/\nreports/\n")
    }

    @Test func initNeverOverwritesUnlessForced() throws {
        let dir = TempDir(prefix: "hubs-init")
        let mine = dir.write("scenarios/baseline.yaml", "scenario: mine\n")
        let r = try CLI.run(["init", dir.url.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("already exists; nothing was written"), "\(r.stderr)")
        #expect(try String(contentsOfFile: mine, encoding: .utf8) == "scenario: mine\n")
        #expect(!FileManager.default.fileExists(atPath: dir.path("policies/policy.yaml")), "nothing written")
        #expect(try CLI.run(["init", dir.url.path, "--force"]).status == 0)
    }
}

/// File options complete file names in bash (its completion function run as bash runs it), zsh
/// (`_files -g` with the YAML patterns) and fish (`complete -C`, when fish is here).
@Suite struct CompletionTests {
    static let fish = ["/usr/bin/fish", "/usr/local/bin/fish"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// What `shell` prints when run with `args` at the repository root.
    static func run(_ shell: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: shell)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: Repository.root)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text
    }

    @Test func bashCompletesFileOptions() throws {
        let dir = TempDir(prefix: "hubs-completion")
        let script = dir.write("hubs.bash", try CLI.run(["--generate-completion-script", "bash"]).stdout)
        let line =
            "source \(script); COMP_WORDS=(hubs score --scenario scenarios/k); COMP_CWORD=3; "
            + "_hubs hubs scenarios/k --scenario; printf '%s\\n' \"${COMPREPLY[@]}\""
        let found = try Self.run("/bin/bash", ["-c", line])
        #expect(found.contains("scenarios/kosovo-joins-coe.yaml"), "\(found)")
        #expect(!found.contains("scenarios/baseline.yaml"), "only names that start as typed")
        let csv =
            "source \(script); COMP_WORDS=(hubs import Tests/); COMP_CWORD=2; _hubs hubs Tests/ import; "
            + "printf '%s\\n' \"${COMPREPLY[@]}\""
        #expect(try Self.run("/bin/bash", ["-c", csv]).contains("Tests/"), "folders are offered on the way to a table")
    }

    @Test func zshAndFishCompleteFileOptions() throws {
        let zsh = try CLI.run(["--generate-completion-script", "zsh"]).stdout
        #expect(zsh.contains("{--scenario,-s}'[Scenario file.]:file:_files -g '\\''*.yaml *.yml'\\'''"), "\(zsh.prefix(300))")
        guard let fish = Self.fish else { return }
        let dir = TempDir(prefix: "hubs-completion")
        let script = dir.write("hubs.fish", try CLI.run(["--generate-completion-script", "fish"]).stdout)
        let found = try Self.run(fish, ["-c", "source \(script); complete -C 'hubs score --scenario scenarios/k'"])
        #expect(found.contains("scenarios/kosovo-joins-coe.yaml"), "\(found)")
    }
}

/// Help examples never break inside a command: at 80 columns, every line of every command's
/// Examples block starts a command ("  hubs ") or continues one the line before ended with "\".
@Suite struct HelpExampleTests {
    static let commands = [
        "score", "explain", "check", "diff", "test", "sensitivity", "whatif", "gaps", "import", "export", "schema", "init", "report",
    ]

    @Test(arguments: commands)
    func examplesFitEightyColumns(_ command: String) throws {
        let r = try CLI.run([command, "--help"], env: ["COLUMNS": "80"])
        #expect(r.status == 0)
        let lines = r.stdout.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "Examples:") else { return }
        var previous = "Examples:"
        for line in lines[(start + 1)...] {
            if line.isEmpty { break }
            #expect(line.count <= 80, "\(command): \(line)")
            #expect(line.hasPrefix("  hubs ") || previous.hasSuffix("\\"), "\(command): a broken example line: \(line)")
            previous = line
        }
    }
}
