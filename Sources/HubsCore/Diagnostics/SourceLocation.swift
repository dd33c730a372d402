import Foundation

/// A position in an input file: 1-based line and column (columns count Unicode scalars, as libyaml does).
///
/// The file is held as a small number that names its path (see `FilePaths`), so a location is
/// plain data: a scenario of 20,000 candidates carries millions of them, and copying one must
/// not touch a reference count. Line and column are kept in 32 bits each (12 bytes in all, half
/// of three `Int`s); input limits keep files far below 4 billion lines.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The path's number in `FilePaths`: equal paths, equal numbers.
    var fileID: UInt32
    private var storedLine: UInt32
    private var storedColumn: UInt32

    /// 1-based line (0 for a whole file).
    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = UInt32(clamping: newValue) }
    }
    /// 1-based column, in Unicode scalars (0 for a whole file).
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = UInt32(clamping: newValue) }
    }

    /// A 1-based line and column in `file`.
    public init(file: String, line: Int, column: Int) {
        self.init(fileID: FilePaths.shared.id(file), line: line, column: column)
    }

    /// A location in a file whose path already has its number (readers make millions).
    init(fileID: UInt32, line: Int, column: Int) {
        self.fileID = fileID
        storedLine = UInt32(clamping: line)
        storedColumn = UInt32(clamping: column)
    }

    /// The path of the file, as it was given.
    public var file: String {
        get { FilePaths.shared.path(fileID) }
        set { fileID = FilePaths.shared.id(newValue) }
    }

    /// A location that names a whole file (line 0): for errors about the file itself.
    public static func wholeFile(_ path: String) -> SourceLocation { SourceLocation(file: path, line: 0, column: 0) }

    /// `file:line:column`, or just `file` for a whole file.
    public var description: String { line == 0 ? file : "\(file):\(line):\(column)" }

    /// Orders by file (its path), then line, then column.
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        if a.fileID != b.fileID { return a.file < b.file }
        return (a.line, a.column) < (b.line, b.column)
    }

    /// The location `offset` scalars further along the same line.
    public func advanced(by offset: Int) -> SourceLocation {
        SourceLocation(fileID: fileID, line: line, column: column + offset)
    }

    /// Another place in the same file (its path is not looked up again).
    public func moved(line: Int, column: Int) -> SourceLocation {
        SourceLocation(fileID: fileID, line: line, column: column)
    }
}

/// Every file path a location has named in this process, each with its number. Paths are only
/// ever added (a process reads a handful of files), under a lock, so numbers never change.
final class FilePaths: @unchecked Sendable {
    static let shared = FilePaths()
    private let lock = NSLock()
    private var ids: [String: UInt32] = [:]
    private var paths: [String] = []

    /// The number of `path`, given one the first time it is seen.
    func id(_ path: String) -> UInt32 {
        lock.lock()
        defer { lock.unlock() }
        if let id = ids[path] { return id }
        let id = UInt32(paths.count)
        paths.append(path)
        ids[path] = id
        return id
    }

    /// The path numbered `id`.
    func path(_ id: UInt32) -> String {
        lock.lock()
        defer { lock.unlock() }
        return paths[Int(id)]
    }
}
