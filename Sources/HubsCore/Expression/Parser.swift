import Foundation

/// A Pratt parser. Precedence, loosest first: if/then/else; or; and; not; comparisons and `in`
/// (not chainable); + -; * /; unary -.
struct Parser {
    var tokens: [Token]
    var pos = 0
    var depth = 0
    let maxDepth: Int

    static let keywords: Set<String> = ["and", "or", "not", "in", "if", "then", "else", "true", "false"]

    static func parse(_ text: String, limits: InputLimits = .standard) throws(ExprError) -> Expr {
        if text.unicodeScalars.count > limits.maxExpressionLength {
            throw ExprError(
                message: "expression is longer than \(limits.maxExpressionLength) characters", offset: 0, length: 1,
                hint: "split it into several criteria")
        }
        if text.trimmingSpace().isEmpty {
            throw ExprError(message: "expression is empty", offset: 0, length: 1)
        }
        var p = Parser(tokens: try Lexer.tokens(text), maxDepth: limits.maxExpressionDepth)
        let e = try p.expression()
        let t = p.peek
        if t.kind != .end {
            throw ExprError(
                message: "unexpected \(Parser.describe(t)) after a complete expression", offset: t.offset,
                length: t.length, hint: "join the parts with an operator such as 'and'")
        }
        return e
    }

    var peek: Token { tokens[pos] }
    mutating func advance() -> Token {
        let t = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    static func describe(_ t: Token) -> String {
        switch t.kind {
        case let .number(v): "number \(v)"
        case let .string(s): "text \"\(s)\""
        case let .identifier(n): "'\(n)'"
        case let .op(o): "'\(o)'"
        case .end: "end of expression"
        }
    }

    func isKeyword(_ word: String) -> Bool { if case .identifier(word) = peek.kind { true } else { false } }
    func isOp(_ o: String) -> Bool { peek.kind == .op(o) }

    mutating func expect(op o: String, context: String) throws(ExprError) -> Token {
        guard isOp(o) else {
            throw ExprError(
                message: "expected '\(o)' \(context), found \(Parser.describe(peek))", offset: peek.offset,
                length: peek.length)
        }
        return advance()
    }

    /// Rejects trees taller than the limit, wherever they grow.
    func capped(_ e: Expr) throws(ExprError) -> Expr {
        if e.height > maxDepth {
            throw ExprError(
                message: "expression is nested deeper than \(maxDepth) levels", offset: e.offset, length: 1,
                hint: "split it into several criteria, or add fewer terms in one expression", code: .exprTooDeep)
        }
        return e
    }

    mutating func enter(_ t: Token) throws(ExprError) {
        depth += 1
        if depth > maxDepth {
            throw ExprError(
                message: "expression is nested deeper than \(maxDepth) levels", offset: t.offset, length: 1,
                hint: "simplify it or split it into several criteria", code: .exprTooDeep)
        }
    }

    mutating func expression() throws(ExprError) -> Expr {
        try enter(peek)
        defer { depth -= 1 }
        if isKeyword("if") {
            let start = advance()
            let c = try expression()
            guard isKeyword("then") else {
                throw ExprError(
                    message: "expected 'then' after the condition of 'if', found \(Parser.describe(peek))",
                    offset: peek.offset, length: peek.length)
            }
            _ = advance()
            let a = try expression()
            guard isKeyword("else") else {
                throw ExprError(
                    message: "expected 'else': every 'if' needs an 'else'", offset: peek.offset, length: peek.length,
                    hint: "add 'else VALUE' so every case has a value")
            }
            _ = advance()
            let b = try expression()
            return try capped(Expr(node: .conditional(c, a, b), offset: start.offset, length: b.offset + b.length - start.offset))
        }
        return try binary(0)
    }

    static func precedence(_ t: Token) -> (Int, BinaryOperator)? {
        switch t.kind {
        case .identifier("or"): (1, .or)
        case .identifier("and"): (2, .and)
        case .op("<"): (4, .less)
        case .op("<="): (4, .lessEqual)
        case .op(">"): (4, .greater)
        case .op(">="): (4, .greaterEqual)
        case .op("=="): (4, .equal)
        case .op("!="): (4, .notEqual)
        case .op("+"): (5, .add)
        case .op("-"): (5, .subtract)
        case .op("*"): (6, .multiply)
        case .op("/"): (6, .divide)
        default: nil
        }
    }

    mutating func binary(_ minPrec: Int) throws(ExprError) -> Expr {
        var lhs = try prefix(minPrec)
        while true {
            // `x in [...]` and `x not in [...]` bind like comparisons.
            if minPrec <= 4, isKeyword("in") || (isKeyword("not") && tokens[pos + 1].kind == .identifier("in")) {
                var negated = false
                if isKeyword("not") {
                    _ = advance()
                    negated = true
                }
                _ = advance()
                let open = try expect(op: "[", context: "after 'in'")
                var items: [Expr] = []
                if !isOp("]") {
                    repeat {
                        if isOp(",") { _ = advance() }
                        items.append(try binary(5))
                    } while isOp(",")
                }
                let close = try expect(op: "]", context: "to close the list opened at column \(open.offset + 1)")
                lhs = try capped(
                    Expr(
                        node: .membership(lhs, items, negated: negated), offset: lhs.offset,
                        length: close.offset + 1 - lhs.offset))
                if Parser.precedence(peek).map({ $0.0 == 4 }) ?? false || isKeyword("in") {
                    throw ExprError(
                        message: "comparisons cannot be chained", offset: peek.offset, length: peek.length,
                        hint: "join two comparisons with 'and'")
                }
                continue
            }
            guard let (prec, op) = Parser.precedence(peek), prec >= minPrec else { return lhs }
            let opToken = advance()
            try enter(opToken)
            defer { depth -= 1 }
            let rhs = try binary(prec + 1)
            lhs = try capped(Expr(node: .binary(op, lhs, rhs), offset: lhs.offset, length: rhs.offset + rhs.length - lhs.offset))
            if prec == 4, let (p2, _) = Parser.precedence(peek), p2 == 4 {
                throw ExprError(
                    message: "comparisons cannot be chained", offset: peek.offset, length: peek.length,
                    hint: "write 'a < b and b < c'")
            }
        }
    }

    mutating func prefix(_ minPrec: Int) throws(ExprError) -> Expr {
        let t = peek
        if isKeyword("not") {
            _ = advance()
            try enter(t)
            defer { depth -= 1 }
            let e = try binary(3)
            return try capped(Expr(node: .unary(.not, e), offset: t.offset, length: e.offset + e.length - t.offset))
        }
        if isOp("-") {
            _ = advance()
            try enter(t)
            defer { depth -= 1 }
            let e = try prefix(7)
            return try capped(Expr(node: .unary(.negate, e), offset: t.offset, length: e.offset + e.length - t.offset))
        }
        if isKeyword("if") {
            return try expression()
        }
        return try primary()
    }

    mutating func primary() throws(ExprError) -> Expr {
        let t = advance()
        switch t.kind {
        case let .number(v): return Expr(node: .number(v), offset: t.offset, length: t.length)
        case let .string(s): return Expr(node: .string(s), offset: t.offset, length: t.length)
        case .identifier("true"): return Expr(node: .bool(true), offset: t.offset, length: t.length)
        case .identifier("false"): return Expr(node: .bool(false), offset: t.offset, length: t.length)
        case let .identifier(name) where Parser.keywords.contains(name):
            throw ExprError(
                message: "'\(name)' cannot start a value here", offset: t.offset, length: t.length,
                hint: "a value is expected: a fact name, a number, \"text\", or '('")
        case let .identifier(name):
            if isOp("(") {
                _ = advance()
                var args: [Expr] = []
                if !isOp(")") {
                    repeat {
                        if isOp(",") { _ = advance() }
                        args.append(try expression())
                    } while isOp(",")
                }
                let close = try expect(op: ")", context: "to close the call to '\(name)'")
                return try capped(
                    Expr(node: .call(name, args, nameLength: t.length), offset: t.offset, length: close.offset + 1 - t.offset))
            }
            return Expr(node: .name(name), offset: t.offset, length: t.length)
        case .op("("):
            try enter(t)
            defer { depth -= 1 }
            let e = try expression()
            _ = try expect(op: ")", context: "to close the '(' at column \(t.offset + 1) of the expression")
            return e
        case .end:
            throw ExprError(
                message: "expression ends where a value is expected", offset: t.offset, length: 1,
                hint: "complete the expression")
        default:
            throw ExprError(message: "unexpected \(Parser.describe(t)) where a value is expected", offset: t.offset, length: t.length)
        }
    }
}
