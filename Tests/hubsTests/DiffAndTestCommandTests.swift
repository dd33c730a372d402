import Foundation
import HubsTestSupport
import Testing

/// `hubs diff` and `hubs test`, run as a user would.
@Suite struct DiffAndTestCommandTests {

    @Test func diffOfTwoScenariosAttributesTheChange() throws {
        let r = try CLI.run(["diff", "scenarios/baseline.yaml", "scenarios/kosovo-joins-coe.yaml"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("Kosovo           3 → 1  44.50 → 29.50  −15.00"))
        #expect(r.stdout.contains("by criterion: echr −15.00"))
        #expect(r.stdout.contains("fact echr_party: false → true [S29]"))
        #expect(r.stdout.contains("5 unchanged:"))
        // The parts add up to each candidate's change, in the JSON too.
        let j = try CLI.run(["diff", "scenarios/baseline.yaml", "scenarios/kosovo-joins-coe.yaml", "--format", "json"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect(doc["schema"] as? String == "hubs.diff/1")
        #expect(doc["identical"] as? Bool == false)
        for c in try #require(doc["candidates"] as? [[String: Any]]) {
            guard let delta = c["risk_delta"] as? Double else { continue }
            let parts = (c["parts"] as? [[String: Any]] ?? []).compactMap { $0["delta"] as? Double }.reduce(0, +)
            #expect(abs(parts - delta) <= 1e-9, "\(c["id"] ?? "?")")
        }
        let md = try CLI.run(["diff", "scenarios/baseline.yaml", "scenarios/kosovo-joins-coe.yaml", "--format", "markdown"])
        #expect(md.stdout.contains("| Kosovo | 3 → 1 |"))
    }

    @Test func diffOfAFileWithItselfSaysNoChange() throws {
        let r = try CLI.run(["diff", "scenarios/baseline.yaml", "scenarios/baseline.yaml"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("No change"))
    }

    @Test func diffOfTwoPoliciesListsChangesWithLocations() throws {
        let r = try CLI.run(["diff", "--policy", "policies/uk-return-hubs.yaml", "--policy", "policies/security-first.yaml"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("aggregate of 'security': mean → max"))
        #expect(r.stdout.contains("gate 'named_worst' added"))
        #expect(r.stdout.contains("now policies/security-first.yaml:"))
        #expect(r.stdout.contains("Serbia"))
    }

    @Test func failOnNarrowsTheExitCode() throws {
        // Serbia's visas lower its risk but change no band and no status.
        let args = ["diff", "scenarios/baseline.yaml", "scenarios/serbia-visas-for-russians.yaml"]
        #expect(try CLI.run(args).status == 1)
        #expect(try CLI.run(args + ["--fail-on", "band"]).status == 0)
        #expect(try CLI.run(args + ["--fail-on", "status"]).status == 0)
    }

    /// An error in a file read from a git revision shows its source line, like any other.
    @Test func anErrorAtARevisionShowsItsSourceLine() throws {
        let w = TempDir(prefix: "hubs-dt")
        for f in ["policies/uk-return-hubs.yaml", "scenarios/baseline.yaml"] { w.copy(fromRepository: f) }
        let policyPath = w.url.appendingPathComponent("policies/uk-return-hubs.yaml").path
        let text = try String(contentsOfFile: policyPath, encoding: .utf8)
        try text.replacingOccurrences(of: "- when: echr_party\n", with: "- when: echr_prty\n").write(
            toFile: policyPath, atomically: true, encoding: .utf8)
        #expect(try w.git(["init", "-q"]) == 0)
        #expect(try w.git(["add", "."]) == 0)
        #expect(try w.git(["commit", "-q", "-m", "broken"]) == 0)
        try text.write(toFile: policyPath, atomically: true, encoding: .utf8)
        let r = try CLI.run(["diff", "--rev", "HEAD"], cwd: w.path)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("HEAD:policies/uk-return-hubs.yaml:"), "\(r.stderr)")
        #expect(r.stderr.contains("when: echr_prty"), "the source line is shown: \(r.stderr)")
        #expect(r.stderr.contains("^~~~~~~~~"))
    }

    @Test func diffAgainstAGitRevisionAfterEditingAWeight() throws {
        let w = try GitProject.withHeavierSecurity(prefix: "hubs-dt")
        let r = try CLI.run(["diff", "--rev", "HEAD"], cwd: w.path)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("weight of 'security': 30 → 45"))
        #expect(r.stdout.contains("was HEAD:policies/uk-return-hubs.yaml:"))
        #expect(try w.git(["commit", "-q", "-am", "heavier security"]) == 0)
        let between = try CLI.run(["diff", "--rev", "HEAD~1..HEAD", "--format", "json"], cwd: w.path)
        #expect(between.status == 1)
        #expect(between.stdout.contains("\"kind\": \"weight\""))
        let same = try CLI.run(["diff", "--rev", "HEAD"], cwd: w.path)
        #expect(same.status == 0)
        let unknown = try CLI.run(["diff", "--rev", "no-such-rev"], cwd: w.path)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown revision 'no-such-rev'"))
        withExtendedLifetime(w) {}
    }

    /// `hubs diff` alone is `hubs diff --rev HEAD`, as `git diff` compares the working tree with
    /// the index: the same output, byte for byte.
    @Test func diffWithNoArgumentsComparesTheWorkingTreeWithHead() throws {
        let w = try GitProject.withHeavierSecurity(prefix: "hubs-dt")
        let bare = try CLI.run(["diff"], cwd: w.path)
        #expect(bare.status == 1, "\(bare.stderr)")
        #expect(bare.stdout.contains("weight of 'security': 30 → 45"))
        let explicit = try CLI.run(["diff", "--rev", "HEAD"], cwd: w.path)
        #expect(bare.stdout == explicit.stdout)
        withExtendedLifetime(w) {}
    }

    @Test func diffOutsideARepositoryAndBadUsageExit2() throws {
        let w = TempDir(prefix: "hubs-dt")
        let outside = try CLI.run(["diff", "--rev", "HEAD", "--policy", CLI.root + "/policies/uk-return-hubs.yaml"], cwd: w.path)
        #expect(outside.status == 2)
        #expect(outside.stderr.contains("not inside a git repository"))
        #expect(try CLI.run(["diff", "scenarios/baseline.yaml"]).status == 2)
        #expect(try CLI.run(["diff", "--fail-on", "sometimes"]).status == 2)
        withExtendedLifetime(w) {}
    }

    @Test func diffOfMismatchedSchemasIsAnError() throws {
        let w = TempDir(prefix: "hubs-dt")
        let s = w.write("s.yaml", "scenario: s\ncandidates:\n  a: {name: A, facts: {cpi_2024: lots}}\n")
        let r = try CLI.run(["diff", "scenarios/baseline.yaml", s])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(s):3:"))
        #expect(r.stdout.isEmpty)
        withExtendedLifetime(w) {}
    }

    @Test func shippedPolicyTestsPassWithCoverage() throws {
        let r = try CLI.run(["test"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("0 failed"))
        #expect(r.stdout.contains("Coverage of policy uk-return-hubs (policies/uk-return-hubs.yaml):"))
        #expect(try CLI.run(["test", "--coverage-min", "100"]).status == 1)
        let j = try CLI.run(["test", "--format", "json"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect(doc["schema"] as? String == "hubs.test/1")
        #expect((doc["failed"] as? Double) == 0)
    }

    @Test func aFailingExpectationShowsExpectedActualAndWhy() throws {
        let w = TempDir(prefix: "hubs-dt")
        w.copy(fromRepository: "policies/uk-return-hubs.yaml")
        w.copy(fromRepository: "scenarios/baseline.yaml")
        let t = w.write(
            "t.yaml",
            """
            policy: policies/uk-return-hubs.yaml
            scenario: scenarios/baseline.yaml
            tests:
              - name: wrong on purpose
                expect:
                  - {candidate: serbia, rank: 1}
                  - {candidate: albania, status: ranked}
                  - {candidate: kosovo, criterion: echr, risk: 0}
            """)
        let r = try CLI.run(["test", t])
        #expect(r.status == 1)
        #expect(r.stdout.contains("FAIL  wrong on purpose"))
        #expect(r.stdout.contains("\(t):6:9: expectation failed"))
        #expect(r.stdout.contains("expected: serbia rank 1"))
        #expect(r.stdout.contains("actual:   ranked 6"))
        #expect(r.stdout.contains("gate host_refused excluded: host_stance == \"refused\"; host_stance = refused [seed003]"))
        #expect(r.stdout.contains("echr_party = false [S29]"))
        #expect(r.stdout.contains("1 failed"))
        withExtendedLifetime(w) {}
    }

    @Test func badTestInputExits2() throws {
        let w = TempDir(prefix: "hubs-dt")
        w.copy(fromRepository: "policies/uk-return-hubs.yaml")
        w.copy(fromRepository: "scenarios/baseline.yaml")
        let unknownCandidate = w.write(
            "u.yaml",
            """
            policy: policies/uk-return-hubs.yaml
            scenario: scenarios/baseline.yaml
            tests:
              - {name: typo, expect: [{candidate: kosov, band: low}]}
            """)
        let r = try CLI.run(["test", unknownCandidate])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(unknownCandidate):4:"))
        #expect(r.stderr.contains("did you mean 'kosovo'?"))
        let badKey = w.write("k.yaml", "policy: p.yaml\ntests:\n  - {name: x, scenario: s.yaml, expect: [{candidate: a, bnad: low}]}\n")
        let k = try CLI.run(["test", badKey])
        #expect(k.status == 2)
        #expect(k.stderr.contains("did you mean 'band'?"))
        withExtendedLifetime(w) {}
    }
}

/// A git project holding the shipped policy and baseline, committed, with the security group's
/// weight then raised from 30 to 45 in the working tree: what `diff --rev` and `report --rev` see.
enum GitProject {
    static func withHeavierSecurity(prefix: String) throws -> TempDir {
        let w = TempDir(prefix: prefix)
        for f in ["policies/uk-return-hubs.yaml", "scenarios/baseline.yaml"] { w.copy(fromRepository: f) }
        #expect(try w.git(["init", "-q"]) == 0)
        #expect(try w.git(["add", "."]) == 0)
        #expect(try w.git(["commit", "-q", "-m", "first"]) == 0)
        let policyPath = w.url.appendingPathComponent("policies/uk-return-hubs.yaml").path
        let text = try String(contentsOfFile: policyPath, encoding: .utf8)
        let edited = text.replacingOccurrences(
            of: "  security:\n    title: Security and Russian influence\n    weight: 30",
            with: "  security:\n    title: Security and Russian influence\n    weight: 45")
        #expect(edited != text)
        try edited.write(toFile: policyPath, atomically: true, encoding: .utf8)
        return w
    }
}

/// `hubs diff` reports a fact whose evidence changed (confidence, source, date, note) even when
/// its value and every outcome stay as they were.
@Suite struct EvidenceDiffTests {
    @Test func aChangeOfConfidenceOrNoteIsReported() throws {
        let dir = TempDir(prefix: "hubs-evidence-diff")
        for f in ["policies/uk-return-hubs.yaml", "scenarios/baseline.yaml", "hubs.yaml"] { dir.copy(fromRepository: f) }
        let base = try String(contentsOfFile: dir.path("scenarios/baseline.yaml"), encoding: .utf8)
        let edited =
            base
            .replacingOccurrences(
                of: "cpi_2024: {value: 35, source: S1, confidence: high", with: "cpi_2024: {value: 35, source: S1, confidence: medium"
            )
            .replacingOccurrences(of: "scenario: baseline", with: "scenario: edited")
        #expect(edited != base)
        dir.write("scenarios/edited.yaml", edited)
        let r = try CLI.run(["diff", "scenarios/baseline.yaml", "scenarios/edited.yaml"], cwd: dir.path)
        #expect(r.status == 0, "no outcome changed: \(r.stderr)")
        #expect(r.stdout.contains("No change: every candidate has the same rank, risk, band and status."))
        #expect(
            r.stdout.contains("Evidence that changed without changing an outcome (1):\n  Serbia, cpi_2024: confidence high → medium"),
            "\(r.stdout)")
        let md = try CLI.run(["diff", "scenarios/baseline.yaml", "scenarios/edited.yaml", "--format", "markdown"], cwd: dir.path)
        #expect(md.stdout.contains("\n#### Evidence that changed without changing an outcome\n"))
        let json = try CLI.run(["diff", "scenarios/baseline.yaml", "scenarios/edited.yaml", "--format", "json"], cwd: dir.path)
        #expect(json.stdout.contains("\"field\": \"confidence\""), "\(json.stdout.prefix(400))")
    }
}
