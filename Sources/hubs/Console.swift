import ArgumentParser
import Foundation
import HubsCore

/// The only place hubs writes to the terminal. Output starts only after every input has been
/// read, checked and scored, so a failed run never leaves half a result on stdout; large results
/// (score JSON) are then written as they are rendered.
///
/// Writes are checked: a full disk, a closed stream or a reader that went away ends hubs with a
/// one-line message (exit 74, EX_IOERR), never a trap. A broken pipe (`hubs score | head -1`) ends it
/// quietly with status 141, as a process killed by SIGPIPE would, like other Unix tools.
struct Console {
    var renderer: DiagnosticRenderer
    /// Where the lines diagnostics quote are read from before they are rendered: the working
    /// tree, and, put in front by a command, git revisions (`REV:PATH`) and the `<command line>`.
    var quoteSources: [any FileSource] = [DiskFiles()]

    /// Exit status for a write to a closed pipe: 128 + SIGPIPE.
    static let brokenPipeStatus: Int32 = 141
    /// Exit status for any other failed write (sysexits' EX_IOERR).
    static let writeFailedStatus: Int32 = 74

    init() {
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        renderer = DiagnosticRenderer(color: isatty(STDERR_FILENO) == 1 && !noColor)
    }

    /// The value of a stage's result, or its diagnostics reported and the command ended with
    /// `status` (1 by default; `diff` and `test` use 2, as diff(1)).
    mutating func value<T>(_ r: Result<T, DiagnosticsError>, exitStatus status: Int32 = 1) throws -> T {
        switch r {
        case let .success(v): return v
        case let .failure(e):
            report(e.diagnostics)
            throw ExitCode(status)
        }
    }

    /// Writes a result. Control characters from the inputs are shown as visible escapes, so no
    /// escape sequence written in a YAML file reaches the terminal (JSON has none to begin with).
    func out(_ s: String) {
        Self.write(Escaping.terminal(s, keepNewlines: true), to: STDOUT_FILENO, name: "standard output")
    }

    /// Writes bytes that need no escaping (JSON, which escapes every control character itself).
    func out(bytes: [UInt8]) {
        bytes.withUnsafeBytes { out(bytes: $0) }
    }

    /// Writes bytes that need no escaping, from wherever they stand.
    func out(bytes: UnsafeRawBufferPointer) {
        Self.write(bytes: bytes, to: STDOUT_FILENO, name: "standard output")
    }

    /// Writes a message, escaped like `out`.
    func err(_ s: String) {
        Self.write(Escaping.terminal(s, keepNewlines: true), to: STDERR_FILENO, name: "standard error")
    }

    /// Writes every byte or ends the process with a documented status.
    static func write(_ s: String, to fd: Int32, name: String) {
        Array(s.utf8).withUnsafeBytes { write(bytes: $0, to: fd, name: name) }
    }

    /// Writes every byte or ends the process with a documented status.
    static func write(bytes: UnsafeRawBufferPointer, to fd: Int32, name: String) {
        guard let start = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, start + offset, bytes.count - offset)
            if n > 0 {
                offset += n
                continue
            }
            if n < 0 && errno == EINTR { continue }
            let code = n < 0 ? errno : EIO
            if code == EPIPE { Foundation.exit(brokenPipeStatus) }
            if fd != STDERR_FILENO {
                let message = "hubs: cannot write to \(name): \(String(cString: strerror(code)))\n"
                var m = Array(message.utf8)
                _ = m.withUnsafeMutableBytes { b in b.baseAddress.map { Foundation.write(STDERR_FILENO, $0, b.count) } }
            }
            Foundation.exit(writeFailedStatus)
        }
    }

    /// A progress bar on standard error, redrawn in place (only when standard error is a terminal).
    static func progress(_ share: Double) {
        let width = 30
        let done = Swift.max(0, Swift.min(width, Int(share * Double(width))))
        let bar = "\r[" + String(repeating: "#", count: done) + String(repeating: " ", count: width - done) + "] \(Int(share * 100))%"
        write(bar, to: STDERR_FILENO, name: "standard error")
    }

    /// Clears the progress bar's line.
    static func endProgress() { write("\r\u{1B}[K", to: STDERR_FILENO, name: "standard error") }

    /// Prints diagnostics (sorted, capped) to stderr, with a closing count.
    mutating func report(_ diagnostics: [Diagnostic], showNotes: Bool = false) {
        var bag = DiagnosticBag()
        bag.add(contentsOf: diagnostics.filter { showNotes || $0.severity != .note })
        var text = ""
        for d in Quoting.attach(bag.sorted, from: quoteSources) { text += renderer.render(d) }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        if errors > 0 || warnings > 0 {
            text += "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        }
        // The renderer escapes what comes from the inputs and adds colour codes of its own.
        Self.write(text, to: STDERR_FILENO, name: "standard error")
    }

    /// One line about warnings after a successful run, pointing at `hubs check`.
    /// Warnings about what was typed on the command line are shown in full (`hubs check` cannot
    /// show them); the others are counted, with the command that shows them.
    mutating func summarizeWarnings(_ a: Assessment, policy: String, scenario: String) {
        let typed = a.warnings.filter { $0.severity == .warning && $0.location?.isCommandLine == true }
        if !typed.isEmpty { report(typed) }
        let n = a.warnings.filter { $0.severity == .warning }.count - typed.count
        guard n > 0 else { return }
        err(
            "hubs: \(n) warning\(n == 1 ? "" : "s") about the inputs (stale or late evidence, unused facts); run 'hubs check \(Self.shellQuoted(policy)) \(Self.shellQuoted(scenario))' to see them\n"
        )
    }

    /// A path as a shell word: bare when it is plain, single-quoted otherwise.
    static func shellQuoted(_ s: String) -> String {
        let plain = s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "/._-+,:=@".unicodeScalars.contains($0) }
        return plain && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The temporary file being written, for the signal handler to remove (a C string, since a
    /// signal handler may only call async-signal-safe functions).
    nonisolated(unsafe) static var partialPath: UnsafeMutablePointer<CChar>?

    /// Exit status for a refused target (sysexits' EX_USAGE, as for any other bad option).
    static let usageStatus: Int32 = 64

    /// Checks where `option` says to write before any work is done (see `SafeWriter.target`):
    /// a refused target is a usage error naming the option, exit 64.
    func outputTarget(_ path: String, option: String, inputs: [String], project: String? = nil, confined: Bool = false) throws
        -> OutputTarget
    {
        switch SafeWriter.target(path, inputs: inputs, project: project, confined: confined) {
        case let .success(t): return t
        case let .failure(p): throw refuse(p, option: option, status: Self.usageStatus)
        }
    }

    /// Writes a whole output to its target: standard output as a stream, or a file through
    /// `SafeWriter.write` (a temporary file, synced and renamed; removed first if the process is
    /// interrupted by SIGINT, SIGTERM or SIGHUP, so no partial file is ever left). SIGKILL cannot
    /// be caught: then a hidden `.NAME.PID-N.partial` file, which no hubs command reads, is all
    /// that remains.
    func write(_ bytes: [UInt8], to target: OutputTarget, option: String) throws {
        switch target {
        case .standardOutput:
            bytes.withUnsafeBytes { Self.write(bytes: $0, to: STDOUT_FILENO, name: "standard output") }
        case let .file(path):
            let result = Self.whileRemovingOnSignal { register in SafeWriter.write(bytes, to: path, temporary: register) }
            if case let .failure(p) = result { throw refuse(p, option: option, status: Self.writeFailedStatus) }
        }
    }

    /// Runs `body` with handlers for SIGINT, SIGTERM and SIGHUP that remove the temporary file
    /// `body` registers before the process ends with 128 + the signal's number.
    static func whileRemovingOnSignal<T>(_ body: ((String?) -> Void) -> T) -> T {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { number in
                if let p = Console.partialPath { unlink(p) }
                _exit(128 + number)
            }
        }
        defer { for sig in [SIGINT, SIGTERM, SIGHUP] { signal(sig, SIG_DFL) } }
        return body { path in
            let old = partialPath
            partialPath = path.map { strdup($0) }
            free(old)
        }
    }

    /// Prints a refused or failed write and returns the exit status to end with.
    func refuse(_ p: OutputProblem, option: String, status: Int32) -> ExitCode {
        let (message, hint) = OutputProblemText.message(p, option: option)
        Self.write("hubs: error: \(message)\n   hint: \(hint)\n", to: STDERR_FILENO, name: "standard error")
        return ExitCode(status)
    }
}

extension Console {
    /// Keeps `value` alive until the process exits. A command's result is its last large value:
    /// freeing it field by field (20,000 explained candidates take about 0.1 s) is work nobody
    /// waits for, so, as compilers do with their trees, hubs leaves that to the exit.
    static func keepUntilExit<T>(_ value: T) {
        _ = Unmanaged.passRetained(KeptValue(value))
    }
}

/// A value held past the end of its command (see `Console.keepUntilExit`).
private final class KeptValue<T> {
    let value: T
    init(_ value: T) { self.value = value }
}
