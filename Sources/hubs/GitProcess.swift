import Foundation
import HubsCore

/// The CLI's git: the `git` program found on the PATH, run with no terminal prompts and the C
/// locale, standard input closed and standard error discarded, its output capped. (The library
/// only sees `GitAccess`, so it never starts a process or reads the environment itself.)
struct GitProcess: GitAccess {
    func run(_ arguments: [String], in directory: String, limit: Int) -> (status: Int32, output: [UInt8]) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-c", "core.quotepath=off"] + arguments
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

    /// The files at `revision` of the repository holding the current folder.
    static func files(at revision: String) -> Result<GitFiles, DiagnosticsError> {
        GitFiles.open(revision: revision, directory: FileManager.default.currentDirectoryPath, git: GitProcess())
    }
}
