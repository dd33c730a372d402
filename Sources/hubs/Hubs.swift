import ArgumentParser
import HubsCore

@main
struct Hubs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubs",
        abstract: "Rank candidates against a weighted, explainable, evidence-backed policy.",
        discussion: """
        Policies (YAML) state the criteria, weights, gates and bands; scenarios (YAML) state what is
        known about each candidate, with sources. Run from the repository root with no options to
        score scenarios/baseline.yaml under policies/uk-return-hubs.yaml.

        Exit codes: 0 success; 1 errors in the input files (each printed as file:line:column);
        64 bad command-line usage.
        """,
        version: HubsVersion.string,
        subcommands: [Score.self, Explain.self, Check.self],
        defaultSubcommand: Score.self
    )
}

enum HubsVersion {
    static let string = "0.1.0"
}
