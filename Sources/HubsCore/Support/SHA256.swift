import CHubsKernels

/// SHA-256 (FIPS 180-4), used for the content hash of every input file in JSON output.
/// Small and dependency-free; checked against the standard test vectors. Where the processor has
/// SHA instructions, the blocks are compressed with them (CHubsKernels), several times faster;
/// tests compare the two on every length up to a few blocks and on long messages.
public enum SHA256 {
    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

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
        k.withUnsafeBufferPointer { k in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                message.withUnsafeBufferPointer { m in
                    for chunk in stride(from: 0, to: whole, by: 64) { compress(m, at: chunk, &h, w, k) }
                }
                tail.withUnsafeBufferPointer { m in
                    for chunk in stride(from: 0, to: m.count, by: 64) { compress(m, at: chunk, &h, w, k) }
                }
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
