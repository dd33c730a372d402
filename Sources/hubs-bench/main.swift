// hubs-bench: how fast the compiled evaluator scores candidates.
//
//   swift run -c release hubs-bench [--candidates N] [--seconds S] [--seed N] [--peer DIR]
//   swift run -c release hubs-bench --peer-throughput DIR [--seconds S]
//
// --peer DIR also measures the peer benchmark's workload (DIR holds the kit's hubs translation:
// policy.yaml and scenario-n20000.yaml, made by its run.sh in data/hubs/), for comparison with
// the numpy peer's in-process figure that run.sh prints. --stages DIR measures only the stages
// of `hubs score` on it (time and resident memory after each), in a fresh process.
//
// Generates a seeded synthetic policy (5 groups of 8 leaf criteria mixing cases, maps, scales and
// expressions, 3 gates; 10% of facts unknown) and N candidates (default 20,000), then reports the
// compile time and candidate evaluations per second on one core, without tracing, and with the
// traced evaluation used for explanations. Not part of `swift test`.
import Foundation
import HubsCore
import HubsTestSupport

func argument(_ name: String, default value: Double) -> Double {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: name), i + 1 < args.count, let v = Double(args[i + 1]) { return v }
    return value
}

// --reprepare N: N preparations of a small assessment held in a Workspace, each after an edit
// of its scenario, then one line "prepared N, parsed K, kept T" (a test compares the peak memory
// of 1,000 and 10,000: it must not grow with N).
if let i = CommandLine.arguments.firstIndex(of: "--reprepare"), i + 1 < CommandLine.arguments.count,
    let n = Int(CommandLine.arguments[i + 1])
{
    let policy = "policy: p\nfacts:\n  x: {type: number, range: [0, 10]}\ncriteria:\n  only: {scale: {of: x, best: 0, worst: 10}}\n"
    let w = Workspace([SourceFile(path: "p.yaml", text: policy)], over: nil)
    for k in 0..<n {
        w.set("s.yaml", text: "scenario: s\ncandidates:\n  a: {name: A, facts: {x: \(k % 10)}}\n  b: {name: B, facts: {x: 5}}\n")
        guard case .success = Pipeline.assess(policyPath: "p.yaml", scenarioPath: "s.yaml", files: w) else {
            print("preparation \(k) failed")
            exit(1)
        }
    }
    print("prepared \(n), parsed \(w.parses), kept \(w.keptTrees)")
    exit(0)
}

if let i = CommandLine.arguments.firstIndex(of: "--stages"), i + 1 < CommandLine.arguments.count {
    print(phaseTimes(CommandLine.arguments[i + 1]))
    exit(0)
}
let candidates = Int(argument("--candidates", default: 20_000))
let seconds = argument("--seconds", default: 2)
let seed = UInt64(argument("--seed", default: 42))

/// The peer workload in `dir` (the kit's hubs translation: policy.yaml and scenario-n20000.yaml),
/// compiled and bound; on failure, every diagnostic (file:line:column, what, hint) and exit 1.
func peerWorkload(_ dir: String) -> (policy: CompiledPolicy, table: FactTable) {
    switch Pipeline.policy(at: dir + "/policy.yaml").flatMap({ p in
        Pipeline.scenario(at: dir + "/scenario-n20000.yaml").flatMap { Binder.bind($0, to: p) }.map { (p, $0) }
    }) {
    case let .success(loaded): return loaded
    case let .failure(e):
        FileHandle.standardError.write(
            Data("hubs-bench: cannot load the peer workload in \(dir) (run scripts/bench-peers once to make it):\n\(e)\n".utf8))
        exit(1)
    }
}

// --peer-throughput DIR: only the peer workload's two in-process figures, as one JSON line
// (scripts/bench-inprocess pairs them with the numpy peer's, round by round).
if let i = CommandLine.arguments.firstIndex(of: "--peer-throughput"), i + 1 < CommandLine.arguments.count {
    let (p, table) = peerWorkload(CommandLine.arguments[i + 1])
    let t = throughput(Evaluator(p), rows: table.values, count: table.candidateCount, slots: table.slotCount)
    print("{\"n\": \(table.candidateCount), \"one_per_s\": \(t.one), \"batch_per_s\": \(t.batch)}")
    exit(0)
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

let yaml = Synthetic.policy(groups: 5, leavesPerGroup: 8, gates: 3, seed: seed, aggregations: [.mean, .mean, .geometric, .mean, .max])
let file = SourceFile(path: "synthetic.yaml", text: yaml)

// Compile time: YAML text → node tree → model → checked → compiled, best of 20.
var compileBest = Double.infinity
var compiled: CompiledPolicy?
for _ in 0..<20 {
    let t0 = now()
    let root = try YAMLReader.parse(file).get()
    let model = try PolicyLoader().load(root, file: file).get()
    compiled = try PolicyCompiler.compile(model).get()
    compileBest = min(compileBest, now() - t0)
}
guard let policy = compiled else { fatalError("the synthetic policy did not compile") }
let slots = policy.slotCount

let rows = Synthetic.rows(for: policy, count: candidates, unknownShare: 0.1, seed: seed &+ 1)
let evaluator = Evaluator(policy)

/// Evaluations per second of `evaluator` over `rows` (`count` candidates), one at a time and in batches.
func throughput(_ ev: Evaluator, rows: [Double], count: Int, slots: Int) -> (one: Double, batch: Double) {
    var out = [Outcome](repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: count)
    var sink = 0.0
    func run(_ body: (UnsafePointer<Double>, UnsafeMutablePointer<Outcome>) -> Void) -> Double {
        var evaluations = 0
        let start = now()
        rows.withUnsafeBufferPointer { buf in
            out.withUnsafeMutableBufferPointer { o in
                guard let first = buf.baseAddress, let into = o.baseAddress else { return }
                repeat {
                    body(first, into)
                    evaluations += count
                } while now() - start < seconds
            }
        }
        sink += out.first?.risk ?? 0
        return Double(evaluations) / (now() - start)
    }
    let one: (UnsafePointer<Double>, UnsafeMutablePointer<Outcome>) -> Void = { first, into in
        for c in 0..<count { into[c] = ev.score(first + c * slots) }
    }
    let batch: (UnsafePointer<Double>, UnsafeMutablePointer<Outcome>) -> Void = { first, into in
        ev.scoreBatch(first, count: count, into: into)
    }
    _ = run(one)
    let a = run(one)
    _ = run(batch)
    let b = run(batch)
    _ = sink
    return (a, b)
}

// One candidate at a time, then in batches (the same results, bit for bit: checked below).
let synthetic = throughput(evaluator, rows: rows, count: candidates, slots: slots)

let explainSample = min(candidates, 500)
let scenarioText = Synthetic.scenario(for: policy, rows: rows, count: explainSample)
let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("hubs-bench-\(getpid()).yaml").path
try scenarioText.write(toFile: tmp, atomically: true, encoding: .utf8)
defer { try? FileManager.default.removeItem(atPath: tmp) }
let scenario: Scenario
let assessment: Assessment
let tAssess = now()
switch ScenarioLoader().load(path: tmp).flatMap({ Pipeline.assess(policy: policy, scenario: $0) }) {
case let .success(a):
    assessment = a
    scenario = a.scenario
case let .failure(e):
    FileHandle.standardError.write(Data("hubs-bench: \(e)\n".utf8))
    exit(1)
}
let assessSeconds = now() - tAssess

// The two paths must agree bit for bit.
@MainActor func resultsAgree() -> Bool {
    var out = [Outcome](repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: candidates)
    return rows.withUnsafeBufferPointer { buf in
        guard let first = buf.baseAddress else { return false }
        out.withUnsafeMutableBufferPointer { o in o.baseAddress.map { evaluator.scoreBatch(first, count: candidates, into: $0) } }
        return (0..<candidates).allSatisfy { c in
            let one = evaluator.score(first + c * slots)
            return one.risk.bitPattern == out[c].risk.bitPattern && one.excluded == out[c].excluded
        }
    }
}
let agree = resultsAgree()

/// Where the time of `hubs score --format table` on the peer workload goes, stage by stage
/// (each the best of 3 runs, in this process).
func phaseTimes(_ dir: String) -> String {
    var best = [Double](repeating: .infinity, count: 7)
    var resident = [Int](repeating: 0, count: 7)
    for round in 0..<3 {
        var t = now()
        func lap(_ i: Int) {
            let n = now()
            best[i] = min(best[i], n - t)
            if round == 0 { resident[i] = residentMiB() }
            t = n
        }
        guard let policy = try? Pipeline.policy(at: dir + "/policy.yaml").get() else { return "policy failed" }
        lap(0)
        guard let file = try? DiskFiles().read(dir + "/scenario-n20000.yaml", limits: .standard).get() else { return "read failed" }
        lap(1)
        guard let root = try? YAMLReader.parse(file).get() else { return "parse failed" }
        lap(2)
        guard let scenario = try? ScenarioLoader().load(root: root, file: file, path: file.path).get()
        else { return "load failed" }
        lap(3)
        guard let table = try? Binder.bind(scenario, to: policy).get() else { return "bind failed" }
        lap(4)
        guard let assessment = try? Assessor.assess(table, policy: policy, detail: .summary).get() else { return "assess failed" }
        lap(5)
        let text = ScoreRenderer.table(assessment)
        lap(6)
        _ = text.utf8.count
    }
    let names = ["policy", "read file", "parse YAML", "load scenario", "bind", "assess (summary)", "render table"]
    return "stages of `score --format table` (best of 3; resident memory after each, first run): "
        + names.indices.map { "\(names[$0]) \(String(format: "%.0f", best[$0] * 1000)) ms (\(resident[$0]) MiB)" }
        .joined(separator: ", ")
}

/// This process's resident memory now, in MiB (0 where /proc is not there).
func residentMiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return 0 }
    return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
}

var peerLine = ""
if let i = CommandLine.arguments.firstIndex(of: "--peer"), i + 1 < CommandLine.arguments.count {
    let dir = CommandLine.arguments[i + 1]
    let (p, table) = peerWorkload(dir)
    let t = throughput(Evaluator(p), rows: table.values, count: table.candidateCount, slots: table.slotCount)
    let phases = phaseTimes(dir)
    peerLine = """

          peer workload (\(dir)): \(table.candidateCount) candidates, \(p.criteria.filter(\.isLeaf).count) leaf criteria, \(p.gates.count) gates
            one core, in batches of \(Evaluator.batchLanes): \(String(format: "%.0f", t.batch)) evaluations/s
            one core, one candidate at a time: \(String(format: "%.0f", t.one)) evaluations/s
            \(phases)
        """
}
_ = assessment
let leaves = policy.criteria.filter(\.isLeaf).count
print(
    """
    hubs-bench (seed \(seed))
      policy: \(leaves) leaf criteria in 5 groups (mean, geometric, max), \(policy.gates.count) gates, \(policy.slotCount) facts
      program: \(policy.instructionCount) instructions (\(policy.instructionHistogram.map { "\($0.0) \($0.1)" }.joined(separator: ", ")))
      compile (YAML text to evaluator, best of 20): \(String(format: "%.2f", compileBest * 1000)) ms
      candidates: \(candidates), 10% of facts unknown
      one core, no tracing, in batches of \(Evaluator.batchLanes): \(String(format: "%.0f", synthetic.batch)) evaluations/s (\(String(format: "%.0f", 1e9 / synthetic.batch)) ns each)
      one core, no tracing, one candidate at a time: \(String(format: "%.0f", synthetic.one)) evaluations/s (\(String(format: "%.0f", 1e9 / synthetic.one)) ns each)
      full explained assessment (traced, attribution, ranking): \(explainSample) candidates in \(String(format: "%.1f", assessSeconds * 1000)) ms
      batch and one-by-one results identical for all \(candidates) candidates: \(agree ? "yes" : "NO")\(peerLine)
    """)
