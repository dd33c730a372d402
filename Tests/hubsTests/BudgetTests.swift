import Foundation
import HubsTestSupport
import Testing

/// A sensitivity run whose memory estimate (every part: sample matrices, stored runs, tallies,
/// orderings, bootstrap resamples, Sobol terms) exceeds the budget is refused before it starts,
/// with the figure, never aborted by a failed allocation.
@Suite struct BudgetTests {
    /// A policy of `n` criteria, each weighing one fact, so `--weights 20` varies n inputs.
    static func wide(_ n: Int) -> TempDir {
        let dir = TempDir(prefix: "hubs-budget")
        var policy = "policy: p\nfacts:\n  x: {type: number, range: [0, 10]}\ncriteria:\n"
        for i in 0..<n { policy += "  c\(i): {scale: {of: x, best: 0, worst: 10}}\n" }
        dir.write("policies/p.yaml", policy)
        dir.write("scenarios/s.yaml", "scenario: s\ncandidates:\n  a: {name: A, facts: {x: 3}}\n  b: {name: B, facts: {x: 4}}\n")
        return dir
    }

    @Test(arguments: [("200000", "29.9 GiB", "sample matrices 14.9 GiB"), ("20000", "3.1 GiB", "input orderings 1.5 GiB")])
    func tenThousandInputsAreRefusedUpFrontWithTheFigure(_ samples: String, _ total: String, _ part: String) throws {
        let dir = Self.wide(10_000)
        let r = try CLI.run(
            ["sensitivity", "--policy", "policies/p.yaml", "--scenario", "scenarios/s.yaml", "--weights", "20", "--samples", samples],
            cwd: dir.path, timeout: 60)
        #expect(r.exceededBounds(seconds: 30) == nil, "\(r.exceededBounds() ?? "")")
        #expect(r.status == 1, "\(r.stderr.prefix(500))")
        #expect(r.stderr.contains("over 10000 inputs and 2 candidates would need about \(total) of memory"), "\(r.stderr.prefix(600))")
        #expect(r.stderr.contains(part), "\(r.stderr.prefix(600))")
        #expect(r.stderr.contains("more than the budget of 2.0 GiB"))
        #expect(!r.stderr.contains("Fatal error"))
    }

    /// The budget is an option, for `sensitivity` and `report` alike; refused runs name it.
    @Test func theBudgetCanBeLoweredAndRaised() throws {
        let refused = try CLI.run(["sensitivity", "--samples", "200000", "--sobol", "--memory-budget", "512M"])
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "200000 samples over 36 inputs and 8 candidates would need about 1.5 GiB of memory (sample matrices 110 MiB, stored runs 845 MiB"
            ),
            "\(refused.stderr)")
        #expect(refused.stderr.contains("more than the budget of 512 MiB"))
        #expect(refused.stderr.contains("--memory-budget"))
        let dir = TempDir(prefix: "hubs-budget")
        let report = try CLI.run(["report", "--samples", "200000", "--sobol", "--memory-budget", "512M", "--out", dir.path("r.html")])
        #expect(report.status == 0, "the report leaves the section out and says why: \(report.stderr)")
        let html = try String(contentsOfFile: dir.path("r.html"), encoding: .utf8)
        #expect(html.contains("more than the budget of 512 MiB"), "\(html.prefix(200))")
        let bad = try CLI.run(["sensitivity", "--memory-budget", "lots"])
        #expect(bad.status == 64)
        let wide = Self.wide(300)
        let raised = try CLI.run(
            [
                "sensitivity", "--policy", "policies/p.yaml", "--scenario", "scenarios/s.yaml", "--weights", "20", "--samples", "200",
                "--memory-budget", "8G",
            ],
            cwd: wide.path, timeout: 60)
        #expect(raised.status == 0, "\(raised.stderr.prefix(300))")
    }
}
