import Foundation

/// Where input files come from: the working tree, or a git revision. Loaders read through this,
/// so a scenario's `extends` parents come from the same place as the scenario.
public protocol FileSource: Sendable {
    func read(_ path: String, limits: InputLimits) -> Result<SourceFile, DiagnosticsError>
    func exists(_ path: String) -> Bool
    /// File names (not paths) in a directory.
    func list(_ directory: String) -> [String]
}

/// Files on disk.
public struct DiskFiles: FileSource {
    public init() {}
    public func read(_ path: String, limits: InputLimits) -> Result<SourceFile, DiagnosticsError> {
        SourceFile.read(path: path, limits: limits)
    }
    public func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
    public func list(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []).sorted()
    }
}

/// Files as they were at a git revision, read with `git show REV:./PATH` from `directory`.
/// Locations name them `REV:PATH`.
public struct GitFiles: FileSource {
    public let revision: String
    public let directory: String

    /// Checks that `directory` is inside a git work tree and `revision` names a commit.
    public static func open(revision: String, directory: String = FileManager.default.currentDirectoryPath) -> Result<
        GitFiles, DiagnosticsError
    > {
        let inside = Git.run(["rev-parse", "--is-inside-work-tree"], in: directory)
        guard inside.status == 0, String(decoding: inside.output, as: UTF8.self).hasPrefix("true") else {
            let why = inside.status == -1 ? "git could not be run (is it installed?)" : "'\(directory)' is not inside a git repository"
            return .failure(
                DiagnosticsError([
                    .error(
                        .fileNotFound, why, at: nil,
                        hint: "run hubs diff --rev from inside a git checkout")
                ]))
        }
        if revision.hasPrefix("-") || revision.contains("..") || revision.isEmpty {
            return .failure(
                DiagnosticsError([
                    .error(
                        .invalidValue, "'\(revision)' is not a revision", at: nil,
                        hint: "name a commit, such as HEAD~1, a branch or a tag")
                ]))
        }
        let verify = Git.run(["rev-parse", "--verify", "--quiet", revision + "^{commit}"], in: directory)
        guard verify.status == 0 else {
            return .failure(
                DiagnosticsError([
                    .error(
                        .fileNotFound, "unknown revision '\(revision)'", at: nil,
                        hint: "check it with 'git log --oneline'")
                ]))
        }
        return .success(GitFiles(revision: revision, directory: directory))
    }

    func spec(_ path: String) -> String { "\(revision):./\(path.hasPrefix("./") ? String(path.dropFirst(2)) : path)" }

    public func read(_ path: String, limits: InputLimits) -> Result<SourceFile, DiagnosticsError> {
        let label = "\(revision):\(path)"
        let r = Git.run(["cat-file", "blob", spec(path)], in: directory, limit: limits.maxFileBytes + 1)
        guard r.status == 0 else {
            return .failure(
                DiagnosticsError([
                    .error(
                        .fileNotFound, "'\(path)' does not exist at revision \(revision)", at: nil,
                        hint: "was it added after \(revision)?")
                ]))
        }
        return SourceFile.decode(r.output, path: label, limits: limits)
    }

    public func exists(_ path: String) -> Bool {
        Git.run(["cat-file", "-e", spec(path)], in: directory).status == 0
    }

    public func list(_ dir: String) -> [String] {
        let r = Git.run(["ls-tree", "--name-only", revision, "./" + (dir.isEmpty ? "" : dir + "/")], in: directory)
        guard r.status == 0 else { return [] }
        return String(decoding: r.output, as: UTF8.self).split(separator: "\n")
            .map { String($0.split(separator: "/").last ?? $0) }.sorted()
    }
}

/// Runs git with no terminal prompts; output capped at `limit` bytes.
enum Git {
    static func run(_ args: [String], in directory: String, limit: Int = 16 << 20) -> (status: Int32, output: [UInt8]) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-c", "core.quotepath=off"] + args
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["GIT_TERMINAL_PROMPT"] = "0"
        env["LC_ALL"] = "C"
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return (-1, []) }
        var data = [UInt8]()
        let handle = out.fileHandleForReading
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            if data.count < limit { data += chunk.prefix(limit - data.count) }
        }
        p.waitUntilExit()
        return (p.terminationStatus, data)
    }
}
