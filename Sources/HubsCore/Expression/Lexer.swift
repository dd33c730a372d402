import Foundation

enum TokenKind: Equatable {
    case number(Double)
    case string(String)
    case identifier(String)
    case op(String)  // + - * / < <= > >= == != ( ) [ ] ,
    case end
}

struct Token {
    var kind: TokenKind
    var offset: Int
    var length: Int
}

struct ExprError: Error {
    var message: String
    var offset: Int
    var length: Int
    var hint: String?
    var code: DiagnosticCode = .exprSyntax
    /// The name a did-you-mean proposes (for an editor's quick fix).
    var replacement: String? = nil
}

enum Lexer {
    /// The text of scalars known to be ASCII (names and numbers), made from bytes (building a
    /// scalar view took about 20,000 instructions a token); a number drops its `_` separators.
    static func asciiText(_ scalars: ArraySlice<Unicode.Scalar>, number: Bool = false) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        for c in scalars where !number || c != "_" { bytes.append(UInt8(truncatingIfNeeded: c.value)) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func tokens(_ text: String) throws(ExprError) -> [Token] {
        let s = Array(text.unicodeScalars)
        var out: [Token] = []
        var i = 0
        func isIdentStart(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" }
        func isIdent(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || ("0"..."9").contains(c) }
        func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
        while i < s.count {
            let c = s[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                i += 1
                continue
            }
            let start = i
            if isDigit(c) || (c == "." && i + 1 < s.count && isDigit(s[i + 1])) {
                while i < s.count, isDigit(s[i]) || s[i] == "." || s[i] == "_" { i += 1 }
                if i < s.count, s[i] == "e" || s[i] == "E" {
                    var j = i + 1
                    if j < s.count, s[j] == "+" || s[j] == "-" { j += 1 }
                    if j < s.count, isDigit(s[j]) {
                        i = j
                        while i < s.count, isDigit(s[i]) { i += 1 }
                    }
                }
                let lit = asciiText(s[start..<i], number: true)
                guard let v = Double(lit), v.isFinite else {
                    throw ExprError(message: "'\(lit)' is not a number", offset: start, length: i - start)
                }
                if i < s.count, isIdentStart(s[i]) {
                    throw ExprError(
                        message: "a number runs into a name here", offset: start, length: i - start + 1,
                        hint: "put an operator or a space between them")
                }
                out.append(Token(kind: .number(v), offset: start, length: i - start))
            } else if isIdentStart(c) {
                while i < s.count, isIdent(s[i]) { i += 1 }
                out.append(Token(kind: .identifier(asciiText(s[start..<i])), offset: start, length: i - start))
            } else if c == "\"" || c == "'" {
                i += 1
                var value = String.UnicodeScalarView()
                while i < s.count, s[i] != c {
                    if s[i] == "\\", i + 1 < s.count { i += 1 }
                    value.append(s[i])
                    i += 1
                }
                guard i < s.count else {
                    throw ExprError(
                        message: "text starting here has no closing \(c)", offset: start, length: 1,
                        hint: "close it with \(c)")
                }
                i += 1
                out.append(Token(kind: .string(String(value)), offset: start, length: i - start))
            } else {
                let two = i + 1 < s.count ? String(String.UnicodeScalarView([c, s[i + 1]])) : ""
                if ["<=", ">=", "==", "!="].contains(two) {
                    out.append(Token(kind: .op(two), offset: start, length: 2))
                    i += 2
                } else if "+-*/<>()[],".unicodeScalars.contains(c) {
                    out.append(Token(kind: .op(String(c)), offset: start, length: 1))
                    i += 1
                } else if c == "=" {
                    throw ExprError(message: "'=' is not an operator", offset: start, length: 1, hint: "compare with '=='")
                } else if c == "&" || c == "|" || c == "!" {
                    let word = c == "&" ? "and" : c == "|" ? "or" : "not"
                    throw ExprError(message: "'\(c)' is not an operator", offset: start, length: 1, hint: "write '\(word)'")
                } else {
                    throw ExprError(
                        message: "unexpected character '\(c)'", offset: start, length: 1,
                        hint: "expressions use names, numbers, \"text\", + - * / < <= > >= == != and, or, not, in, if/then/else")
                }
            }
        }
        out.append(Token(kind: .end, offset: s.count, length: 1))
        return out
    }
}
