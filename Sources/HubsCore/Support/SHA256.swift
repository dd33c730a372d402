import CHubsKernels

/// SHA-256 (FIPS 180-4), used for the content hash of every input file in JSON output.
/// Small and dependency-free; checked against the standard test vectors. Where the processor has
/// SHA instructions, the blocks are compressed with them (CHubsKernels), several times faster;
/// tests compare the two on every length up to a few blocks and on long messages.
public enum SHA256 {
    /// The round constants (FIPS 180-4, 4.2.2), the same table the SHA-instruction kernel reads.
    private static var k: UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(start: hubs_sha256_constants(), count: 64) }

    /// The SHA-256 digest of `bytes`.
    public static func digest(_ message: [UInt8]) -> [UInt8] { digest(message[...]) }

    /// The SHA-256 digest of a part of an array of bytes (read in place, not copied).
    public static func digest(_ message: ArraySlice<UInt8>) -> [UInt8] { digest(message, native: native) }

    private static func digest(_ message: ArraySlice<UInt8>, native: Bool) -> [UInt8] {
        var h: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
        )
        // Whole blocks straight from the message; only the tail is copied, to be padded.
        let whole = message.count / 64 * 64
        var tail = Array(message[(message.startIndex + whole)...])
        let bitLength = UInt64(message.count) * 8
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for i in (0..<8).reversed() { tail.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
        if native {
            // The processor's SHA instructions, on the same blocks.
            var state: [UInt32] = [h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7]
            state.withUnsafeMutableBufferPointer { s in
                guard let st = s.baseAddress else { return }
                message.withUnsafeBufferPointer { m in
                    if let base = m.baseAddress, whole > 0 { hubs_sha256_blocks(st, base, whole / 64) }
                }
                tail.withUnsafeBufferPointer { m in
                    if let base = m.baseAddress { hubs_sha256_blocks(st, base, m.count / 64) }
                }
            }
            return bytes(state)
        }
        let k = Self.k
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            message.withUnsafeBufferPointer { m in
                for chunk in stride(from: 0, to: whole, by: 64) { compress(m, at: chunk, &h, w, k) }
            }
            tail.withUnsafeBufferPointer { m in
                for chunk in stride(from: 0, to: m.count, by: 64) { compress(m, at: chunk, &h, w, k) }
            }
        }
        return bytes([h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7])
    }

    /// Whether digests use the processor's SHA instructions (x86 SHA extensions, checked once).
    static let native = hubs_sha256_native() != 0

    /// The digest in the plain Swift compression, whatever the processor (for tests comparing
    /// the two).
    static func portableDigest(_ message: ArraySlice<UInt8>) -> [UInt8] { digest(message, native: false) }

    /// The eight words of the state, big-endian.
    private static func bytes(_ words: [UInt32]) -> [UInt8] {
        words.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } }
    }

    /// One 64-byte block at `chunk` of `m` into the state `h`; `w` is the message schedule.
    @inline(__always)
    private static func compress(
        _ m: UnsafeBufferPointer<UInt8>, at chunk: Int, _ h: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
        _ w: UnsafeMutableBufferPointer<UInt32>, _ k: UnsafeBufferPointer<UInt32>
    ) {
        for i in 0..<16 {
            let j = chunk + i * 4
            w[i] = UInt32(m[j]) << 24 | UInt32(m[j + 1]) << 16 | UInt32(m[j + 2]) << 8 | UInt32(m[j + 3])
        }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, hh) = h
        // Eight rounds at a time, the variables' roles turning instead of their values moving.
        for i in stride(from: 0, to: 64, by: 8) {
            round(a, b, c, &d, e, f, g, &hh, k[i] &+ w[i])
            round(hh, a, b, &c, d, e, f, &g, k[i + 1] &+ w[i + 1])
            round(g, hh, a, &b, c, d, e, &f, k[i + 2] &+ w[i + 2])
            round(f, g, hh, &a, b, c, d, &e, k[i + 3] &+ w[i + 3])
            round(e, f, g, &hh, a, b, c, &d, k[i + 4] &+ w[i + 4])
            round(d, e, f, &g, hh, a, b, &c, k[i + 5] &+ w[i + 5])
            round(c, d, e, &f, g, hh, a, &b, k[i + 6] &+ w[i + 6])
            round(b, c, d, &e, f, g, hh, &a, k[i + 7] &+ w[i + 7])
        }
        h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e, h.5 &+ f, h.6 &+ g, h.7 &+ hh)
    }

    /// One round: `d` gains T1 (it becomes the next e) and `h` becomes T1 + T2 (the next a).
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32,
        _ kw: UInt32
    ) {
        let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ kw
        let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
        d = d &+ t1
        h = t1 &+ t2
    }

    /// The SHA-256 of `bytes` as 64 lower-case hex digits.
    public static func hex(_ message: [UInt8]) -> String { hex(message[...]) }

    /// The SHA-256 of a part of an array of bytes as 64 lower-case hex digits.
    public static func hex(_ message: ArraySlice<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        return String(digest(message).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}
