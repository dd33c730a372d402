/// Limits on untrusted input. Each is documented in the README and tested at its boundary.
public struct InputLimits: Sendable, Hashable {
    /// Largest input file accepted, in bytes.
    public var maxFileBytes: Int = 1 << 20
    /// Deepest nesting of YAML collections accepted (a document's root is depth 1).
    public var maxDepth: Int = 64
    /// Most YAML nodes visited while reading one file, counting every alias expansion.
    /// This is what stops "billion laughs" alias bombs.
    public var maxNodes: Int = 100_000
    /// Most anchors (`&name`) in one file: bounds how deep a chain of aliases can nest.
    public var maxAnchors: Int = 1_000
    /// Longest expression accepted, in characters, and deepest expression nesting.
    public var maxExpressionLength: Int = 4_096
    public var maxExpressionDepth: Int = 64
    /// Longest `extends` chain of scenarios.
    public var maxExtendsChain: Int = 16
    /// Deepest nesting of criteria (a top-level criterion is at depth 1).
    public var maxCriteriaDepth: Int = 16

    /// The documented default limits.
    public init() {}
    public static let standard = InputLimits()
}
