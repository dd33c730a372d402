import ArgumentParser
import HubsCore

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show the whole reasoning for one candidate.",
        discussion: """
            For each criterion: the facts it read, with source, date and confidence; the case that fired; \
            its risk, weight, effective weight and contribution. Also every gate, every assumption made \
            for missing data, and warnings about the candidate's evidence.

            Examples:
              hubs explain kosovo
              hubs explain serbia --policy policies/security-first.yaml
              hubs explain albania --format json
              hubs explain kosovo --format markdown > kosovo.md
            """
    )

    @Argument(help: "Candidate id (or name) as written in the scenario, e.g. kosovo.")
    var candidate: String

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: "Output format: text, markdown or json.")
    var format: ExplainFormat = .text

    enum ExplainFormat: String, ExpressibleByArgument, CaseIterable { case text, markdown, json }

    func run() throws {
        var console = Console()
        var a = try input.assess(&console)
        a.assumptionSpreads = AssumptionSpreads.compute(a)
        let wanted = candidate.lowercased()
        guard let r = a.results.first(where: { $0.id == candidate }) ?? a.results.first(where: { $0.name.lowercased() == wanted }) else {
            let ids = a.results.map(\.id)
            console.report([
                .unknownCandidate(
                    "scenario '\(a.scenario.id)' has no candidate '\(candidate)'", at: nil,
                    hint: Suggest.hint(for: candidate, in: ids) ?? "candidates: \(ids.joined(separator: ", "))")
            ])
            throw ExitCode.failure
        }
        switch format {
        case .text: console.out(ExplainRenderer.text(r, in: a))
        case .markdown: console.out(MemoMarkdown.explain(r, in: a))
        case .json: console.out(ExplainRenderer.json(r, in: a).serialized() + "\n")
        }
    }
}
