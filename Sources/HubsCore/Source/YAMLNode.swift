/// A YAML node with its location, converted from Yams' tree under `InputLimits`.
/// Every later stage works on this, so every value it reads can say where it came from.
public enum YAML: Sendable {
    case scalar(YAMLScalar)
    case mapping([YAMLPair], SourceLocation)
    case sequence([YAML], SourceLocation)

    public var location: SourceLocation {
        switch self {
        case let .scalar(s): s.location
        case let .mapping(_, l), let .sequence(_, l): l
        }
    }

    /// The analyst's word for what this node is, for "expected a mapping, found a list".
    public var kindName: String {
        switch self {
        case let .scalar(s): s.isNull ? "nothing (null)" : "a single value"
        case .mapping: "a mapping (key: value)"
        case .sequence: "a list"
        }
    }
}

/// A key and its value in a mapping.
public struct YAMLPair: Sendable {
    public var key: YAMLScalar
    public var value: YAML
}

/// A scalar as written: its text, style and location.
public struct YAMLScalar: Sendable {
    /// How the scalar was written (a quoted or tagged scalar is never read as a number).
    /// `tagged` is a plain scalar with an explicit tag such as `!!str 44`: text, like a quoted one.
    public enum Style: Sendable { case plain, singleQuoted, doubleQuoted, literal, folded, tagged }
    public var text: String
    public var style: Style
    public var location: SourceLocation

    /// Plain `~`, `null`, `Null`, `NULL` or nothing at all.
    public var isNull: Bool {
        guard style == .plain, text.utf8.count <= 4 else { return false }
        switch text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }
    public var isQuoted: Bool { style == .singleQuoted || style == .doubleQuoted }

    /// Where character `offset` of the scalar's text stands in the file, for scalars on one line.
    /// Block scalars (`|`, `>`) start on the line after their indicator.
    public func location(ofOffset offset: Int, in file: SourceFile?) -> SourceLocation {
        switch style {
        case .plain, .tagged:
            return location.advanced(by: offset)
        case .singleQuoted, .doubleQuoted:
            return location.advanced(by: offset + 1)
        case .literal, .folded:
            // Find the line holding that offset and the block's indentation.
            let before = text.unicodeScalars.prefix(offset)
            let lineInBlock = before.filter { $0 == "\n" }.count
            let col = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0)
            let line = location.line + 1 + lineInBlock
            var indent = 0
            if let f = file, let src = f.line(line) {
                indent = src.unicodeScalars.prefix { $0 == " " }.count
            }
            return location.moved(line: line, column: indent + col + 1)
        }
    }
}
