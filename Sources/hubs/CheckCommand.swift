import ArgumentParser
import Foundation
import HubsCore

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate policies and scenarios, and every policy against every scenario.",
        discussion: """
            Each file is loaded and checked on its own (YAML, shape, names, types, weights, expressions), \
            then each policy is checked against each scenario: every value must fit its fact's type and \
            range, and evidence older than the policy's max_fact_age is reported. With no files, checks \
            policies/*.yaml and scenarios/*.yaml.

            Diagnostics print as file:line:column: severity: message, with the source line, a caret and \
            a hint. Exit code 1 if there is any error (or any warning, with --strict).

            Examples:
              hubs check
              hubs check policies/uk-return-hubs.yaml
              hubs check policies/security-first.yaml scenarios/kosovo-joins-coe.yaml
              hubs check --format json
              hubs check --tree policies/uk-return-hubs.yaml
            """
    )

    @Argument(
        help: "Policy and scenario files (default: policies/*.yaml and scenarios/*.yaml).", completion: .file(extensions: ["yaml", "yml"]))
    var files: [String] = []

    @Flag(help: "Treat warnings as errors, and require a rationale for every weight, goalpost, mapped risk and assumed risk.")
    var strict = false

    @Flag(help: "Also show notes (for example, facts whose evidence is undated).")
    var notes = false

    @Option(name: .shortAndLong, help: "Output format: text or json.")
    var format: TextFormat = .text

    @Flag(help: "Print each policy's criteria tree as read, with declared, normalised and effective weights (text format).")
    var tree = false

    @Flag(
        help: "Print, for each policy on each scenario, the correlation matrix of the criteria's risks and each group's Cronbach's alpha.")
    var coherence = false

    @OptionGroup var limitOptions: LimitOptions

    func run() throws {
        var console = Console()
        var paths = files
        if paths.isEmpty {
            for dir in ["policies", "scenarios"] {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
                paths += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(dir)/\($0)" }
            }
            if paths.isEmpty {
                throw ValidationError("no files given and no policies/ or scenarios/ here; name the files to check")
            }
        }
        // Scenarios named without a policy are checked against the project's, as `score` would.
        let fallback =
            !files.isEmpty && FileManager.default.fileExists(atPath: InputOptions.defaultPolicy) ? InputOptions.defaultPolicy : nil
        let result = ProjectChecker.check(paths, limits: limitOptions.limits, files: limitOptions.files, defaultPolicy: fallback)
        var all = result.diagnostics + Self.countedTwice(result.assessments)
        // --strict: warnings are errors, and so is a judgement without a rationale (a note otherwise).
        if strict {
            all = all.map {
                var d = $0
                if d.severity == .warning || d.code == .missingRationale { d.severity = .error }
                return d
            }
        }
        let errors = all.filter { $0.severity == .error }.count
        switch format {
        case .json:
            console.out(CheckRenderer.json(result, diagnostics: all, showNotes: notes).serialized() + "\n")
        case .text:
            if tree { console.out(result.policies.map(PolicyTreeRenderer.text).joined(separator: "\n")) }
            if coherence {
                console.out(result.assessments.map { CoherenceRenderer.text(Coherence.report($0)) }.joined(separator: "\n"))
            }
            console.report(all, showNotes: notes)
            if let addedPolicy = result.addedPolicy {
                console.err("hubs check: checked against the project's policy \(addedPolicy) (name another to use it)\n")
            }
            if result.files.contains(where: { $0.kind == .scenario }), !result.files.contains(where: { $0.kind == .policy }) {
                console.err("hubs check: no policy given, so scenario values were not checked against a schema; name a policy too\n")
            }
            let policies = result.files.filter { $0.kind == .policy }.count
            let scenarios = result.files.filter { $0.kind == .scenario }.count
            console.err(
                "hubs check: \(result.files.count) file\(result.files.count == 1 ? "" : "s") (\(policies) polic\(policies == 1 ? "y" : "ies"), \(scenarios) scenario\(scenarios == 1 ? "" : "s")): \(errors == 0 ? "ok" : "\(errors) error\(errors == 1 ? "" : "s")")\n"
            )
        }
        if errors > 0 { throw ExitCode.failure }
    }

    /// Criteria that count one thing twice, from every policy/scenario pair: a finding said the
    /// same way at the same place is given once (`ProjectChecker.folded`).
    static func countedTwice(_ assessments: [Assessment]) -> [Diagnostic] {
        ProjectChecker.folded(assessments.map(Coherence.findings)) { "\($0.location?.description ?? "")|\($0.message)" }
    }
}
