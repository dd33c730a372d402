/// The JSON of `hubs check --format json` (schema "hubs.check/1"): the files read, their kinds,
/// counts, and every diagnostic (sorted and capped like the text output).
public enum CheckRenderer {
    public static let schema = "hubs.check/1"

    /// `diagnostics` are the report's, as the command decided their severity (`--strict`).
    public static func json(_ report: ProjectChecker.Report, diagnostics: [Diagnostic], showNotes: Bool) -> JSON {
        var bag = DiagnosticBag()
        bag.add(contentsOf: diagnostics.filter { showNotes || $0.severity != .note })
        return .object([
            ("schema", .string(schema)),
            ("files", .array(report.files.map { .object([("path", .string($0.path)), ("kind", .str($0.kind?.rawValue))]) })),
            ("errors", .number(Double(diagnostics.filter { $0.severity == .error }.count))),
            ("warnings", .number(Double(diagnostics.filter { $0.severity == .warning }.count))),
            ("diagnostics", .array(bag.sorted.map(\.json))),
        ])
    }
}
