import ArgumentParser
import Foundation
import HubsCore

struct Gaps: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gaps",
        abstract: "What to find out next: the missing facts whose answer could change the outcome most.",
        discussion: """
            Lists every fact that is unknown or not given and on which one of a candidate's \
            assumptions rests (a criterion's missing-data rule, an undecided gate). Each is tried at \
            every value it can take (both booleans, every enum value, a number at the ends of its range, \
            the thresholds of the rules that read it and the midpoints between); facts that a constraint \
            of the policy links are tried together, never in a combination it rules out. For each: the \
            candidate's rank, risk, band and status over those values, whether knowing it could change \
            first place, the top k, the candidate's status (an exclusion) or band, the share of the \
            weight it would move onto evidence, and with a prior in the policy the expected change of \
            risk. The most consequential come first.

            Examples:
              hubs gaps
              hubs gaps --top 2 --format json
              hubs gaps --candidate kosovo --format markdown
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: "k for the top-k question: could knowing it move the candidate into or out of the top k?")
    var top: Int = 3

    @Option(name: .customLong("candidate"), help: ArgumentHelp("Only this candidate's gaps (repeatable).", valueName: "id"))
    var candidates: [String] = []

    @Option(name: .shortAndLong, help: "Output format: table, json or markdown.")
    var format: TableFormat = .table

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        var console = Console()
        let a = try input.assess(&console)
        console.summarizeWarnings(a, policy: input.policy, scenario: input.scenario)
        let ids = a.scenario.candidates.map(\.id)
        for c in candidates where !ids.contains(c) {
            throw ValidationError(
                "the scenario has no candidate '\(c)'" + (Suggest.closest(to: c, in: ids).map { "; did you mean '\($0)'?" } ?? ""))
        }
        var r = GapsAnalysis.run(a, top: top)
        if !candidates.isEmpty { r.entries = r.entries.filter { candidates.contains($0.candidate) } }
        let names = Dictionary(a.scenario.candidates.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        switch format {
        case .table: console.out(GapsRenderer.text(r, names: names))
        case .json: console.out(GapsRenderer.json(r).serialized() + "\n")
        case .markdown: console.out(GapsRenderer.markdown(r, names: names))
        }
    }
}
