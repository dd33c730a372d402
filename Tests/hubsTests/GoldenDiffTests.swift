import HubsTestSupport
import Testing

/// A golden file that differs is shown as a unified diff, not only its first differing line.
@Suite struct GoldenDiffTests {
    @Test func aChangedLineIsShownWithContext() {
        let a = (1...20).map { "line \($0)" }.joined(separator: "\n")
        let b = a.replacingOccurrences(of: "line 10\n", with: "line ten\n").replacingOccurrences(of: "line 18\n", with: "")
        let d = Golden.unifiedDiff(a, b)
        #expect(d.hasPrefix("@@ -7 +7 @@\n line 7\n line 8\n line 9\n-line 10\n+line ten\n line 11"), "\(d)")
        #expect(d.contains("\n-line 18\n"), "\(d)")
        #expect(!d.contains(" line 1\n"), "context is three lines: \(d)")
    }

    @Test func aLongDiffIsCut() {
        let a = (1...500).map { "a\($0)" }.joined(separator: "\n")
        let b = (1...500).map { "b\($0)" }.joined(separator: "\n")
        let d = Golden.unifiedDiff(a, b, maxLines: 20)
        #expect(d.split(separator: "\n").count == 21)
        #expect(d.hasSuffix("more lines of diff)"))
    }
}
