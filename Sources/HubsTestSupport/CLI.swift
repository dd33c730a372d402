import Foundation

/// What one run of the `hubs` binary printed.
public struct Run: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var seconds: Double
    /// The child's peak resident memory, sampled every millisecond from /proc (see `CLI.run`).
    public var peakMemoryBytes: Int = 0
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
    /// fails its test without any test asserting on wall time. The child is started with
    /// `posix_spawn` and watched every millisecond: its peak resident memory is the largest
    /// `VmHWM` read from /proc/PID/status. (`wait4`'s `ru_maxrss` cannot be used: Linux counts in
    /// it the memory of the test runner that spawned the child, recorded when the child execs.)
    /// With `signal`, that signal is sent once after `signalAfter` seconds (an interrupted run).
    public static func run(
        _ args: [String], cwd: String? = nil, env: [String: String] = [:], timeout: Double = 120, signal: Int32? = nil,
        signalAfter: Double = 0, binary: String = CLI.binary
    ) throws -> Run {
        let tmp = TempDir(prefix: "hubs-run")
        let outPath = tmp.path("out")
        let errPath = tmp.path("err")
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NO_COLOR")
        environment.removeValue(forKey: "HUBS_RECORD")
        for (k, v) in env { environment[k] = v }
        let start = Date()
        let pid = try spawn(
            [binary] + args, environment: environment.map { "\($0.key)=\($0.value)" }, cwd: cwd ?? root, stdout: outPath, stderr: errPath)
        var status: Int32 = 0
        var timedOut = false
        var peak = 0
        var signalled = signal == nil
        while true {
            if !signalled, Date().timeIntervalSince(start) >= signalAfter, let signal {
                kill(pid, signal)
                signalled = true
            }
            peak = max(peak, highWaterMark(pid))
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r == -1 && errno != EINTR { throw SpawnError(message: "waitpid failed: errno \(errno)") }
            if !timedOut && Date().timeIntervalSince(start) > timeout {
                timedOut = true
                kill(pid, SIGKILL)
            }
            usleep(1_000)
        }
        let seconds = Date().timeIntervalSince(start)
        if timedOut {
            return Run(status: -1, stdout: "", stderr: "TIMED OUT after \(timeout) s", seconds: seconds, peakMemoryBytes: 0)
        }
        // The shell's convention: a signal's number plus 128, so a crash never looks like success.
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Run(
            status: code,
            stdout: String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data(), as: UTF8.self),
            seconds: seconds, peakMemoryBytes: peak)
    }

    /// The high-water mark of a running process's resident memory, in bytes (0 once it has exited).
    static func highWaterMark(_ pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kB = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return 0 }
        return kB * 1024
    }

    struct SpawnError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Starts `argv` with standard input from /dev/null and the two output streams to files.
    static func spawn(_ argv: [String], environment: [String], cwd: String, stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // glibc has had posix_spawn_file_actions_addchdir_np since 2.29; Swift's Glibc module does
        // not import it (it is a GNU extension), so it is looked up by name.
        typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else {
            throw SpawnError(message: "this C library has no posix_spawn_file_actions_addchdir_np")
        }
        _ = unsafeBitCast(symbol, to: AddChdir.self)(&actions, cwd)
        func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] { strings.map { strdup($0) } + [nil] }
        let cArgv = cStrings(argv)
        let cEnv = cStrings(environment)
        defer { for p in cArgv + cEnv { free(p) } }
        // The child starts with no signal blocked and the default action for the signals tests
        // send (the test runner may block or ignore them in itself, and a child inherits that).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attributes, cArgv, cEnv)
        guard rc == 0 else { throw SpawnError(message: "cannot start \(argv[0]): errno \(rc)") }
        return pid
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
        return """
            output differs from golden file \(name) (- expected, + actual):
            \(unifiedDiff(expected, actual))
            If the change is intended, run HUBS_RECORD=1 swift test and review the diff.
            """
    }
}

extension Golden {
    /// A unified diff of two texts by lines (a longest common subsequence), hunks with three
    /// lines of context, cut after `maxLines` lines of output.
    public static func unifiedDiff(_ a: String, _ b: String, maxLines: Int = 80) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false)
        let y = b.split(separator: "\n", omittingEmptySubsequences: false)
        let n = x.count
        let m = y.count
        // lcs[i][j]: the common subsequence of x[i...] and y[j...], in a flat table.
        var lcs = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i * (m + 1) + j] =
                    x[i] == y[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1])
            }
        }
        // The edit script: " " kept, "-" only in a, "+" only in b, with line numbers.
        var script: [(Character, Substring, Int, Int)] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, x[i] == y[j] {
                script.append((" ", x[i], i, j))
                i += 1
                j += 1
            } else if i < n, j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1] {
                script.append(("-", x[i], i, j))
                i += 1
            } else {
                script.append(("+", y[j], i, j))
                j += 1
            }
        }
        var out: [String] = []
        var k = 0
        while k < script.count {
            guard script[k].0 != " " else {
                k += 1
                continue
            }
            let start = max(0, k - 3)
            var end = k
            while end < script.count, script[end].0 != " " || script[end..<min(script.count, end + 7)].contains(where: { $0.0 != " " }) {
                end += 1
            }
            end = min(script.count, end + 3)
            out.append("@@ -\(script[start].2 + 1) +\(script[start].3 + 1) @@")
            for e in script[start..<end] { out.append("\(e.0)\(e.1)") }
            k = end
        }
        if out.count > maxLines { out = Array(out.prefix(maxLines)) + ["… (\(out.count - maxLines) more lines of diff)"] }
        return out.joined(separator: "\n")
    }
}

extension Run {
    /// The bounds every hostile input must stay within: 200 MB of resident memory (the issue's
    /// figure) and a wall time of `seconds`. The hostile-input issue asks for 2 s of a release
    /// build on an idle machine; the tests run a debug build with other tests alongside, so their
    /// default bound is looser, and the memory bound, which load does not move, is exact.
    /// Returns what was exceeded, or nil.
    public func exceededBounds(seconds limit: Double = 10, memoryBytes: Int = 200_000_000) -> String? {
        var problems: [String] = []
        if status == -1 || seconds > limit { problems.append("took \(seconds) s (bound \(limit) s)") }
        if peakMemoryBytes > memoryBytes {
            problems.append("peak memory \(peakMemoryBytes / 1_000_000) MB (bound \(memoryBytes / 1_000_000) MB)")
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }
}
