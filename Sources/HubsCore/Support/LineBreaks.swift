import Foundation

/// YAML's line breaks, in UTF-8: LF, CR, NEL (C2 85), LS (E2 80 A8) and PS (E2 80 A9).
enum LineBreaks {
    /// Whether `bytes` hold a line break other than `\n` (CR, NEL, LS or PS), found with `memchr`
    /// (with none, a scan for `\n` alone finds every line: `YAMLParts.plan`).
    static func other(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let n = bytes.count
        if memchr(base, 0x0D, n) != nil { return true }
        // NEL is C2 85; LS and PS are E2 80 A8 and E2 80 A9.
        for lead in [UInt8(0xC2), 0xE2] {
            var from = 0
            while from < n, let hit = memchr(base + from, Int32(lead), n - from) {
                let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                let isBreak =
                    lead == 0xC2
                    ? at + 1 < n && bytes[at + 1] == 0x85
                    : at + 2 < n && bytes[at + 1] == 0x80 && (bytes[at + 2] == 0xA8 || bytes[at + 2] == 0xA9)
                if isBreak { return true }
                from = at + 1
            }
        }
        return false
    }

    /// Whether `bytes` hold a line break of any kind.
    static func any(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        return memchr(base, 0x0A, bytes.count) != nil || other(in: bytes)
    }
}
