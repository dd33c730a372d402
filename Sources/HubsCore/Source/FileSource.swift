import Foundation

/// Where input files come from: the working tree, or a git revision. Loaders read through this,
/// so a scenario's `extends` parents come from the same place as the scenario.
public protocol FileSource: Sendable {
    func read(_ path: String, limits: InputLimits) -> Result<SourceFile, DiagnosticsError>
    func exists(_ path: String) -> Bool
    /// File names (not paths) in a directory.
    func list(_ directory: String) -> [String]
    /// The file a diagnostic's location names, if this source can read it (for source lines).
    func file(atLocation name: String) -> SourceFile?
    /// Why `path` (already resolved against `namingFile`'s folder) is outside what a file of this
    /// source may name, for the located error; nil when it may be read. See `ProjectBoundary`.
    func boundaryProblem(resolved path: String, from namingFile: String) -> String?
    /// The tree parsed before from exactly this file (same path, text and limits), if this
    /// source keeps them (a `Workspace` does, so an unchanged document is not parsed again).
    func cachedTree(for file: SourceFile, limits: InputLimits) -> YAML?
    /// Keeps a tree parsed from `file`, for `cachedTree` (a no-op for sources that keep none).
    func remember(_ tree: YAML, for file: SourceFile, limits: InputLimits)
}

extension FileSource {
    /// Most sources keep no trees: every read is parsed.
    public func cachedTree(for file: SourceFile, limits: InputLimits) -> YAML? { nil }
    /// Most sources keep no trees.
    public func remember(_ tree: YAML, for file: SourceFile, limits: InputLimits) {}
}

/// Files on disk.
public struct DiskFiles: FileSource {
    /// The folder files named inside files must stay within; nil to find it from each naming file
    /// (see `ProjectBoundary.projectRoot(of:)`).
    public let root: String?
    /// Files on disk; `root` as the project folder (`hubs --root`), or nil to find it.
    public init(root: String? = nil) {
        self.root = root.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }
    }
    /// Reads the file at `path` under `limits`.
    public func read(_ path: String, limits: InputLimits) -> Result<SourceFile, DiagnosticsError> {
        SourceFile.read(path: path, limits: limits)
    }
    /// Whether a file exists at `path`.
    public func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
    /// The file on disk with this name.
    public func file(atLocation name: String) -> SourceFile? { try? SourceFile.read(path: name).get() }
    /// File names in a folder, sorted.
    public func list(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []).sorted()
    }
    /// On disk, the named file, symbolic links followed, must lie inside the project: `root` when
    /// one was given, otherwise the naming file's project.
    public func boundaryProblem(resolved path: String, from namingFile: String) -> String? {
        let root = self.root ?? ProjectBoundary.projectRoot(of: namingFile)
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        return target == root || target.hasPrefix(root.hasSuffix("/") ? root : root + "/")
            ? nil : "outside the project folder \(root)"
    }
}

/// How the library reaches git: a front end supplies it (the CLI runs the `git` program), so
/// HubsCore itself never starts a process or reads the environment.
public protocol GitAccess: Sendable {
    /// Runs git with `arguments` in `directory`, its output capped at `limit` bytes; status -1
    /// when git could not be run at all.
    func run(_ arguments: [String], in directory: String, limit: Int) -> (status: Int32, output: [UInt8])
}

/// Files as they were at a git revision, read with `git cat-file blob REV:./PATH` from
/// `directory` through `git`. Locations name them `REV:PATH`.
public struct GitFiles: FileSource {
    public let revision: String
    public let directory: String
    public let git: any GitAccess
    /// The most output read from a git command that is not a file's contents.
    static let outputLimit = 16 << 20

    /// Checks that `directory` is inside a git work tree and `revision` names a commit.
    public static func open(revision: String, directory: String, git: any GitAccess) -> Result<GitFiles, DiagnosticsError> {
        let inside = git.run(["rev-parse", "--is-inside-work-tree"], in: directory, limit: outputLimit)
        guard inside.status == 0, String(decoding: inside.output, as: UTF8.self).hasPrefix("true") else {
            let why = inside.status == -1 ? "git could not be run (is it installed?)" : "'\(directory)' is not inside a git repository"
            return .failure(
                DiagnosticsError([
                    .fileNotFound(
                        why, at: nil,
                        hint: "run hubs diff --rev from inside a git checkout")
                ]))
        }
        if revision.hasPrefix("-") || revision.contains("..") || revision.isEmpty {
            return .failure(
                DiagnosticsError([
                    .invalidValue(
                        "'\(revision)' is not a revision", at: nil,
                        hint: "name a commit, such as HEAD~1, a branch or a tag")
                ]))
        }
        let verify = git.run(["rev-parse", "--verify", "--quiet", revision + "^{commit}"], in: directory, limit: outputLimit)
        guard verify.status == 0 else {
            return .failure(
                DiagnosticsError([
                    .fileNotFound(
                        "unknown revision '\(revision)'", at: nil,
                        hint: "check it with 'git log --oneline'")
                ]))
        }
        return .success(GitFiles(revision: revision, directory: directory, git: git))
    }

    func spec(_ path: String) -> String { "\(revision):./\(path.hasPrefix("./") ? String(path.dropFirst(2)) : path)" }

    /// Reads the file at `path` as it was at the revision.
    public func read(_ path: String, limits: InputLimits) -> Result<SourceFile, DiagnosticsError> {
        let label = "\(revision):\(path)"
        let r = git.run(["cat-file", "blob", spec(path)], in: directory, limit: limits.maxFileBytes + 1)
        guard r.status == 0 else {
            return .failure(
                DiagnosticsError([
                    .fileNotFound(
                        "'\(path)' does not exist at revision \(revision)", at: nil,
                        hint: "was it added after \(revision)?")
                ]))
        }
        return SourceFile.decode(r.output, path: label, limits: limits)
    }

    /// The file a location `REV:PATH` names, read again from the revision.
    public func file(atLocation name: String) -> SourceFile? {
        guard name.hasPrefix(revision + ":") else { return nil }
        return try? read(String(name.dropFirst(revision.count + 1)), limits: .standard).get()
    }

    /// At a revision, paths are relative to the repository: a '..' that climbs out is refused.
    public func boundaryProblem(resolved path: String, from namingFile: String) -> String? {
        let n = ProjectBoundary.normalized(path)
        return n.hasPrefix("../") || n == ".." ? "outside the repository" : nil
    }

    /// Whether the file existed at the revision.
    public func exists(_ path: String) -> Bool {
        git.run(["cat-file", "-e", spec(path)], in: directory, limit: Self.outputLimit).status == 0
    }

    /// File names in a folder at the revision, sorted.
    public func list(_ dir: String) -> [String] {
        let r = git.run(
            ["ls-tree", "--name-only", revision, "./" + (dir.isEmpty ? "" : dir + "/")], in: directory, limit: Self.outputLimit)
        guard r.status == 0 else { return [] }
        return String(decoding: r.output, as: UTF8.self).split(separator: "\n")
            .map { String($0.split(separator: "/").last ?? $0) }.sorted()
    }
}

/// The folder that files named inside other files (`extends`, a test file's `policy` and
/// `scenario`) must stay within: the folder given with `--root`, or else the nearest folder above
/// the naming file that holds `policies/` or `.git`, or the naming file's own folder when there is
/// none. Absolute paths, `..` escapes and
/// symbolic links that leave it are refused, so a file written by someone else cannot make hubs
/// read (and quote in a diagnostic) a file outside the project.
public enum ProjectBoundary {
    /// Why a named path was refused, for the located error; nil when it may be read.
    public static func problem(naming name: String, resolved path: String, from namingFile: String, files: any FileSource) -> String? {
        if name.hasPrefix("/") || name.hasPrefix("~") {
            return "an absolute path; name a file in this project relative to \(lastComponent(namingFile))"
        }
        return files.boundaryProblem(resolved: path, from: namingFile)
    }

    /// Why a path sent by a page or an editor may not be read or written in the project at `root`
    /// (links resolved), or nil: it must be a relative path to a YAML file inside the project,
    /// with no `..`, no hidden part, no control character, and no link that leads out.
    public static func editableProblem(_ path: String, root: String) -> String? {
        if path.isEmpty || path.utf8.count > 512 { return "not a file name" }
        if path.hasPrefix("/") || path.hasPrefix("~") { return "an absolute path; name a file inside the project" }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." || $0.hasPrefix(".") }) {
            return "a path that leaves the project or names a hidden file"
        }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\\" || $0.value == 0x7F }) {
            return "a path with control characters"
        }
        guard path.hasSuffix(".yaml") || path.hasSuffix(".yml") else { return "not a YAML file" }
        // Links followed, the file (or, for a new file, its folder) must lie inside the project.
        let full = root + "/" + path
        let resolved = URL(fileURLWithPath: full).resolvingSymlinksInPath().path
        let folder = URL(fileURLWithPath: full).deletingLastPathComponent().resolvingSymlinksInPath().path
        guard resolved.hasPrefix(root + "/"), folder == root || folder.hasPrefix(root + "/") else {
            return "a link that leads out of the project"
        }
        return nil
    }

    /// The project root for a file: see the type's description.
    public static func projectRoot(of file: String) -> String {
        let start = URL(fileURLWithPath: file).standardizedFileURL.resolvingSymlinksInPath().deletingLastPathComponent()
        var dir = start
        while true {
            let fm = FileManager.default
            if fm.fileExists(atPath: dir.appendingPathComponent("policies").path)
                || fm.fileExists(atPath: dir.appendingPathComponent(".git").path)
            {
                return dir.path
            }
            let up = dir.deletingLastPathComponent()
            if up.path == dir.path { return start.path }
            dir = up
        }
    }

    static func lastComponent(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }

    /// `a/./b/../c` → `a/c`, keeping leading `..` and a leading `/`: a path as short as it can be
    /// without touching the file system.
    public static func normalized(_ path: String) -> String {
        var out: [Substring] = []
        for part in path.split(separator: "/") where part != "." && !part.isEmpty {
            if part == "..", let last = out.last, last != ".." { out.removeLast() } else { out.append(part) }
        }
        return (path.hasPrefix("/") ? "/" : "") + out.joined(separator: "/")
    }
}

/// Files held in memory (the `<command line>` of `Overrides`), so diagnostics can quote them.
public struct MemoryFiles: FileSource {
    public let files: [SourceFile]
    /// These files, found by their paths.
    public init(_ files: [SourceFile]) { self.files = files }
    /// The file with this path.
    public func read(_ path: String, limits: InputLimits) -> Result<SourceFile, DiagnosticsError> {
        guard let f = files.first(where: { $0.path == path }) else {
            return .failure(DiagnosticsError([.fileNotFound("no such file", at: .wholeFile(path))]))
        }
        return .success(f)
    }
    /// Whether a file has this path.
    public func exists(_ path: String) -> Bool { files.contains { $0.path == path } }
    /// Nothing: memory has no folders.
    public func list(_ directory: String) -> [String] { [] }
    /// The file with this path.
    public func file(atLocation name: String) -> SourceFile? { files.first { $0.path == name } }
    /// Memory files name no others.
    public func boundaryProblem(resolved path: String, from namingFile: String) -> String? { "not a file on disk" }
}
