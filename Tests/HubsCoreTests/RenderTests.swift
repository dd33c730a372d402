import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// Library tests of the renderers (the binary is tested in hubsTests; these pin the values the
/// renderers word).
@Suite struct RenderTests {
    static func baseline(_ scenario: String = "scenarios/baseline.yaml", policy: String = "policies/uk-return-hubs.yaml") throws
        -> Assessment
    {
        try Pipeline.assess(policyPath: shipped(policy), scenarioPath: shipped(scenario)).get()
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
