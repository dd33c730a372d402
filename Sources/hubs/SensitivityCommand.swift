import ArgumentParser
import Foundation
import HubsCore

struct Sensitivity: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "How robust is the ranking? Monte Carlo over uncertain inputs, with Sobol indices on request.",
        discussion: """
            Uncertain inputs come from the policy's 'sensitivity:' section and these options: weights \
            (each within ±N%, or each group's weights from a Dirichlet around their shares), facts with \
            an 'interval' in the scenario or with a low confidence (sampled within the interval, else \
            the declared range or the type's domain), and alternative aggregation methods for groups.

            Per candidate: nominal and median rank, 5th-95th percentile rank and risk, probability of \
            ranking in the top k, of each band, and of being excluded, from N Monte Carlo draws. With \
            --sobol, also which inputs matter: first-order and total Sobol indices (Saltelli and Jansen \
            estimators) on the mean absolute rank shift and on each candidate's risk, with bootstrap 95% \
            intervals; this takes N x (inputs + 2) runs instead of N.

            The same seed gives the same output, byte for byte, whatever --threads is. A large run \
            can be split into shards that run anywhere (each run's draws depend only on the seed and \
            its number): --shard K/N --output FILE runs the K-th of N contiguous ranges of runs and \
            writes them to FILE; --merge FILE... with the same policy, scenario and options prints \
            exactly what one run would.

            Examples:
              hubs sensitivity --samples 10000 --seed 1
              hubs sensitivity --samples 10000 --sobol
              hubs sensitivity --weights 30 --facts low,medium \\
                  --aggregate security=mean,max
              hubs sensitivity --dirichlet 50 --format json --threads 1
              hubs sensitivity --samples 100000 --shard 1/2 --output part1.shard
              hubs sensitivity --samples 100000 --merge part1.shard part2.shard
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: "Samples N (N runs of every candidate; N x (inputs + 2) with --sobol).")
    var samples: Int = 1_000

    @Flag(help: "Also compute Sobol indices (which inputs matter), with bootstrap intervals.")
    var sobol = false

    @Option(name: .customLong("memory-budget"), help: ByteSize.help)
    var memoryBudget: ByteSize?

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(name: .customLong("threads"), help: "Threads (default: every core). The output does not depend on it.")
    var threadsGiven: Int?

    /// The threads to use: as given, or every core.
    var threads: Int { threadsGiven ?? ProcessInfo.processInfo.activeProcessorCount }

    @Option(help: "k for the probability of ranking in the top k.")
    var top: Int = 3

    @Option(help: ArgumentHelp("Perturb every weight by up to ±PERCENT (overrides the policy).", valueName: "percent"))
    var weights: Double?

    @Option(
        help: ArgumentHelp(
            "Draw each group's weights from a Dirichlet with this concentration (overrides the policy).", valueName: "concentration"))
    var dirichlet: Double?

    @Option(
        help: ArgumentHelp(
            "Confidence levels whose facts are uncertain, e.g. low or low,medium (overrides the policy).", valueName: "levels"))
    var facts: String?

    @Option(
        parsing: .singleValue,
        help: ArgumentHelp("Alternative aggregations: GROUP=METHOD,METHOD (repeatable; adds to the policy's).", valueName: "group=methods"))
    var aggregate: [String] = []

    @Option(
        help: ArgumentHelp(
            "How unknown facts enter: draw (over their values, or the policy's prior; the default) or fixed (held at their missing-data rules).",
            valueName: "draw|fixed"))
    var unknowns: SensitivityOptions.UnknownFacts = .draw

    @Option(name: .shortAndLong, help: "Output format: table, json or markdown.")
    var format: TableFormat = .table

    @Option(help: ArgumentHelp("Run only shard K of N (1-based) and write it to --output.", valueName: "K/N"))
    var shard: String?

    @Option(
        help: ArgumentHelp(
            "File the shard is written to (with --shard; - for standard output). Never a folder, a device or an input.", valueName: "file"),
        completion: .file())
    var output: String?

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp("Merge these shard files into the result of one run (instead of running).", valueName: "files"),
        completion: .file())
    var merge: [String] = []

    /// `K/N` as numbers, when --shard is given.
    var shardNumbers: (k: Int, n: Int)? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 100_000, (1...n).contains(k) else {
            return nil
        }
        return (k, n)
    }

    func validate() throws {
        if samples < 2 || samples > SensitivityOptions.maxSamples {
            throw ValidationError("--samples must be from 2 to \(SensitivityOptions.maxSamples)")
        }
        if threads < 1 || threads > 64 { throw ValidationError("--threads must be from 1 to 64") }
        if top < 1 { throw ValidationError("--top must be at least 1") }
        if let w = weights, !(w > 0 && w < 100) { throw ValidationError("--weights is a percentage above 0 and below 100") }
        if let d = dirichlet, !(d > 0 && d.isFinite && d <= 1e6) {
            throw ValidationError("--dirichlet must be a concentration above 0 and at most 1,000,000")
        }
        if weights != nil && dirichlet != nil { throw ValidationError("give --weights or --dirichlet, not both") }
        if shard != nil && shardNumbers == nil { throw ValidationError("--shard takes K/N with 1 <= K <= N, like 2/8") }
        if shard != nil && output == nil { throw ValidationError("--shard needs --output FILE for the shard's runs") }
        if output != nil && shard == nil { throw ValidationError("--output goes with --shard") }
        if shard != nil && !merge.isEmpty { throw ValidationError("give --shard or --merge, not both") }
    }

    func run() throws {
        var console = Console()
        let a = try input.assess(&console)
        console.summarizeWarnings(a, policy: input.policy, scenario: input.scenario)
        let table = a.table
        var o = SensitivityOptions(declaredBy: a.policy.policy.sensitivity)
        o.samples = samples
        o.seed = seed
        o.threads = threads
        o.memoryBudget = memoryBudget?.bytes ?? o.memoryBudget
        o.top = top
        o.sobol = sobol
        o.unknowns = unknowns
        if let w = weights.map({ SensitivitySpec.Weights.perturbation(percent: $0) }) ?? dirichlet.map({ .dirichlet(concentration: $0) }) {
            o.weights = w
        }
        if let facts {
            var levels: [Confidence] = []
            for word in facts.split(separator: ",") {
                guard let c = Confidence(rawValue: word.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--facts takes high, medium or low (comma-separated), not '\(word)'")
                }
                levels.append(c)
            }
            o.factConfidence = levels
        }
        for item in aggregate {
            let parts = item.split(separator: "=", maxSplits: 1)
            let methods = parts.count == 2 ? parts[1].split(separator: ",").compactMap { Aggregation(rawValue: String($0)) } : []
            guard parts.count == 2, methods.count >= 2, methods.count == parts[1].split(separator: ",").count else {
                throw ValidationError("--aggregate takes GROUP=METHOD,METHOD with methods mean, geometric or max, not '\(item)'")
            }
            o.alternatives.removeAll { $0.group == String(parts[0]) }
            o.alternatives.append((String(parts[0]), methods, nil))
        }
        let showProgress = format == .table && isatty(STDERR_FILENO) == 1
        let started = Date()
        let bar: @Sendable (Double) -> Void = { share in Console.progress(share) }
        if let (k, n) = shardNumbers, let output {
            try writeShard(a, options: o, k: k, n: n, to: output, progress: showProgress ? bar : nil, &console)
            return
        }
        let result: Result<SensitivityResult, DiagnosticsError>
        if merge.isEmpty {
            result = SensitivityAnalysis.run(a, table: table, options: o, progress: showProgress ? bar : nil)
        } else {
            result = SensitivityAnalysis.merge(a, table: table, options: o, shards: try readShards(&console))
        }
        if showProgress { Console.endProgress() }
        switch result {
        case let .failure(e):
            console.report(e.diagnostics)
            throw ExitCode.failure
        case let .success(r):
            switch format {
            case .table: console.out(SensitivityRenderer.table(r))
            case .json: console.out(SensitivityRenderer.json(r).serialized() + "\n")
            case .markdown: console.out(SensitivityRenderer.markdown(r))
            }
            if format == .table, isatty(STDERR_FILENO) == 1 {
                console.err(String(format: "hubs: %.2f s on %d thread(s)\n", Date().timeIntervalSince(started), threads))
            }
        }
    }

    /// Runs one shard and writes it whole: to a temporary file in the same folder, then renamed,
    /// so an interrupted run never leaves a partial shard under the final name.
    func writeShard(
        _ a: Assessment, options o: SensitivityOptions, k: Int, n: Int, to path: String, progress: (@Sendable (Double) -> Void)?,
        _ console: inout Console
    ) throws {
        // Checked before the runs, so a refused target costs nothing.
        let target = try console.outputTarget(path, option: "--output", inputs: a.inputs.map(\.path) + merge)
        switch SensitivityAnalysis.runShard(a, table: a.table, options: o, shard: k, of: n, progress: progress) {
        case let .failure(e):
            if progress != nil { Console.endProgress() }
            console.report(e.diagnostics)
            throw ExitCode.failure
        case let .success(s):
            if progress != nil { Console.endProgress() }
            try console.write(s.encoded(), to: target, option: "--output")
            if target == .standardOutput { return }
            console.out("wrote shard \(k)/\(n) (runs \(s.firstRun)..<\(s.firstRun + s.runs) of \(s.totalRuns)) to \(path)\n")
        }
    }

    /// Reads the shard files named by --merge; a missing or malformed one is a located error.
    func readShards(_ console: inout Console) throws -> [(path: String, shard: SensitivityShard)] {
        var shards: [(path: String, shard: SensitivityShard)] = []
        var problems: [Diagnostic] = []
        for path in merge {
            // The header is read first; the body only when the file's size is the announced one.
            switch SensitivityShard.read(path: path) {
            case let .success(s): shards.append((path, s))
            case let .failure(e): problems += e.diagnostics
            }
        }
        if !problems.isEmpty {
            console.report(problems)
            throw ExitCode.failure
        }
        return shards
    }
}

extension SensitivityOptions.UnknownFacts: ExpressibleByArgument {}
