/// Limits on untrusted input. Each is documented in docs/language.md and tested at its boundary.
public struct InputLimits: Sendable, Hashable {
    /// Largest input file accepted, in bytes: 256 MiB, room for 100,000 candidates with 50 facts
    /// each (about 90 MB written out) and their sources.
    public var maxFileBytes: Int = 256 << 20
    /// Deepest nesting of YAML collections accepted (a document's root is depth 1).
    public var maxDepth: Int = 64
    /// Most YAML nodes in one file, counting every alias expansion: 40 million, room for
    /// 100,000 candidates with 50 facts each (about 11 million nodes) and their sources.
    public var maxNodes: Int = 40_000_000
    /// Alias expansion is bounded on its own, by the size of the file: the nodes that aliases
    /// (`*name`) repeat may not exceed this many per byte of input, or `minAliasNodes`, whichever
    /// is larger. Hand-written files repeat a few blocks; a "billion laughs" alias bomb repeats
    /// far more than its size and is refused at the first alias past the allowance.
    public var maxAliasNodesPerByte: Int = 2
    public var minAliasNodes: Int = 100_000
    /// Longest expression accepted, in characters, and deepest expression nesting.
    public var maxExpressionLength: Int = 4_096
    public var maxExpressionDepth: Int = 64
    /// Longest `extends` chain of scenarios.
    public var maxExtendsChain: Int = 16
    /// Deepest nesting of criteria (a top-level criterion is at depth 1).
    public var maxCriteriaDepth: Int = 16

    /// How many nodes aliases may repeat in a file of `inputBytes` bytes.
    public func aliasExpansionAllowance(inputBytes: Int) -> Int {
        let (perByte, overflow) = inputBytes.multipliedReportingOverflow(by: max(0, maxAliasNodesPerByte))
        return max(minAliasNodes, overflow ? Int.max : perByte)
    }

    /// The documented default limits.
    public init() {}
    public static let standard = InputLimits()
}
