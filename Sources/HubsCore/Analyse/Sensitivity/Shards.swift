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

    /// The first word of a shard file. Version 2 added the digest; a version 1 shard is refused
    /// with a hint to make it again.
    public static let magic = "hubs.sensitivity-shard/2"

    /// The longest header line read before the body.
    static let maxHeaderBytes = 512

    /// The runs of shard `k` of `n` (1-based): contiguous, every run in exactly one shard.
    public static func range(shard k: Int, of n: Int, totalRuns: Int) -> Range<Int> {
        (totalRuns * (k - 1) / n)..<(totalRuns * k / n)
    }

    /// The header's words before the digest.
    var headerWords: String { "\(Self.magic) \(fingerprint) \(totalRuns) \(firstRun) \(runs) \(candidates)" }

    /// The shard as bytes: a text header line (the format, the analysis fingerprint, the counts
    /// and a digest), then the runs' risks (IEEE 754 bits), ranks, exclusion flags and constraint
    /// restores, little-endian. The digest is the SHA-256 of the header's other words, a line
    /// break and the body: it covers the fingerprint, the run range and every value, so an edited,
    /// relabelled or damaged shard is refused when merged. (It guards against accidents and naive
    /// edits, not against someone who recomputes it: see docs/analysis.md.)
    public func encoded() -> [UInt8] {
        let cells = runs * candidates
        var body: [UInt8] = []
        body.reserveCapacity(cells * 13 + runs * 4)
        for i in 0..<cells { Self.append(store.risks[i].bitPattern, bytes: 8, to: &body) }
        for i in 0..<cells { Self.append(UInt64(UInt32(bitPattern: store.ranks[i])), bytes: 4, to: &body) }
        for i in 0..<cells { body.append(store.excludedFlags[i]) }
        for i in 0..<runs { Self.append(UInt64(UInt32(bitPattern: store.restores[i])), bytes: 4, to: &body) }
        let head = Array((headerWords + "\n").utf8)
        return Array("\(headerWords) \(SHA256.hex(head + body))\n".utf8) + body
    }

    static func append(_ v: UInt64, bytes: Int, to out: inout [UInt8]) {
        for k in 0..<bytes { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }

    /// The counts a header announces, checked to fit together without overflow.
    struct Header {
        var fingerprint: String
        var total: Int
        var first: Int
        var runs: Int
        var candidates: Int
        var digest: String
        /// The header line's length, its line break included.
        var length: Int
        /// The whole file's size the header announces.
        var fileBytes: Int
        var cells: Int { runs * candidates }
    }

    static func refusal(_ why: String, _ path: String) -> DiagnosticsError {
        DiagnosticsError([
            .shardMismatch(
                "not a valid hubs sensitivity shard: \(why)", at: .wholeFile(path),
                hint: "make the shard again with 'hubs sensitivity --shard K/N --output FILE'")
        ])
    }

    /// Reads the header at the start of `bytes` (at most `maxHeaderBytes` of it).
    static func header(_ bytes: ArraySlice<UInt8>, path: String) -> Result<Header, DiagnosticsError> {
        guard let newline = bytes.prefix(maxHeaderBytes).firstIndex(of: UInt8(ascii: "\n")) else {
            return .failure(refusal("no header line", path))
        }
        let words = String(decoding: bytes[bytes.startIndex..<newline], as: UTF8.self).split(separator: " ").map(String.init)
        if words.first == "hubs.sensitivity-shard/1" {
            return .failure(refusal("it was made by an older hubs, without a digest", path))
        }
        guard words.count == 7, words[0] == magic else { return .failure(refusal("the header is not '\(magic) …'", path)) }
        // Every word exactly as `encoded()` writes it, so an accepted header is the one written:
        // lower-case hex, and counts in plain decimal (no sign, no leading zero).
        func hex(_ w: String, _ n: Int) -> Bool {
            w.utf8.count == n && w.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        }
        func count(_ w: String) -> Int? { Int(w).flatMap { String($0) == w ? $0 : nil } }
        guard hex(words[1], 32) else { return .failure(refusal("the header's fingerprint is not 32 hex digits", path)) }
        guard let total = count(words[2]), let first = count(words[3]), let runs = count(words[4]), let cands = count(words[5]),
            total > 0, first >= 0, runs >= 0, cands > 0
        else { return .failure(refusal("the header's counts are not positive whole numbers", path)) }
        guard hex(words[6], 64) else { return .failure(refusal("the header's digest is not 64 hex digits", path)) }
        // Every product and sum checked: the numbers come from a file.
        let length = newline - bytes.startIndex + 1
        let (cells, o1) = runs.multipliedReportingOverflow(by: cands)
        let (cellBytes, o2) = cells.multipliedReportingOverflow(by: 13)
        let (end, o3) = first.addingReportingOverflow(runs)
        let (restoreBytes, o4) = runs.multipliedReportingOverflow(by: 4)
        let (body, o5) = cellBytes.addingReportingOverflow(restoreBytes)
        let (size, o6) = body.addingReportingOverflow(length)
        guard !o1, !o2, !o3, !o4, !o5, !o6, end <= total else { return .failure(refusal("the header's counts do not fit together", path)) }
        return .success(
            Header(
                fingerprint: words[1], total: total, first: first, runs: runs, candidates: cands, digest: words[6], length: length,
                fileBytes: size))
    }

    /// Reads the shard file at `path`: first its header, then, only when the file's size is the
    /// one the header announces, the rest; a file of another size is refused before its body is
    /// read, so a huge file costs one header's read.
    public static func read(path: String) -> Result<SensitivityShard, DiagnosticsError> {
        SourceFile.readBytes(path: path, upTo: maxHeaderBytes, what: "shard file").flatMap { start in
            header(start[...], path: path).flatMap { h in
                var info = stat()
                guard stat(path, &info) == 0, Int(info.st_size) == h.fileBytes else {
                    return .failure(
                        refusal(
                            "it holds \(Int(info.st_size) - h.length) bytes of runs, not the \(h.fileBytes - h.length) that its header's \(h.runs) runs x \(h.candidates) candidates take",
                            path))
                }
                return SourceFile.readBytes(path: path, upTo: h.fileBytes + 1, what: "shard file").flatMap { decode($0, path: path) }
            }
        }
    }

    /// Reads a shard written by `encoded()`; anything else, and any shard whose digest or values
    /// are wrong, is an error naming the file.
    public static func decode(_ bytes: [UInt8], path: String) -> Result<SensitivityShard, DiagnosticsError> {
        let h: Header
        switch header(bytes[...], path: path) {
        case let .success(v): h = v
        case let .failure(e): return .failure(e)
        }
        guard bytes.count == h.fileBytes else {
            return .failure(
                refusal(
                    "it holds \(bytes.count - h.length) bytes of runs, not the \(h.fileBytes - h.length) that its header's \(h.runs) runs x \(h.candidates) candidates take",
                    path))
        }
        let headWithoutDigest = Array(bytes[..<(h.length - 66)]) + [UInt8(ascii: "\n")]
        guard SHA256.hex(headWithoutDigest + bytes[h.length...]) == h.digest else {
            return .failure(refusal("its digest does not match its contents: it was changed after hubs wrote it, or damaged", path))
        }
        var at = h.length
        func read(_ width: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<width { v |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
            at += width
            return v
        }
        let cells = h.cells
        let store = RunStore(runs: h.runs, candidates: h.candidates, firstRun: h.first)
        for i in 0..<cells { store.risks[i] = Double(bitPattern: read(8)) }
        for i in 0..<cells { store.ranks[i] = Int32(bitPattern: UInt32(truncatingIfNeeded: read(4))) }
        for i in 0..<cells { store.excludedFlags[i] = UInt8(truncatingIfNeeded: read(1)) }
        for i in 0..<h.runs { store.restores[i] = Int32(bitPattern: UInt32(truncatingIfNeeded: read(4))) }
        if let why = store.implausible() { return .failure(refusal(why, path)) }
        return .success(SensitivityShard(fingerprint: h.fingerprint, totalRuns: h.total, firstRun: h.first, store: store))
    }
}

extension RunStore {
    /// What no run of hubs can record, or nil: a risk that is infinite or outside 0-100, a flag
    /// other than 0 or 1, an excluded candidate with a rank, ranks that are not 1, 2, … k once
    /// each in a run, or more constraint restores than candidates. Checked for every shard read,
    /// whatever its digest says.
    func implausible() -> String? {
        var seen = [Int32](repeating: -1, count: candidates + 1)
        for run in 0..<runs {
            let base = run * candidates
            var ranked = 0
            for c in 0..<candidates {
                let risk = risks[base + c]
                let cell = "run \(firstRun + run), candidate \(c + 1)"
                if !risk.isNaN && !(risk >= 0 && risk <= 100) { return "\(cell) has the risk \(risk), outside 0-100" }
                let flag = excludedFlags[base + c]
                if flag > 1 { return "\(cell) has the exclusion flag \(flag), neither 0 nor 1" }
                let rank = ranks[base + c]
                if rank < 0 || Int(rank) > candidates { return "\(cell) has the rank \(rank), outside 0-\(candidates)" }
                if rank > 0 {
                    if flag == 1 { return "\(cell) is excluded yet ranked \(rank)" }
                    if seen[Int(rank)] == Int32(truncatingIfNeeded: run) { return "run \(firstRun + run) gives the rank \(rank) twice" }
                    seen[Int(rank)] = Int32(truncatingIfNeeded: run)
                    ranked += 1
                }
            }
            if ranked > 0, (1...ranked).contains(where: { seen[$0] != Int32(truncatingIfNeeded: run) }) {
                return "run \(firstRun + run) ranks \(ranked) candidates but not as 1-\(ranked)"
            }
            let restores = self.restores[run]
            if restores < 0 || Int(restores) > candidates {
                return "run \(firstRun + run) restores \(restores) candidates' facts, outside 0-\(candidates)"
            }
        }
        return nil
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
        switch Self.inputs(policy, table, o, assumed: o.unknowns == .draw ? assumedFacts(a) : []) {
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
            policy: policy, inputs: inputs, samples: o.samples, seed: o.seed, sobol: o.sobol, families: o.familyMatrices > 0,
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
                    .shardMismatch(
                        "this shard belongs to another analysis (policy, scenario or options differ)",
                        at: .wholeFile(path),
                        hint: "merge with the same --policy, --scenario and sensitivity options the shards were made with"))
            }
            var next = 0
            for (path, s) in shards.sorted(by: { $0.shard.firstRun < $1.shard.firstRun }) where problems.isEmpty {
                if s.firstRun != next {
                    problems.append(
                        .shardMismatch(
                            s.firstRun > next
                                ? "runs \(next)..<\(s.firstRun) are in no shard" : "this shard repeats runs from \(s.firstRun) on",
                            at: .wholeFile(path), hint: "merge every shard of one split (--shard 1/N to N/N), each once"))
                }
                next = s.firstRun + s.runs
            }
            if problems.isEmpty && next != total {
                problems.append(
                    .shardMismatch(
                        "runs \(next)..<\(total) are in no shard", at: nil,
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
