/// A small, fast, seedable random number generator (SplitMix64): the sampler's draws, and the
/// synthetic test data, are the same on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    /// What each draw adds to the state (the golden ratio's fraction, 2⁶⁴ / φ, odd).
    static let step: UInt64 = 0x9E37_79B9_7F4A_7C15
    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }
    /// The generator as it stands after `count` more draws: SplitMix64's state only counts, so
    /// a stream can be cut into pieces drawn side by side that give the very same numbers.
    public func skipping(_ count: Int) -> SplitMix64 {
        SplitMix64(seed: state &+ Self.step &* UInt64(truncatingIfNeeded: count))
    }
    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= Self.step
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
