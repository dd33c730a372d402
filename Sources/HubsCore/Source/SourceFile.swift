import Foundation

/// The text of one input file as read, with its content hash (SHA-256 of the bytes).
public struct SourceFile: Sendable, Hashable {
    /// The path as the user gave it (used in every location).
    public var path: String
    public var text: String
    /// The hash of a large file is computed on another thread while the file is parsed, a small
    /// file's when first asked for (a ranking table never shows it); reading it waits for that.
    private(set) var hash: Hash

    /// A content hash, known or on its way; equal when the hashes are (so files compare by path,
    /// text and hash, as when the hash was a stored string).
    enum Hash: Sendable, Hashable {
        case known(String)
        case pending(PendingHash)

        var value: String {
            switch self {
            case let .known(h): h
            case let .pending(p): p.value
            }
        }

        static func == (a: Hash, b: Hash) -> Bool { a.value == b.value }
        func hash(into hasher: inout Hasher) { hasher.combine(value) }
    }

    /// SHA-256 of the file's bytes (without a byte-order mark), as 64 lower-case hex digits.
    public var sha256: String {
        get { hash.value }
        set { hash = .known(newValue) }
    }

    /// A file's path and text; its hash is computed from the text's bytes.
    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.hash = .known(SHA256.hex(Array(text.utf8)))
    }

    /// A file whose hash is already known (computed from the same bytes as `text`), or being
    /// computed.
    init(path: String, text: String, hash: Hash) {
        self.path = path
        self.text = text
        self.hash = hash
    }

    /// Lines of the file, for showing the source line under a diagnostic.
    public func line(_ n: Int) -> String? {
        var i = 1
        for l in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if i == n { return String(l.hasSuffix("\r") ? l.dropLast() : l) }
            i += 1
        }
        return nil
    }

    /// Reads a file under `limits`: missing files, directories, oversized files, non-UTF-8
    /// bytes and empty files each give a located diagnostic instead of a crash.
    public static func read(path: String, limits: InputLimits = .standard) -> Result<SourceFile, DiagnosticsError> {
        // At most one byte past the limit, so a huge (or endless) file is never read whole;
        // `decode` reports it as too large.
        readBytes(path: path, upTo: limits.maxFileBytes + 1, what: "YAML file").flatMap { decode($0, path: path, limits: limits) }
    }

    /// The bytes of the regular file at `path`, at most `limit` of them: a missing file, a
    /// directory, a pipe, socket or device (which could block forever) and an unreadable file are
    /// each a diagnostic naming the file. `what` names what the file should be, for the hints.
    public static func readBytes(path: String, upTo limit: Int, what: String) -> Result<[UInt8], DiagnosticsError> {
        func refuse(_ code: DiagnosticCode, _ message: String, _ hint: String) -> Result<[UInt8], DiagnosticsError> {
            .failure(DiagnosticsError([.coded(code, message, at: .wholeFile(path), hint: hint)]))
        }
        // The system's reason for the last failed call, in brackets.
        func reason() -> String { " (\(String(cString: strerror(errno))))" }
        // Plain system calls: `stat` follows symbolic links, so the type is the target's.
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR {
                return refuse(.fileNotFound, "no such file", "check the path; files are named relative to the current folder")
            }
            return refuse(.notAFile, "cannot open the file for reading" + reason(), "check the path and the file's permissions")
        }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR {
            return refuse(.notAFile, "this is a directory, not a \(what)", "name a \(what) inside it")
        }
        if type != S_IFREG {
            return refuse(.notAFile, "not a regular file (it is a pipe, socket or device)", "save the \(what) to a file and name that")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return refuse(.notAFile, "cannot open the file for reading" + reason(), "check the file's permissions")
        }
        defer { close(fd) }
        // The size `stat` gave is a first guess (the file may grow or shrink while it is read).
        var bytes = [UInt8](repeating: 0, count: Swift.min(limit, Swift.max(Int(info.st_size), 0) + 1, 1 << 30))
        var count = 0
        while count < limit {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: Swift.min(limit - count, Swift.max(count, 4096)))) }
            let n = bytes.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress.map { $0 + count }, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return refuse(.notAFile, "the file could not be read" + reason(), "check the file and its permissions") }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return .success(bytes)
    }

    /// Checks bytes read from anywhere: size, UTF-8, content.
    public static func decode(_ bytes: [UInt8], path: String, limits: InputLimits) -> Result<SourceFile, DiagnosticsError> {
        let at = SourceLocation(file: path, line: 1, column: 1)
        if bytes.count > limits.maxFileBytes {
            return fail(
                .fileTooLarge, "file is larger than the \(limits.maxFileBytes)-byte limit", at: at,
                hint: "split it into smaller files; hubs inputs are policies and scenarios, not data dumps")
        }
        // The hash is of the text's bytes: without a byte-order mark. A large file's is computed
        // on another thread, beside the checks, the decoding and the parsing, which read every
        // byte too; a small file's when first asked for (a thread would cost more than it saves).
        let hashed = bytes[(bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0)...]
        let hash = Hash.pending(PendingHash(hashed, threaded: bytes.count >= 1 << 20))
        return checkedText(bytes, path: path, at: at).map { SourceFile(path: path, text: $0, hash: hash) }
    }

    /// The text of `bytes` once it is valid UTF-8 with some YAML content, or the error.
    private static func checkedText(_ bytes: [UInt8], path: String, at: SourceLocation) -> Result<String, DiagnosticsError> {
        if let bad = firstInvalidUTF8(bytes) {
            let (line, col) = lineColumn(bytes, upTo: bad)
            return fail(
                .notUTF8, "file is not valid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) at offset \(bad))",
                at: SourceLocation(file: path, line: line, column: col), hint: "save the file as UTF-8")
        }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if !hasContent(text) {
            return fail(
                .emptyFile, "file is empty (no YAML content)", at: at,
                hint: "a policy starts with 'policy: ID', a scenario with 'scenario: ID'")
        }
        return .success(text)
    }

    /// One whole-file error as a failed read.
    private static func fail<T>(
        _ code: DiagnosticCode, _ message: String, at: SourceLocation, hint: String
    ) -> Result<T, DiagnosticsError> {
        .failure(DiagnosticsError([.coded(code, message, at: at, hint: hint)]))
    }

    /// Whether the text has a line that is not blank, a comment or a document marker.
    static func hasContent(_ text: String) -> Bool {
        // Line by line, stopping at the first line with content (usually the first line).
        var rest = Substring(text)
        while !rest.isEmpty {
            let end = rest.utf8.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
            let line = rest[..<end].trimmingSpace(newlines: true)
            if !(line.isEmpty || line.hasPrefix("#") || line == "---" || line == "...") { return true }
            rest = end == rest.endIndex ? "" : rest[rest.utf8.index(after: end)...]
        }
        return false
    }

    /// Offset of the first byte that breaks UTF-8 (overlongs, surrogates and truncation included).
    static func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 {
                i += 1
                continue
            }
            var need = 0
            var minCP: UInt32 = 0
            var cp: UInt32 = 0
            switch c {
            case 0xC2...0xDF:
                need = 1
                cp = UInt32(c & 0x1F)
                minCP = 0x80
            case 0xE0...0xEF:
                need = 2
                cp = UInt32(c & 0x0F)
                minCP = 0x800
            case 0xF0...0xF4:
                need = 3
                cp = UInt32(c & 0x07)
                minCP = 0x10000
            default: return i
            }
            if i + need >= n { return i }  // truncated sequence at end of file
            for k in 1...need {
                let cc = b[i + k]
                if cc & 0xC0 != 0x80 { return i }
                cp = (cp << 6) | UInt32(cc & 0x3F)
            }
            if cp < minCP || cp > 0x10FFFF || (0xD800...0xDFFF).contains(cp) { return i }
            i += need + 1
        }
        return nil
    }

    static func lineColumn(_ b: [UInt8], upTo offset: Int) -> (Int, Int) {
        var line = 1
        var col = 1
        var i = 0
        while i < offset {
            if b[i] == 0x0A {
                line += 1
                col = 1
            } else if b[i] & 0xC0 != 0x80 {
                col += 1
            }
            i += 1
        }
        return (line, col)
    }
}

/// The C library's `read` (SourceFile has a static `read` of its own).
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
    #else
        Darwin.read(fd, buffer, count)
    #endif
}

/// A SHA-256 computed when first asked for, or (`threaded`) on a thread of its own from the
/// start; `value` waits for it.
final class PendingHash: @unchecked Sendable {
    private let lock = NSLock()
    private let done: DispatchGroup?
    /// The bytes, until hashed (not threaded).
    private var bytes: ArraySlice<UInt8>?
    /// Written once: by the hashing thread before `done` is left (read only after waiting), or
    /// under `lock`.
    private var result = ""

    init(_ bytes: ArraySlice<UInt8>, threaded: Bool) {
        guard threaded else {
            self.bytes = bytes
            done = nil
            return
        }
        let done = DispatchGroup()
        self.done = done
        done.enter()
        // A thread of its own, not one of Dispatch's: with one of its workers busy hashing,
        // Dispatch starts another for the parts being parsed, and that thread's malloc arena
        // kept about 50 MB more resident at 20,000 candidates.
        let thread = Thread {
            self.result = SHA256.hex(bytes)
            done.leave()
        }
        thread.start()
    }

    var value: String {
        if let done {
            done.wait()
            return result
        }
        return lock.withLock {
            if let b = bytes {
                result = SHA256.hex(b)
                bytes = nil
            }
            return result
        }
    }
}
