import Foundation
import HubsTestSupport
import Testing

/// Usage errors echo what was typed: escaped for the terminal (no raw control character, so no
/// escape sequence clears the screen or retitles the window) and cut when long.
@Suite struct UsageErrorTests {
    static let escape = "\u{1B}[2J\u{1B}]0;x\u{07}"

    static let commandLines: [[String]] = [
        ["score", "--root", escape], ["schema", escape], ["report", "--whatif", escape], ["score", "--format", escape],
        ["sensitivity", "--facts", escape], ["sensitivity", "--aggregate", escape],
        ["import", "t.csv", "--scenario-as-of", escape], ["import", "t.csv", "--id", escape], ["score", "--bogus" + escape],
        ["diff", "--format", escape], ["test", "--format", escape],
    ]

    @Test(arguments: commandLines)
    func noUsageErrorPrintsARawControlCharacter(_ args: [String]) throws {
        let r = try CLI.run(args, timeout: 30)
        #expect(
            r.status == (["diff", "test"].contains(args[0]) ? 2 : 64) || (args[0] == "import" && r.status == 1), "\(r.status) \(r.stderr)")
        #expect(!r.stderr.isEmpty)
        #expect(!HostileInputTests.hasRawControl(r.stderr), "\(r.stderr.debugDescription)")
        #expect(!HostileInputTests.hasRawControl(r.stdout))
    }

    @Test func aLongValueIsCutWithItsLengthStated() throws {
        let r = try CLI.run(["score", "--format", String(repeating: "x", count: 100_000)], timeout: 30)
        #expect(r.status == 64)
        #expect(r.stderr.utf8.count < 2_000, "\(r.stderr.utf8.count) bytes")
        #expect(r.stderr.contains("more characters)"), "\(r.stderr)")
    }
}
