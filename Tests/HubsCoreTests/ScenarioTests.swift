import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

@Suite struct ScenarioTests {
    let dir = TempDir()

    static let parent = """
        scenario: base
        as_of: 2025-10-19
        sources:
          S1: {title: Source one, date: 2025-01-01}
        candidates:
          aa:
            name: Alpha
            facts:
              score: {value: 10, source: S1, confidence: high}
              flag: true
          bb:
            name: Beta
            facts:
              score: unknown
              flag: false
        """

    func load(_ name: String) -> Result<Scenario, DiagnosticsError> { ScenarioLoader().load(path: dir.path(name)) }

    @Test func factsKeepTheirEvidence() throws {
        dir.write("base.yaml", Self.parent)
        let s = try load("base.yaml").get()
        #expect(s.candidates.map(\.id) == ["aa", "bb"])
        let f = try #require(s.candidate("aa")?.fact("score"))
        #expect(f.source == "S1")
        #expect(f.confidence == .high)
        #expect(s.candidate("bb")?.fact("score")?.isUnknown == true)
        #expect(s.candidate("aa")?.fact("flag")?.isUnknown == false)
    }

    /// A variant (`like:`) has the facts of the candidate it is like, except those it gives,
    /// each marked with where it came from; a variant may be like a variant, and like a candidate
    /// of the parent scenario.
    @Test func variantsInheritFactsTheyDoNotGive() throws {
        dir.write("base.yaml", Self.parent)
        dir.write(
            "v.yaml",
            """
            scenario: v
            extends: base
            candidates:
              aa_signs: {name: Alpha if it signs, like: aa, facts: {flag: false}}
              aa_more: {name: Alpha if more, like: aa_signs, facts: {score: 20}}
            """)
        let s = try load("v.yaml").get()
        let signs = try #require(s.candidate("aa_signs"))
        #expect(signs.like == "aa")
        #expect(signs.facts.map(\.name) == ["score", "flag"])
        #expect(signs.fact("score")?.inheritedFrom == "aa")
        #expect(signs.fact("score")?.source == "S1", "provenance is inherited with the value")
        #expect(signs.fact("flag")?.inheritedFrom == nil)
        let more = try #require(s.candidate("aa_more"))
        #expect(more.fact("score")?.inheritedFrom == nil)
        #expect(more.fact("flag")?.inheritedFrom == "aa_signs")
        #expect(s.candidate("aa")?.fact("flag")?.inheritedFrom == nil, "the original is untouched")
    }

    @Test(arguments: [
        ("x: {name: X, like: nobody}", "candidate 'x' is like 'nobody', which this scenario does not have", 4),
        ("x: {name: X, like: x}", "candidate 'x' cannot be like itself", 4),
        ("x: {name: X, like: y}\n  y: {name: Y, like: x}", "is in turn like", 4),
    ])
    func badVariantsAreLocatedErrors(_ candidates: String, _ message: String, _ line: Int) throws {
        dir.write("base.yaml", Self.parent)
        dir.write("bad.yaml", "scenario: bad\nextends: base\ncandidates:\n  \(candidates)\n")
        guard case let .failure(e) = load("bad.yaml") else {
            Issue.record("accepted")
            return
        }
        #expect(e.diagnostics.contains { $0.message.contains(message) && $0.location?.line == line }, "\(e.diagnostics)")
    }

    /// A source id named in a note counts as cited only as a whole word.
    @Test(arguments: [
        ("S2 disagrees", true), ("see (S2).", true), ("S21 only", false), ("xS2", false), ("S2é", false), ("S2-x", false), ("", false),
    ])
    func sourceIDsInNotesAreWholeWords(_ note: String, _ found: Bool) {
        #expect(ScenarioLoader.containsWord(Array("S2".utf8), in: Array(note.utf8)) == found, "\(note)")
    }

    @Test func extendsAppliesChanges() throws {
        dir.write("base.yaml", Self.parent)
        dir.write(
            "child.yaml",
            """
            scenario: child
            extends: base
            sources:
              S2: {title: Source two}
            candidates:
              cc: {name: Gamma, facts: {score: 5}}
            changes:
              aa:
                set:
                  score: {value: 20, source: S2}
                unknown: [flag]
              bb: remove
            """)
        let s = try load("child.yaml").get()
        #expect(s.candidates.map(\.id) == ["aa", "cc"])
        #expect(s.lineage == ["child", "base"])
        #expect(s.asOf?.description == "2025-10-19")
        let aa = try #require(s.candidate("aa"))
        if case let .given(v) = aa.fact("score")?.state { #expect(v.text == "20") } else { Issue.record("score not set") }
        #expect(aa.fact("score")?.source == "S2")
        #expect(aa.fact("flag")?.isUnknown == true)
        #expect(s.files.count == 2)
    }

    @Test func cyclesAreErrors() {
        let a = Marked("scenario: a\nextends: 1️⃣b\n")
        dir.write("a.yaml", a.text)
        dir.write("b.yaml", "scenario: b\nextends: a\n")
        let d = diagnostics(load("a.yaml"))
        #expect(d.contains { $0.code == .extendsCycle && $0.message.contains("a.yaml -> b.yaml -> a.yaml") })
        #expect(d.first?.location?.line == a["1️⃣"].line)
        #expect(d.first?.location?.column == a["1️⃣"].column)
        dir.write("self.yaml", "scenario: s\nextends: self\n")
        #expect(diagnostics(load("self.yaml")).map(\.code) == [.extendsCycle])
    }

    @Test func missingParentHasDidYouMean() {
        dir.write("baseline.yaml", Self.parent)
        let m = Marked("scenario: w\nextends: 1️⃣baselin\n")
        dir.write("w.yaml", m.text)
        let d = diagnostics(load("w.yaml"))
        #expect(d.map(\.code) == [.missingParent])
        #expect(d.first?.hint == "did you mean 'baseline'?")
        #expect(d.first?.location?.column == m["1️⃣"].column)
    }

    @Test func changesToUnknownCandidate() {
        dir.write("base.yaml", Self.parent)
        let m = Marked("scenario: w\nextends: base\nchanges:\n  1️⃣aaa: remove\n")
        dir.write("w.yaml", m.text)
        let d = diagnostics(load("w.yaml"))
        #expect(d.map(\.code) == [.unknownCandidate])
        #expect(d.first?.hint == "did you mean 'aa'?")
        #expect(d.first?.location?.line == m["1️⃣"].line)
    }

    @Test func duplicateCandidateAndUnknownSource() {
        dir.write("base.yaml", Self.parent)
        let m = Marked(
            "scenario: w\nextends: base\ncandidates:\n  1️⃣aa: {name: Again}\n  cc: {name: C, facts: {score: {value: 1, source: 2️⃣S9}}}\n")
        dir.write("w.yaml", m.text)
        let d = diagnostics(load("w.yaml")).sorted(by: Diagnostic.ordered)
        #expect(d.map(\.code) == [.duplicateID, .unknownSource])
        #expect(d[1].location?.column == m["2️⃣"].column)
    }

    @Test func blankFactIsAnError() {
        let m = Marked("scenario: s\ncandidates:\n  a:\n    name: A\n    facts:\n      1️⃣score:\n")
        dir.write("s.yaml", m.text)
        let d = diagnostics(load("s.yaml"))
        #expect(d.first?.code == .invalidValue)
        #expect(d.first?.hint?.contains("unknown") == true)
        #expect(d.first?.location?.line == m["1️⃣"].line)
    }

    @Test func policyFileAsScenarioIsExplained() {
        dir.write("p.yaml", "policy: p\nfacts: {}\ncriteria: {}\n")
        #expect(diagnostics(load("p.yaml")).first?.hint == "pass it with --policy")
    }

    // Binding: the scenario's values against a policy's schema.

    static let policy = policyYAML(
        facts: """
              score: {type: number, range: [0, 100]}
              flag: {type: bool}
              kind: {type: enum, values: [red, green]}
              when: {type: date}
            """,
        criteria: """
              s: {scale: {of: score, best: 0, worst: 100}}
              f: {map: {fact: flag, risk: {true: 0, false: 100}}}
              k: {map: {fact: kind, risk: {red: 100, green: 0}}}
              w: {expr: 'if when > date("2020-01-01") then 0 else 100'}
            """, extra: "max_fact_age: 1y")

    func bindErrors(_ facts: String) -> [Diagnostic] {
        let m = "scenario: s\nas_of: 2025-01-01\ncandidates:\n  a:\n    name: A\n    facts:\n\(facts)\n"
        return diagnostics(assess(policy: Self.policy, scenario: m))
    }

    @Test(arguments: [
        ("      score: 1️⃣high", DiagnosticCode.typeMismatch, "must be a number"),
        ("      score: 1️⃣140", .valueOutOfRange, "outside its range [0, 100]"),
        ("      flag: 1️⃣yes", .typeMismatch, "must be true or false"),
        ("      kind: 1️⃣gren", .unknownEnumValue, "is not a value of fact 'kind'"),
        ("      when: 1️⃣2020-13-01", .invalidDate, "must be a date"),
        ("      score: 1️⃣\"12\"", .typeMismatch, "must be a number"),
    ])
    func valuesAreTypedAgainstThePolicy(_ line: String, _ code: DiagnosticCode, _ message: String) {
        let m = Marked(line)
        let d = bindErrors(m.text)
        #expect(d.map(\.code) == [code])
        #expect(d.first?.message.contains(message) == true, "\(d.first?.message ?? "")")
        #expect(d.first?.location?.line == 7)
        #expect(d.first?.location?.column == m["1️⃣"].column)
        if code == .unknownEnumValue { #expect(d.first?.hint == "did you mean 'green'?") }
        if line.contains("yes") { #expect(d.first?.hint == "write true") }
    }

    @Test func staleAndLateEvidenceWarn() throws {
        let s = """
            scenario: s
            as_of: 2025-01-01
            sources:
              old: {title: Old, date: 2020-06}
              late: {title: Late, date: 2025-06-01}
            candidates:
              a:
                name: A
                facts:
                  score: {value: 10, source: old}
                  flag: {value: true, source: late}
                  kind: red
                  when: 2021-01-01
            """
        let a = try assess(policy: Self.policy, scenario: s).get()
        let codes = a.warnings.map(\.code)
        #expect(codes.contains(.staleFact))
        #expect(codes.contains(.factAfterAsOf))
        #expect(a.warnings.contains { $0.code == .undatedFact && $0.severity == .note })
    }

    /// A misspelt fact (close to a declared fact the candidate does not give) is an error: nothing
    /// is scored on it.
    @Test func misspeltScenarioFactIsAnErrorWithHint() throws {
        let m = Marked("scenario: s\ncandidates:\n  a:\n    name: A\n    facts: {1️⃣scroe: 1, flag: true, kind: red, when: 2021-01-01}\n")
        let d = diagnostics(assess(policy: Self.policy, scenario: m.text)).filter { $0.severity == .error }
        #expect(d.count == 1)
        #expect(d.first?.code == .misspeltFact)
        #expect(d.first?.hint == "did you mean 'score'?")
        #expect(d.first?.location?.line == m["1️⃣"].line && d.first?.location?.column == m["1️⃣"].column)
    }

    /// A fact far from any declared name is a warning, once per name however many candidates give it;
    /// the declared fact the candidate lacks is reported as not given.
    @Test func undeclaredFactWarnsOncePerName() throws {
        let s = """
            scenario: s
            candidates:
              a: {name: A, facts: {colour_of_flag: 1, flag: true, kind: red, when: 2021-01-01}}
              b: {name: B, facts: {colour_of_flag: 2, score: 3, flag: true, kind: red, when: 2021-01-01}}
            """
        let a = try assess(policy: Self.policy, scenario: s).get()
        let w = a.warnings.filter { $0.code == .undeclaredFact }
        #expect(w.count == 1)
        #expect(w.first?.message.contains("2 candidates") == true)
        let r = try #require(a.result(for: "a"))
        #expect(
            r.assumptions.contains { a in
                if case let .missingRule(_, facts, _) = a { facts.contains { $0.name == "score" && $0.state == .notGiven } } else { false }
            })
    }

    /// A long list is loaded and bound in chunks side by side: what they find is joined in file
    /// order, as if read by one loop (one warning per undeclared name, its first candidates first;
    /// each candidate's own values, warnings and errors where they belong).
    @Test func chunkedLoadingAndBindingKeepFileOrder() throws {
        var s = "scenario: s\nas_of: 2024-01-01\ncandidates:\n"
        for i in 0..<1_500 {
            let score = i == 1_234 ? "{value: 4, as_of: 2025-06-01}" : "\(i % 10)"
            s +=
                "  c\(String(format: "%04d", i)): {name: C\(i), facts: {colour_of_flag: \(i), score: \(score), flag: true, kind: red, when: 2021-01-01}}\n"
        }
        let a = try assess(policy: Self.policy, scenario: s).get()
        #expect(a.results.count == 1_500)
        let undeclared = a.warnings.filter { $0.code == .undeclaredFact }
        #expect(undeclared.count == 1)
        #expect(undeclared.first?.message.contains("1500 candidates (c0000, c0001, c0002, …)") == true)
        #expect(undeclared.first?.location?.line == 4)
        let late = a.warnings.filter { $0.code == .factAfterAsOf }
        #expect(late.count == 1 && late.first?.message.contains("c1234") == true && late.first?.location?.line == 4 + 1_234)
        #expect(a.table.warningsByCandidate["c1234"]?.contains { $0.code == .factAfterAsOf } == true)
        #expect(a.table.warningsByCandidate["c1233"]?.contains { $0.code == .factAfterAsOf } != true)
        for c in [0, 511, 512, 1_499] {
            let id = "c" + String(format: "%04d", c)
            let row = try #require(a.table.scenario.candidates.firstIndex { $0.id == id })
            #expect(row == c)
            #expect(a.table.fact(c, try #require(a.policy.facts.firstIndex { $0.name == "score" }))?.location.line == 4 + c)
        }
        // A misspelling far down the list is still an error at its own line.
        let bad = s.replacingOccurrences(
            of: "c1400: {name: C1400, facts: {colour_of_flag: 1400, score:",
            with: "c1400: {name: C1400, facts: {colour_of_flag: 1400, scroe:")
        let d = diagnostics(assess(policy: Self.policy, scenario: bad))
        #expect(d.contains { $0.code == .misspeltFact && $0.location?.line == 4 + 1_400 })
    }

    @Test func uncitedSourcesWarnButNoteMentionsCount() throws {
        let m = Marked(
            """
            scenario: s
            sources:
              S1: {title: cited}
              S2: {title: named in a note}
              1️⃣S3: {title: nobody}
            candidates:
              a: {name: A, facts: {score: {value: 1, source: S1, note: "S2 disagrees"}}}
            """)
        dir.write("s.yaml", m.text)
        let s = try load("s.yaml").get()
        #expect(s.warnings.map(\.code) == [.unusedSource])
        #expect(s.warnings.first?.message.contains("'S3'") == true)
        #expect(s.warnings.first?.location?.line == m["1️⃣"].line)
    }

    @Test func shippedScenariosLoad() throws {
        for name in ["baseline", "kosovo-joins-coe", "serbia-visas-for-russians", "montenegro-visas-2026"] {
            let s = try Pipeline.scenario(at: shipped("scenarios/\(name).yaml")).get()
            #expect(s.candidates.count == 8, "\(name)")
            #expect(s.warnings.isEmpty, "\(name): \(s.warnings)")
        }
    }
}

/// A did-you-mean prefers a name defined in the same file to an equally close one inherited
/// (an unknown source `X2` in a file defining `X1` over the baseline's `S2`).
@Suite struct SameFileSuggestionTests {
    @Test func aNameOfTheSameFileIsSuggestedFirst() throws {
        #expect(Suggest.hint(for: "X2", in: ["S2", "X1"]) == "did you mean 'S2'?", "by name order alone")
        #expect(Suggest.hint(for: "X2", in: ["S2", "X1"], preferring: ["X1"]) == "did you mean 'X1'?")
        // A closer inherited name still wins.
        #expect(Suggest.hint(for: "S22", in: ["S22x", "X1"], preferring: ["X1"]) == "did you mean 'S22x'?")
        #expect(Suggest.hint(for: "Q", in: ["S2"], preferring: [String]()) == nil)
        let dir = TempDir(prefix: "hubs-suggest")
        dir.copy(fromRepository: "scenarios/baseline.yaml")
        let s = dir.write(
            "scenarios/w.yaml",
            "scenario: w\nextends: baseline\nsources:\n  X1: {title: A fact sheet}\ncandidates:\n  georgia: {name: Georgia, facts: {coe_member: {value: true, source: X2}}}\n"
        )
        let e = diagnostics(ScenarioLoader().load(path: s))
        #expect(e.first { $0.code == .unknownSource }?.hint == "did you mean 'X1'?", "\(e.map(\.message))")
    }
}
