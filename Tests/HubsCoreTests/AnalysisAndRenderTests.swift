import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// Library tests of the diff, the policy-test runner and the renderers (the binary is tested in
/// hubsTests; these pin the values the renderers word).
@Suite struct AnalysisAndRenderTests {
    static func baseline(_ scenario: String = "scenarios/baseline.yaml", policy: String = "policies/uk-return-hubs.yaml") throws
        -> Assessment
    {
        try Pipeline.assess(policyPath: shipped(policy), scenarioPath: shipped(scenario)).get()
    }

    // MARK: Diff

    @Test func outcomeDiffPartsAddUpToEachChange() throws {
        let d = OutcomeDiff.compare(try Self.baseline(), try Self.baseline("scenarios/kosovo-joins-coe.yaml"))
        let kosovo = try #require(d.candidates.first { $0.id == "kosovo" })
        #expect(kosovo.kind == .changed)
        #expect(kosovo.before?.rank == 3 && kosovo.after?.rank == 1)
        let delta = try #require(kosovo.riskDelta)
        #expect(Swift.abs(kosovo.parts.reduce(0) { $0 + $1.delta } - delta) < 1e-9)
        #expect(Set(kosovo.parts.map(\.criterion)) == ["echr"], "one criterion scores the ECHR and Council of Europe status together")
        #expect(Set(kosovo.facts.map(\.fact)) == ["coe_member", "echr_party"])
        #expect(d.differs(on: .rank) && !d.differs(on: .status))
        #expect(d.candidates.filter { $0.kind == .unchanged }.count == 5)
    }

    @Test func policyDiffFindsAWeightChangeWithBothLocations() throws {
        let a = try Pipeline.policy(at: shipped("policies/uk-return-hubs.yaml")).get()
        let dir = TempDir()
        let text = try String(contentsOfFile: shipped("policies/uk-return-hubs.yaml"), encoding: .utf8)
        let changed = text.replacingOccurrences(
            of: "    title: Security and Russian influence\n    weight: 30",
            with: "    title: Security and Russian influence\n    weight: 45")
        #expect(changed != text)
        let b = try Pipeline.policy(at: dir.write("p.yaml", changed)).get()
        let changes = PolicyDiff.compare(a, b)
        let w = try #require(changes.first { $0.kind == .weight })
        #expect(w.subject == "security")
        #expect(w.change == .weight(before: 30, after: 45))
        #expect(DiffRenderer.detail(w) == "weight of 'security': 30 → 45")
        #expect(w.before?.file.hasSuffix("uk-return-hubs.yaml") == true && w.after?.file.hasSuffix("p.yaml") == true)
        #expect(PolicyDiff.compare(a, a).isEmpty)
    }

    @Test func policyDiffFindsAMovedBandThresholdButNotARationaleEdit() throws {
        let a = try Pipeline.policy(at: shipped("policies/uk-return-hubs.yaml")).get()
        let dir = TempDir()
        let text = try String(contentsOfFile: shipped("policies/uk-return-hubs.yaml"), encoding: .utf8)
        let moved = text.replacingOccurrences(of: "  - {name: high, below: 75,", with: "  - {name: high, below: 70,")
        #expect(moved != text)
        let b = try Pipeline.policy(at: dir.write("moved.yaml", moved)).get()
        let band = try #require(PolicyDiff.compare(a, b).first { $0.kind == .band })
        #expect(band.subject == "bands")
        let reworded = text.replacingOccurrences(of: "no group raises serious concern.", with: "nothing serious.")
        #expect(reworded != text)
        let c = try Pipeline.policy(at: dir.write("reworded.yaml", reworded)).get()
        #expect(!PolicyDiff.compare(a, c).contains { $0.kind == .band })
    }

    // MARK: Policy tests

    @Test func theShippedPolicyTestsPassWithCoverage() throws {
        let report = try TestRunner.run([shipped("policy-tests/uk-return-hubs.yaml"), shipped("policy-tests/security-first.yaml")]).get()
        #expect(report.failed == 0)
        #expect(report.passed == 10, "the pins live in their own files")
        #expect(report.coverage.count == 2)
        #expect(report.coverage.allSatisfy { $0.percent > 80 })
    }

    @Test func aFailedExpectationCarriesItsProblemsAndResults() throws {
        let dir = TempDir()
        let t = dir.write(
            "t.yaml",
            "policy: p.yaml\nscenario: s.yaml\ntests:\n  - name: wrong\n    expect: [{candidate: a, rank: 2, band: severe}]\n")
        dir.write("p.yaml", "policy: p\nfacts:\n  x: {type: number}\ncriteria:\n  only: {expr: 'x'}\n")
        dir.write("s.yaml", "scenario: s\ncandidates:\n  a: {name: A, facts: {x: 10}}\n")
        let report = try TestRunner.run([t]).get()
        let failure = try #require(report.results.first?.failures.first)
        #expect(failure.candidate?.id == "a")
        #expect(failure.problems.count == 2)
        guard case .rank(2) = failure.problems[1] else {
            Issue.record("expected a rank problem: \(failure.problems)")
            return
        }
        let words = TestRenderer.wording(failure)
        #expect(words.expected == "a band severe; a rank 2")
        #expect(words.actual == "band low; ranked 1 (risk 10.00)")
    }

    // MARK: Renderers and escaping

    @Test func terminalEscapingShowsControlsVisibly() {
        #expect(Escaping.terminal("a\u{1B}[2Jb") == "a\\e[2Jb")
        #expect(Escaping.terminal("x\ny\u{7}") == "x\\ny\\x07")
        #expect(Escaping.terminal("\u{9B}31m") == "\\u{9B}31m")
        #expect(Escaping.terminal("line\nbreak", keepNewlines: true) == "line\nbreak")
        #expect(Escaping.terminal("Bosnia and Herzegovina") == "Bosnia and Herzegovina")
    }

    @Test func csvEscapingProtectsSpreadsheets() {
        #expect(Escaping.csv("=1+1") == "'=1+1")
        #expect(Escaping.csv("@SUM(A1)") == "'@SUM(A1)")
        #expect(Escaping.csv("-12.5") == "-12.5")
        #expect(Escaping.csv("-cmd") == "'-cmd")
        #expect(Escaping.csv("a,b") == "\"a,b\"")
        #expect(Escaping.csv("=1+1", protectFormulas: false) == "=1+1")
    }

    @Test func markdownEscapingNeutralisesHTMLAndLinks() {
        #expect(Escaping.markdown("<script>") == "&lt;script&gt;")
        #expect(Escaping.markdown("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))")
        #expect(Escaping.markdown("a|b\nc") == "a\\|b c")
        #expect(Escaping.markdown("host_willingness *") == "host\\_willingness \\*")
    }

    @Test func tableRowsNeverBreak() {
        let t = TextTable.render([["name", "risk"], ["a\nb", "1"]])
        #expect(t.split(separator: "\n").count == 3)
        #expect(t.contains("a\\nb"))
    }

    @Test func theExplanationListsEveryContributionAndTheyAddUp() throws {
        let a = try Self.baseline()
        let r = try #require(a.result(for: "serbia"))
        let text = ExplainRenderer.text(r, in: a)
        for c in r.criteria where c.isLeaf { #expect(text.contains(c.id)) }
        #expect(text.contains("Total: \(Format.fixed(r.risk ?? 0, 4)) = sum of leaf contributions"))
        let json = AssessmentJSON.document(a).serialized()
        #expect(json.contains("\"schema\": \"hubs.assessment/1\"") || json.contains("\"schema\":\"hubs.assessment/1\""))
    }
}

/// Numbers print through one formatter; its fast path must print exactly what C's "%.6g" prints.
@Suite struct NumberFormatTests {
    @Test func fastPathAgreesWithPrintf() {
        var rng = SplitMix64(seed: 7)
        var values: [Double] = [0.1, 0.5, 50.49, 77.17, 1e-4, 0.00012, 99999.5, 123456.5, 1.0 / 3, -2.25, 0.30000000000000004]
        for _ in 0..<20_000 {
            let magnitude = Double(Int(rng.next() % 12)) - 5
            let digits = Double(rng.next() % 1_000_000) / 1_000
            values.append((rng.next() % 2 == 0 ? 1 : -1) * digits * pow(10, magnitude - 3))
            values.append(Double(rng.next() % 100_000) / 100)
        }
        for v in values {
            var slow = Format.printf("%.6g", v)
            if !slow.utf8.contains(UInt8(ascii: "e")), slow.utf8.contains(UInt8(ascii: ".")) {
                while slow.utf8.last == UInt8(ascii: "0") { slow.removeLast() }
                if slow.utf8.last == UInt8(ascii: ".") { slow.removeLast() }
            }
            if v != v.rounded() { #expect(Format.number(v) == slow, "\(v)") }
            if let fast = Format.shortest(v) { #expect(fast == slow, "\(v)") }
        }
        #expect(Format.fixed(-0.0001, 2) == "0.00")
        #expect(Format.fixed(2.5, 3) == "2.500")
        #expect(Format.number(1e20) == "1e+20")
    }

    /// `Format.fixed` rounds in Swift (an error-free product, ties to even); C's "%.*f" is the
    /// reference, on values chosen to sit on and near every kind of halfway point.
    @Test func fixedAgreesWithPrintf() {
        var rng = SplitMix64(seed: 11)
        var values: [Double] = [
            0, -0.0, 0.125, 0.375, 2.5, 3.5, -2.5, 0.05, 0.15, 0.25, 0.35, 1.005, 2.675, 1e-5, -1e-5, 99.95, 99.949999,
            24.95, 24.96, 0.5, 1.5, -0.5, 4503599627370495.5, 1e15, 123456789.125, .leastNonzeroMagnitude, 1e-200, 1e300,
        ]
        for _ in 0..<15_000 {
            let base = Double(rng.next() % 2_000_000) / 1_000 - 1_000  // thousandths, often halfway
            values.append(base)
            values.append(base + Double(rng.next() % 3) * 1e-15 - 1e-15)
            values.append(Double(bitPattern: rng.next() >> 2))  // anything, tiny to huge
            values.append(Double(rng.next() % 1_000_000) / 8)  // exact binary halves and eighths
        }
        for v in values where v.isFinite {
            for digits in [0, 1, 2, 3, 4, 6, 9] {
                var slow = Format.printf("%.*f", Int32(digits), v)
                if slow.hasPrefix("-"), Double(slow) == 0 { slow.removeFirst() }
                #expect(Format.fixed(v, digits) == slow, "\(v) to \(digits) decimals")
            }
        }
    }
}

/// Score JSON is written by a `JSONWriter`, streamed a few candidates at a time; its layout is that
/// of `JSON.serialized`, and the streamed bytes are those of the whole document.
@Suite struct StreamedJSONTests {
    @Test(arguments: [1, 64, 1 << 16])
    func streamedBytesEqualTheWholeDocument(_ flushAt: Int) throws {
        let a = try Pipeline.assess(
            policyPath: shipped("policies/uk-return-hubs.yaml"), scenarioPath: shipped("scenarios/baseline.yaml")
        ).get()
        let whole = Array(AssessmentJSON.document(a).serialized().utf8)
        var pieces = 0
        var streamed: [UInt8] = []
        AssessmentJSON.stream(a, results: Explanations(a, detail: .full), flushAt: flushAt) {
            pieces += 1
            streamed += $0
        }
        #expect(streamed == whole)
        // At every flush point: the header, each part of a block of candidates (written side
        // by side), the end.
        let parts = (a.results.count + AssessmentJSON.writePart - 1) / AssessmentJSON.writePart
        #expect(pieces >= (flushAt == 1 ? parts + 2 : 1))
    }

    /// A summary assessment (the facts read kept only where something was missing or a gate did
    /// not pass) gives the table, CSV and JSON of the full one byte for byte, and a ranking-only
    /// one the JSON and CSV: on the shipped
    /// files, and on 1,500 synthetic candidates with a tenth of their facts unknown, some
    /// excluded by gates, whose JSON is explained again in several blocks.
    @Test func summaryGivesTheOutputsOfTheFullAssessment() throws {
        var cases: [(policy: String, scenario: String)] = []
        for p in ["policies/uk-return-hubs.yaml", "policies/security-first.yaml"] {
            for s in ["baseline", "kosovo-joins-coe", "montenegro-visas-2026"] {
                cases.append((shipped(p), shipped("scenarios/\(s).yaml")))
            }
        }
        let dir = TempDir()
        let yaml = Synthetic.policy(groups: 3, leavesPerGroup: 4, gates: 2, seed: 7, aggregations: [.mean, .geometric, .max])
        let policyPath = dir.write("policy.yaml", yaml)
        let policy = try Pipeline.policy(at: policyPath).get()
        let rows = Synthetic.rows(for: policy, count: 1_500, unknownShare: 0.1, seed: 8)
        cases.append((policyPath, dir.write("scenario.yaml", Synthetic.scenario(for: policy, rows: rows, count: 1_500))))
        var sawMissing = false
        var sawExcluded = false
        for (p, s) in cases {
            let full = try Pipeline.assess(policyPath: p, scenarioPath: s).get()
            let summary = try Pipeline.assess(policyPath: p, scenarioPath: s, detail: .summary).get()
            #expect(summary.detail == .summary)
            #expect(ScoreRenderer.table(summary) == ScoreRenderer.table(full), "\(p) \(s)")
            #expect(
                ScoreRenderer.csv(summary, results: Explanations(summary, detail: .summary))
                    == ScoreRenderer.csv(full, results: Explanations(full, detail: .summary)), "\(p) \(s)")
            let whole = Array(AssessmentJSON.document(full).serialized().utf8)
            var streamed: [UInt8] = []
            AssessmentJSON.stream(summary, results: Explanations(summary, detail: .full)) { streamed += $0 }
            #expect(streamed == whole, "\(p) \(s)")
            // A ranking-only assessment (what `hubs score --format json` keeps) writes it too.
            let ranking = try Pipeline.assess(policyPath: p, scenarioPath: s, detail: .ranking).get()
            if full.results.count > Assessor.rankingBlock {
                #expect(ranking.detail == .ranking)
                #expect(ranking.results.allSatisfy { $0.criteria.isEmpty && $0.gates.isEmpty })
            } else {
                #expect(ranking.detail == .full)  // one block: kept in full
            }
            #expect(ranking.results.map(\.id) == full.results.map(\.id))
            streamed = []
            AssessmentJSON.stream(ranking, results: Explanations(ranking, detail: .full)) { streamed += $0 }
            #expect(streamed == whole, "\(p) \(s)")
            // And the CSV, streamed in pieces of whole rows.
            var pieces: [String] = []
            ScoreRenderer.csv(ranking, results: Explanations(ranking, detail: .summary), flushAt: 4_096) { pieces.append($0) }
            #expect(pieces.joined() == ScoreRenderer.csv(full, results: Explanations(full, detail: .summary)), "\(p) \(s)")
            #expect(pieces.allSatisfy { $0.hasSuffix("\r\n") })
            // The summary really is smaller: a fact read by a leaf scored from evidence is left out.
            let kept = summary.results.reduce(0) { $0 + $1.criteria.reduce(0) { $0 + $1.reads.count } }
            let all = full.results.reduce(0) { $0 + $1.criteria.reduce(0) { $0 + $1.reads.count } }
            #expect(kept < all)
            sawMissing = sawMissing || full.results.contains { !$0.assumptions.isEmpty }
            sawExcluded = sawExcluded || full.results.contains { $0.status == .excluded }
        }
        #expect(sawMissing && sawExcluded)
        withExtendedLifetime(dir) {}
    }

    /// Random nested values written through the writer, container by container, give the bytes
    /// of the same value serialized as a tree, pretty and compact.
    /// The writer's byte buffer gives what an array would, through every growth: bytes, runs,
    /// digits, line breaks with indentation, and keys of every length at every depth.
    @Test func byteBufferWritesWhatAnArrayWould() {
        let b = ByteBuffer(capacity: 1)
        var expected: [UInt8] = []
        var rng = SplitMix64(seed: 3)
        for round in 0..<2_000 {
            switch rng.next() % 4 {
            case 0:
                let byte = UInt8(truncatingIfNeeded: rng.next())
                b.append(byte)
                expected.append(byte)
            case 1:
                let run = (0..<Int(rng.next() % 40)).map { UInt8(truncatingIfNeeded: $0 &+ round) }
                b.append(run)
                expected += run
            case 2:
                let n = [0, 9, 10, 99, 100, Int.max, -5, Int(rng.next() % 1_000_000)][Int(rng.next() % 8)]
                b.appendDecimal(n)
                expected += Array(String(Swift.max(0, n)).utf8)
            default:
                let indent = Int(rng.next() % 30)
                b.appendNewline(indent: indent)
                expected += [UInt8(ascii: "\n")] + Array(repeating: UInt8(ascii: " "), count: indent)
            }
        }
        #expect(b.array == expected)
        #expect(b.count == expected.count)
        b.removeAll()
        #expect(b.array.isEmpty)
        // Keys of 0 to 24 characters, nested up to 12 deep, as the tree writes them.
        let names: [StaticString] = [
            "", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghij", "abcdefghijklmno",
            "abcdefghijklmnop", "abcdefghijklmnopq", "abcdefghijklmnopqrstuvwx",
        ]
        for pretty in [true, false] {
            var w = JSONWriter(pretty: pretty)
            var tree: [(String, JSON)] = []
            w.beginObject()
            for (i, name) in names.enumerated() {
                w.key(name)
                var value = JSON.number(Double(i))
                var depth = i % 12
                var opened = 0
                while depth > 0 {
                    w.beginObject()
                    w.key(name)
                    opened += 1
                    depth -= 1
                }
                w.number(Double(i))
                for _ in 0..<opened {
                    w.endObject()
                    value = .object([(name.description, value)])
                }
                tree.append((name.description, value))
            }
            w.endObject()
            #expect(String(decoding: w.bytes, as: UTF8.self) == JSON.object(tree).serialized(pretty: pretty))
        }
    }

    @Test func writerLayoutIsTheTreesLayout() {
        var rng = SplitMix64(seed: 3)
        func random(_ depth: Int) -> JSON {
            switch depth > 3 ? rng.next() % 4 : rng.next() % 6 {
            case 0: return .null
            case 1: return .bool(rng.next() % 2 == 0)
            case 2:
                // Whole and fractional, negative, signed zero, at and past the 1e15 switch to
                // Swift's shortest form, and the non-finite (written as null).
                let edges: [Double] = [-0.0, -7, 1e15 - 1, 1e15, -1e15 + 1, 1e300, .leastNonzeroMagnitude, .nan, .infinity, 0.1 + 0.2]
                return .number(rng.next() % 3 == 0 ? edges[Int(rng.next() % UInt64(edges.count))] : Double(rng.next() % 1_000) / 8 - 60)
            case 3: return .string(["", "a", "é\n\u{1B}", "\"q\""][Int(rng.next() % 4)])
            case 4: return .array((0..<Int(rng.next() % 4)).map { _ in random(depth + 1) })
            default: return .object((0..<Int(rng.next() % 4)).map { k in ("k\(k)", random(depth + 1)) })
            }
        }
        func write(_ j: JSON, _ w: inout JSONWriter) {
            switch j {
            case .null: w.null()
            case let .bool(b): w.bool(b)
            case let .number(v): w.number(v)
            case let .string(s): w.string(s)
            case let .array(items):
                w.beginArray()
                for i in items { write(i, &w) }
                w.endArray()
            case let .object(pairs):
                w.beginObject()
                for (k, v) in pairs {
                    w.key(k)
                    write(v, &w)
                }
                w.endObject()
            }
        }
        for _ in 0..<300 {
            let j = JSON.object([("root", random(0)), ("n", .number(1))])
            for pretty in [true, false] {
                var w = JSONWriter(pretty: pretty)
                write(j, &w)
                #expect(String(decoding: w.bytes, as: UTF8.self) == j.serialized(pretty: pretty))
            }
        }
    }

    /// Every control character is escaped in JSON, C1 and DEL included; other text is kept as is.
    @Test func controlCharactersAreEscaped() {
        let s = JSON.string("a\u{1B}[2J\u{7F}\u{9B}31m\u{85}é\u{A0}✓\"\\\n").serialized()
        #expect(s == "\"a\\u001b[2J\\u007f\\u009b31m\\u0085é\u{A0}✓\\\"\\\\\\n\"")
        #expect(!s.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }

    /// The word-at-a-time check for bytes that need an escape agrees with a byte-by-byte one:
    /// every byte value at every position of texts of 1 to 19 bytes, and random texts.
    @Test func escapeCheckAgreesByteByByte() {
        func slow(_ b: [UInt8]) -> Bool { b.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xC2 } }
        for length in 1..<20 {
            for position in 0..<length {
                for value in 0...255 {
                    var text = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    text[position] = UInt8(value)
                    let fast = text.withUnsafeBufferPointer { JSON.needsEscape($0) }
                    #expect(fast == slow(text), "byte \(value) at \(position) of \(length)")
                }
            }
        }
        var rng = SplitMix64(seed: 11)
        for _ in 0..<5_000 {
            let text = (0..<Int(rng.next() % 40)).map { _ in
                UInt8(truncatingIfNeeded: rng.next() % 8 == 0 ? rng.next() : 0x20 + rng.next() % 0x60)
            }
            #expect(text.withUnsafeBufferPointer { JSON.needsEscape($0) } == slow(text))
        }
    }
}

/// The printed risk, the band and the rank never disagree: two candidates of different ranks
/// never print the same risk.
@Suite struct RiskDigitsTests {
    @Test func closeRisksGetTheDecimalsThatTellThemApart() throws {
        let policy = policyYAML(
            facts: "  x: {type: number, range: [0, 100]}", criteria: "  a: {weight: 1, scale: {of: x, best: 0, worst: 100}}")
        let scenario =
            "scenario: s\ncandidates:\n  p: {name: P, facts: {x: 44.96}}\n  q: {name: Q, facts: {x: 45.04}}\n  r: {name: R, facts: {x: 60}}\n"
        let a = try assess(policy: policy, scenario: scenario).get()
        #expect(ScoreRenderer.rankDigits(a) == 2)
        let table = ScoreRenderer.table(a)
        #expect(table.contains("44.96") && table.contains("45.04"), "\(table)")
        #expect(!table.contains(" 45.0 "), "the split into evidence and assumptions takes the same decimals")
        // A tie shares a rank and may print the same.
        let tie = try assess(
            policy: policy, scenario: "scenario: s\ncandidates:\n  p: {name: P, facts: {x: 40}}\n  q: {name: Q, facts: {x: 40}}\n"
        )
        .get()
        #expect(ScoreRenderer.rankDigits(tie) == 1)
    }
}
