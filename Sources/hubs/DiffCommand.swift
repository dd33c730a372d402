import ArgumentParser
import Foundation
import HubsCore

extension DiffTrigger: ExpressibleByArgument {}

/// For diff and sensitivity.
enum TableFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, markdown
}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare outcomes across scenarios, policies or git revisions, and explain each difference.",
        discussion: """
            Five forms:
              hubs diff [--policy P] [--scenario S]
                  with nothing else, like git diff: the files at HEAD against the
                  working tree (the same as --rev HEAD)
              hubs diff BEFORE.yaml AFTER.yaml [--policy P]
                  two scenarios under one policy
              hubs diff --policy A --policy B [--scenario S]
                  two policies over one scenario
              hubs diff --rev REV | --rev A..B [--policy P] [--scenario S]
                  the same files at REV against the working tree, or at A against B
              hubs diff --set C.F=V | --weight C=N | --policy-set PATH=V
                  the files against the files with these changes (with another
                  form, the changes apply to both sides)

            For every candidate: rank, risk, band and status before and after, the change in risk split \
            by criterion (the parts add up to the change), and the facts that changed. Policy changes \
            are listed with their locations in both files. Unchanged candidates are folded into one line.

            Exit codes, as diff(1): 0 when the outcomes are identical, 1 when they differ, 2 on error. \
            --fail-on narrows what counts: rank, band, status or any (the default).

            Examples:
              hubs diff scenarios/baseline.yaml scenarios/kosovo-joins-coe.yaml
              hubs diff --policy policies/uk-return-hubs.yaml \\
                  --policy policies/security-first.yaml
              hubs diff --rev HEAD~1 --format markdown
              hubs diff --weight security=45
              hubs diff scenarios/baseline.yaml \\
                  scenarios/serbia-visas-for-russians.yaml --fail-on band
            """
    )

    @Argument(help: "Two scenario files: before and after.", completion: .file(extensions: ["yaml", "yml"]))
    var files: [String] = []

    @Option(
        name: .shortAndLong, help: ArgumentHelp("Policy file; give it twice to compare two policies.", valueName: "file"),
        completion: .file(extensions: ["yaml", "yml"]))
    var policy: [String] = []

    @Option(
        name: .shortAndLong, help: ArgumentHelp("Scenario file (with two policies or --rev).", valueName: "file"),
        completion: .file(extensions: ["yaml", "yml"]))
    var scenario: String?

    @Option(help: ArgumentHelp("Compare with the files at a git revision (REV), or between two (A..B).", valueName: "rev"))
    var rev: String?

    @Option(name: .shortAndLong, help: "Output format: table, json or markdown.")
    var format: TableFormat = .table

    @Option(name: .customLong("fail-on"), help: "What makes the exit code 1: any, rank, band or status.")
    var failOn: DiffTrigger = .any

    @OptionGroup var overrideOptions: OverrideOptions

    @OptionGroup var limitOptions: LimitOptions

    func usage(_ message: String) -> Error {
        Console().err("hubs diff: \(message)\nRun 'hubs diff --help' for the four forms.\n")
        return ExitCode(2)
    }

    /// The two sides of `--rev REV` (the files at REV, and the working tree) or `--rev A..B`; the
    /// revisions' files are added to what diagnostics can quote.
    func revisionSources(_ rev: String, _ console: inout Console) throws -> (any FileSource, any FileSource) {
        let parts = rev.components(separatedBy: "..")
        switch parts.count {
        case 1:
            switch GitProcess.files(at: rev) {
            case let .success(g):
                console.quoteSources = [g] + console.quoteSources
                return (g, limitOptions.files)
            case let .failure(e):
                console.report(e.diagnostics)
                throw ExitCode(2)
            }
        case 2:
            switch (GitProcess.files(at: parts[0]), GitProcess.files(at: parts[1])) {
            case let (.success(a), .success(b)):
                console.quoteSources = [a, b] + console.quoteSources
                return (a, b)
            case let (.failure(e), _), let (_, .failure(e)):
                console.report(e.diagnostics)
                throw ExitCode(2)
            }
        default:
            throw usage("--rev takes REV or A..B, not '\(rev)'")
        }
    }

    /// The input both sides share: reported once if it is broken.
    func run() throws {
        var console = Console()
        let limits = limitOptions.limits
        let disk = limitOptions.files
        let defaultPolicy = InputOptions.defaultPolicy
        let defaultScenario = InputOptions.defaultScenario
        let overrides = try overrideOptions.parse(&console, limits: limits)
        // Nothing to compare named: what changed since the last commit, as `git diff` does.
        let rev = self.rev ?? (files.isEmpty && policy.count <= 1 && overrides.isEmpty ? "HEAD" : nil)
        var before: Result<Assessment, DiagnosticsError>
        var after: Result<Assessment, DiagnosticsError>
        if !overrides.isEmpty, rev == nil, files.isEmpty, policy.count <= 1 {
            // The files against the files with the command line's changes.
            let p = policy.first ?? defaultPolicy
            let s = scenario ?? defaultScenario
            before = Pipeline.assess(policyPath: p, scenarioPath: s, limits: limits, files: disk)
            after = Pipeline.assess(policyPath: p, scenarioPath: s, limits: limits, files: disk, overrides: overrides)
        } else if let rev {
            guard files.isEmpty, policy.count <= 1 else {
                throw usage("--rev compares one policy and one scenario; name them with --policy and --scenario")
            }
            let p = policy.first ?? defaultPolicy
            let s = scenario ?? defaultScenario
            let sources = try revisionSources(rev, &console)
            before = Pipeline.assess(policyPath: p, scenarioPath: s, limits: limits, files: sources.0, overrides: overrides)
            after = Pipeline.assess(policyPath: p, scenarioPath: s, limits: limits, files: sources.1, overrides: overrides)
        } else if files.count == 2 {
            guard policy.count <= 1, scenario == nil else {
                throw usage("with two scenario files, give at most one --policy and no --scenario")
            }
            // One policy, compiled once, over both scenarios.
            let compiled = try console.value(
                Pipeline.policy(at: policy.first ?? defaultPolicy, limits: limits, files: disk, overrides: overrides), exitStatus: 2)
            before = Pipeline.scenario(at: files[0], limits: limits, files: disk, overrides: overrides).flatMap {
                Pipeline.assess(policy: compiled, scenario: $0)
            }
            after = Pipeline.scenario(at: files[1], limits: limits, files: disk, overrides: overrides).flatMap {
                Pipeline.assess(policy: compiled, scenario: $0)
            }
        } else if files.isEmpty, policy.count == 2 {
            // One scenario, loaded once, under both policies.
            let loaded = try console.value(
                Pipeline.scenario(at: scenario ?? defaultScenario, limits: limits, files: disk, overrides: overrides), exitStatus: 2)
            before = Pipeline.policy(at: policy[0], limits: limits, files: disk, overrides: overrides).flatMap {
                Pipeline.assess(policy: $0, scenario: loaded)
            }
            after = Pipeline.policy(at: policy[1], limits: limits, files: disk, overrides: overrides).flatMap {
                Pipeline.assess(policy: $0, scenario: loaded)
            }
        } else {
            throw usage("give two scenario files, or --policy twice, or --rev, or --set/--weight/--policy-set")
        }
        let a: Assessment
        let b: Assessment
        switch (before, after) {
        case let (.success(x), .success(y)):
            a = x
            b = y
        case let (.failure(e1), .failure(e2)):
            console.report(e1.diagnostics + e2.diagnostics)
            throw ExitCode(2)
        case let (.failure(e), _), let (_, .failure(e)):
            console.report(e.diagnostics)
            throw ExitCode(2)
        }
        let d = OutcomeDiff.compare(a, b)
        switch format {
        case .table: console.out(DiffRenderer.table(d))
        case .json: console.out(DiffRenderer.json(d).serialized() + "\n")
        case .markdown: console.out(DiffRenderer.markdown(d))
        }
        if d.differs(on: failOn) { throw ExitCode(1) }
    }
}
