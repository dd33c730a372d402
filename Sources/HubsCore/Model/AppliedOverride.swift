/// One override as applied: what it changed and what stood there before, for every output to state.
public struct AppliedOverride: Sendable, Hashable {
    /// `--set`, `--weight` or `--policy-set`.
    public var option: String
    /// The argument as typed (`serbia.russia_visa_free=false`).
    public var argument: String
    /// The value it replaced as written in the file (`true`, `unknown`), or nil when there was none.
    public var previous: String?
    public var location: SourceLocation
}
