import Foundation

/// Where a command's output goes: standard output, written as a stream, or a regular file,
/// written whole.
public enum OutputTarget: Sendable, Equatable {
    case standardOutput
    /// A regular file, there or not yet: the path that is renamed onto (a symbolic link in the
    /// project already followed to the file it names).
    case file(path: String)
}

/// Why a file cannot be written. Found before anything is written (all but `writeFailed`), so a
/// refused write changes nothing; `Render` words each case.
public enum OutputProblem: Error, Sendable, Equatable {
    /// The option's value is empty.
    case empty
    /// The target is a folder.
    case folder(String)
    /// The target is a device, a FIFO or a socket (`kind` says which).
    case special(String, kind: String)
    /// The target is a symbolic link to a file outside the project, or to nothing.
    case linkLeavesProject(String, target: String, project: String)
    /// The target's folder, symbolic links followed, lies outside the folder the command must
    /// stay within (`hubs init DIR`).
    case outsideFolder(String, folder: String)
    /// The target is (the same file as) one of the command's own inputs.
    case input(String, input: String)
    /// The target's folder does not exist.
    case missingFolder(String, folder: String)
    /// A component of the target's folder is a file.
    case notAFolder(String, folder: String)
    /// The target's folder cannot be written.
    case unwritableFolder(String, folder: String)
    /// Writing, syncing or renaming failed (the reason from the system); nothing was left behind.
    case writeFailed(String, reason: String)
}

/// The one way hubs writes a file. `target` checks a path before any work is written: never a
/// folder, a device, a FIFO or a socket, never through a symbolic link that leaves the project,
/// never over one of the command's own inputs, never into a missing or read-only folder. `write`
/// then writes to a temporary file in the target's folder (a hidden name ending in `.partial`,
/// which no hubs command reads), syncs it and renames it over the target, so a reader sees the
/// old file or the new one, never a part. The caller learns the temporary file's path before it
/// is created, so a signal handler can remove it (see the CLI's `Console`).
public enum SafeWriter {
    /// The names that mean standard output.
    public static let standardOutputNames: Set<String> = ["-", "/dev/stdout"]

    /// Checks `path` as a place to write. `inputs` are every file the command reads; `project`
    /// is the folder a symbolic link may lead into (nil: the project of the target's folder, see
    /// `ProjectBoundary`); with `confined`, the target's folder itself (links followed) must lie
    /// in `project` too.
    public static func target(
        _ path: String, inputs: [String], project: String? = nil, confined: Bool = false
    ) -> Result<OutputTarget, OutputProblem> {
        if path.isEmpty { return .failure(.empty) }
        if standardOutputNames.contains(path) { return .success(.standardOutput) }
        let folder = Self.folder(of: path)
        let root = canonical(project ?? ProjectBoundary.projectRoot(of: folder + "/file"))
        var resolved = path
        var info = stat()
        if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
            guard let real = realPath(path) else {
                return .failure(.linkLeavesProject(path, target: linkText(path), project: root))
            }
            guard inside(real, root) else { return .failure(.linkLeavesProject(path, target: real, project: root)) }
            resolved = real
        }
        if let problem = folderProblem(path, folder: Self.folder(of: resolved)) { return .failure(problem) }
        if confined, let real = realPath(Self.folder(of: resolved)), !inside(real, root) {
            return .failure(.outsideFolder(path, folder: root))
        }
        guard stat(resolved, &info) == 0 else { return .success(.file(path: resolved)) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(.folder(path))
        case S_IFIFO: return .failure(.special(path, kind: "FIFO"))
        case S_IFSOCK: return .failure(.special(path, kind: "socket"))
        default: return .failure(.special(path, kind: "device"))
        }
        for input in inputs {
            var other = stat()
            if stat(input, &other) == 0, other.st_dev == info.st_dev, other.st_ino == info.st_ino {
                return .failure(.input(path, input: input))
            }
        }
        return .success(.file(path: resolved))
    }

    /// Writes `bytes` to the regular file at `path` (as `target` returned it): a temporary file in
    /// the same folder, synced, renamed over `path`, the folder synced. `temporary` is called with
    /// the temporary file's path before it is created and with nil once it is gone or renamed.
    /// On failure the temporary file is removed and the target is as it was.
    public static func write(
        _ bytes: UnsafeRawBufferPointer, to path: String, temporary: (String?) -> Void = { _ in }
    ) -> Result<Void, OutputProblem> {
        let folder = Self.folder(of: path)
        var random = SystemRandomNumberGenerator()
        let name = Self.name(of: path)
        let temp = folder + "/." + String(name.prefix(64)) + ".\(getpid())-\(String(random.next() as UInt32, radix: 16)).partial"
        // The target's permissions are kept; a new file gets the usual 0666 less the umask.
        var info = stat()
        let mode = stat(path, &info) == 0 ? mode_t(info.st_mode & 0o7777) : 0o666
        temporary(temp)
        defer { temporary(nil) }
        func fail(_ what: String) -> Result<Void, OutputProblem> {
            let reason = what + ": " + String(cString: strerror(errno))
            unlink(temp)
            return .failure(.writeFailed(path, reason: reason))
        }
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { return fail("cannot create a file in \(folder)") }
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let n = Foundation.write(fd, base + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                if n == 0 { errno = EIO }
                close(fd)
                return fail("cannot write")
            }
            offset += n
        }
        if fsync(fd) != 0 && errno != EINVAL {
            close(fd)
            return fail("cannot sync")
        }
        guard close(fd) == 0 else { return fail("cannot write") }
        guard rename(temp, path) == 0 else { return fail("cannot rename the written file into place") }
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
        return .success(())
    }

    /// As `write(_:to:temporary:)`, for an array.
    public static func write(_ bytes: [UInt8], to path: String, temporary: (String?) -> Void = { _ in }) -> Result<Void, OutputProblem> {
        bytes.withUnsafeBytes { write($0, to: path, temporary: temporary) }
    }

    /// Whether `folder` can be made (or is there) to hold files: the nearest part of it that
    /// exists must be a writable folder, and, with `project`, lie inside it (symbolic links
    /// followed). `path` is what the problem names. Nil when it can.
    public static func folderProblem(making folder: String, for path: String, within project: String?) -> OutputProblem? {
        var existing = folder
        var info = stat()
        while lstat(existing, &info) != 0 {
            let up = Self.folder(of: existing)
            if up == existing || existing == "." { break }
            existing = up
        }
        if let problem = folderProblem(path, folder: existing) { return problem }
        if let project, let real = realPath(existing), !inside(real, canonical(project)) {
            return .outsideFolder(path, folder: canonical(project))
        }
        return nil
    }

    /// Whether `name` is a temporary file of `write` (for listings that must skip one left by a
    /// process killed with SIGKILL, which no handler can catch).
    public static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(".") && name.hasSuffix(".partial")
    }

    /// The folder of `path`: "." for a bare name, "/" for a name at the top. (Not Foundation's
    /// `deletingLastPathComponent`, which traps on "." and "..".)
    public static func folder(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "." }
        let f = p[..<slash]
        return f.isEmpty ? "/" : String(f)
    }

    /// The last part of `path` ("" for "/").
    public static func name(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        return String(p.split(separator: "/").last ?? "")
    }

    /// Why the folder cannot take the file, or nil.
    static func folderProblem(_ path: String, folder: String) -> OutputProblem? {
        var info = stat()
        guard stat(folder, &info) == 0 else {
            return errno == ENOTDIR ? .notAFolder(path, folder: folder) : .missingFolder(path, folder: folder)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { return .notAFolder(path, folder: folder) }
        guard access(folder, W_OK | X_OK) == 0 else { return .unwritableFolder(path, folder: folder) }
        return nil
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    static func canonical(_ path: String) -> String {
        realPath(path) ?? URL(fileURLWithPath: path).standardizedFileURL.path
    }

    static func linkText(_ path: String) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
    }

    static func inside(_ path: String, _ root: String) -> Bool {
        path == root || root == "/" || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }
}
