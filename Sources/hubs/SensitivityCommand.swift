import ArgumentParser
import Foundation
import HubsCore

struct Sensitivity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "How robust is the ranking? Monte Carlo over uncertain inputs, with Sobol indices on request.",
        discussion: """
            Uncertain inputs come from the policy's 'sensitivity:' section and these options: weights
            (each within ±N%, or each group's weights from a Dirichlet around their shares), facts with
            an 'interval' in the scenario or with a low confidence (sampled within the interval, else
            the declared range or the type's domain), and alternative aggregation methods for groups.

            Per candidate: nominal and median rank, 5th-95th percentile rank and risk, probability of
            ranking in the top k, of each band, and of being excluded, from N Monte Carlo draws. With
            --sobol, also which inputs matter: first-order and total Sobol indices (Saltelli and Jansen
            estimators) on the mean absolute rank shift and on each candidate's risk, with bootstrap 95%
            intervals; this takes N x (inputs + 2) runs instead of N.

            The same seed gives the same output, byte for byte, whatever --threads is.

            Examples:
              hubs sensitivity --samples 10000 --seed 1
              hubs sensitivity --samples 10000 --sobol
              hubs sensitivity --weights 30 --facts low,medium --aggregate security=mean,max
              hubs sensitivity --dirichlet 50 --format json --threads 1
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: "Samples N (N runs of every candidate; N x (inputs + 2) with --sobol).")
    var samples: Int = 1_000

    @Flag(help: "Also compute Sobol indices (which inputs matter), with bootstrap intervals.")
    var sobol = false

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Threads (default: every core). The output does not depend on it.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

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

    @Option(name: .shortAndLong, help: "Output format: table, json or markdown.")
    var format: TableFormat = .table

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
    }

    func run() throws {
        var console = Console()
        let a = try input.assess(&console)
        let table = a.table
        var o = SensitivityOptions()
        o.samples = samples
        o.seed = seed
        o.threads = threads
        o.top = top
        o.sobol = sobol
        let spec = a.policy.policy.sensitivity
        o.weights = weights.map { .perturbation(percent: $0) } ?? dirichlet.map { .dirichlet(concentration: $0) } ?? spec?.weights
        if let facts {
            var levels: [Confidence] = []
            for word in facts.split(separator: ",") {
                guard let c = Confidence(rawValue: word.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--facts takes high, medium or low (comma-separated), not '\(word)'")
                }
                levels.append(c)
            }
            o.factConfidence = levels
        } else {
            o.factConfidence = spec?.factConfidence ?? []
        }
        o.alternatives = (spec?.alternatives ?? []).map { ($0.group, $0.methods, $0.location) }
        o.caseAlternatives = spec?.caseAlternatives ?? []
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
        let result = SensitivityAnalysis.run(a, table: table, options: o, progress: showProgress ? bar : nil)
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
}
