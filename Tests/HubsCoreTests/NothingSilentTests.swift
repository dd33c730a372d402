import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// Regression tests for the ways hubs could mislead an analyst without saying so.
@Suite struct NothingSilentTests {
    // MARK: exactness of scales

    static func scalePolicy(aggregate: String = "mean", best: String = "0", worst: String = "100", transform: String = "") -> String {
        policyYAML(
            facts: "  x: {type: number}\n  y: {type: number}\n",
            criteria: """
                  g:
                    weight: 1
                    aggregate: \(aggregate)
                    criteria:
                      s: {weight: 1, scale: {of: x, best: \(best), worst: \(worst)\(transform)}}
                      t: {weight: 1, expr: 'y'}
                """, extra: "min_coverage: 0")
    }

    static func rows(_ xs: [String], y: String = "10") -> String {
        var s = "scenario: s\ncandidates:\n"
        for (i, x) in xs.enumerated() { s += "  c\(i): {name: C\(i), facts: {x: \(x), y: \(y)}}\n" }
        return s
    }

    @Test(arguments: [
        ("0", "100", ""), ("70", "20", ""), ("3", "7", ""), ("7", "3", ""), ("1", "1000", ", transform: log10"),
        ("2", "50", ", transform: log"), ("4", "81", ", transform: sqrt"), ("0.1", "0.7", ""),
    ])
    func scaleIsExactlyZeroAtBestAndHundredAtWorst(_ best: String, _ worst: String, _ transform: String) throws {
        let a = try assess(policy: Self.scalePolicy(best: best, worst: worst, transform: transform), scenario: Self.rows([best, worst]))
            .get()
        let atBest = try #require(a.result(for: "c0")?.criteria.first { $0.id == "s" })
        let atWorst = try #require(a.result(for: "c1")?.criteria.first { $0.id == "s" })
        #expect(atBest.risk == 0)
        #expect(atWorst.risk == 100)
    }

    /// In a geometric group a child at its worst goalpost makes the group 100 (severe), whatever the others.
    @Test func geometricGroupWithAChildAtWorstIsHundred() throws {
        let a = try assess(policy: Self.scalePolicy(aggregate: "geometric", best: "70", worst: "20"), scenario: Self.rows(["20"])).get()
        let g = try #require(a.result(for: "c0")?.criteria.first { $0.id == "g" })
        #expect(g.risk == 100)
    }

    /// Risk never falls as the fact moves toward the worst goalpost, for every transform.
    @Test(arguments: ["", ", transform: log10", ", transform: sqrt"])
    func scaleIsMonotonic(_ transform: String) throws {
        let xs = stride(from: 1.0, through: 100.0, by: 0.37).map { String($0) } + ["99.9999", "99.99999999", "100", "101"]
        let a = try assess(policy: Self.scalePolicy(best: "1", worst: "100", transform: transform), scenario: Self.rows(xs)).get()
        var last = -1.0
        for i in xs.indices {
            let r = try #require(a.result(for: "c\(i)")?.criteria.first { $0.id == "s" }?.risk)
            #expect(r >= last, "x = \(xs[i])")
            last = r
        }
        #expect(last == 100)
    }

    // MARK: one comparison for ranks and bands

    /// Three risks 6e-10 apart: the same order for every listing order of the candidates.
    @Test func rankingIsTheSameForEveryPermutation() throws {
        let policy = policyYAML(facts: "  x: {type: number}\n", criteria: "  only: {weight: 1, expr: 'x'}\n", extra: "min_coverage: 0")
        let values = [("p", "45"), ("q", "45.0000000006"), ("r", "45.0000000012")]
        func permutations<T>(_ a: [T]) -> [[T]] {
            a.count <= 1 ? [a] : a.indices.flatMap { i in permutations(Array(a[..<i] + a[(i + 1)...])).map { [a[i]] + $0 } }
        }
        var orders = Set<[String]>()
        var rankings = Set<[Int?]>()
        for perm in permutations(values) {
            let s = "scenario: s\ncandidates:\n" + perm.map { "  \($0.0): {name: \($0.0), facts: {x: \($0.1)}}\n" }.joined()
            let a = try assess(policy: policy, scenario: s).get()
            orders.insert(a.results.map(\.id))
            rankings.insert(a.results.map(\.rank))
        }
        #expect(orders.count == 1)
        #expect(rankings.count == 1)
    }

    /// Shared ranks for equal risks, and a band that agrees with the value shown.
    @Test func tiesShareARankAndBandsAgreeWithTheDisplayedRisk() throws {
        let policy = policyYAML(facts: "  x: {type: number}\n", criteria: "  only: {weight: 1, expr: 'x'}\n", extra: "min_coverage: 0")
        let s =
            "scenario: s\ncandidates:\n  a: {name: A, facts: {x: 10}}\n  b: {name: B, facts: {x: 10.0000000000001}}\n"
            + "  c: {name: C, facts: {x: 24.999999999999996}}\n  d: {name: D, facts: {x: 24.96}}\n"
        let a = try assess(policy: policy, scenario: s).get()
        #expect(a.results.map(\.rank) == [1, 1, 3, 4])
        let c = try #require(a.result(for: "c"))
        #expect(c.band == "moderate")  // 24.999999999999996 is 25 at the comparison resolution
        #expect(ScoreRenderer.riskText(c.risk, policy: a.policy) == "25.0")
        let d = try #require(a.result(for: "d"))
        #expect(d.band == "low")
        #expect(ScoreRenderer.riskText(d.risk, policy: a.policy) == "24.96")
    }

    // MARK: thin evidence and assumptions

    @Test func aCandidateWithTwoFactsIsInsufficientEvidence() throws {
        let a = try assess(
            policy: String(contentsOfFile: shipped("policies/uk-return-hubs.yaml"), encoding: .utf8),
            scenario: """
                scenario: s
                as_of: 2025-10-19
                sources: {x: {title: X, date: 2025-01-01}}
                candidates:
                  thin: {name: Thin, facts: {echr_party: {value: true, source: x}, coe_member: {value: true, source: x}}}
                """
        ).get()
        let r = try #require(a.result(for: "thin"))
        #expect(r.status == .insufficientEvidence)
        #expect(r.rank == nil)
        #expect(r.coverage < 0.5)
        #expect(!r.coverageGaps.isEmpty)
        // The largest gap comes first.
        #expect(r.coverageGaps.map(\.share) == r.coverageGaps.map(\.share).sorted(by: >))
    }

    @Test func assumedContributionsAreMarkedAndSplit() throws {
        let a = try Pipeline.assess(policyPath: shipped("policies/uk-return-hubs.yaml"), scenarioPath: shipped("scenarios/baseline.yaml"))
            .get()
        let r = try #require(a.result(for: "north_macedonia"))
        let host = try #require(r.criteria.first { $0.id == "host_willingness" })
        #expect(host.assumed)
        let ev = try #require(r.riskFromEvidence)
        let asm = try #require(r.riskFromAssumptions)
        #expect(Swift.abs(ev + asm - r.risk!) < 1e-9)
        #expect(asm > 0)
        // The table never shows an assumed driver without saying so.
        let table = ScoreRenderer.table(a)
        #expect(table.contains("host_willingness 9.0 (assumed)"))
        #expect(!table.contains("host_willingness 9.0,"))
        let json = AssessmentJSON.document(a).serialized()
        #expect(json.contains("\"risk_from_assumptions\""))
        #expect(json.contains("\"assumed\": true") || json.contains("\"assumed\":true"))
    }

    // MARK: a safe library

    /// Out-of-domain values (an enum index past the end, a negative, a huge number) are faults, not
    /// reads outside the lookup table.
    @Test func evaluatorRejectsOutOfDomainValues() throws {
        let p = try Pipeline.policy(at: shipped("policies/uk-return-hubs.yaml")).get()
        let ev = Evaluator(p)
        for bad in [5.0, -1, 1e300, -1e300, 2.5e9, .infinity] {
            var row = [Double](repeating: 0, count: p.slotCount)
            row[p.slot(of: "eu_status")!] = bad
            let o = ev.score(row)
            #expect(o.faults > 0, "value \(bad)")
            var batchOut = [Outcome](repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: 1)
            row.withUnsafeBufferPointer { rp in
                batchOut.withUnsafeMutableBufferPointer { ev.scoreBatch(rp.baseAddress!, count: 1, into: $0.baseAddress!) }
            }
            #expect(batchOut[0].risk.isNaN || batchOut[0].faults > 0 || batchOut[0].risk == o.risk)
        }
    }

    // MARK: integers read through one checked path

    @Test func hugeCaseNumberIsALocatedError() throws {
        let m = Marked(
            policyYAML(
                facts: "  x: {type: number}\n",
                criteria: """
                      c: {weight: 1, cases: [{when: 'x > 1', risk: 10}], else: {risk: 0}}
                    """, extra: "sensitivity: {alternatives: [{criterion: c, case: 1️⃣1e300, when: ['x > 2']}]}"))
        let dir = TempDir()
        let d = diagnostics(Pipeline.policy(at: dir.write("p.yaml", m.text)))
        let e = try #require(d.first { $0.code == .invalidValue })
        #expect(e.location?.line == m["1️⃣"].line)
        #expect(e.location?.column == m["1️⃣"].column)
    }

    // MARK: structural slips

    /// The last criterion of a group, dedented one level, lands beside the groups: a warning at it,
    /// naming what to do, and the tree shows the structure as read.
    @Test func dedentedCriterionWarnsAtItsLocation() throws {
        let m = Marked(
            policyYAML(
                facts: "  x: {type: number}\n  y: {type: number}\n  z: {type: number}\n",
                criteria: """
                      g:
                        weight: 2
                        criteria:
                          a: {weight: 1, expr: 'x'}
                          b: {weight: 1, expr: 'y'}
                      1️⃣c: {weight: 1, expr: 'z'}
                    """))
        let dir = TempDir()
        let p = try Pipeline.policy(at: dir.write("p.yaml", m.text)).get()
        let w = try #require(p.warnings.first { $0.code == .mixedLevel })
        #expect(w.location?.line == m["1️⃣"].line)
        #expect(w.location?.column == m["1️⃣"].column)
        #expect(w.hint?.contains("indent it one more level") == true)
        let tree = PolicyTreeRenderer.text(p)
        #expect(tree.contains("\nc "))  // at the top level, as read
        #expect(tree.contains("  a "))
    }

    @Test func aTreeOfGroupsOnlyHasNoStructureWarning() throws {
        let p = try Pipeline.policy(at: shipped("policies/uk-return-hubs.yaml")).get()
        #expect(!p.warnings.contains { $0.code == .mixedLevel })
    }

    // MARK: error messages that fix the problem

    static let schema = policyYAML(
        facts: "  x: {type: number}\n  kind: {type: enum, values: [targeted, regional]}\n",
        criteria: "  a: {weight: 1, expr: 'x'}\n  b: {weight: 1, map: {fact: kind, risk: {targeted: 0, regional: 40}}}\n")

    @Test func misspeltValueKeyIsOneError() throws {
        let m = Marked(
            "scenario: s\nsources: {S1: {title: One}}\ncandidates:\n  c: {name: C, facts: {x: {1️⃣vlaue: 35, source: S1}, kind: targeted}}\n")
        let d = diagnostics(assess(policy: Self.schema, scenario: m.text)).filter { $0.severity == .error }
        #expect(d.count == 1, "\(d)")
        #expect(d.first?.code == .unknownKey)
        #expect(d.first?.hint == "did you mean 'value'?")
        #expect(d.first?.location?.column == m["1️⃣"].column)
        #expect(!d.contains { $0.hint == "did you mean 'source'?" })
    }

    @Test func unquotedEnumValueInAnExpressionSaysToQuoteIt() throws {
        let m = Marked(
            policyYAML(
                facts: "  kind: {type: enum, values: [targeted, regional]}\n",
                criteria: "  a: {weight: 1, cases: [{when: 'kind == 1️⃣targeted', risk: 0, label: t}], else: {risk: 50}}\n"))
        let dir = TempDir()
        let d = diagnostics(Pipeline.policy(at: dir.write("p.yaml", m.text)))
        let e = try #require(d.first { $0.severity == .error })
        #expect(e.message.contains("must be quoted"))
        #expect(e.hint?.contains("\"targeted\"") == true)
        #expect(e.location?.column == m["1️⃣"].column)
    }

    @Test func quotedNumberSaysItIsQuoted() throws {
        let d = diagnostics(
            assess(policy: Self.schema, scenario: "scenario: s\ncandidates:\n  c: {name: C, facts: {x: {value: \"35\"}, kind: targeted}}\n")
        )
        let e = try #require(d.first { $0.severity == .error })
        #expect(e.message.contains("quoted"))
        #expect(e.hint == "remove the quotes: a quoted number is text")
    }

    @Test func unknownFunctionAddsNoUnusedFactWarning() throws {
        let dir = TempDir()
        let d = diagnostics(
            Pipeline.policy(
                at: dir.write("p.yaml", policyYAML(facts: "  x: {type: number}\n", criteria: "  a: {weight: 1, expr: 'squareroot(x)'}\n"))))
        #expect(d.contains { $0.code == .unknownFunction })
        #expect(!d.contains { $0.code == .unusedFact })
    }

    @Test func indentationSlipPointsAtTheLineWithAnIndentationHint() throws {
        let m = Marked("scenario: s\ncandidates:\n  c:\n    name: C\n    facts:\n      x: 35\n        1️⃣kind: targeted\n")
        let d = diagnostics(assess(policy: Self.schema, scenario: m.text))
        let e = try #require(d.first)
        #expect(e.location?.line == m["1️⃣"].line)
        #expect(e.location?.column == m["1️⃣"].column)
        #expect(e.hint?.contains("indent it by 6 spaces") == true)
        #expect(!(e.hint ?? "").contains("must be quoted"))
    }

    // MARK: constraints and sampling

    @Test func aScenarioThatBreaksAConstraintIsWarned() throws {
        let p = try String(contentsOfFile: shipped("policies/uk-return-hubs.yaml"), encoding: .utf8)
        let s = "scenario: s\ncandidates:\n  c: {name: C, facts: {echr_party: true, coe_member: false}}\n"
        let a = try assess(policy: p.replacingOccurrences(of: "min_coverage: 50", with: "min_coverage: 0"), scenario: s).get()
        let w = try #require(a.warnings.first { $0.code == .constraintBroken })
        #expect(w.message.contains("echr_needs_coe"))
        #expect(w.location?.line == 3)
    }

    /// A medium-confidence bool keeps its stated value in about 90% of draws, not half.
    @Test func mediumConfidenceBooleanIsNotACoinFlip() throws {
        let policy = policyYAML(
            facts: "  b: {type: bool}\n  x: {type: number}\n",
            criteria: """
                  a: {weight: 1, map: {fact: b, risk: {true: 100, false: 0}}}
                  e: {weight: 1, expr: 'x'}
                """, extra: "min_coverage: 0")
        let s =
            "scenario: s\ncandidates:\n  c: {name: C, facts: {b: {value: false, confidence: medium}, x: 10}}\n  d: {name: D, facts: {b: false, x: 50}}\n"
        let a = try assess(policy: policy, scenario: s).get()
        var o = SensitivityOptions()
        o.samples = 4000
        o.seed = 7
        o.factConfidence = [.medium]
        o.threads = 1
        let r = try SensitivityAnalysis.run(a, table: a.table, options: o).get()
        let c = try #require(r.candidates.first { $0.id == "c" })
        let pHigh = c.bands.first { $0.name == "high" }?.probability ?? 0
        // b flips to true (risk 55, high) in about 10% of runs.
        #expect(pHigh > 0.05 && pHigh < 0.15, "P(high) = \(pHigh)")
    }

    // MARK: every judgement carries its reason

    @Test func citationsMustNameADeclaredSource() throws {
        let m = Marked(
            policyYAML(
                facts: "  x: {type: number}\n",
                criteria: """
                      a: {weight: 1, rationale: because, cite: [S1, 1️⃣S9], expr: 'x'}
                    """, extra: "sources: {S1: {title: One}, S2: {title: Two}}"))
        let dir = TempDir()
        let d = diagnostics(Pipeline.policy(at: dir.write("p.yaml", m.text)))
        let e = try #require(d.first { $0.code == .unknownSource })
        #expect(e.location?.line == m["1️⃣"].line && e.location?.column == m["1️⃣"].column)
    }

    @Test func judgementsWithoutARationaleAreNoted() throws {
        let m = Marked(
            policyYAML(
                facts: "  x: {type: number}\n  y: {type: number}\n",
                criteria: """
                      a: {weight: 1, rationale: why a, scale: {of: x, best: 0, worst: 10, rationale: why these}}
                      b: {weight: 2, scale: 1️⃣{of: y, best: 0, worst: 10}, missing: {assume: 50}}
                    """))
        let dir = TempDir()
        let p = try Pipeline.policy(at: dir.write("p.yaml", m.text)).get()
        let notes = p.warnings.filter { $0.code == .missingRationale && !$0.message.contains("band '") }
        #expect(notes.allSatisfy { $0.severity == .note })
        #expect(notes.count == 3)  // b's weight, b's goalposts, b's assumed risk
        #expect(notes.contains { $0.message.contains("goalposts of 'b'") && $0.location?.column == m["1️⃣"].column })
        #expect(!notes.contains { $0.message.contains("'a'") })
    }

    @Test func explainShowsTheRationales() throws {
        let a = try Pipeline.assess(policyPath: shipped("policies/uk-return-hubs.yaml"), scenarioPath: shipped("scenarios/baseline.yaml"))
            .get()
        let text = ExplainRenderer.text(a.result(for: "serbia")!, in: a)
        #expect(text.contains("why this weight: One status, counted once."))
        #expect(text.contains("why these goalposts:"))
        #expect(text.contains("why this assumption:"))
        #expect(text.contains("Sources the policy's rationales cite"))
    }

    @Test func everyWeightAndGoalpostOfTheShippedPoliciesHasARationale() throws {
        for name in ["uk-return-hubs", "security-first"] {
            let p = try Pipeline.policy(at: shipped("policies/\(name).yaml")).get()
            #expect(!p.warnings.contains { $0.code == .missingRationale }, "\(name)")
            for c in p.criteria where c.scale != nil { #expect(c.ruleRationale?.text != nil, "\(name): \(c.id)") }
        }
    }

    // MARK: the evidence ships with hubs

    static func shippedTextFiles() throws -> [String] {
        var out = [shipped("README.md")]
        for dir in ["policies", "scenarios", "policy-tests", "evidence", "docs"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: shipped(dir)).sorted()
            where name.hasSuffix(".yaml") || name.hasSuffix(".md") {
                out.append(shipped("\(dir)/\(name)"))
            }
        }
        return out
    }

    @Test func nothingShippedRefersOutsideTheRepository() throws {
        for path in try Self.shippedTextFiles() {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(!text.contains("../shared"), "\(path)")
            #expect(!text.contains("FACTS.md"), "\(path)")
        }
    }

    /// Every source a shipped scenario or policy declares is described in evidence/sources.md.
    @Test func everyShippedSourceIsInTheEvidenceFolder() throws {
        let sheet = try String(contentsOfFile: shipped("evidence/sources.md"), encoding: .utf8)
        var ids: [String] = []
        for name in ["baseline", "kosovo-joins-coe", "serbia-visas-for-russians", "montenegro-visas-2026"] {
            ids += try Pipeline.scenario(at: shipped("scenarios/\(name).yaml")).get().sources.map(\.id)
        }
        for name in ["uk-return-hubs", "security-first"] {
            ids += try Pipeline.policy(at: shipped("policies/\(name).yaml")).get().policy.sources.map(\.id)
        }
        #expect(!ids.isEmpty)
        for id in Set(ids) { #expect(sheet.contains("| \(id) |"), "\(id) is not in evidence/sources.md") }
    }
}
