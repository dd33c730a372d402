/// Renders diagnostics as `file:line:column: severity: message`, then the source line the
/// diagnostic quotes (`Diagnostic.quote`) with a caret under the offending text, then the hint.
/// Colour (ANSI) only when asked for. It reads no file: a diagnostic without a quote is shown
/// without its line.
public struct DiagnosticRenderer: Sendable {
    public var color: Bool

    /// A renderer that colours its output with ANSI codes when `color` is true (a terminal).
    public init(color: Bool) { self.color = color }

    /// Messages longer than this (a 100,000-character name quoted whole, say) are cut, with the
    /// number of characters left out.
    static let maxMessageLength = 1_000

    /// Source lines longer than this are cut around the caret.
    static let maxLineWidth = 120

    /// One diagnostic as `file:line:column: severity: message [code]`, then the source line, a caret under the problem and the hint.
    public func render(_ d: Diagnostic) -> String {
        var out = ""
        let sev: String
        switch d.severity {
        case .error: sev = paint("error", "1;31")
        case .warning: sev = paint("warning", "1;33")
        case .note: sev = paint("note", "1;36")
        }
        if let l = d.location { out += paint(Escaping.terminal("\(l):"), "1") + " " }
        // A message quotes names from the inputs: escaped, and cut when one is very long.
        out += "\(sev): \(Escaping.echo(d.message, limit: Self.maxMessageLength)) [\(d.code.rawValue)]\n"
        if let l = d.location, let line = d.quote, !line.isEmpty {
            let (shown, caretCol) = Self.clip(line, column: l.column)
            let num = String(l.line)
            let pad = String(repeating: " ", count: num.count)
            out += " \(num) | \(Escaping.terminal(shown))\n"
            let caretLen = max(1, min(d.length, shown.count - caretCol + 1))
            out +=
                " \(pad) | " + String(repeating: " ", count: max(0, caretCol - 1))
                + paint("^" + String(repeating: "~", count: max(0, caretLen - 1)), "1;32") + "\n"
        }
        if let h = d.hint { out += "   " + paint("hint:", "1;36") + " \(Escaping.echo(h, limit: Self.maxMessageLength))\n" }
        return out
    }

    /// Cuts a long line to a window around `column`; tabs become spaces so the caret lines up.
    static func clip(_ line: String, column: Int) -> (String, Int) {
        let scalars = Array(line.unicodeScalars).map { $0 == "\t" ? " " : $0 }
        if scalars.count <= maxLineWidth { return (String(String.UnicodeScalarView(scalars)), column) }
        let start = max(0, min(column - 1 - maxLineWidth / 2, scalars.count - maxLineWidth))
        let end = min(scalars.count, start + maxLineWidth)
        var s = String(String.UnicodeScalarView(scalars[start..<end]))
        var col = column - start
        if start > 0 {
            s = "..." + s
            col += 3
        }
        if end < scalars.count { s += "..." }
        return (s, col)
    }

    func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
}
