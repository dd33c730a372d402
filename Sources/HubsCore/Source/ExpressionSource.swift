/// An expression as written in a policy, with where it stands so every error inside it can point
/// at the offending token.
public struct ExpressionSource: Sendable {
    public var text: String
    public var scalar: YAMLScalar
    public var file: SourceFile?

    /// The expression written in `scalar` of `file`.
    public init(_ scalar: YAMLScalar, file: SourceFile?) {
        self.text = scalar.text
        self.scalar = scalar
        self.file = file
    }

    /// File location of a character offset inside the expression.
    public func location(_ offset: Int) -> SourceLocation { scalar.location(ofOffset: offset, in: file) }
}
