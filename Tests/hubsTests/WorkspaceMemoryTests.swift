import Foundation
import HubsTestSupport
import Testing

/// A long-running process (a server, an editor's language server) prepares the assessment again
/// after every edit: its memory must not grow with the number of preparations. Measured in a
/// process of its own (`hubs-bench --reprepare N`), so no other test's memory counts.
@Suite struct ReprepareMemoryTests {
    static let bench = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().appendingPathComponent("hubs-bench").path

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: bench), "hubs-bench is not built next to hubs"))
    func memoryDoesNotGrowAcrossTenThousandPreparations() throws {
        func run(_ n: Int) throws -> Run {
            let r = try CLI.run(["--reprepare", String(n)], timeout: 300, binary: Self.bench)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout == "prepared \(n), parsed \(n + 1), kept 2\n", "the policy once, the scenario at each edit")
            return r
        }
        let few = try run(1_000)
        let many = try run(10_000)
        let grown = many.peakMemoryBytes - few.peakMemoryBytes
        #expect(few.peakMemoryBytes > 0 && many.peakMemoryBytes > 0)
        #expect(grown < 8 << 20, "peak memory grew by \(grown / 1024) KiB from 1,000 to 10,000 preparations")
    }
}
