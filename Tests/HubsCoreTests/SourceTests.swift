import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// The one writer of files: for every kind of target it either writes exactly the intended file
/// or changes nothing.
@Suite struct SafeWriterTests {
    /// Everything under a folder: each path with its kind and, for files, its bytes (links not
    /// followed), so a test can see whether a write changed anything else.
    static func snapshot(_ root: String) -> [String: String] {
        var out: [String: String] = [:]
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: root) else { return out }
        while let relative = walker.nextObject() as? String {
            let path = root + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFLNK: out[relative] = "link " + ((try? fm.destinationOfSymbolicLink(atPath: path)) ?? "?")
            case S_IFDIR: out[relative] = "dir \(info.st_mode & 0o777)"
            case S_IFREG: out[relative] = "file " + ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "<binary>")
            default: out[relative] = "special"
            }
        }
        return out
    }

    /// A project with an input, a folder, links in and out, a FIFO, a read-only folder, and an
    /// outside file the links may point at.
    static func world() -> (project: TempDir, outside: TempDir) {
        let outside = TempDir(prefix: "hubs-outside")
        outside.write("secret.txt", "outside\n")
        let p = TempDir(prefix: "hubs-safe")
        p.write("policies/p.yaml", "input\n")
        p.write("folder/kept.txt", "kept\n")
        p.write("existing.txt", "old\n")
        try? FileManager.default.createSymbolicLink(atPath: p.path("link-in"), withDestinationPath: "existing.txt")
        try? FileManager.default.createSymbolicLink(atPath: p.path("link-input"), withDestinationPath: "policies/p.yaml")
        try? FileManager.default.createSymbolicLink(atPath: p.path("link-out"), withDestinationPath: outside.path("secret.txt"))
        try? FileManager.default.createSymbolicLink(atPath: p.path("link-dangling"), withDestinationPath: "nowhere/none.txt")
        try? FileManager.default.createSymbolicLink(atPath: p.path("link-folder-out"), withDestinationPath: outside.path)
        mkfifo(p.path("fifo"), 0o644)
        try? FileManager.default.createDirectory(atPath: p.path("readonly"), withIntermediateDirectories: true)
        chmod(p.path("readonly"), 0o555)
        return (p, outside)
    }

    /// Each target, and whether it must be written (true) or refused (false). The read-only
    /// folder refuses unless the tests run as root, who may write there.
    static let targets: [(String, Bool)] = [
        ("new.txt", true), ("existing.txt", true), ("link-in", true), ("folder", false), ("folder/", false), (".", false),
        ("folder/..", false), ("policies/p.yaml", false), ("link-input", false), ("link-out", false),
        ("link-dangling", false), ("fifo", false), ("missing/x.txt", false), ("existing.txt/x", false),
        ("readonly/x.txt", getuid() == 0), ("", false),
    ]

    @Test(arguments: targets)
    func writesTheIntendedFileOrChangesNothing(_ name: String, _ written: Bool) throws {
        let (p, outside) = Self.world()
        defer { chmod(p.path("readonly"), 0o755) }
        let before = Self.snapshot(p.path)
        let outsideBefore = Self.snapshot(outside.path)
        let path = name.isEmpty ? "" : p.path(name)
        let result = SafeWriter.target(path, inputs: [p.path("policies/p.yaml")]).flatMap { target -> Result<Void, OutputProblem> in
            guard case let .file(resolved) = target else { return .failure(.empty) }
            return SafeWriter.write(Array("new\n".utf8), to: resolved)
        }
        #expect(Self.snapshot(outside.path) == outsideBefore, "changed a file outside the project")
        var after = Self.snapshot(p.path)
        switch result {
        case .success:
            #expect(written, "wrote \(name), which must be refused")
            // Exactly one file changed: the target (or, for a link in the project, the file it names).
            let changed = Set(after.keys).union(before.keys).filter { after[$0] != before[$0] }
            #expect(changed.count == 1, "changed \(changed.sorted())")
            if let c = changed.first { #expect(after[c] == "file new\n") }
            after = before
        case let .failure(problem):
            #expect(!written, "refused \(name): \(problem)")
            #expect(after == before, "a refused write changed the project")
        }
        #expect(!after.keys.contains { SafeWriter.isTemporary(URL(fileURLWithPath: $0).lastPathComponent) })
    }

    @Test func standardOutputIsNamedExplicitly() {
        #expect(SafeWriter.target("-", inputs: []) == .success(.standardOutput))
        #expect(SafeWriter.target("/dev/stdout", inputs: []) == .success(.standardOutput))
        #expect(SafeWriter.target("", inputs: []) == .failure(.empty))
    }

    @Test func aFileThatIsAnInputUnderAnotherNameIsRefused() throws {
        let p = TempDir(prefix: "hubs-safe")
        let input = p.write("a/input.yaml", "x\n")
        #expect(link(input, p.path("hard.yaml")) == 0)
        #expect(SafeWriter.target(p.path("hard.yaml"), inputs: [input]) == .failure(.input(p.path("hard.yaml"), input: input)))
        #expect(
            SafeWriter.target(p.path("a/../a/input.yaml"), inputs: [input]) == .failure(.input(p.path("a/../a/input.yaml"), input: input)))
    }

    @Test func aFolderLinkedOutOfAConfinedFolderIsRefused() {
        let outside = TempDir(prefix: "hubs-outside")
        let p = TempDir(prefix: "hubs-safe")
        try? FileManager.default.createSymbolicLink(atPath: p.path("policies"), withDestinationPath: outside.path)
        let r = SafeWriter.target(p.path("policies/policy.yaml"), inputs: [], project: p.path, confined: true)
        guard case .failure(.outsideFolder) = r else {
            Issue.record("expected a refusal, got \(r)")
            return
        }
        #expect(SafeWriter.folderProblem(making: p.path("policies/sub"), for: "x", within: p.path) != nil)
        #expect(SafeWriter.folderProblem(making: p.path("fresh/sub"), for: "x", within: p.path) == nil)
    }

    @Test func folderAndNameNeverTrap() {
        #expect(SafeWriter.folder(of: ".") == ".")
        #expect(SafeWriter.folder(of: "..") == ".")
        #expect(SafeWriter.folder(of: "/") == "/")
        #expect(SafeWriter.folder(of: "/a") == "/")
        #expect(SafeWriter.folder(of: "a/b/") == "a")
        #expect(SafeWriter.name(of: "a/b/") == "b")
        #expect(SafeWriter.name(of: "x") == "x")
    }

    @Test func theTemporaryFileIsAnnouncedAndGone() throws {
        let p = TempDir(prefix: "hubs-safe")
        var announced: [String?] = []
        let r = SafeWriter.write(Array("x".utf8), to: p.path("out.yaml")) { announced.append($0) }
        #expect((try? r.get()) != nil)
        #expect(announced.count == 2 && announced.last! == nil)
        let temporary = try #require(announced.first ?? nil)
        #expect(SafeWriter.isTemporary(URL(fileURLWithPath: temporary).lastPathComponent))
        #expect(!temporary.hasSuffix(".yaml"), "hubs check would read it")
        #expect(!FileManager.default.fileExists(atPath: temporary))
        #expect(try String(contentsOfFile: p.path("out.yaml"), encoding: .utf8) == "x")
    }
}

/// A diagnostic carries the line it quotes; the renderer shows that line and reads no file.
@Suite struct QuotingTests {
    @Test func theQuoteComesFromTheSourcesAndTheRendererReadsNothing() {
        let file = SourceFile(path: "mem/p.yaml", text: "policy: p\ntitle: x\n  bad: 1\n")
        let d = Diagnostic.yamlSyntax("bad", at: SourceLocation(file: "mem/p.yaml", line: 3, column: 3), length: 3)
        let renderer = DiagnosticRenderer(color: false)
        #expect(!renderer.render(d).contains("bad: 1"), "no quote, no line: the renderer reads no file")
        let quoted = Quoting.attach([d], from: [Workspace([file], over: nil)])
        #expect(quoted[0].quote == "  bad: 1")
        #expect(quoted[0] == d, "the quote is not part of a diagnostic's identity")
        let shown = renderer.render(quoted[0])
        #expect(shown.contains(" 3 |   bad: 1\n"))
        #expect(shown.contains("^~~"))
    }
}
