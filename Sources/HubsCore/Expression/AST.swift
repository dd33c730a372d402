/// A prefix operator: `-` or `not`.
public enum UnaryOperator: String, Sendable {
    case negate = "-"
    case not
}
/// An infix operator.
public enum BinaryOperator: String, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case equal = "=="
    case notEqual = "!="
    case and, or
}

/// The expression tree. Each node keeps the offset and length of its text.
public indirect enum ExprNode: Sendable {
    case number(Double)
    case bool(Bool)
    case string(String)
    case name(String)
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case membership(Expr, [Expr], negated: Bool)
    case conditional(Expr, Expr, Expr)
    case call(String, [Expr], nameLength: Int)
}

/// An expression node with the offset and length of its text.
public struct Expr: Sendable {
    /// Every name the expression mentions (facts, or words meant as facts), in order of appearance.
    public var names: [String] {
        switch node {
        case .number, .bool, .string: []
        case let .name(n): [n]
        case let .unary(_, e): e.names
        case let .binary(_, a, b): a.names + b.names
        case let .membership(e, items, _): e.names + items.flatMap(\.names)
        case let .conditional(c, a, b): c.names + a.names + b.names
        case let .call(_, args, _): args.flatMap(\.names)
        }
    }

    public var node: ExprNode
    public var offset: Int
    public var length: Int
    /// Levels from this node to its deepest leaf (1 for a leaf). Every later stage walks the tree
    /// recursively, so the parser caps it: `a + b + c + …` grows it as much as parentheses do.
    public var height: Int = 1

    init(node: ExprNode, offset: Int, length: Int) {
        self.node = node
        self.offset = offset
        self.length = length
        let below: Int =
            switch node {
            case .number, .bool, .string, .name: 0
            case let .unary(_, e): e.height
            case let .binary(_, a, b): Swift.max(a.height, b.height)
            case let .membership(e, items, _): Swift.max(e.height, items.map(\.height).max() ?? 0)
            case let .conditional(c, a, b): Swift.max(c.height, a.height, b.height)
            case let .call(_, args, _): args.map(\.height).max() ?? 0
            }
        self.height = 1 + below
    }
}
