import Foundation
import HubsTestSupport
import Testing

/// `hubs report`: one self-contained HTML file (or a Markdown memo) built from the results.
@Suite struct ReportCommandTests {
    @Test func theHTMLReportIsSelfContainedAndReproducible() throws {
        let dir = TempDir(prefix: "hubs-report")
        let r = try CLI.run(["report", "--out", dir.path("a.html")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("hubs report: wrote"))
        let html = try String(contentsOfFile: dir.path("a.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"), "no external stylesheet")
        #expect(!html.contains("src=\"http"), "nothing fetched")
        for section in ["summary", "chart", "method", "sources"] { #expect(html.contains("<section id=\"\(section)\">")) }
        // The brief by default; every candidate's card in the dossier.
        #expect(!html.contains("<section id=\"candidates\">"))
        #expect(html.contains("hubs report --dossier"))
        let full = try CLI.run(["report", "--dossier", "--out", dir.path("d.html")])
        #expect(full.status == 0, "\(full.stderr)")
        let dossier = try String(contentsOfFile: dir.path("d.html"), encoding: .utf8)
        #expect(dossier.contains("<section id=\"candidates\">"))
        for id in ["north_macedonia", "kosovo", "serbia", "albania", "rwanda"] {
            #expect(dossier.contains("<article class=\"card\" id=\"c-\(id)\">"))
        }
        #expect(
            html.contains(
                "North Macedonia ranks first, with a risk of 33.7 (moderate), 7.2 below Montenegro (40.9), of 6 candidates ranked."))
        #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(html.contains("url(#hatch"), "assumed contributions are hatched")
        #expect(html.contains("@media print"))
        // Each card gives the policy's reason for each criterion's risk (here a fired case's).
        #expect(dossier.contains("<small class=\"why\">Fewer than fifty grants in seven years"))
        // Unknown facts are drawn by default, and the section says so; without Sobol indices (the
        // default) the sentences still name what each risk depends on most.
        #expect(html.contains("Unknown facts: 15 drawn over their values (or the policy&#39;s prior) in each run"), "\(html)")
        // Inputs worded for a reader: grouped, not listed one by one.
        #expect(html.contains("the 16 weights, each ±25%"), "\(html)")
        #expect(html.contains("15 unknown facts ("))
        #expect(html.contains("host_stance of 6 candidates"))
        #expect(
            html.contains(
                "Kosovo ranks 3 as the inputs stand and keeps that rank in 25% of the 1000 runs; in the middle 90% of the runs its rank lies between 2 and 6"
            ), "\(html)")
        #expect(html.contains("its risk depends most on host_stance of serbia (unknown), which alone explains about"))
        // What to find out next: the first gap is the host stance that could change first place.
        #expect(html.contains("<section id=\"gaps\">"))
        #expect(html.contains("<h2>What to find out next</h2>"))
        #expect(html.contains("<tr><td>North Macedonia</td><td>host_stance (unknown)</td>"), "\(html)")
        // Held at their rules, as before unknowns were drawn, the figures are the earlier ones.
        let fixed = try CLI.run(["report", "--unknowns", "fixed", "--out", dir.path("f.html")])
        #expect(fixed.status == 0, "\(fixed.stderr)")
        let held = try String(contentsOfFile: dir.path("f.html"), encoding: .utf8)
        #expect(
            held.contains(
                "Kosovo ranks 3 as the inputs stand and keeps that rank in 41% of the 1000 runs; in the middle 90% of the runs its rank lies between 2 and 5"
            ), "\(held)")
        #expect(held.contains("held at their missing-data rules in every run (--unknowns fixed)"))
        // The input hashes are those score's JSON reports.
        let json = try CLI.run(["score", "--format", "json"]).stdout
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for input in try #require(doc["inputs"] as? [[String: Any]]) { #expect(html.contains(try #require(input["sha256"] as? String))) }
        let again = try CLI.run(["report", "--out", dir.path("b.html")])
        #expect(again.status == 0)
        #expect(
            try Data(contentsOf: dir.url.appendingPathComponent("a.html")) == Data(contentsOf: dir.url.appendingPathComponent("b.html")))
        let stamped = try CLI.run(["report", "--stamp", "--out", dir.path("c.html")])
        #expect(stamped.status == 0)
        #expect(try String(contentsOfFile: dir.path("c.html"), encoding: .utf8).contains(", on 20"))
    }

    @Test func theReportStatesOverridesAndEscapesHostileText() throws {
        let dir = TempDir(prefix: "hubs-report")
        dir.write("policies/p.yaml", HostileInputTests.policy)
        dir.write("scenarios/h.yaml", HostileInputTests.hostileScenario)
        let r = try CLI.run(
            [
                "report", "--policy", "policies/p.yaml", "--scenario", "scenarios/h.yaml", "--set", "formula.x=2", "--no-sobol", "--out",
                "r.html",
            ],
            cwd: dir.url.path)
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: dir.path("r.html"), encoding: .utf8)
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("href=\"javascript"))
        #expect(!HostileInputTests.hasRawControl(html))
        #expect(html.contains("Overrides for this run only (not in the files): --set formula.x=2"))
    }

    @Test func theMarkdownMemoHasWellFormedTables() throws {
        let dir = TempDir(prefix: "hubs-report")
        let r = try CLI.run([
            "report", "--format", "markdown", "--dossier", "--compare", "scenarios/kosovo-joins-coe.yaml", "--whatif",
            "serbia:band=moderate",
            "--out", dir.path("brief.md"),
        ])
        #expect(r.status == 0)
        let md = try String(contentsOfFile: dir.path("brief.md"), encoding: .utf8)
        #expect(md.hasPrefix("# UK return hubs, balanced assessment\n"))
        for heading in [
            "## Summary", "## Robustness", "## What to find out next", "## What changed", "## What would it take", "## Candidates",
            "## Method", "## Sources",
        ] {
            #expect(md.contains("\n\(heading)\n"))
        }
        // The charts' numbers as tables: rank intervals, and ranks before and after (the
        // --compare scenario is the before side: from kosovo-joins-coe back to the baseline).
        #expect(md.contains("| North Macedonia | 1 | 1–2 | 1 | low 6%, moderate 86%, high 8% | 24.5–51.4 |"), "\(md)")
        #expect(md.contains("| Kosovo | 1 | 3 | +15.00 | Party to the ECHR (a Council of Europe member) +15.00 |"), "\(md)")
        #expect(md.contains("\n### Kosovo\n"))
        #expect(MarkdownMemoTests.tableProblems(md).isEmpty, "\(MarkdownMemoTests.tableProblems(md))")
    }

    /// The memo's headings go down one level at a time (## then ###, never ## to ####), and
    /// every heading and table stands apart from what follows, with a blank line.
    @Test func theMemosHeadingsAreInOrderWithBlankLines() throws {
        let r = try CLI.run([
            "report", "--format", "markdown", "--dossier", "--samples", "100", "--compare", "scenarios/kosovo-joins-coe.yaml", "--whatif",
            "kosovo:rank=1", "--out", "-",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.components(separatedBy: "\n")
        var level = 0
        var problems: [String] = []
        for (i, line) in lines.enumerated() {
            if line.hasPrefix("#") {
                let n = line.prefix { $0 == "#" }.count
                if n > level + 1 { problems.append("line \(i + 1): h\(n) after h\(level)") }
                level = n
                if i > 0, !lines[i - 1].isEmpty { problems.append("line \(i + 1): no blank line before the heading") }
                if i + 1 < lines.count, !lines[i + 1].isEmpty { problems.append("line \(i + 1): no blank line after the heading") }
            }
            if i > 0, lines[i - 1].hasPrefix("|"), !line.hasPrefix("|"), !line.isEmpty {
                problems.append("line \(i + 1): a table runs straight into text")
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(lines.contains("### Kosovo"))
    }

    @Test func robustnessWhatChangedAndWhatItWouldTake() throws {
        let dir = TempDir(prefix: "hubs-report")
        let r = try CLI.run([
            "report", "--out", dir.path("r.html"), "--samples", "500", "--sobol", "--unknowns", "fixed", "--whatif", "kosovo:rank=1",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: dir.path("r.html"), encoding: .utf8)
        #expect(html.contains("<section id=\"robustness\">"))
        #expect(html.contains("500 Monte Carlo runs (seed 1) over 21 uncertain inputs"))
        #expect(html.contains("North Macedonia ranks 1 as the inputs stand and keeps that rank in over 99% of the 500 runs"), "\(html)")
        // With Sobol indices, each candidate's sentence names what its risk depends on most.
        #expect(html.contains("; its risk depends most on "))
        #expect(html.contains("<h3>The inputs that matter most</h3>"))
        #expect(html.contains("<section id=\"whatif\">"))
        #expect(html.contains("Kosovo: rank 1<"), "\(html)")
        #expect(html.contains("<td>exact</td>"))
        let none = try CLI.run(["report", "--out", dir.path("n.html"), "--samples", "0"])
        #expect(none.status == 0)
        #expect(!(try String(contentsOfFile: dir.path("n.html"), encoding: .utf8)).contains("id=\"robustness\""))
        let bad = try CLI.run(["report", "--whatif", "kosovo:top=1"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--whatif takes CANDIDATE:band=NAME"))
    }

    /// `--compare BEFORE` with `--scenario AFTER` (the README's example) says what `hubs diff
    /// BEFORE AFTER` says: the same sides, the same direction, the same changes.
    @Test func compareSaysWhatDiffSays() throws {
        let dir = TempDir(prefix: "hubs-report")
        let r = try CLI.run([
            "report", "--compare", "scenarios/baseline.yaml", "--scenario", "scenarios/kosovo-joins-coe.yaml", "--samples", "0",
            "--out", dir.path("r.html"),
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: dir.path("r.html"), encoding: .utf8)
        let diff = try CLI.run(["diff", "scenarios/baseline.yaml", "scenarios/kosovo-joins-coe.yaml"])
        #expect(diff.status == 1, "\(diff.stderr)")
        #expect(
            diff.stdout.hasPrefix(
                "Before: policy uk-return-hubs 1.2, scenario baseline\nAfter:  policy uk-return-hubs 1.2, scenario kosovo-joins-coe"))
        #expect(diff.stdout.contains("Kosovo           3 → 1  44.50 → 29.50  −15.00"), "\(diff.stdout)")
        #expect(html.contains("<section id=\"changes\">"))
        #expect(
            html.contains(
                "Before: policy uk-return-hubs 1.2, scenario baseline. After: policy uk-return-hubs 1.2, scenario kosovo-joins-coe."),
            "\(html)")
        // The slope chart: Kosovo from 3 to 1, and its change split by criterion.
        #expect(html.contains("<text x=\"240\" y=\"82\" class=\"name\">3. Kosovo</text>"))
        #expect(html.contains("<text x=\"510\" y=\"34\">1. Kosovo</text>"))
        #expect(
            html.contains("<strong>Kosovo</strong>: risk −15.00; by criterion: Party to the ECHR (a Council of Europe member) −15.00"))
        #expect(html.contains("coe_member false → true [S29]"), "the fact changes forward")
        // ... drawn as a small diverging bar, one titled part per criterion.
        #expect(html.contains("aria-label=\"change in risk of Kosovo by criterion\""))
        #expect(html.contains("<title>Party to the ECHR (a Council of Europe member) −15.00</title>"))
        // The Markdown memo says the same.
        let memo = try CLI.run([
            "report", "--compare", "scenarios/baseline.yaml", "--scenario", "scenarios/kosovo-joins-coe.yaml", "--samples", "0",
            "--format", "markdown", "--out", "-",
        ])
        #expect(memo.stdout.contains("Kosovo") && memo.stdout.contains("−15.00"), "\(memo.stdout)")
        #expect(!memo.stdout.contains("+15.00"), "\(memo.stdout)")
    }

    /// Overrides apply to both sides of a comparison: only the scenario files differ.
    @Test func overridesApplyToBothSidesOfTheComparison() throws {
        let dir = TempDir(prefix: "hubs-report")
        let r = try CLI.run([
            "report", "--samples", "0", "--compare", "scenarios/baseline.yaml", "--scenario", "scenarios/kosovo-joins-coe.yaml", "--set",
            "serbia.russia_visa_free=false", "--out", dir.path("r.html"),
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: dir.path("r.html"), encoding: .utf8)
        #expect(html.contains("scenario kosovo-joins-coe, with --set serbia.russia_visa_free=false."))
        #expect(!html.contains("<strong>Serbia</strong>"), "the override is not reported as a change")
        #expect(html.contains("<strong>Kosovo</strong>: risk −15.00"))
    }

    /// `--rev`: what changed since the files at a git revision (here: a heavier security weight).
    @Test func whatChangedSinceAGitRevision() throws {
        let w = try GitProject.withHeavierSecurity(prefix: "hubs-report-rev")
        let r = try CLI.run(["report", "--rev", "HEAD", "--samples", "0", "--out", "r.html"], cwd: w.path)
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: w.path("r.html"), encoding: .utf8)
        #expect(html.contains("<section id=\"changes\">"))
        #expect(html.contains("Policy changes: weight of &#39;security&#39;: 30 → 45"), "\(html)")
    }

    @Test func theReportNeverOverwritesItsInputs() throws {
        let r = try CLI.run(["report", "--out", "scenarios/baseline.yaml"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--out 'scenarios/baseline.yaml' is an input of this command"), "\(r.stderr)")
        #expect(try String(contentsOfFile: Repository.path("scenarios/baseline.yaml"), encoding: .utf8).hasPrefix("#"))
    }

    @Test func longNamesAreCutInChartsWithTheFullNameInATitle() throws {
        let dir = TempDir(prefix: "hubs-report")
        dir.write("policies/p.yaml", HostileInputTests.policy)
        let long = String(repeating: "Very long candidate name ", count: 4)
        dir.write("scenarios/s.yaml", "scenario: s\ncandidates:\n  a: {name: \"\(long)\", facts: {x: 3}}\n")
        let r = try CLI.run(
            ["report", "--policy", "policies/p.yaml", "--scenario", "scenarios/s.yaml", "--no-sobol", "--out", "r.html"], cwd: dir.url.path)
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: dir.path("r.html"), encoding: .utf8)
        // The label (rank and name) is cut at 32 characters; its title holds all of it.
        let label = "1. " + long
        #expect(html.contains(">\(label.prefix(31))…<title>\(label)</title>"), "\(html.prefix(3000))")
    }

    /// Killed while it works, the report leaves nothing behind: no report, no temporary file.
    /// (Interrupted while writing, it removes its temporary file; see `SafeWriter`.)
    @Test func killingTheReportLeavesNoFile() throws {
        let dir = TempDir(prefix: "hubs-report-kill")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["report", "--samples", "200000", "--sobol", "--out", dir.path("r.html")]
        p.currentDirectoryURL = URL(fileURLWithPath: CLI.root)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(700_000)
        // SIGKILL: a signal nothing can catch or block (the test runner may hand its children a
        // signal mask that blocks SIGTERM).
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationStatus != 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).isEmpty, "nothing left in the folder")
    }

    @Test func aReportThatCannotBeWrittenLeavesNothing() throws {
        let r = try CLI.run(["report", "--out", "/nonexistent-folder/r.html"])
        #expect(r.status == 64)
        #expect(
            r.stderr.contains("error: --out '/nonexistent-folder/r.html': the folder '/nonexistent-folder' does not exist"), "\(r.stderr)")
        #expect(r.stderr.contains("hint: create it first, or name a file in a folder that exists"))
    }

    /// Every share of runs the brief states is the share the sensitivity JSON gives for the same
    /// seed: P(rank 1) in the summary, P(nominal rank) and P(top k) on each card; the 5th-95th
    /// percentile range is worded as a range. (A lighter legal weight makes first place uncertain.)
    @Test func theBriefsProbabilitiesAreTheSensitivityJSONs() throws {
        let common = ["--weight", "legal=10", "--samples", "600", "--seed", "5"]
        let memo = try CLI.run(["report", "--format", "markdown", "--out", "-"] + common)
        #expect(memo.status == 0, "\(memo.stderr)")
        let json = try CLI.run(["sensitivity", "--format", "json"] + common)
        #expect(json.status == 0, "\(json.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let candidates = try #require(doc["candidates"] as? [[String: Any]])
        func share(_ p: Double) -> String {
            p >= 1 ? "all" : p <= 0 ? "none" : p >= 0.995 ? "over 99%" : p < 0.005 ? "under 1%" : String(format: "%.0f%%", p * 100)
        }
        let first = try #require(candidates.first { $0["nominal_rank"] as? Int == 1 })
        let pFirst = try #require(first["p_rank_1"] as? Double)
        #expect(pFirst > 0 && pFirst < 1, "the case must make first place uncertain: \(pFirst)")
        let name = try #require(first["name"] as? String)
        #expect(memo.stdout.contains("\(name) stays first in \(share(pFirst)) of the 600 robustness runs"), "\(memo.stdout)")
        for c in candidates {
            guard let rank = c["nominal_rank"] as? Int, let keeps = c["p_nominal_rank"] as? Double, let name = c["name"] as? String,
                let top = c["p_top_k"] as? Double
            else { continue }
            let runs = keeps >= 1 ? "in all 600 runs" : keeps <= 0 ? "in none of the 600 runs" : "in \(share(keeps)) of the 600 runs"
            #expect(memo.stdout.contains("- \(name) ranks \(rank) as the inputs stand and keeps that rank \(runs)"), "\(name)")
            #expect(memo.stdout.contains("in the top 3 in \(share(top))"), "\(name)")
            if let interval = c["rank_interval"] as? [Int], interval[0] != interval[1] {
                #expect(memo.stdout.contains("in the middle 90% of the runs its rank lies between \(interval[0]) and \(interval[1])"))
            }
        }
        // The interval is never worded as a share of runs.
        #expect(!memo.stdout.contains("in 90% of the runs"), "\(memo.stdout)")
        #expect(!memo.stdout.contains("90% of the 600"), "\(memo.stdout)")
    }
}

/// The report in a real browser: headless Chromium loads it with scripts and network off and
/// prints it to PDF. Skipped, saying so, where no Chromium is installed (CI installs one).
@Suite struct ReportBrowserTests {
    static let browser = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test(.enabled(if: browser != nil, "no Chromium here (CI installs it; apt-get install chromium)"))
    func chromiumLoadsAndPrintsTheReport() throws {
        let browser = try #require(Self.browser)
        let dir = TempDir(prefix: "hubs-browser")
        #expect(try CLI.run(["report", "--no-sobol", "--out", dir.path("r.html")]).status == 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: browser)
        p.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-javascript", "--user-data-dir=\(dir.path("profile"))",
            "--print-to-pdf=\(dir.path("r.pdf"))", "--no-pdf-header-footer", "file://\(dir.path("r.html"))",
        ]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let pdf = try Data(contentsOf: dir.url.appendingPathComponent("r.pdf"))
        #expect(pdf.starts(with: Data("%PDF".utf8)))
        #expect(pdf.count > 10_000, "a real document of \(pdf.count) bytes")
    }
}
