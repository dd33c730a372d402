import Foundation
import HubsTestSupport
import Testing

/// The binary as a user runs it: default data, output formats, exit codes and error text.
@Suite struct EndToEndTests {
    @Test func scoreWithNoOptionsRanksTheShippedCandidates() throws {
        let r = try CLI.run(["score"])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["Serbia", "Kosovo", "North Macedonia", "Bosnia and Herzegovina", "Albania", "Montenegro", "Moldova", "Rwanda"] {
            #expect(r.stdout.contains(name), "missing \(name)")
        }
        #expect(r.stdout.contains("EXCLUDED by host_refused"))
        #expect(r.stdout.contains("Albania: The host government has publicly refused to host a return hub."))
        // Excluded candidates come after every ranked one.
        let lines = r.stdout.split(separator: "\n")
        let albania = try #require(lines.firstIndex { $0.contains("Albania") && $0.contains("EXCLUDED") })
        let ranked = lines.indices.filter { lines[$0].contains(" ranked ") }
        #expect(ranked.count == 6)
        #expect(ranked.allSatisfy { $0 < albania })
        #expect(!r.stderr.contains("\u{1B}["), "no colour when stderr is not a terminal")
        let again = try CLI.run(["score"])
        #expect(again.stdout == r.stdout, "output is byte-identical from run to run")
    }

    @Test func jsonContributionsAddUpToEachRisk() throws {
        let r = try CLI.run(["score", "--format", "json"])
        #expect(r.status == 0)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(doc["schema"] as? String == "hubs.assessment/1")
        #expect((doc["policy"] as? [String: Any])?["id"] as? String == "uk-return-hubs")
        #expect((doc["scenario"] as? [String: Any])?["id"] as? String == "baseline")
        let inputs = try #require(doc["inputs"] as? [[String: Any]])
        #expect(inputs.count == 2)
        #expect(inputs.allSatisfy { ($0["sha256"] as? String)?.count == 64 })
        let candidates = try #require(doc["candidates"] as? [[String: Any]])
        #expect(candidates.count == 8)
        for c in candidates {
            let risk = try #require(c["risk"] as? Double)
            let criteria = try #require(c["criteria"] as? [[String: Any]])
            let sum = criteria.filter { $0["kind"] as? String == "leaf" }.compactMap { $0["contribution"] as? Double }.reduce(0, +)
            #expect(abs(sum - risk) <= 1e-9, "\(c["id"] ?? "?"): \(sum) vs \(risk)")
        }
        let albania = try #require(candidates.first { $0["id"] as? String == "albania" })
        #expect(albania["status"] as? String == "excluded")
        #expect((albania["excluded_by"] as? [[String: Any]])?.first?["gate"] as? String == "host_refused")
    }

    @Test func explainKosovoShowsECHRFactSourceAndContribution() throws {
        let r = try CLI.run(["explain", "kosovo"])
        #expect(r.status == 0, "\(r.stderr)")
        let echrRow = try #require(r.stdout.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("echr ") })
        #expect(echrRow.contains("100.0"))
        #expect(echrRow.contains("15.00"))
        #expect(r.stdout.contains("echr_party = false  [S29, 2024-04-17; high confidence]"))
        #expect(r.stdout.contains("S29: PACE recommends Kosovo's membership of the Council of Europe"))
        #expect(r.stdout.contains("Total: 44.5000 = sum of leaf contributions 44.5000"))
    }

    @Test func explainUnknownCandidateSuggests() throws {
        let r = try CLI.run(["explain", "kosovoo"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("has no candidate 'kosovoo'"))
        #expect(r.stderr.contains("did you mean 'kosovo'?"))
        #expect(r.stdout.isEmpty)
    }

    @Test func checkReportsAMisspeltFactWithLocationAndHint() throws {
        let dir = TempDir(prefix: "hubs-e2e")
        let original = try String(contentsOfFile: CLI.root + "/policies/uk-return-hubs.yaml", encoding: .utf8)
        let broken = original.replacingOccurrences(of: "- when: echr_party\n", with: "- when: echr_prty\n")
        #expect(broken != original)
        let path = dir.write("policy.yaml", broken)
        let lines = broken.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex { $0.contains("echr_prty") }) + 1
        let column = try #require(lines[line - 1].range(of: "echr_prty")).lowerBound.utf16Offset(in: lines[line - 1]) + 1
        let r = try CLI.run(["check", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(path):\(line):\(column): error: unknown fact 'echr_prty' [unknown_fact]"), "\(r.stderr)")
        #expect(r.stderr.contains("hint: did you mean 'echr_party'?"))
        #expect(r.stderr.contains("^~~~~~~~~"))
        // score refuses to run on the broken policy, and prints nothing on stdout.
        let s = try CLI.run(["score", "--policy", path])
        #expect(s.status == 1)
        #expect(s.stdout.isEmpty)
    }

    @Test func checkPassesOnTheShippedFiles() throws {
        let r = try CLI.run(["check"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("hubs check: 6 files (2 policies, 4 scenarios): ok"))
        // Every judgement in the shipped policies has a rationale, and no evidence is old at high confidence.
        let strict = try CLI.run(["check", "--strict"])
        #expect(strict.status == 0, "\(strict.stderr)")
    }

    @Test func usageErrorsExit64() throws {
        let r = try CLI.run(["score", "--format", "xml"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("xml"))
        let missing = try CLI.run(["score"], cwd: FileManager.default.temporaryDirectory.path)
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("run hubs from a project's root (where hubs.yaml names the policy; hubs init makes one)"))
    }

    @Test(arguments: ["score", "explain", "check"])
    func helpHasExamples(_ command: String) throws {
        let r = try CLI.run([command, "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Examples:"))
    }

    /// The shipped what-if scenarios and the second policy: each run says what it ran and what
    /// the scenario changes at the top of the ranking.
    @Test(arguments: [
        (["score", "--scenario", "scenarios/kosovo-joins-coe.yaml"], "1  Kosovo                         29.5  moderate"),
        (
            ["score", "--scenario", "scenarios/serbia-visas-for-russians.yaml", "--format", "csv"],
            "1,1,north_macedonia,North Macedonia,33.7437,moderate,ranked"
        ),
        (
            ["score", "--scenario", "scenarios/montenegro-visas-2026.yaml", "--format", "markdown"],
            "| 1 | Montenegro | 33.4 | moderate | ranked |"
        ),
        (["score", "--policy", "policies/security-first.yaml"], "1  North Macedonia                50.5  high"),
        (["explain", "serbia", "--policy", "policies/security-first.yaml", "--format", "json"], "\"id\": \"security-first\""),
    ])
    func whatIfScenariosAndTheSecondPolicyRun(_ args: [String], _ expected: String) throws {
        let r = try CLI.run(args)
        #expect(r.status == 0, "\(args): \(r.stderr)")
        #expect(r.stdout.contains(expected), "\(args): \(r.stdout.prefix(600))")
    }

    // Golden files for the shipped data, every command in each of its formats (HUBS_RECORD=1 swift
    // test rewrites them and fails; review the diff, then run again). `stream` is where the command
    // prints its result; `status` its expected exit code.
    static let goldens: [(args: [String], file: String, stream: String, status: Int32)] = [
        (["score"], "score.txt", "out", 0),
        (["score", "--format", "json"], "score.json", "out", 0),
        (["score", "--format", "markdown"], "score.md", "out", 0),
        (["score", "--format", "csv"], "score.csv", "out", 0),
        (["score", "--policy", "policies/security-first.yaml"], "score-security-first.txt", "out", 0),
        (["explain", "kosovo"], "explain-kosovo.txt", "out", 0),
        (["explain", "albania", "--format", "json"], "explain-albania.json", "out", 0),
        (["check", "--notes"], "check.txt", "err", 0),
        (["check", "--format", "json"], "check.json", "out", 0),
        (["check", "--tree", "policies/uk-return-hubs.yaml"], "check-tree.txt", "out", 0),
        (["diff", "scenarios/baseline.yaml", "scenarios/kosovo-joins-coe.yaml"], "diff.txt", "out", 1),
        (["diff", "scenarios/baseline.yaml", "scenarios/kosovo-joins-coe.yaml", "--format", "json"], "diff.json", "out", 1),
        (["diff", "scenarios/baseline.yaml", "scenarios/kosovo-joins-coe.yaml", "--format", "markdown"], "diff.md", "out", 1),
        (["diff", "--policy", "policies/uk-return-hubs.yaml", "--policy", "policies/security-first.yaml"], "diff-policies.txt", "out", 1),
        (["test"], "test.txt", "out", 0),
        (["test", "--format", "json"], "test.json", "out", 0),
        (["sensitivity", "--samples", "64", "--seed", "3", "--sobol"], "sensitivity.txt", "out", 0),
        (["sensitivity", "--samples", "64", "--seed", "3", "--sobol", "--format", "json"], "sensitivity.json", "out", 0),
        (["sensitivity", "--samples", "64", "--seed", "3", "--sobol", "--format", "markdown"], "sensitivity.md", "out", 0),
        (["sensitivity", "--samples", "64", "--seed", "3"], "sensitivity-mc.txt", "out", 0),
        (["sensitivity", "--samples", "64", "--seed", "3", "--format", "json"], "sensitivity-mc.json", "out", 0),
        (["whatif", "kosovo", "--rank", "1"], "whatif.txt", "out", 0),
        (["whatif", "kosovo", "--rank", "1", "--format", "json"], "whatif.json", "out", 0),
        (["whatif", "kosovo", "--rank", "1", "--format", "markdown"], "whatif.md", "out", 0),
    ]

    @Test(arguments: goldens.indices)
    func golden(_ i: Int) throws {
        let g = Self.goldens[i]
        let r = try CLI.run(g.args)
        #expect(r.status == g.status, "\(g.args): \(r.stderr)")
        expectGolden(g.stream == "out" ? r.stdout : r.stderr, g.file)
    }

    /// The same bytes from two processes (each with its own hash seed), for every format of score.
    @Test(arguments: ["table", "json", "markdown", "csv"])
    func scoreIsTheSameBytesInTwoProcesses(_ format: String) throws {
        let a = try CLI.run(["score", "--format", format])
        let b = try CLI.run(["score", "--format", format])
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        #expect(a.stderr == b.stderr)
    }

    /// A candidate with two facts is not ranked, in every format, and `hubs test` can expect it.
    @Test func thinEvidenceIsShownAsInsufficientInEveryFormat() throws {
        let dir = TempDir(prefix: "hubs-thin")
        dir.copy(fromRepository: "policies/uk-return-hubs.yaml")
        dir.copy(fromRepository: "scenarios/baseline.yaml")
        let scenario = dir.write(
            "scenarios/thin.yaml",
            """
            scenario: thin
            title: A thin candidate beside the baseline
            extends: baseline
            candidates:
              thinland: {name: Thinland, facts: {echr_party: true, coe_member: true}}
            """)
        let table = try CLI.run(["score", "--scenario", scenario])
        #expect(table.status == 0, "\(table.stderr)")
        let row = try #require(table.stdout.split(separator: "\n").first { $0.contains("Thinland") })
        #expect(row.hasPrefix("-"))
        #expect(row.contains("INSUFFICIENT EVIDENCE"))
        #expect(table.stdout.contains("Insufficient evidence (coverage below the policy's minimum of 50%"))
        let json = try CLI.run(["score", "--scenario", scenario, "--format", "json"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let thin = try #require((doc["candidates"] as? [[String: Any]])?.first { $0["id"] as? String == "thinland" })
        #expect(thin["status"] as? String == "insufficient_evidence")
        #expect(thin["rank"] is NSNull)
        #expect((thin["coverage_gaps"] as? [Any])?.isEmpty == false)
        let csv = try CLI.run(["score", "--scenario", scenario, "--format", "csv"])
        #expect(csv.stdout.contains(",thinland,Thinland,"))
        #expect(csv.stdout.contains(",insufficient_evidence,"))
        let md = try CLI.run(["score", "--scenario", scenario, "--format", "markdown"])
        #expect(md.stdout.contains("| Thinland |"))
        #expect(md.stdout.contains("INSUFFICIENT EVIDENCE"))
        // Lowering the minimum ranks it, and says nothing is insufficient.
        let low = try CLI.run(["score", "--scenario", scenario, "--min-coverage", "0"])
        #expect(!low.stdout.contains("INSUFFICIENT EVIDENCE"))
        let tests = dir.write(
            "t.yaml",
            """
            policy: policies/uk-return-hubs.yaml
            scenario: scenarios/thin.yaml
            tests:
              - name: two facts are too little evidence to rank
                expect: [{candidate: thinland, status: insufficient_evidence}]
            """)
        let t = try CLI.run(["test", tests])
        #expect(t.status == 0, "\(t.stdout)\(t.stderr)")
    }
}

/// `--unknowns fixed` is the analysis as it was before unknown facts were drawn: the outputs
/// recorded then (golden/before-unknowns), with the policy as it was then (version 1.1, kept
/// beside them), come back byte for byte, but for the one sentence (text and Markdown) or the
/// keys (JSON) that say how unknowns entered and hold family indices (empty when fixed).
@Suite struct UnknownsFixedTests {
    static let cases: [(args: [String], file: String)] = [
        (["--sobol"], "sensitivity.txt"), (["--sobol", "--format", "json"], "sensitivity.json"),
        (["--sobol", "--format", "markdown"], "sensitivity.md"), ([], "sensitivity-mc.txt"),
        (["--format", "json"], "sensitivity-mc.json"),
    ]

    @Test(arguments: cases.indices)
    func fixedUnknownsGiveThePreviousBytes(_ i: Int) throws {
        let c = Self.cases[i]
        let policy = Repository.path("Tests/hubsTests/golden/before-unknowns/uk-return-hubs-1.1.yaml")
        let r = try CLI.run(["sensitivity", "--policy", policy, "--samples", "64", "--seed", "3", "--unknowns", "fixed"] + c.args)
        #expect(r.status == 0, "\(r.stderr)")
        let before = try String(contentsOfFile: Repository.path("Tests/hubsTests/golden/before-unknowns/\(c.file)"), encoding: .utf8)
        var now = r.stdout
        #expect(now.contains("held at their missing-data rules") || now.contains("\"unknowns\": \"fixed\""), "it says so")
        if c.file.hasSuffix(".json") {
            // The three keys this change added, each on its own line of the pretty-printed JSON.
            // A key's value may run over several lines (an array): up to the line that closes it.
            var kept: [String] = []
            var removed = 0
            var skipping = false
            for l in now.components(separatedBy: "\n") {
                if skipping {
                    if l.trimmingCharacters(in: .whitespaces).hasPrefix("]") { skipping = false }
                    continue
                }
                if ["\"input_families\":", "\"unknowns\":", "\"held_unknowns\":", "\"family_indices\":"].contains(where: { l.contains($0) })
                {
                    removed += 1
                    skipping = l.hasSuffix("[")
                    continue
                }
                kept.append(l)
            }
            #expect(removed >= 3, "the three keys, and an empty family_indices per candidate")
            now = kept.joined(separator: "\n")
        } else {
            let lines = now.components(separatedBy: "\n")
            let kept = lines.filter { !$0.hasPrefix("Unknown facts: held at their missing-data rules") }
            #expect(lines.count - kept.count == 1)
            now = kept.joined(separator: "\n")
            if c.file.hasSuffix(".md") {
                now = now.replacingOccurrences(of: "\n\n\n", with: "\n\n")
                // Since the recording, the Markdown's bold labels are headings (for Markdown linters).
                now = now.replacingOccurrences(
                    of: "\n#### Inputs that matter most for the ranking (", with: "\n**Inputs that matter most for the ranking** (")
            }
        }
        #expect(now == before, "\(Golden.unifiedDiff(before, now))")
    }
}

/// A candidate from outside the region can say what the Balkan ones never needed to: advice that
/// raised no concern, and no UK partnership at all.
@Suite struct NonBalkanValuesTests {
    @Test func noConcernAndNoPartnershipAreValuesWithRisks() throws {
        let dir = TempDir(prefix: "hubs-georgia")
        for f in ["policies/uk-return-hubs.yaml", "policies/security-first.yaml", "scenarios/baseline.yaml"] { dir.copy(fromRepository: f) }
        dir.write(
            "scenarios/georgia.yaml",
            """
            scenario: georgia
            title: The baseline with a candidate outside the region (HYPOTHETICAL)
            extends: baseline
            candidates:
              georgia:
                name: Georgia (hypothetical)
                basis: {kind: comparison, note: "a test case outside the region"}
                facts:
                  security_concern: {value: none, note: HYPOTHETICAL}
                  uk_le_partnership: {value: none, note: HYPOTHETICAL}
            """)
        for policy in ["policies/uk-return-hubs.yaml", "policies/security-first.yaml"] {
            let r = try CLI.run(
                ["explain", "georgia", "--policy", policy, "--scenario", "scenarios/georgia.yaml", "--format", "json"], cwd: dir.path)
            #expect(r.status == 0, "\(policy): \(r.stderr)")
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let cand = try #require((doc["candidates"] as? [[String: Any]])?.first)
            let criteria = try #require(cand["criteria"] as? [[String: Any]])
            let partnership = try #require(criteria.first { $0["id"] as? String == "uk_partnership" })
            #expect(partnership["risk"] as? Double == 100, "\(policy): known to have no partnership")
            #expect(partnership["assumed"] as? Bool == false)
            let advice = try #require(criteria.first { $0["id"] as? String == "security_advice" })
            #expect((advice["risk"] as? Double).map { $0 < 60 } == true, "\(policy): no concern raised")
        }
    }
}
