import ArgumentParser
import Foundation
import HubsCore

@main
struct Hubs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubs",
        abstract: "Rank candidates against a weighted, explainable, evidence-backed policy.",
        discussion: """
            Policies (YAML) state the criteria, weights, gates and bands; scenarios (YAML) state what is \
            known about each candidate, with sources. Run from the repository root with no options to \
            score scenarios/baseline.yaml under policies/uk-return-hubs.yaml.

            Exit codes: 0 success; 1 errors in the input files (each printed as file:line:column); \
            64 bad command-line usage. hubs diff and hubs test follow diff(1): 0 same or passing, \
            1 different or failing, 2 on any error, usage included.
            """,
        version: HubsVersion.string,
        subcommands: [
            Score.self, Explain.self, Check.self, Diff.self, Test.self, Sensitivity.self, WhatIf.self, Import.self, Export.self,
            Schema.self, Init.self, Report.self,
        ],
        defaultSubcommand: Score.self
    )

    /// As ArgumentParser's, except that usage errors of `diff` and `test` exit 2 (as diff(1)).
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure, let first = arguments.first, ["diff", "test"].contains(first) {
                Console.write(fullMessage(for: error) + "\n", to: STDERR_FILENO, name: "standard error")
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

enum HubsVersion {
    static let string = "0.1.0"
}
