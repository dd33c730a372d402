// hubs-fuzz: libFuzzer targets for every kind of hubs input. Built only with HUBS_FUZZ=1 and
// AddressSanitizer with fuzzing coverage, linked against libFuzzer without its `main` (see
// scripts/fuzz): SwiftPM renames this executable's entry point, so the top-level code below hands
// control to libFuzzer's driver, `LLVMFuzzerRunDriver`, which calls `fuzzOneInput` with each input.
//
// The target is chosen by HUBS_FUZZ_TARGET: policy, scenario, tests, expression, score (a policy
// and a scenario separated by a line "---8<---", loaded, bound, scored and rendered), or
// structured (the same pair, changed by the structure-aware mutator in Mutator.swift), or table
// (a CSV table for hubs import, long or wide), or parts (a scenario read in parts of at least
// 8 bytes, as long scenarios are read, and whole: wherever the parts give a tree, it must be the
// whole file's, or the target stops with a trap), or shard (a sensitivity shard file, binary).
// A crash, trap, leak or hang is a finding; every diagnostic is a normal outcome.
import Foundation
import HubsCore
import HubsLSP

enum Fuzz {
    static let limits = InputLimits.standard
    static let schema = """
        policy: fuzz
        facts:
          x: {type: number, range: [0, 100]}
          b: {type: bool}
          e: {type: enum, values: [red, green, blue]}
          d: {type: date}
        criteria:
          g:
            aggregate: geometric
            criteria:
              a: {scale: {of: x, best: 0, worst: 100}, missing: {assume: 50}}
              m: {map: {fact: e, risk: {red: 100, green: 50, blue: 0}}}
          c: {cases: [{when: 'b', risk: 10, label: yes}], else: {risk: 90, label: no}}
        """
    static let target = ProcessInfo.processInfo.environment["HUBS_FUZZ_TARGET"] ?? "score"
    /// A language server for the `lsp` target (initialized, on the working folder).
    static func newLanguageServer() -> LanguageServer {
        let s = LanguageServer(root: FileManager.default.currentDirectoryPath)
        _ = s.handle(Array(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{}}"#.utf8))
        return s
    }
}

func policy(_ text: String) -> CompiledPolicy? {
    let file = SourceFile(path: "fuzz-policy.yaml", text: text)
    guard case let .success(root) = YAMLReader.parse(file, limits: Fuzz.limits),
        case let .success(model) = PolicyLoader(limits: Fuzz.limits).load(root, file: file),
        case let .success(compiled) = PolicyCompiler.compile(model, limits: Fuzz.limits)
    else { return nil }
    return compiled
}

func scenario(_ text: String) -> Scenario? {
    let file = SourceFile(path: "/nonexistent/fuzz/scenario.yaml", text: text)
    guard case let .success(root) = YAMLReader.parse(file, limits: Fuzz.limits),
        case let .success(s) = ScenarioLoader(limits: Fuzz.limits).load(root: root, file: file, path: file.path)
    else { return nil }
    return s
}

func score(_ p: CompiledPolicy, _ s: Scenario) {
    let table = try? Binder.bind(s, to: p).get()
    if let table { compareBatch(p, table) }
    guard case let .success(a) = Pipeline.assess(policy: p, scenario: s) else { return }
    if let table { compareTraced(p, table, a) }
    _ = ScoreRenderer.table(a)
    _ = ScoreRenderer.csv(a, results: Explanations(a, detail: .summary))
    _ = ScoreRenderer.markdown(a)
    _ = AssessmentJSON.document(a).serialized()
    for r in a.results { _ = ExplainRenderer.text(r, in: a) }
}

/// The batch kernels (one candidate per lane, and one weight draw per lane) against scoring one
/// by one, bit for bit, on every policy and scenario the fuzzer makes: a difference stops it.
func compareBatch(_ p: CompiledPolicy, _ table: FactTable) {
    let count = table.candidateCount
    guard count > 0 else { return }
    let ev = Evaluator(p)
    let scalar = Evaluator(p)
    let edges = p.nominalWeights.count
    // Five weight draws: the policy's own, then each weight scaled differently.
    var draws: [Double] = []
    for d in 0..<5 { draws += p.nominalWeights.enumerated().map { e, w in w * (1 + Double((d * 7 + e) % 5) / 4) } }
    var batch = [Outcome](repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: 5 * count)
    var drawn = [Outcome](repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: 5)
    table.values.withUnsafeBufferPointer { rows in
        draws.withUnsafeBufferPointer { w in
            guard let r0 = rows.baseAddress, let w0 = w.baseAddress else { return }
            batch.withUnsafeMutableBufferPointer { o in
                guard let o0 = o.baseAddress else { return }
                ev.scoreBatch(r0, count: count, weightDraws: w0, drawCount: 5, drawStride: edges, into: o0)
            }
            for c in 0..<count {
                drawn.withUnsafeMutableBufferPointer { o in
                    guard let o0 = o.baseAddress else { return }
                    ev.score(r0 + c * p.slotCount, weightDraws: w0, drawCount: 5, drawStride: edges, into: o0, outStride: 1)
                }
                for d in 0..<5 {
                    let one = scalar.score(r0 + c * p.slotCount, weights: w0 + d * edges)
                    for got in [batch[d * count + c], drawn[d]] where !same(got, one) {
                        fatalError("batch \(got) and one by one \(one) differ: candidate \(c), draw \(d)")
                    }
                }
            }
        }
    }
}

/// The assessment's risks and coverage (the traced program, which short-circuits and jumps as
/// written) against the plain program's (which folds cases and evaluates eagerly where nothing
/// can fault), bit for bit: a difference stops the fuzzer.
func compareTraced(_ p: CompiledPolicy, _ table: FactTable, _ a: Assessment) {
    let ev = Evaluator(p)
    for r in a.results {
        let fast = ev.score(Array(table.row(r.candidateIndex)))
        let traced = r.risk ?? .nan
        if traced.bitPattern != fast.risk.bitPattern && !(traced.isNaN && fast.risk.isNaN)
            || r.coverage.bitPattern != fast.coverage.bitPattern
        {
            fatalError("traced \(traced) (coverage \(r.coverage)) and plain \(fast) differ: candidate \(r.id)")
        }
    }
}

func same(_ a: Outcome, _ b: Outcome) -> Bool {
    a.risk.bitPattern == b.risk.bitPattern && a.coverage.bitPattern == b.coverage.bitPattern && a.excluded == b.excluded
        && a.faults == b.faults
}

func run(_ text: String) {
    switch Fuzz.target {
    case "policy":
        _ = policy(text)
    case "scenario":
        if let s = scenario(text), let p = policy(Fuzz.schema) { score(p, s) }
    case "parts":
        let file = SourceFile(path: "fuzz-parts.yaml", text: text)
        guard let parts = YAMLReader.parseInParts(file, limits: Fuzz.limits, minimumPartBytes: 8) else { return }
        guard case let .success(whole) = YAMLReader.parse(file, limits: Fuzz.limits) else {
            fatalError("the parts joined, but the whole file does not read")
        }
        if YAMLReader.outline(parts) != YAMLReader.outline(whole) { fatalError("the parts give another tree than the whole file") }
    case "expression":
        let quoted = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        _ = policy(Fuzz.schema + "\n  z: {expr: \"\(quoted)\"}\n")
    case "table":
        // A spreadsheet table, read and turned into a scenario of its own, then bound and scored.
        guard case let .success(t) = TableImport.read(path: "fuzz.csv", bytes: Array(text.utf8)),
            case let .success(s) = t.scenario(id: "t", title: "t", base: nil, sources: []),
            let p = policy(Fuzz.schema)
        else { return }
        score(p, s)
        _ = ScenarioYAML.imported(t, id: "t", title: "t", extends: nil, base: nil, sources: [], tableSHA256: "")
        _ = FactsCSV.long(s)
    case "tests":
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubs-fuzz-tests")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("t.yaml").path
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        _ = TestRunner.run([path], limits: Fuzz.limits)
    default:
        let parts = text.components(separatedBy: "\n---8<---\n")
        guard parts.count == 2, let p = policy(parts[0]), let s = scenario(parts[1]) else { return }
        score(p, s)
    }
}

/// A sensitivity shard (binary): read as it is, which the digest mostly refuses, and again with
/// its digest recomputed, so the reader's checks of counts, ranges and ranks see every input.
/// Whatever it accepts must encode back to the same bytes.
func shard(_ bytes: [UInt8]) {
    if case let .success(s) = SensitivityShard.decode(bytes, path: "fuzz"), s.encoded() != bytes {
        fatalError("an accepted shard does not encode to its own bytes")
    }
    guard let nl = bytes.prefix(512).firstIndex(of: UInt8(ascii: "\n")) else { return }
    var words = bytes[..<nl].split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
    if words.count == 7 { words.removeLast() }
    let head = Array(words.joined(separator: [UInt8(ascii: " ")])) + [UInt8(ascii: "\n")]
    let body = Array(bytes[(nl + 1)...])
    let sealed = Array(head.dropLast()) + Array((" " + SHA256.hex(head + body) + "\n").utf8) + body
    if case let .success(s) = SensitivityShard.decode(sealed, path: "fuzz"), s.encoded() != sealed {
        fatalError("an accepted shard does not encode to its own bytes")
    }
}

/// `hubs lsp`'s input: a byte stream framed (or not) as the base protocol frames messages, every
/// message handed in order to a server of the shipped project; whatever arrives, the server
/// answers or ignores it, and the reader always reaches the end of the stream.
func lsp(_ bytes: [UInt8]) {
    var reader = BufferedReader.bytes(bytes)
    let framing = LSPFraming(maxBody: 1 << 16)
    // A server of its own for each input, so that a finding reproduces from its input alone.
    let server = Fuzz.newLanguageServer()
    var steps = 0
    while let item = framing.next(from: &reader) {
        steps += 1
        if steps > bytes.count + 1 { fatalError("the framing reader does not advance") }
        if case let .message(body) = item {
            _ = server.handle(body)
            if server.exitStatus != nil { return }
        }
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if Fuzz.target == "shard" {
        shard(Array(bytes))
        return 0
    }
    if Fuzz.target == "lsp" {
        lsp(Array(bytes))
        return 0
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
        // Invalid UTF-8 goes through the file reader's own check.
        _ = SourceFile.read(path: "/dev/null", limits: Fuzz.limits)
        return 0
    }
    run(text)
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(llvmFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
