import CHubsKernels
import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// The load stage on hostile and broken files: each gets a located error, quickly, never a crash.
@Suite struct LoadTests {
    let dir = TempDir()

    func scenarioErrors(_ path: String, limits: InputLimits = .standard) -> [Diagnostic] {
        diagnostics(ScenarioLoader(limits: limits).load(path: path))
    }

    @Test func missingFile() {
        let d = scenarioErrors(dir.path("nope.yaml"))
        #expect(d.map(\.code) == [.fileNotFound])
    }

    @Test func directoryInsteadOfFile() {
        try! FileManager.default.createDirectory(atPath: dir.path("sub.yaml"), withIntermediateDirectories: true)
        let d = scenarioErrors(dir.path("sub.yaml"))
        #expect(d.map(\.code) == [.notAFile])
        #expect(d[0].message.contains("directory"))
    }

    // Bounded by the harness (a hang fails the test), never by a wall-time assertion.
    @Test(.timeLimit(.minutes(1))) func pipesAndDevicesAreRefusedWithoutBlocking() {
        let fifo = dir.path("pipe.yaml")
        #expect(mkfifo(fifo, 0o644) == 0)
        let d = scenarioErrors(fifo)
        #expect(d.map(\.code) == [.notAFile])
        #expect(d.first?.message.contains("not a regular file") == true)
        #expect(scenarioErrors("/dev/zero").map(\.code) == [.notAFile])
    }

    @Test func fileSizeLimitBoundary() {
        var limits = InputLimits()
        limits.maxFileBytes = 100
        let body = "scenario: s\ncandidates: {a: {name: A}}\n"
        let atLimit = body + "#" + String(repeating: "x", count: 100 - body.utf8.count - 2) + "\n"
        #expect(atLimit.utf8.count == 100)
        let ok = ScenarioLoader(limits: limits).load(path: dir.write("ok.yaml", atLimit))
        #expect((try? ok.get()) != nil)
        let over = scenarioErrors(dir.write("big.yaml", atLimit + "#"), limits: limits)
        #expect(over.map(\.code) == [.fileTooLarge])
    }

    // Bounded by the harness (a hang fails the test), never by a wall-time assertion.
    @Test(.timeLimit(.minutes(1))) func hugeFileIsNotReadWhole() {
        // 8 MiB of text over a 1 MiB limit: rejected by size before any parsing.
        var limits = InputLimits()
        limits.maxFileBytes = 1 << 20
        let path = dir.write("huge.yaml", String(repeating: "a: b\n", count: 8 << 18))
        let d = scenarioErrors(path, limits: limits)
        #expect(d.map(\.code) == [.fileTooLarge])
    }

    @Test func invalidUTF8IsLocated() {
        let bytes = Array("scenario: s\ntitle: caf".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        let d = scenarioErrors(dir.write("bad.yaml", bytes: bytes))
        #expect(d.map(\.code) == [.notUTF8])
        #expect(d[0].location?.line == 2)
        #expect(d[0].location?.column == 11)
    }

    @Test(arguments: [[UInt8](), Array("   \n\n".utf8), Array("# only a comment\n---\n".utf8)])
    func emptyFiles(_ bytes: [UInt8]) {
        let d = scenarioErrors(dir.write("empty.yaml", bytes: bytes))
        #expect(d.map(\.code) == [.emptyFile])
    }

    @Test func brokenYAMLIsLocated() {
        let m = Marked("scenario: s\ncandidates:\n  a: {name: A\n1️⃣")
        let d = scenarioErrors(dir.write("broken.yaml", m.text))
        #expect(d.map(\.code) == [.yamlSyntax])
        #expect(d[0].location?.line == m["1️⃣"].line)
    }

    @Test func tabsGetAHint() {
        let d = scenarioErrors(dir.write("tabs.yaml", "scenario: s\ncandidates:\n\ta: {name: A}\n"))
        #expect(d.first?.code == .yamlSyntax)
        #expect(d.first?.hint?.contains("tabs") == true)
    }

    @Test func twoDocumentsAreRejected() {
        let d = scenarioErrors(dir.write("two.yaml", "scenario: a\ncandidates: {x: {name: X}}\n---\nscenario: b\n"))
        #expect(d.map(\.code) == [.multipleDocuments])
        #expect(d[0].location?.line == 3, "at the '---' that starts the second document")
    }

    @Test func flowNestingLimitBoundary() {
        var limits = InputLimits()
        limits.maxDepth = 10
        // Root mapping is depth 1 and the value adds flow levels.
        let ok = "scenario: s\nx: " + String(repeating: "[", count: 9) + String(repeating: "]", count: 9) + "\n"
        #expect((try? YAMLReader.parse(SourceFile(path: "t", text: ok), limits: limits).get()) != nil)
        let deep = "scenario: s\nx: " + String(repeating: "[", count: 10) + String(repeating: "]", count: 10) + "\n"
        let d = diagnostics(YAMLReader.parse(SourceFile(path: "t", text: deep), limits: limits))
        #expect(d.map(\.code) == [.nestingTooDeep])
        #expect(d.first?.location?.line == 2)
        #expect(d.first?.location?.column == 13)
    }

    // Bounded by the harness (a hang fails the test), never by a wall-time assertion.
    @Test(.timeLimit(.minutes(1))) func twentyThousandBracketsFailFast() {
        let path = dir.write("deep.yaml", "scenario: s\nx: " + String(repeating: "[", count: 20_000) + "\n")
        let d = scenarioErrors(path)
        #expect(d.map(\.code) == [.nestingTooDeep])
    }

    @Test func deepBlockSequencesFailFast() {
        let path = dir.write("dash.yaml", "scenario: s\nx:\n  " + String(repeating: "- ", count: 5_000) + "1\n")
        let d = scenarioErrors(path)
        #expect(d.map(\.code) == [.nestingTooDeep])
    }

    @Test func deepIndentationFailsFast() {
        var text = "scenario: s\n"
        for i in 0..<200 { text += String(repeating: " ", count: i) + "k\(i):\n" }
        let d = scenarioErrors(dir.write("indent.yaml", text))
        #expect(d.map(\.code) == [.nestingTooDeep])
    }

    // Bounded by the harness (a hang fails the test), never by a wall-time assertion.
    @Test(.timeLimit(.minutes(1))) func aliasBombIsStopped() {
        // Nine levels of ten aliases each expand to 10^9 nodes.
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            let refs = Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ")
            text += "a\(i): &a\(i) [\(refs)]\n"
        }
        text += "scenario: bomb\n"
        let path = dir.write("bomb.yaml", text)
        let d = scenarioErrors(path)
        #expect(d.map(\.code) == [.tooManyNodes])
    }

    @Test func nodeLimitBoundary() {
        var limits = InputLimits()
        limits.maxNodes = 9
        // root mapping + 2 pairs (4 nodes) + 4-item sequence value... count exactly.
        let exact = "a: b\nc: [1, 2, 3]\n"  // mapping(1) + a,b (2) + c (1) + seq(1) + 3 items = 8
        #expect((try? YAMLReader.parse(SourceFile(path: "t", text: exact), limits: limits).get()) != nil)
        let over = "a: b\nc: [1, 2, 3, 4, 5]\n"  // 10 nodes
        let r = YAMLReader.parse(SourceFile(path: "t", text: over), limits: limits)
        #expect(diagnostics(r).map(\.code) == [.tooManyNodes])
    }

    /// Aliases may repeat `minAliasNodes` nodes, or `maxAliasNodesPerByte` per byte of the
    /// file if that is more: exactly the allowance is read, one node more is refused at the alias.
    @Test func aliasAllowanceBoundary() {
        var limits = InputLimits()
        limits.maxAliasNodesPerByte = 0
        limits.minAliasNodes = 8
        // *a repeats a 4-node sequence: twice is exactly 8, three times is 12.
        let exact = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
        #expect((try? YAMLReader.parse(SourceFile(path: "t", text: exact), limits: limits).get()) != nil)
        let over = "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n"
        let d = diagnostics(YAMLReader.parse(SourceFile(path: "t", text: over), limits: limits))
        #expect(d.map(\.code) == [.tooManyNodes])
        #expect(d.first?.location?.line == 2)
        #expect(d.first?.location?.column == 13)
        limits.maxAliasNodesPerByte = 1
        #expect(limits.aliasExpansionAllowance(inputBytes: 100) == 100)
        #expect(limits.aliasExpansionAllowance(inputBytes: 3) == 8)
    }

    /// An alias counts as the height of what it repeats: a chain of anchors, each a list holding
    /// the one before, is refused at the nesting limit, however long it is.
    @Test(.timeLimit(.minutes(1))) func aliasChainsCountTheirHeight() {
        var text = "x0: &n0 [0]\n"
        for i in 1..<50_000 { text += "x\(i): &n\(i) [*n\(i - 1)]\n" }
        let d = diagnostics(YAMLReader.parse(SourceFile(path: "t", text: text)))
        #expect(d.map(\.code) == [.nestingTooDeep])
        #expect(d.first?.location?.line == 63, "root, list and the 62 levels its alias repeats make 65")
    }

    /// The default limits admit 100,000 candidates with 50 facts each: both limits grow linearly
    /// with the candidates, so 1,000 candidates must fit in a hundredth of each.
    @Test func defaultLimitsAdmitAHundredThousandCandidates() throws {
        var text = "scenario: big\ncandidates:\n"
        for c in 0..<1_000 {
            text += "  c\(c):\n    name: Candidate number \(c)\n    facts:\n"
            for f in 0..<50 { text += "      fact_\(f): \(Double(c * 50 + f) / 7)\n" }
        }
        var hundredth = InputLimits()
        hundredth.maxFileBytes /= 100
        hundredth.maxNodes /= 100
        #expect(text.utf8.count <= hundredth.maxFileBytes)
        #expect((try? YAMLReader.parse(SourceFile(path: "t", text: text), limits: hundredth).get()) != nil)
    }

    @Test func contentIsFoundOnAnyLine() {
        #expect(!SourceFile.hasContent(""))
        #expect(!SourceFile.hasContent("# only a comment\n---\n  \n...\n"))
        #expect(SourceFile.hasContent("  \n# x\nscenario: s"))
        #expect(SourceFile.hasContent("a"))
        #expect(SourceFile.hasContent("\r\n\tscenario: s\r\n"))
        // White space beyond ASCII (no-break, ideographic, next-line) is white space too.
        #expect(!SourceFile.hasContent("\u{A0}\u{3000}\n \u{85}\n\u{2028}# note\n --- \n"))
        #expect(SourceFile.hasContent("\u{A0}é"))
    }

    /// Inline text folds every kind of line break to one space and drops trailing space.
    @Test func inlineTextIsOneLine() {
        #expect(Scalars.oneLine("plain é ✓") == "plain é ✓")
        #expect(Scalars.oneLine("a\nb") == "a b")
        #expect(Scalars.oneLine("a\r\n\r\nb\n") == "a b")
        #expect(Scalars.oneLine("a\u{2028}b\u{2029}c\u{85}d") == "a b c d")
        #expect(Scalars.oneLine("é\u{A0}\u{2026}") == "é\u{A0}\u{2026}")
        #expect(Scalars.oneLine("a\u{0B}b") == "a\u{0B}b")
    }

    @Test func trimmingAgreesWithFoundation() {
        let samples = [
            "", " ", "\t", "a", " a ", "\ta b\t", "  3y  ", "\r\n x \r\n", "\u{A0}x\u{A0}", "x\u{3000}", "\u{2028}x",
            "\u{85}x\u{85}", " \u{301}", "é ", " é", "\u{1F1EC}\u{1F1E7} ", "\u{B}\u{C}y", "\u{200B}z",
        ]
        for s in samples {
            for newlines in [false, true] {
                let set: CharacterSet = newlines ? .whitespacesAndNewlines : .whitespaces
                #expect(s.trimmingSpace(newlines: newlines) == s.trimmingCharacters(in: set), "\(Array(s.unicodeScalars))")
                #expect(s.dropFirst(0).trimmingSpace(newlines: newlines) == s.trimmingCharacters(in: set))
            }
        }
    }

    @Test func yamlMarksAreOneBased() throws {
        let m = Marked("scenario: s\ncandidates:\n  1️⃣kosovo: {name: Kosovo}\n")
        let root = try YAMLReader.parse(SourceFile(path: "f", text: m.text)).get()
        guard case let .mapping(pairs, _) = root, case let .mapping(cands, _) = pairs[1].value else {
            Issue.record("unexpected shape")
            return
        }
        #expect(cands[0].key.location.line == m["1️⃣"].line)
        #expect(cands[0].key.location.column == m["1️⃣"].column)
    }

    /// A file of 1 MiB or more is hashed on another thread while it is read; its hash is the one
    /// computed in place, the byte-order mark left out, as for a small file.
    @Test func largeFileHashEqualsTheDirectHash() throws {
        let line = Array("scenario: big\n# a comment line to make the file long\n".utf8)
        let body = Array([[UInt8]](repeating: line, count: (1 << 20) / line.count + 1).joined())
        for bom: [UInt8] in [[], [0xEF, 0xBB, 0xBF]] {
            let file = try SourceFile.decode(bom + body, path: "big.yaml", limits: .standard).get()
            #expect(file.sha256 == SHA256.hex(body))
            #expect(file == SourceFile(path: "big.yaml", text: file.text))
        }
    }

    @Test func sha256KnownVectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Array(repeating: 0x61, count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        // FIPS 180-4's long vector: a million 'a's (15,625 whole blocks, then padding alone).
        #expect(
            SHA256.hex(Array(repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        for n in [55, 56, 63, 64, 65, 119, 120, 128] {
            #expect(SHA256.digest(Array(repeating: 0x61, count: n)).count == 32)
        }
    }

    /// Where the processor has SHA instructions, digests use them; they must give the plain
    /// compression's digest for every length up to five blocks (every padding case), for a long
    /// message and for a part of an array that does not start at its beginning. (Without the
    /// instructions both are the plain compression, and the vectors above check it.)
    @Test func sha256InstructionsGiveThePlainDigest() {
        var generator = SplitMix64(seed: 256)
        let bytes = (0..<200_003).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for n in 0...320 {
            #expect(SHA256.digest(bytes[0..<n]) == SHA256.portableDigest(bytes[0..<n]), "\(n) bytes")
        }
        #expect(SHA256.digest(bytes[...]) == SHA256.portableDigest(bytes[...]))
        #expect(SHA256.digest(bytes[7..<100_000]) == SHA256.portableDigest(bytes[7..<100_000]))
        #expect(SHA256.native == (hubs_sha256_native() != 0))
    }

    @Test func civilDates() {
        #expect(Day.parse("1970-01-01")?.daysSinceEpoch == 0)
        #expect(Day.parse("2024-02-29")?.description == "2024-02-29")
        #expect(Day.parse("2023-02-29") == nil)
        #expect(Day.parse("2025-10", allowPartial: true)?.description == "2025-10")
        #expect(Day.parse("2025-10") == nil)
        #expect(Day.parse("25-10-01") == nil)
        // Only ASCII digits, in fields of exactly 4, 2 and 2, joined by single hyphens.
        for bad in [
            "", "-", "2025--01", "2025-1-01", "2025-001-01", "2025-10-01-", " 2025-10-01", "2025-10-01 ", "+025-10-01",
            "\u{662}\u{660}\u{662}\u{665}-10-01", "\u{FF12}\u{FF10}\u{FF12}\u{FF15}-10-01", "2025-1x-01", "2025/10/01",
        ] {
            #expect(Day.parse(bad, allowPartial: true) == nil, "\(bad)")
        }
        #expect(Day.parse("2025", allowPartial: true)?.description == "2025")
        #expect(Day.parse("2025-13", allowPartial: true) == nil)
        let asOf = Day.parse("2025-10-19")!
        #expect(FactAge.parse("3y")!.cutoff(before: asOf).description == "2022-10-19")
        #expect(FactAge.parse("18m")!.cutoff(before: asOf).description == "2024-04-19")
        #expect(FactAge.parse("90d")!.cutoff(before: asOf).description == "2025-07-21")
        #expect(FactAge.parse("3") == nil)
        #expect(FactAge.parse("0y") == nil)
        #expect(Day.parse("2024-03-31")!.subtracting(months: 1).description == "2024-02-29")
    }
}
