#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The growing bytes of a document being written: appending is a capacity check and a copy
/// (an array's `append(contentsOf:)` goes through a generic copy and a uniqueness check each
/// time, about a quarter of the cost of writing the score JSON). A buffer has one owner at a
/// time: the writer that made it, or the code it hands it to.
///
/// Its fields are not checked for exclusive access at run time (the checks cost more than the
/// writing): a buffer is only ever used by one thread, and none of its methods calls out while
/// it changes them.
public final class ByteBuffer: @unchecked Sendable {
    @exclusivity(unchecked) private var base: UnsafeMutablePointer<UInt8>
    /// Bytes written so far.
    @exclusivity(unchecked) public private(set) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    /// An empty buffer with room for `capacity` bytes before it first grows.
    public init(capacity: Int = 1 << 12) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for `n` more bytes, which `write` may then fill without a check.
    @inline(__always) func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    /// Where the next byte goes, for writing in room made by `reserve`; `advance` then counts
    /// what was written there. (Callers write through a local copy of this pointer: a byte
    /// written through the buffer's own fields could, for all the compiler knows, change them,
    /// so each would be read again.)
    @inline(__always) var end: UnsafeMutablePointer<UInt8> { base + count }

    /// Counts `n` bytes written at `end`.
    @inline(__always) func advance(_ n: Int) {
        assert(count + n <= capacity)
        count += n
    }

    /// Slack that `reserve` callers add for `spaces`, which writes whole words.
    static let slack = 8

    /// `n` spaces at `p`, written eight at a time: up to 7 more bytes past them are written too,
    /// so the room made must be `n + slack`.
    @inline(__always) static func spaces(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) {
        let raw = UnsafeMutableRawPointer(p)
        var i = 0
        while i < n {
            raw.storeBytes(of: 0x2020_2020_2020_2020 as UInt64, toByteOffset: i, as: UInt64.self)
            i &+= 8
        }
    }

    /// `n` bytes from `from` to `p`: eight at a time, the last eight (or, below eight, four and
    /// two) overlapping what was copied before them, so a short text takes two copies, not a
    /// loop over its bytes; never reading past the source's end.
    @inline(__always) static func copy(_ p: UnsafeMutablePointer<UInt8>, _ from: UnsafePointer<UInt8>, _ n: Int) {
        let dst = UnsafeMutableRawPointer(p)
        let src = UnsafeRawPointer(from)
        func move<T>(_: T.Type, at i: Int) {
            dst.storeBytes(of: src.loadUnaligned(fromByteOffset: i, as: T.self), toByteOffset: i, as: T.self)
        }
        if n >= 8 {
            var i = 0
            while i + 8 <= n {
                move(UInt64.self, at: i)
                i += 8
            }
            if i < n { move(UInt64.self, at: n - 8) }
        } else if n >= 4 {
            move(UInt32.self, at: 0)
            move(UInt32.self, at: n - 4)
        } else if n >= 2 {
            move(UInt16.self, at: 0)
            move(UInt16.self, at: n - 2)
        } else if n == 1 {
            p[0] = from[0]
        }
    }

    private func grow(_ needed: Int) {
        var c = capacity
        while c < needed { c *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = c
    }

    /// One byte.
    @inline(__always) public func append(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    /// Bytes from anywhere.
    @inline(__always) public func append(_ bytes: UnsafeRawBufferPointer) {
        guard let from = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        memcpy(base + count, from, bytes.count)
        count += bytes.count
    }

    /// The bytes of an array.
    public func append(_ bytes: [UInt8]) { bytes.withUnsafeBytes { append($0) } }

    /// The bytes of a static text.
    @inline(__always) public func append(_ text: StaticString) {
        text.withUTF8Buffer { append(UnsafeRawBufferPointer($0)) }
    }

    /// A line break and `indent` spaces.
    @inline(__always) public func appendNewline(indent: Int) {
        reserve(1 + indent + Self.slack)
        let p = end
        p[0] = UInt8(ascii: "\n")
        Self.spaces(p + 1, indent)
        advance(1 + indent)
    }

    /// A whole number's decimal digits (a negative one as 0).
    public func appendDecimal(_ n: Int) {
        var v = UInt(Swift.max(0, n))
        var digits = 0
        var t = v
        repeat {
            digits += 1
            t /= 10
        } while t > 0
        reserve(digits)
        var i = count + digits
        repeat {
            i -= 1
            base[i] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: v % 10)
            v /= 10
        } while v > 0
        count += digits
    }

    /// Forgets the bytes, keeping the memory for what is written next.
    public func removeAll() { count = 0 }

    /// The bytes written, for reading while the buffer is not written to.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// A copy of the bytes written.
    public var array: [UInt8] { withBytes { Array($0) } }
}
