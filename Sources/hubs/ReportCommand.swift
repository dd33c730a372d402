import ArgumentParser
import Foundation
import HubsCore

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a decision brief: one self-contained HTML file with a ranking chart, or a Markdown memo.",
        discussion: """
            The brief holds the title block (policy and scenario, hubs version, the SHA-256 of every \
            input, any overrides), a summary written from the results with the ranking table, the \
            ranking chart (HTML: bars stacked by criterion, assumptions hatched, band bounds, \
            excluded candidates apart), a card per candidate (criteria, facts read with their \
            evidence, gates, assumptions), the method (the policy's tree with weights and \
            rationales, gates, bands) and every source cited. Everything comes from the same \
            results as score and explain.

            The HTML file needs nothing else: CSS and SVG inline, no script, nothing fetched (a \
            Content-Security-Policy forbids it), system fonts; it prints on A4, so the browser's \
            Print to PDF makes the PDF. The same inputs give the same bytes; --stamp adds the date.

            Examples:
              hubs report
              hubs report --scenario scenarios/kosovo-joins-coe.yaml --out kosovo.html
              hubs report --format markdown --out brief.md
            """
    )

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: "Output format: html or markdown.")
    var format: ReportFormat = .html

    @Option(
        help: ArgumentHelp(
            "The file to write (default: reports/report.html, or reports/report.md, the folder made if missing and ignored by git in a project hubs init made; - for standard output). Never a folder, a device or an input.",
            valueName: "file"), completion: .file(extensions: ["html", "md"]))
    var out: String?

    @Flag(help: "Show the date the report was made (without it, the same inputs give the same bytes).")
    var stamp = false

    @Flag(help: "The full dossier: every candidate's explanation and every judgement's reason (the default is a brief of a few pages).")
    var dossier = false

    @Option(
        help: ArgumentHelp(
            "Monte Carlo runs for the robustness section, over the policy's declared uncertainties (0: leave it out).", valueName: "n"))
    var samples: Int = 1_000

    @Option(name: .customLong("memory-budget"), help: ByteSize.help)
    var memoryBudget: ByteSize?

    @Option(help: "Seed for the robustness runs.")
    var seed: UInt64 = 1

    @Flag(
        inversion: .prefixedNo,
        help: ArgumentHelp(
            "Add Sobol indices to the robustness section (N x (inputs + 2) runs instead of N).",
            discussion:
                "Without them each candidate's sentence still names the input that alone explains most of its risk's variance in the runs (a given-data estimate from the same runs)."
        ))
    var sobol = false

    @Option(
        help: ArgumentHelp(
            "How unknown facts enter the robustness runs: draw (over their values, or the policy's prior; the default) or fixed (held at their missing-data rules).",
            valueName: "draw|fixed"))
    var unknowns: SensitivityOptions.UnknownFacts = .draw

    @Option(
        help: ArgumentHelp(
            "Show what changed from this scenario (before) to --scenario (after), under the same policy, as 'hubs diff BEFORE AFTER' does.",
            valueName: "scenario"))
    var compare: String?

    @Option(help: ArgumentHelp("Show what changed since the policy and scenario at this git revision.", valueName: "rev"))
    var rev: String?

    @Option(
        help: ArgumentHelp(
            "Show what it would take for a candidate to reach a goal: CANDIDATE:band=NAME, :rank=N, :above=OTHER or :pass=GATE (repeatable).",
            valueName: "candidate:goal"))
    var whatif: [String] = []

    func validate() throws {
        if samples != 0 && (samples < 2 || samples > SensitivityOptions.maxSamples) {
            throw ValidationError("--samples is 0 (no robustness section) or from 2 to \(SensitivityOptions.maxSamples)")
        }
        if compare != nil && rev != nil { throw ValidationError("give --compare or --rev, not both") }
        for w in whatif where Self.goal(w) == nil {
            throw ValidationError(
                "--whatif takes CANDIDATE:band=NAME, CANDIDATE:rank=N, CANDIDATE:above=OTHER or CANDIDATE:pass=GATE, not '\(w)'")
        }
    }

    static func goal(_ text: String) -> (candidate: String, goal: WhatIfGoal)? {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        let kv = parts[1].split(separator: "=", maxSplits: 1).map(String.init)
        guard kv.count == 2, !kv[1].isEmpty else { return nil }
        switch kv[0] {
        case "band": return (parts[0], .band(kv[1]))
        case "rank": return Int(kv[1]).flatMap { $0 >= 1 ? (parts[0], .rank($0)) : nil }
        case "above": return (parts[0], .above(kv[1]))
        case "pass": return (parts[0], .pass(kv[1]))
        default: return nil
        }
    }

    /// The analyses the report shows beside the assessment; returns the files they read.
    func analyses(_ a: Assessment, overrides: Overrides, into data: inout ReportHTML.Input, _ console: inout Console) throws
        -> [String]
    {
        var read: [String] = []
        if samples > 0 {
            var o = SensitivityOptions(declaredBy: a.policy.policy.sensitivity)
            o.samples = samples
            o.seed = seed
            o.threads = ProcessInfo.processInfo.activeProcessorCount
            o.memoryBudget = memoryBudget?.bytes ?? o.memoryBudget
            o.sobol = sobol
            o.unknowns = unknowns
            switch SensitivityAnalysis.run(a, table: a.table, options: o) {
            case let .success(r): data.sensitivity = r
            case let .failure(e):
                data.sensitivityNote = "Not computed: " + (e.diagnostics.first?.message ?? "the analysis could not run") + "."
            }
        }
        // The other side gets the same command-line overrides, so only the files differ (as in diff).
        if let compare {
            // The policy is the same: the one already compiled is scored on the other scenario,
            // which is the "before" side, as with --rev and as in `hubs diff BEFORE AFTER`.
            let before = Pipeline.scenario(
                at: compare, limits: input.limitOptions.limits, files: input.limitOptions.files, overrides: overrides
            ).flatMap { Pipeline.assess(policy: a.policy, scenario: $0) }
            let other = try console.value(before)
            read = other.inputs.map(\.path)
            data.changes = OutcomeDiff.compare(other, a)
        } else if let rev {
            let git = try console.value(GitProcess.files(at: rev))
            console.quoteSources = [git] + console.quoteSources
            let before = Pipeline.assess(
                policyPath: input.policy, scenarioPath: input.scenario, limits: input.limitOptions.limits, files: git,
                overrides: overrides)
            data.changes = OutcomeDiff.compare(try console.value(before), a)
        }
        data.gaps = GapsAnalysis.run(a)
        data.coherence = Coherence.report(a)
        for w in whatif {
            guard let (candidate, goal) = Self.goal(w) else { continue }
            data.whatifs.append(try console.value(WhatIfSearch.run(a, table: a.table, candidate: candidate, goal: goal)))
        }
        return read
    }

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case html, markdown }

    /// Where a report goes without --out: a folder of its own, outside the tracked files (the
    /// repository's .gitignore and the one hubs init writes leave it out), never the project root.
    static let defaultFolder = "reports"

    static func defaultPath(_ format: ReportFormat) -> String { defaultFolder + (format == .html ? "/report.html" : "/report.md") }

    func run() throws {
        var console = Console()
        let (a, overrides) = try input.assessWithOverrides(&console)
        let day = stamp ? String(ISO8601DateFormatter().string(from: Date()).prefix(10)) : nil
        var data = ReportHTML.Input(assessment: a, version: HubsVersion.string, stamp: day)
        data.dossier = dossier
        // The target is checked before the analyses run (and again with every file they read).
        let path = out ?? Self.defaultPath(format)
        // The default's folder is made when missing (an --out folder must exist already).
        if out == nil, !FileManager.default.fileExists(atPath: Self.defaultFolder) {
            try? FileManager.default.createDirectory(atPath: Self.defaultFolder, withIntermediateDirectories: false)
        }
        _ = try console.outputTarget(path, option: "--out", inputs: a.inputs.map(\.path) + [compare].compactMap { $0 })
        let compareInputs = try analyses(a, overrides: overrides, into: &data, &console)
        let text = format == .html ? ReportHTML.render(data) : ReportMarkdown.render(data)
        let inputs = a.inputs.map(\.path) + compareInputs + [compare].compactMap { $0 }
        let target = try console.outputTarget(path, option: "--out", inputs: inputs)
        try console.write(Array(text.utf8), to: target, option: "--out")
        if target != .standardOutput { console.err("hubs report: wrote \(path)\n") }
        console.summarizeWarnings(a, policy: input.policy, scenario: input.scenario)
    }
}
