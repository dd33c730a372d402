import ArgumentParser
import Foundation
import HubsCore

@main
struct Hubs: ParsableCommand {
    static let configuration: CommandConfiguration = rootConfiguration(defaultSubcommand: Score.self)

    /// The root command, with or without a default subcommand (see ``Routed``).
    static func rootConfiguration(defaultSubcommand: ParsableCommand.Type?) -> CommandConfiguration {
        CommandConfiguration(
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
                Score.self, Explain.self, Check.self, Diff.self, Test.self, Sensitivity.self, WhatIf.self, Gaps.self, Import.self,
                Export.self,
                Schema.self, Init.self, Report.self, Serve.self, LSP.self,
            ],
            defaultSubcommand: defaultSubcommand
        )
    }

    /// As ArgumentParser's, except that usage errors of `diff` and `test` exit 2 (as diff(1)), and
    /// that every error message is escaped for the terminal (an option's value is text from
    /// outside: a control character in it is shown as a visible escape, never sent raw) with long
    /// lines cut (see `Escaping.echo`).
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        // `hubs help` alone is the root's help (which the default subcommand would refuse).
        if arguments == ["help"] { arguments = ["--help"] }
        // A broken project file is reported before any command runs (it sets every default).
        if case let .failure(e) = Project.file {
            var console = Console()
            console.report(e.diagnostics)
            Foundation.exit(1)
        }
        do {
            var command = try Routed.takes(arguments) ? Routed.parseAsRoot(arguments) : parseAsRoot(arguments)
            try command.run()
        } catch {
            var code = exitCode(for: error)
            // Help and the version go to standard output as ArgumentParser prints them.
            if code == .success { exit(withError: error) }
            if code == .validationFailure, let first = arguments.first, ["diff", "test"].contains(first) { code = ExitCode(2) }
            let message = fullMessage(for: error)
            if !message.isEmpty { Console.write(usageText(message) + "\n", to: STDERR_FILENO, name: "standard error") }
            Foundation.exit(code.rawValue)
        }
    }

    /// A usage error as printed: control characters escaped, each line cut at
    /// `Escaping.echoLimit` characters past the usage's own width.
    static func usageText(_ message: String) -> String {
        message.split(separator: "\n", omittingEmptySubsequences: false)
            .map { Escaping.echo(String($0), limit: Escaping.echoLimit + 120) }
            .joined(separator: "\n")
    }
}

/// The same root command, without a default subcommand, for a command line that names its
/// subcommand first. ArgumentParser builds the default subcommand's options again for every
/// command it parses (five times for `hubs score`, about 8% of its parsing); and with a default,
/// `hubs help score` was read as `hubs score help score` and refused.
struct Routed: ParsableCommand {
    static let configuration: CommandConfiguration = Hubs.rootConfiguration(defaultSubcommand: nil)
    /// The subcommands' names.
    static let names = Set(configuration.subcommands.map { $0._commandName })

    /// Whether the command line names a subcommand first, or asks for help with `hubs help`.
    static func takes(_ arguments: [String]) -> Bool {
        guard let first = arguments.first else { return false }
        return names.contains(first) || first == "help"
    }
}

enum HubsVersion {
    static let string = "0.1.0"
}
