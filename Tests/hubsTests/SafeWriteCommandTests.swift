import Foundation
import HubsTestSupport
import Testing

/// Every file hubs writes goes through one safe writer: no command deletes, replaces or
/// overwrites a folder, a device, a FIFO or one of its own inputs, and no interrupted command
/// leaves a file behind. Each case runs the binary in a temporary project and compares the whole
/// tree before and after.
@Suite struct SafeWriteCommandTests {
    /// A project with the shipped policy and baseline, a table of its facts, and a folder with a
    /// file in it (the "victim").
    static func project() throws -> TempDir {
        let dir = TempDir(prefix: "hubs-writes")
        dir.copy(fromRepository: "policies/uk-return-hubs.yaml")
        dir.copy(fromRepository: "scenarios/baseline.yaml")
        dir.write("victim/keep.txt", "keep\n")
        let exported = try CLI.run(["export"], cwd: dir.path)
        dir.write("t.csv", exported.stdout)
        return dir
    }

    static func tree(_ dir: TempDir) -> [String: String] {
        var out: [String: String] = [:]
        let walker = FileManager.default.enumerator(atPath: dir.path)
        while let relative = walker?.nextObject() as? String {
            var info = stat()
            let path = dir.path(relative)
            guard lstat(path, &info) == 0 else { continue }
            out[relative] =
                info.st_mode & S_IFMT == S_IFREG
                ? ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "<binary \(info.st_size)>") : "kind \(info.st_mode & S_IFMT)"
        }
        return out
    }

    static let importArgs = ["import", "t.csv", "--id", "x", "--extends", "scenarios/baseline.yaml"]

    @Test(arguments: [
        "victim", "scenarios/", "scenarios", "policies/..", ".", "t.csv", "scenarios/baseline.yaml",
        "policies/uk-return-hubs.yaml", "./scenarios/../scenarios/baseline.yaml", "",
    ])
    func importNeverWritesOverAFolderOrAnInput(_ into: String) throws {
        let dir = try Self.project()
        let before = Self.tree(dir)
        let r = try CLI.run(Self.importArgs + ["--into", into], cwd: dir.path, timeout: 60)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("--into"), "the error names the option: \(r.stderr)")
        #expect(!r.stderr.contains("Backtrace") && !r.stderr.contains("NSCocoaErrorDomain"), "\(r.stderr)")
        #expect(Self.tree(dir) == before, "the project changed")
    }

    @Test func aShardIsNeverWrittenOverThePolicy() throws {
        let dir = try Self.project()
        let before = Self.tree(dir)
        let r = try CLI.run(
            ["sensitivity", "--samples", "10", "--shard", "1/1", "--output", "policies/uk-return-hubs.yaml"], cwd: dir.path)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("--output 'policies/uk-return-hubs.yaml' is an input of this command"), "\(r.stderr)")
        #expect(Self.tree(dir) == before)
    }

    @Test(arguments: ["", "victim", "scenarios/baseline.yaml", "fifo", "missing/report.html"])
    func aReportIsNeverWrittenOverAFolderAFifoOrAnInput(_ out: String) throws {
        let dir = try Self.project()
        mkfifo(dir.path("fifo"), 0o644)
        let before = Self.tree(dir)
        let r = try CLI.run(["report", "--samples", "0", "--out", out], cwd: dir.path, timeout: 60)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("--out"), "\(r.stderr)")
        #expect(Self.tree(dir) == before)
    }

    /// A device node of the test's own (a copy of /dev/null, made with mknod, which needs root),
    /// so a regression could only ever replace that node, never the system's.
    @Test(.enabled(if: getuid() == 0, "making a device node needs root"))
    func aDeviceIsNeverReplaced() throws {
        let dir = try Self.project()
        #expect(mknod(dir.path("null"), S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0)
        let before = Self.tree(dir)
        for args in [
            ["report", "--samples", "0", "--out", "null"], Self.importArgs + ["--into", "null"],
            ["sensitivity", "--samples", "10", "--shard", "1/1", "--output", "null"],
        ] {
            let r = try CLI.run(args, cwd: dir.path, timeout: 60)
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("is a device"), "\(r.stderr)")
        }
        #expect(Self.tree(dir) == before)
    }

    @Test func standardOutputIsWrittenAsAStream() throws {
        let dir = try Self.project()
        for out in ["-", "/dev/stdout"] {
            let r = try CLI.run(["report", "--samples", "0", "--format", "markdown", "--out", out], cwd: dir.path, timeout: 60)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.hasPrefix("# UK return hubs"), "\(r.stdout.prefix(80))")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path("-")))
    }

    @Test func aSymbolicLinkOutOfTheProjectIsNeverWrittenThrough() throws {
        let dir = try Self.project()
        let outside = TempDir(prefix: "hubs-outside")
        let secret = outside.write("secret.txt", "secret\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path("scenarios/evil.yaml"), withDestinationPath: secret)
        let r = try CLI.run(Self.importArgs + ["--into", "scenarios/evil.yaml"], cwd: dir.path, timeout: 60)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("is a symbolic link to"), "\(r.stderr)")
        #expect(try String(contentsOfFile: secret, encoding: .utf8) == "secret\n")
    }

    /// An import killed at any moment (SIGTERM, SIGINT, SIGHUP) leaves no file: neither the
    /// target nor a temporary file that a later `hubs check` would read.
    @Test(arguments: [(SIGTERM, 0.05), (SIGINT, 0.2), (SIGHUP, 0.4), (SIGTERM, 0.8)])
    func anInterruptedImportLeavesNoFile(_ signal: Int32, _ delay: Double) throws {
        let dir = try Self.project()
        // A wide table of many rows, so the run lasts long enough to be interrupted.
        var rows = "candidate,name,cpi_2024\n"
        for i in 0..<5_000 { rows += "c\(i),C \(i),\(i % 100)\n" }
        dir.write("big.csv", rows)
        let before = Self.tree(dir)
        let r = try CLI.run(
            ["import", "big.csv", "--extends", "scenarios/baseline.yaml", "--source", "S1", "--into", "scenarios/big.yaml"],
            cwd: dir.path, timeout: 120, signal: signal, signalAfter: delay)
        let after = Self.tree(dir)
        if delay < 0.1 {
            #expect(r.status == 128 + signal, "a run signalled at once must end by the signal: \(r.status)")
        }
        if r.status == 0 {
            // Finished before the signal: exactly the one file was added.
            #expect(Set(after.keys).subtracting(before.keys) == ["scenarios/big.yaml"])
        } else {
            #expect(r.status == 128 + signal, "\(r.status) \(r.stderr.prefix(300))")
            #expect(after == before, "left \(Set(after.keys).subtracting(before.keys).sorted())")
        }
    }

    @Test func initChecksEverythingBeforeWritingAnything() throws {
        let dir = TempDir(prefix: "hubs-init")
        dir.write("schemas", "a file where the folder goes\n")
        let r = try CLI.run(["init", dir.path])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("is not a folder"), "\(r.stderr)")
        #expect(Set(Self.tree(dir).keys) == ["schemas"], "a failed init left \(Self.tree(dir).keys.sorted())")
    }

    /// The .gitignore init adds reports/ to is checked with the rest: a folder there stops init
    /// before anything is written.
    @Test func initChecksTheGitignoreBeforeWritingAnything() throws {
        let dir = TempDir(prefix: "hubs-init")
        try FileManager.default.createDirectory(atPath: dir.path(".gitignore"), withIntermediateDirectories: true)
        let r = try CLI.run(["init", dir.path])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains(".gitignore' is a folder"), "\(r.stderr)")
        #expect(Set(Self.tree(dir).keys) == [".gitignore"], "a failed init left \(Self.tree(dir).keys.sorted())")
    }

    @Test func initNeverWritesThroughALinkOutOfItsFolder() throws {
        let dir = TempDir(prefix: "hubs-init")
        let outside = TempDir(prefix: "hubs-outside")
        try FileManager.default.createSymbolicLink(atPath: dir.path("policies"), withDestinationPath: outside.path)
        let r = try CLI.run(["init", "--force", dir.path])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("outside"), "\(r.stderr)")
        #expect(Self.tree(outside).isEmpty, "wrote outside: \(Self.tree(outside).keys.sorted())")
        #expect(Set(Self.tree(dir).keys) == ["policies"])
    }

    @Test(.enabled(if: getuid() != 0, "root may write into a read-only folder"))
    func initWithForceStopsBeforeOverwritingWhenAFolderIsReadOnly() throws {
        let dir = TempDir(prefix: "hubs-init")
        #expect(try CLI.run(["init", dir.path]).status == 0)
        dir.write("policies/policy.yaml", "mine\n")
        chmod(dir.path("schemas"), 0o555)
        defer { chmod(dir.path("schemas"), 0o755) }
        let r = try CLI.run(["init", "--force", dir.path])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(try String(contentsOfFile: dir.path("policies/policy.yaml"), encoding: .utf8) == "mine\n")
    }
}
