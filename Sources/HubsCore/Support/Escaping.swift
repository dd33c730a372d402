/// The escaping of text from input files for each place it is written, so a name, note or reason
/// written by someone else cannot be turned against the reader of hubs's output. One function per
/// sink; renderers call them, and JSON escapes by its own rules.
public enum Escaping {
    /// For a terminal: C0 and C1 control characters, DEL and bidirectional formatting characters
    /// (see `isControl`) are shown as visible escapes (`\e`
    /// for ESC, `\n`, `\r`, `\t`, else `\xNN` or `\u{NN}`), so no escape sequence, bell or title
    /// change reaches the terminal. With `keepNewlines`, line breaks and tabs stay (for whole
    /// documents, whose structure is the renderer's own).
    public static func terminal(_ s: String, keepNewlines: Bool = false) -> String {
        // Printable ASCII (and kept line breaks), the common case, is checked byte by byte.
        let clean = s.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { b in (b >= 0x20 && b < 0x7F) || (keepNewlines && (b == 0x0A || b == 0x09 || b == 0x0D)) }
        }
        if clean == true { return s }
        guard s.unicodeScalars.contains(where: { isControl($0) && !(keepNewlines && ($0 == "\n" || $0 == "\t" || $0 == "\r")) })
        else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if !isControl(u) || (keepNewlines && (u == "\n" || u == "\t" || u == "\r")) {
                out.append(u)
                continue
            }
            let visible: String
            switch u.value {
            case 0x1B: visible = "\\e"
            case 0x0A: visible = "\\n"
            case 0x0D: visible = "\\r"
            case 0x09: visible = "\\t"
            case 0x00...0x7F: visible = "\\x" + hex(u.value, 2)
            default: visible = "\\u{" + hex(u.value, 2) + "}"
            }
            out.append(contentsOf: visible.unicodeScalars)
        }
        return String(out)
    }

    /// For HTML text and attribute values (and SVG): control characters made visible as for the
    /// terminal, then `& < > " '` escaped. The report's templates and charts escape only with this.
    public static func html(_ s: String) -> String {
        // Printable ASCII with none of the five: nothing to escape (most attribute values).
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x26 && $0 != 0x3C && $0 != 0x3E && $0 != 0x22 && $0 != 0x27 }) {
            return s
        }
        var out = ""
        for ch in terminal(s) {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// The most characters of a value from outside (a path, an option's value, an id) that a
    /// message echoes; the rest is cut and counted.
    public static let echoLimit = 200

    /// A value from outside as a message quotes it: escaped for a terminal and cut after
    /// `echoLimit` characters, with the number cut ("…(1234 more characters)").
    public static func echo(_ s: String, limit: Int = echoLimit) -> String {
        let shown = terminal(s)
        guard shown.count > limit else { return shown }
        let rest = shown.count - limit
        return String(shown.prefix(limit)) + "…(\(rest) more characters)"
    }

    /// C0 and C1 controls, DEL, and the bidirectional formatting characters (embeddings and
    /// overrides U+202A-U+202E, isolates U+2066-U+2069, the marks U+200E, U+200F and U+061C): a
    /// name holding an unclosed right-to-left override would reverse the text after it in every
    /// sink, so each is shown as a visible escape (`\u{202E}`) instead.
    static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || (0x202A...0x202E).contains(u.value)
            || (0x2066...0x2069).contains(u.value) || u.value == 0x200E || u.value == 0x200F || u.value == 0x061C
    }

    static func hex(_ v: UInt32, _ width: Int) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// For a CSV cell opened in a spreadsheet: a text cell starting with `=`, `+`, `-`, `@`, a tab
    /// or a carriage return is prefixed with `'` (OWASP's advice against formula injection); a
    /// number is left as it is. Control characters are shown as with `terminal`. Then quoted as
    /// RFC 4180 asks when it holds a comma, a quote or a line break.
    public static func csv(_ s: String, protectFormulas: Bool = true) -> String {
        var cell = terminal(s, keepNewlines: true)
        if protectFormulas, let first = cell.first, "=+-@\t\r".contains(first), Double(cell) == nil {
            cell = "'" + cell
        }
        return cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }

    /// For Markdown text (a table cell or a list item): HTML is neutralised (`<` becomes `&lt;`),
    /// the characters that make emphasis, code, links and tables are backslash-escaped, so no
    /// link (of any scheme), image or raw HTML is formed from data, and a line break becomes a space.
    public static func markdown(_ s: String) -> String {
        var out = ""
        for ch in terminal(s, keepNewlines: true) {
            switch ch {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "|", "~": out += "\\" + String(ch)
            case "\n", "\r", "\r\n": out += " "
            default: out.append(ch)
            }
        }
        return out
    }
}
