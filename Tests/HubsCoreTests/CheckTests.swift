import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// The check stage: every problem in a policy or scenario is reported at the offending token,
/// with a message and, where it helps, a did-you-mean hint.
@Suite struct CheckTests {
    let dir = TempDir()

    /// The errors for a policy (warnings such as unused facts, which accompany typos, left out).
    func policyDiagnostics(_ m: Marked) -> [Diagnostic] {
        diagnostics(Pipeline.policy(at: dir.write("policy.yaml", m.text))).filter { $0.severity == .error }
    }

    func expectAt(
        _ d: Diagnostic?, _ m: Marked, _ marker: String, _ code: DiagnosticCode,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        #expect(d?.code == code, sourceLocation: sourceLocation)
        #expect(d?.location?.line == m[marker].line, sourceLocation: sourceLocation)
        #expect(d?.location?.column == m[marker].column, sourceLocation: sourceLocation)
    }

    static let base = """
        policy: p
        facts:
          echr_party: {type: bool}
          cpi_2024: {type: number, range: [0, 100]}
          host_stance: {type: enum, values: [refused, open_to_talks, in_talks]}
        """

    @Test func misspelledFactInExpressionPointsAtTheToken() {
        let m = Marked(
            Self.base + """

                criteria:
                  corruption:
                    expr: 'clamp(100 - 1️⃣cpi_2042, 0, 100)'
                """)
        let d = policyDiagnostics(m)
        #expect(d.count == 1)
        expectAt(d.first, m, "1️⃣", .unknownFact)
        #expect(d.first?.hint == "did you mean 'cpi_2024'?")
        #expect(d.first?.length == "cpi_2042".count)
    }

    @Test func misspelledFactInMapAndGate() {
        let m = Marked(
            Self.base + """

                gates:
                  refused:
                    exclude_if: 1️⃣host_stanse == "refused"
                    reason: refused
                criteria:
                  echr:
                    map: {fact: 2️⃣echr_prty, risk: {true: 0, false: 100}}
                """)
        let d = policyDiagnostics(m).sorted(by: Diagnostic.ordered)
        #expect(d.count == 2)
        expectAt(d[0], m, "1️⃣", .unknownFact)
        #expect(d[0].hint == "did you mean 'host_stance'?")
        expectAt(d[1], m, "2️⃣", .unknownFact)
        #expect(d[1].hint == "did you mean 'echr_party'?")
    }

    @Test func tokenLocationsInQuotedAndBlockScalars() {
        let m = Marked(
            Self.base + """

                criteria:
                  a:
                    expr: "100 - 1️⃣cpii"
                  b:
                    expr: |
                      if echr_party
                      then 2️⃣cpx
                      else 0
                """)
        let d = policyDiagnostics(m).sorted(by: Diagnostic.ordered)
        #expect(d.count == 2)
        expectAt(d[0], m, "1️⃣", .unknownFact)
        expectAt(d[1], m, "2️⃣", .unknownFact)
    }

    @Test func enumValueTypoGetsHint() {
        let m = Marked(
            Self.base + """

                criteria:
                  host:
                    map: {fact: host_stance, risk: {refused: 100, 1️⃣open_to_talk: 40, in_talks: 20}}
                """)
        let d = policyDiagnostics(m).sorted(by: Diagnostic.ordered)
        expectAt(d.first, m, "1️⃣", .unknownEnumValue)
        #expect(d.first?.hint == "did you mean 'open_to_talks'?")
    }

    @Test func incompleteMapIsAnError() {
        let m = Marked(
            Self.base + """

                criteria:
                  host:
                    map: {fact: 1️⃣host_stance, risk: {refused: 100}}
                """)
        let d = policyDiagnostics(m)
        expectAt(d.first, m, "1️⃣", .incompleteMap)
        #expect(d.first?.message.contains("'open_to_talks'") == true)
    }

    @Test(arguments: ["0", "-2", "heavy", "[1]"])
    func badWeights(_ w: String) {
        let m = Marked(
            Self.base + """

                criteria:
                  echr:
                    weight: 1️⃣\(w)
                    map: {fact: echr_party, risk: {true: 0, false: 100}}
                """)
        let d = policyDiagnostics(m)
        expectAt(d.first, m, "1️⃣", .invalidWeight)
    }

    @Test func unknownKeyGetsDidYouMean() {
        let m = Marked(
            Self.base + """

                criteria:
                  echr:
                    1️⃣wieght: 2
                    map: {fact: echr_party, risk: {true: 0, false: 100}}
                """)
        let d = policyDiagnostics(m)
        expectAt(d.first, m, "1️⃣", .unknownKey)
        #expect(d.first?.hint == "did you mean 'weight'?")
    }

    @Test func duplicateCriterionIdsAndKeys() {
        let m = Marked(
            Self.base + """

                criteria:
                  legal:
                    criteria:
                      echr:
                        map: {fact: echr_party, risk: {true: 0, false: 100}}
                  other:
                    criteria:
                      1️⃣echr:
                        expr: '50'
                """)
        let d = policyDiagnostics(m)
        expectAt(d.first, m, "1️⃣", .duplicateID)
        let m2 = Marked("policy: p\n1️⃣policy: q\nfacts: {}\ncriteria: {a: {expr: '1'}}\n")
        expectAt(policyDiagnostics(m2).first, m2, "1️⃣", .duplicateKey)
    }

    /// A mapping of 16 keys or more finds duplicates through a table of key hashes: the error is
    /// still at the second appearance, naming the first, wherever the two stand (before and after
    /// the table is made, and at the table's growth), and keys that differ are never taken for
    /// duplicates.
    @Test(arguments: [(3, 9), (3, 30), (20, 21), (5, 70)])
    func duplicateKeyInALargeMapping(_ first: Int, _ second: Int) {
        var lines = ["policy: p", "facts: {}", "criteria: {a: {expr: '1'}}", "notes:"]
        for k in 0..<80 { lines.append(k == second ? "  1️⃣k\(first): x" : "  k\(k): x") }
        let m = Marked(lines.joined(separator: "\n") + "\n")
        let d = policyDiagnostics(m)
        expectAt(d.first, m, "1️⃣", .duplicateKey)
        #expect(d.first?.hint?.contains("line \(first + 5)") == true)
        let distinct = (0..<200).map { "  key_\($0): x" }
        #expect(
            !diagnostics(Pipeline.policy(at: dir.write("wide.yaml", (lines.prefix(4) + distinct).joined(separator: "\n"))))
                .contains { $0.code == .duplicateKey })
    }

    @Test func allErrorsAreCollectedAndSorted() {
        let m = Marked(
            Self.base + """

                criteria:
                  a:
                    weight: 1️⃣0
                    expr: '2️⃣nope'
                  b:
                    map: {fact: 3️⃣nada, risk: {x: 1}}
                bands:
                  - {name: low, below: 50}
                  - {name: high, below: 4️⃣40}
                  - {name: severe}
                """)
        let d = DiagnosticBag().adding(policyDiagnostics(m)).sorted
        #expect(d.map(\.code) == [.invalidWeight, .invalidBands])
        expectAt(d[0], m, "1️⃣", .invalidWeight)
        expectAt(d[1], m, "4️⃣", .invalidBands)
    }

    @Test func scaleAndRiskRanges() {
        let m = Marked(
            Self.base + """

                criteria:
                  a:
                    scale: {of: cpi_2024, best: 50, worst: 1️⃣50}
                  b:
                    cases:
                      - {when: echr_party, risk: 2️⃣120, label: x}
                    else: {risk: 0}
                """)
        let d = policyDiagnostics(m).sorted(by: Diagnostic.ordered)
        expectAt(d[0], m, "1️⃣", .invalidScale)
        expectAt(d[1], m, "2️⃣", .invalidValue)
    }

    @Test func scenarioFileAsPolicyIsExplained() {
        let d = diagnostics(Pipeline.policy(at: dir.write("s.yaml", "scenario: s\ncandidates: {}\n")))
        #expect(d.first?.code == .wrongKind)
        #expect(d.first?.hint == "pass it with --scenario")
    }

    @Test func unusedFactIsAWarning() throws {
        let p = try compile(Self.base + "\ncriteria:\n  a: {map: {fact: echr_party, risk: {true: 0, false: 100}}}\n")
        #expect(p.warnings.filter { $0.severity == .warning }.map(\.code) == [.unusedFact, .unusedFact])
    }

    @Test func shippedPoliciesCompileCleanly() throws {
        for name in ["uk-return-hubs", "security-first"] {
            let p = try Pipeline.policy(at: shipped("policies/\(name).yaml")).get()
            #expect(p.warnings.isEmpty, "\(name): \(p.warnings)")  // no warnings, and no note of a missing rationale
        }
    }

    @Test func didYouMeanDistance() {
        #expect(Suggest.distance("kitten", "sitting") == 3)
        #expect(Suggest.closest(to: "cpi2024", in: ["cpi_2024", "nato_member"]) == "cpi_2024")
        #expect(Suggest.closest(to: "zzz", in: ["cpi_2024"]) == nil)
    }
}

extension DiagnosticBag {
    func adding(_ ds: [Diagnostic]) -> DiagnosticBag {
        var b = self
        b.add(contentsOf: ds)
        return b
    }
}

/// Under `--strict` every judgement needs its reason: cases, the else, bands, and a `missing:`
/// written as skip or worst too.
@Suite struct EveryJudgementHasAReasonTests {
    @Test func casesBandsAndWrittenMissingRulesWithoutARationaleAreNoted() throws {
        let text = policyYAML(
            facts: "  x: {type: number, range: [0, 10]}\n  f: {type: bool}",
            criteria: """
                  a:
                    weight: 1
                    rationale: r
                    cases:
                      - {when: x > 5, risk: 80, label: high}
                      - {when: x > 2, risk: 40, label: some, rationale: why some}
                    else: {risk: 0, label: none}
                    missing: skip
                  b:
                    weight: 1
                    rationale: r
                    map: {fact: f, risk: {true: 0, false: 100}, rationale: r}
                    missing: {rule: worst, rationale: silence is not reassurance}
                """,
            extra: "bands:\n  - {name: low, below: 50}\n  - {name: high, rationale: the upper half}")
        let dir = TempDir()
        let p = try Pipeline.policy(at: dir.write("p.yaml", text)).get()
        let notes = p.warnings.filter { $0.code == .missingRationale }.map(\.message).sorted()
        #expect(
            notes == [
                "no rationale is given for band 'low' (below 50)",
                "no rationale is given for the missing-data rule 'skip' of 'a'",
                "no rationale is given for the risk 0 of the else of 'a' (none)",
                "no rationale is given for the risk 80 of case 1 of 'a' (high)",
            ], "\(notes)")
    }

    @Test func aBasisIsOneOfThreeKindsAndCitesAListedSource() throws {
        let policy = policyYAML(facts: "  f: {type: bool}", criteria: "  a: {weight: 1, map: {fact: f, risk: {true: 0, false: 100}}}")
        let bad = """
            scenario: s
            sources:
              r1: {title: A report, no_address: supplied as text}
            candidates:
              x: {name: X, basis: {kind: nammed, source: r1}, facts: {f: true}}
              y: {name: Y, basis: {kind: named, source: r2}, facts: {f: true}}
            """
        let found = diagnostics(assess(policy: policy, scenario: bad))
        #expect(found.contains { $0.code == .invalidValue && $0.message.contains("found 'nammed'") && $0.hint == "did you mean 'named'?" })
        #expect(found.contains { $0.code == .unknownSource && $0.message.contains("the basis of y cites source 'r2'") })
        let good = bad.replacingOccurrences(of: "nammed", with: "comparison").replacingOccurrences(of: "source: r2", with: "source: r1")
        let a = try assess(policy: policy, scenario: good).get()
        #expect(a.scenario.candidates.map { $0.basis?.kind } == [.comparison, .named])
        #expect(a.scenario.sources.first?.noAddress == "supplied as text")
    }
}
