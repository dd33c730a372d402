import Foundation

extension Substring {
    /// The text without white space at either end: what Foundation's
    /// `trimmingCharacters(in: .whitespaces)` (with `newlines`, `.whitespacesAndNewlines`)
    /// gives. Ends in ASCII are trimmed byte by byte; Foundation decides only when a character
    /// at an end is not ASCII (it may be a no-break or ideographic space), which keeps its
    /// character sets, and their cost, off the common path.
    func trimmingSpace(newlines: Bool = false) -> String {
        let u = utf8
        func space(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || (newlines && b >= 0x0A && b <= 0x0D) }
        var start = u.startIndex
        var end = u.endIndex
        while start < end, space(u[start]) { start = u.index(after: start) }
        while start < end, space(u[u.index(before: end)]) { end = u.index(before: end) }
        if start < end, u[start] >= 0x80 || u[u.index(before: end)] >= 0x80 {
            return trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
        }
        return String(self[start..<end])
    }
}

extension String {
    /// The text without white space at either end (see `Substring.trimmingSpace`).
    func trimmingSpace(newlines: Bool = false) -> String { self[...].trimmingSpace(newlines: newlines) }
}
