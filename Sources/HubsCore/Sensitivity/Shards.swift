import Foundation

/// One shard of a sensitivity run: runs `firstRun ..< firstRun + runs` of the design, and what
/// identifies the analysis they belong to. Every run's draws depend only on (seed, matrix, sample,
/// input), never on the machine, thread or shard that makes it, so shards made anywhere merge, in
/// any order, into exactly the result of one run: the same bytes in every format.
public struct SensitivityShard: Sendable {
    /// Identifies the analysis: the policy and scenario files (by SHA-256) and every option that
    /// changes a run or the summary. Shards merge only with the same fingerprint.
    public var fingerprint: String
    public var totalRuns: Int
    public var firstRun: Int
    public var runs: Int { store.runs }
    public var candidates: Int { store.candidates }
    let store: RunStore

    /// The first line of a shard file.
    public static let magic = "hubs.sensitivity-shard/1"

    /// The runs of shard `k` of `n` (1-based): contiguous, every run in exactly one shard.
    public static func range(shard k: Int, of n: Int, totalRuns: Int) -> Range<Int> {
        (totalRuns * (k - 1) / n)..<(totalRuns * k / n)
    }

    /// The shard as bytes: a text header line, then the runs' risks (IEEE 754 bits), ranks,
    /// exclusion flags and constraint restores, little-endian.
    public func encoded() -> [UInt8] {
        var out = Array("\(Self.magic) \(fingerprint) \(totalRuns) \(firstRun) \(runs) \(candidates)\n".utf8)
        let cells = runs * candidates
        out.reserveCapacity(out.count + cells * 13 + runs * 4)
        for i in 0..<cells { Self.append(store.risks[i].bitPattern, bytes: 8, to: &out) }
        for i in 0..<cells { Self.append(UInt64(UInt32(bitPattern: store.ranks[i])), bytes: 4, to: &out) }
        for i in 0..<cells { out.append(store.excludedFlags[i]) }
        for i in 0..<runs { Self.append(UInt64(UInt32(bitPattern: store.restores[i])), bytes: 4, to: &out) }
        return out
    }

    static func append(_ v: UInt64, bytes: Int, to out: inout [UInt8]) {
        for k in 0..<bytes { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }

    /// Reads a shard written by `encoded()`; anything else is an error naming the file.
    public static func decode(_ bytes: [UInt8], path: String) -> Result<SensitivityShard, DiagnosticsError> {
        func bad(_ why: String) -> Result<SensitivityShard, DiagnosticsError> {
            .failure(
                DiagnosticsError([
                    .error(
                        .shardMismatch, "not a hubs sensitivity shard: \(why)", at: .wholeFile(path),
                        hint: "make shards with 'hubs sensitivity --shard K/N --output FILE'")
                ]))
        }
        guard let newline = bytes.prefix(512).firstIndex(of: UInt8(ascii: "\n")) else { return bad("no header line") }
        let words = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ").map(String.init)
        guard words.count == 6, words[0] == magic else { return bad("the header is not '\(magic) …'") }
        guard let total = Int(words[2]), let first = Int(words[3]), let runs = Int(words[4]), let cands = Int(words[5]),
            total > 0, first >= 0, runs >= 0, cands > 0
        else { return bad("the header's counts are not positive whole numbers") }
        // Every product and sum checked: the numbers come from a file.
        let body = bytes.count - (newline + 1)
        let (cells, o1) = runs.multipliedReportingOverflow(by: cands)
        let (cellBytes, o2) = cells.multipliedReportingOverflow(by: 13)
        let (end, o3) = first.addingReportingOverflow(runs)
        guard !o1, !o2, !o3, end <= total else { return bad("the header's counts do not fit together") }
        guard cellBytes <= body, body - cellBytes == runs * 4 else {
            return bad("it holds \(body) bytes of runs, not the \(runs) runs x \(cands) candidates its header announces")
        }
        var at = newline + 1
        func read(_ width: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<width { v |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
            at += width
            return v
        }
        let store = RunStore(runs: runs, candidates: cands, firstRun: first)
        for i in 0..<cells { store.risks[i] = Double(bitPattern: read(8)) }
        for i in 0..<cells { store.ranks[i] = Int32(bitPattern: UInt32(truncatingIfNeeded: read(4))) }
        for i in 0..<cells { store.excludedFlags[i] = UInt8(truncatingIfNeeded: read(1)) }
        for i in 0..<runs { store.restores[i] = Int32(bitPattern: UInt32(truncatingIfNeeded: read(4))) }
        return .success(SensitivityShard(fingerprint: words[1], totalRuns: total, firstRun: first, store: store))
    }
}

extension SensitivityAnalysis {
    /// What a sensitivity analysis is made of, before any run.
    struct Plan {
        var design: SamplingDesign
        var runner: SensitivityRunner
        var fingerprint: String
    }

    static func plan(
        _ a: Assessment, table: FactTable, options o: SensitivityOptions, runs: (shard: Int, of: Int)? = nil
    ) -> Result<Plan, DiagnosticsError> {
        let policy = a.policy
        let inputs: [UncertainInput]
        switch Self.inputs(policy, table, o) {
        case let .success(i): inputs = i
        case let .failure(e): return .failure(e)
        }
        if let problem = budgetProblem(policy, inputs: inputs, options: o, candidates: table.candidateCount) {
            return .failure(DiagnosticsError([problem]))
        }
        let variants: [CompiledPolicy]
        switch Self.variants(policy, o.caseAlternatives) {
        case let .success(v): variants = v
        case let .failure(e): return .failure(e)
        }
        let total = o.runs(inputs: inputs.count)
        let design = SamplingDesign(
            policy: policy, inputs: inputs, samples: o.samples, seed: o.seed, sobol: o.sobol,
            runs: runs.map { SensitivityShard.range(shard: $0.shard, of: $0.of, totalRuns: total) })
        let runner = SensitivityRunner(
            policy: policy, table: table, design: design, variants: variants, radix: o.caseAlternatives.map { $0.conditions.count + 1 })
        return .success(Plan(design: design, runner: runner, fingerprint: fingerprint(a, inputs: inputs, options: o)))
    }

    /// A hash of everything a shard's runs and the merged summary depend on (not the threads).
    static func fingerprint(_ a: Assessment, inputs: [UncertainInput], options o: SensitivityOptions) -> String {
        var text = "policy \(a.policy.policy.file.sha256)\n"
        for f in a.inputs { text += "\(f.role.rawValue) \(f.sha256)\n" }
        text += "samples \(o.samples) seed \(o.seed) sobol \(o.sobol) top \(o.top) bootstrap \(o.bootstrap)\n"
        for i in inputs { text += "input \(i.name)\n" }
        return String(SHA256.hex(Array(text.utf8)).prefix(32))
    }

    /// Runs shard `k` of `n` (1-based) of the analysis.
    public static func runShard(
        _ a: Assessment, table: FactTable, options o: SensitivityOptions, shard k: Int, of n: Int,
        progress: (@Sendable (Double) -> Void)? = nil
    ) -> Result<SensitivityShard, DiagnosticsError> {
        plan(a, table: table, options: o, runs: (k, n)).map { p in
            let range = SensitivityShard.range(shard: k, of: n, totalRuns: p.design.runs)
            let store = p.runner.run(threads: o.threads, range: range, progress: progress)
            return SensitivityShard(fingerprint: p.fingerprint, totalRuns: p.design.runs, firstRun: range.lowerBound, store: store)
        }
    }

    /// Merges shards of this analysis (any order) into the result of one run. Shards of another
    /// analysis, overlapping shards and missing runs are errors naming the shard.
    public static func merge(
        _ a: Assessment, table: FactTable, options o: SensitivityOptions, shards: [(path: String, shard: SensitivityShard)]
    ) -> Result<SensitivityResult, DiagnosticsError> {
        plan(a, table: table, options: o).flatMap { p in
            let total = p.design.runs
            let cands = table.candidateCount
            var problems: [Diagnostic] = []
            for (path, s) in shards where s.fingerprint != p.fingerprint || s.totalRuns != total || s.candidates != cands {
                problems.append(
                    .error(
                        .shardMismatch, "this shard belongs to another analysis (policy, scenario or options differ)",
                        at: .wholeFile(path),
                        hint: "merge with the same --policy, --scenario and sensitivity options the shards were made with"))
            }
            var next = 0
            for (path, s) in shards.sorted(by: { $0.shard.firstRun < $1.shard.firstRun }) where problems.isEmpty {
                if s.firstRun != next {
                    problems.append(
                        .error(
                            .shardMismatch,
                            s.firstRun > next
                                ? "runs \(next)..<\(s.firstRun) are in no shard" : "this shard repeats runs from \(s.firstRun) on",
                            at: .wholeFile(path), hint: "merge every shard of one split (--shard 1/N to N/N), each once"))
                }
                next = s.firstRun + s.runs
            }
            if problems.isEmpty && next != total {
                problems.append(
                    .error(
                        .shardMismatch, "runs \(next)..<\(total) are in no shard", at: nil,
                        hint: "merge every shard of one split (--shard 1/N to N/N), each once"))
            }
            if !problems.isEmpty { return .failure(DiagnosticsError(problems)) }
            let store = RunStore(runs: total, candidates: cands)
            for (_, s) in shards {
                let base = s.firstRun * cands
                let cells = s.runs * cands
                (store.risks + base).update(from: s.store.risks, count: cells)
                (store.ranks + base).update(from: s.store.ranks, count: cells)
                (store.excludedFlags + base).update(from: s.store.excludedFlags, count: cells)
                (store.restores + s.firstRun).update(from: s.store.restores, count: s.runs)
            }
            return .success(summarize(a, table: table, design: p.design, results: store, options: o))
        }
    }
}
