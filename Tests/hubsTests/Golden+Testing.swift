import HubsTestSupport
import Testing

/// Compares with a golden file (see `Golden`), recording a test issue when it differs or was just
/// recorded.
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    if let problem = Golden.check(actual, name) { Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation) }
}
