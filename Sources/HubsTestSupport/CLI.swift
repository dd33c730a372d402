import Foundation

/// What one run of the `hubs` binary printed.
public struct Run: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var seconds: Double
}

/// Runs the built `hubs` binary, as a user would.
public enum CLI {
    public static var root: String { Repository.root }

    /// The `hubs` executable built next to the running test bundle.
    public static let binary: String = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("hubs").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        for sub in [".build/debug/hubs", ".build/release/hubs"] {
            let candidate = Repository.path(sub)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return Repository.path(".build/debug/hubs")
    }()

    /// Runs `hubs args…` in `cwd` (the repository root by default), with standard input closed.
    /// Output goes to files, so large outputs cannot block on a full pipe. A run still going after
    /// `timeout` seconds is killed and reported with status -1 and "TIMED OUT" on stderr: a hang
    /// fails its test without any test asserting on wall time.
    public static func run(_ args: [String], cwd: String? = nil, env: [String: String] = [:], timeout: Double = 120) throws -> Run {
        let tmp = TempDir(prefix: "hubs-run")
        let outPath = tmp.write("out", "")
        let errPath = tmp.write("err", "")
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd ?? root)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NO_COLOR")
        environment.removeValue(forKey: "HUBS_RECORD")
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        let start = Date()
        try p.run()
        var timedOut = false
        while p.isRunning {
            if Date().timeIntervalSince(start) > timeout {
                timedOut = true
                p.terminate()
                p.waitUntilExit()
                break
            }
            usleep(2_000)
        }
        p.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        try out.close()
        try err.close()
        if timedOut {
            return Run(status: -1, stdout: "", stderr: "TIMED OUT after \(timeout) s", seconds: seconds)
        }
        return Run(
            status: p.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: URL(fileURLWithPath: outPath)), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: URL(fileURLWithPath: errPath)), as: UTF8.self),
            seconds: seconds)
    }
}

/// Golden files. `check` compares output with a stored file and returns what differs (nil when it
/// matches). With `HUBS_RECORD=1` it writes the file and still returns a message, so a recording
/// run always fails and is never mistaken for a pass: review the diff, then run again.
public enum Golden {
    public static let dir = Repository.path("Tests/hubsTests/golden")

    public static var recording: Bool { ProcessInfo.processInfo.environment["HUBS_RECORD"] == "1" }

    public static func check(_ actual: String, _ name: String) -> String? {
        let path = dir + "/" + name
        if recording {
            let old = try? String(contentsOfFile: path, encoding: .utf8)
            do { try actual.write(toFile: path, atomically: true, encoding: .utf8) } catch { return "could not record \(name): \(error)" }
            return old == actual
                ? "recorded \(name) (unchanged); run without HUBS_RECORD to check"
                : "recorded \(name); review the diff, then run without HUBS_RECORD to check"
        }
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            return "no golden file \(name); run HUBS_RECORD=1 swift test to create it"
        }
        if expected == actual { return nil }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let i = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
        return """
            output differs from golden file \(name) at line \(i + 1):
              expected: \(i < e.count ? String(e[i]) : "<end>")
              actual:   \(i < a.count ? String(a[i]) : "<end>")
            If the change is intended, run HUBS_RECORD=1 swift test and review the diff.
            """
    }
}
