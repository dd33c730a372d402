import Foundation

/// The base protocol's framing: `Content-Length: N` headers, a blank line, N bytes of JSON. Reads
/// from a byte stream, refusing what it must without ever waiting for bytes that will not come:
/// a header section over 8 KiB, a header line without a colon, a missing or malformed length, and
/// a body over `maxBody` (which is skipped, read and dropped, so the stream stays in step).
public struct LSPFraming: Sendable {
    /// What the reader found.
    public enum Item: Equatable, Sendable {
        /// One message body (not yet parsed).
        case message([UInt8])
        /// A framing error the server answers or logs; the stream goes on after it.
        case problem(String)
    }

    /// Largest body read; a larger one is skipped and reported.
    public var maxBody: Int
    /// Largest header section.
    public static let maxHeader = 8192

    /// A reader that refuses bodies over `maxBody` bytes.
    public init(maxBody: Int = 16 * 1_048_576) { self.maxBody = maxBody }

    /// Reads the next item from `read` (which returns up to `count` bytes, or none at the end);
    /// nil at the end of the stream.
    public func next(from reader: inout BufferedReader) -> Item? {
        var header: [UInt8] = []
        // The header section ends with an empty line (CRLF CRLF).
        while !(header.count >= 4 && header.suffix(4) == [13, 10, 13, 10]) {
            guard let b = reader.byte() else { return header.isEmpty ? nil : .problem("the stream ended inside a header") }
            header.append(b)
            if header.count > Self.maxHeader {
                // Skip to the end of this header section, whatever it holds.
                while let b = reader.byte() {
                    header.append(b)
                    if header.suffix(4) == [13, 10, 13, 10] { break }
                    if header.count > 1 << 20 { header.removeFirst(header.count - 4) }
                }
                return .problem("a header section over \(Self.maxHeader) bytes")
            }
        }
        var length: Int?
        for line in String(decoding: header.dropLast(4), as: UTF8.self).split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { return .problem("a header line without a colon") }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "content-length" {
                guard let n = Int(value), n >= 0 else { return .problem("a Content-Length that is not a count: '\(value.prefix(40))'") }
                length = n
            }
        }
        guard let length else { return .problem("a message without Content-Length") }
        if length > maxBody {
            reader.skip(length)
            return .problem("a message of \(length) bytes, over the limit of \(maxBody); skipped")
        }
        guard let body = reader.bytes(length) else { return .problem("the stream ended inside a message") }
        return .message(body)
    }

    /// One message framed for writing.
    public static func frame(_ body: [UInt8]) -> [UInt8] {
        Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }
}

/// Reads a file descriptor (or any byte source) through a buffer.
public struct BufferedReader {
    let fill: (inout [UInt8]) -> Int
    var buffer: [UInt8] = []
    var at = 0

    /// A reader over `fill`, which appends up to some bytes and returns how many (0 at the end).
    public init(fill: @escaping (inout [UInt8]) -> Int) { self.fill = fill }

    /// A reader of a file descriptor.
    public static func descriptor(_ fd: Int32) -> BufferedReader {
        BufferedReader { out in
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fd, &chunk, chunk.count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return 0 }
                out += chunk[0..<n]
                return n
            }
        }
    }

    /// A reader of bytes held in memory.
    public static func bytes(_ data: [UInt8]) -> BufferedReader {
        var given = false
        return BufferedReader { out in
            if given { return 0 }
            given = true
            out += data
            return data.count
        }
    }

    mutating func refill() -> Bool {
        if at > 0 {
            buffer.removeFirst(at)
            at = 0
        }
        return fill(&buffer) > 0
    }

    mutating func byte() -> UInt8? {
        if at >= buffer.count, !refill() { return nil }
        defer { at += 1 }
        return buffer[at]
    }

    mutating func bytes(_ n: Int) -> [UInt8]? {
        while buffer.count - at < n {
            if !refill() {
                at = buffer.count  // the stream ended: what is left is not a message
                return nil
            }
        }
        defer { at += n }
        return Array(buffer[at..<(at + n)])
    }

    mutating func skip(_ n: Int) {
        var left = n
        while left > 0 {
            if at >= buffer.count, !refill() { return }
            let take = min(left, buffer.count - at)
            at += take
            left -= take
        }
    }
}
