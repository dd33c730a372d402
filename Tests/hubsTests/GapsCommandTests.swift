import Foundation
import HubsTestSupport
import Testing

/// `hubs gaps`: known answers by hand with `--set`, every format, and the shipped list.
@Suite struct GapsCommandTests {
    static func object(_ s: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any])
    }

    /// A candidate's rank with one fact set on the command line (0 when not ranked).
    static func rank(_ candidate: String, set: String) throws -> Int {
        let r = try CLI.run(["score", "--set", set, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try object(r.stdout)
        let list = try #require(doc["candidates"] as? [[String: Any]])
        let c = try #require(list.first { $0["id"] as? String == candidate })
        return (c["rank"] as? Double).map { Int($0) } ?? 0
    }

    static func entry(_ doc: [String: Any], _ candidate: String, _ fact: String) throws -> [String: Any] {
        let entries = try #require(doc["entries"] as? [[String: Any]])
        return try #require(
            entries.first { e in
                e["candidate"] as? String == candidate && (e["facts"] as? [[String: Any]])?.first?["name"] as? String == fact
            }, "\(candidate) \(fact)")
    }

    @Test func aBooleanAndAnEnumEnumeratedByHandGiveTheSameRanks() throws {
        let r = try CLI.run(["gaps", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try Self.object(r.stdout)
        #expect(doc["schema"] as? String == "hubs.gaps/1")
        // A boolean, made unknown for the run: Montenegro's UN membership, by hand with --set.
        let unknown = try CLI.run(["gaps", "--set", "montenegro.un_member=unknown", "--format", "json"])
        #expect(unknown.status == 0, "\(unknown.stderr)")
        let member = try Self.entry(try Self.object(unknown.stdout), "montenegro", "un_member")
        let listed = try #require(member["outcomes"] as? [[String: Any]]).map {
            (($0["values"] as? [String])?.first ?? "", ($0["rank"] as? Double).map { Int($0) } ?? 0)
        }
        #expect(listed.map(\.0).sorted() == ["false", "true"])
        for (value, rank) in listed {
            #expect(try Self.rank("montenegro", set: "montenegro.un_member=\(value)") == rank, "\(value)")
        }
        let range = try #require(member["rank_range"] as? [Double])
        #expect(Int(range[0]) == listed.map(\.1).min() && Int(range[1]) == listed.map(\.1).max())
        // A constraint is respected: with Montenegro outside the Council of Europe, "party to
        // the ECHR" is ruled out, not tried.
        let coe = try CLI.run([
            "gaps", "--set", "montenegro.echr_party=unknown", "--set", "montenegro.coe_member=false", "--format", "json",
        ])
        #expect(coe.status == 0, "\(coe.stderr)")
        let coeEntry = try Self.entry(try Self.object(coe.stdout), "montenegro", "echr_party")
        #expect(coeEntry["ruled_out_by_constraints"] as? Double == 1)
        #expect((coeEntry["outcomes"] as? [[String: Any]])?.compactMap { ($0["values"] as? [String])?.first } == ["false"])
        // An enum: Montenegro's host stance, every value.
        let stance = try Self.entry(doc, "montenegro", "host_stance")
        let outcomes = try #require(stance["outcomes"] as? [[String: Any]])
        #expect(outcomes.count == 4)
        for o in outcomes {
            let value = try #require((o["values"] as? [String])?.first)
            let expected = try Self.rank("montenegro", set: "montenegro.host_stance=\(value)")
            #expect(((o["rank"] as? Double).map { Int($0) } ?? 0) == expected, "\(value)")
            #expect((o["status"] as? String == "excluded") == (value == "refused"))
        }
        #expect(stance["could_exclude"] as? Bool == true)
    }

    @Test func theShippedListPutsWhatCouldChangeFirstPlaceFirst() throws {
        let r = try CLI.run(["gaps"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("First place as the inputs stand: North Macedonia."))
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix(" 1 ") || $0.hasPrefix("1 ") }
        let first = try #require(rows.first)
        #expect(first.contains("first place"), "\(r.stdout)")
        #expect(r.stdout.contains("host_stance (unknown)"))
        #expect(r.stdout.contains("Values tried:"))
        // Kosovo's crime-index scores are not given; its skip rule is an assumption too.
        #expect(r.stdout.contains("goci_criminality"))
        let md = try CLI.run(["gaps", "--format", "markdown", "--candidate", "kosovo"])
        #expect(md.status == 0)
        #expect(md.stdout.contains("### What to find out next"))
        #expect(!md.stdout.contains("| Montenegro |"))
        let bad = try CLI.run(["gaps", "--candidate", "kosov"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("did you mean 'kosovo'?"))
    }
}

/// `robust_to_assumptions` in policy tests, and the score's marks.
@Suite struct AssumptionMarkTests {
    @Test func aPolicyTestCanAskWhetherAnOutcomeHoldsOverItsAssumptions() throws {
        let dir = TempDir(prefix: "hubs-robust")
        for f in ["policies/uk-return-hubs.yaml", "scenarios/baseline.yaml"] { dir.copy(fromRepository: f) }
        let tests = dir.write(
            "policy-tests/robust.yaml",
            """
            policy: ../policies/uk-return-hubs.yaml
            scenario: ../scenarios/baseline.yaml
            tests:
              - name: holds and moves
                expect:
                  - {candidate: albania, robust_to_assumptions: true}
                  - {candidate: kosovo, robust_to_assumptions: false}
                  - {candidate: north_macedonia, robust_to_assumptions: true}
            """)
        let r = try CLI.run(["test", tests], cwd: dir.path)
        #expect(r.status == 1, "one expectation fails: \(r.stdout) \(r.stderr)")
        #expect(r.stdout.contains("north_macedonia holds over its assumptions"), "\(r.stdout)")
        #expect(r.stdout.contains("moved by host_stance (unknown)"), "\(r.stdout)")
        #expect(!r.stdout.contains("albania holds"), "\(r.stdout)")
    }

    @Test func everyFormatOfScoreMarksWhatMovesOverItsAssumptions() throws {
        let table = try CLI.run(["score"])
        #expect(table.stdout.contains("Over assumptions"))
        let kosovo = try #require(table.stdout.split(separator: "\n").first { $0.contains("Kosovo") })
        #expect(kosovo.contains("rank 2-5"), "\(kosovo)")
        let csv = try CLI.run(["score", "--format", "csv"])
        #expect(csv.stdout.contains(",assumption_rank_range,robust_to_assumptions,moved_by,basis\r\n"))
        let md = try CLI.run(["score", "--format", "markdown"])
        #expect(md.stdout.contains("| Over assumptions |"))
        let json = try CLI.run(["score", "--format", "json"])
        #expect(json.stdout.contains("\"assumption_spread\""))
        let explain = try CLI.run(["explain", "kosovo"])
        #expect(explain.stdout.contains("Over its assumptions: rank 2-5"), "\(explain.stdout)")
    }
}

/// `hubs check --coherence` and the double-counting warning.
@Suite struct CoherenceCommandTests {
    @Test func theMatrixAndAlphasPrintAndTheOldDoubleCountIsWarned() throws {
        let r = try CLI.run(["check", "--coherence", "policies/uk-return-hubs.yaml", "scenarios/baseline.yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Coherence of policy uk-return-hubs on scenario baseline (8 candidates)"))
        #expect(r.stdout.contains("Cronbach's alpha of each group's children"))
        #expect(r.stdout.contains("  legal (echr, recognition, asylum_system, eu_anchor): "))
        // The policy as it was (1.1) scored the ECHR and Council of Europe status twice.
        let old = try CLI.run([
            "check", "--strict", "Tests/hubsTests/golden/before-unknowns/uk-return-hubs-1.1.yaml", "scenarios/baseline.yaml",
        ])
        #expect(old.status == 1)
        #expect(old.stderr.contains("criteria 'echr' and 'coe' read facts that constraint 'echr_needs_coe' links"), "\(old.stderr)")
        #expect(old.stderr.contains("[double_counted]"))
    }
}
