/// A position in an input file: 1-based line and column (columns count Unicode scalars, as libyaml does).
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    /// A 1-based line and column in `file`.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A location that names a whole file (line 0): for errors about the file itself.
    public static func wholeFile(_ path: String) -> SourceLocation { SourceLocation(file: path, line: 0, column: 0) }

    /// `file:line:column`, or just `file` for a whole file.
    public var description: String { line == 0 ? file : "\(file):\(line):\(column)" }

    /// Orders by file, then line, then column.
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }

    /// The location `offset` scalars further along the same line.
    public func advanced(by offset: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column + offset)
    }
}
