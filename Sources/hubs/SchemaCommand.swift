import ArgumentParser
import HubsCore

extension FileSchemas.Kind: ExpressibleByArgument {}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of a policy, scenario or expectation (tests) file, for editors.",
        discussion: """
            The schemas (JSON Schema draft 2020-12, a description on every key) are also in the \
            repository under schemas/. Editors using yaml-language-server (VS Code's YAML extension,
            Neovim, Helix, Zed …) complete and check a file that starts with a line such as:
              # yaml-language-server: $schema=../schemas/policy.schema.json
            A schema checks the shape of a file as it is typed; hubs check judges the rest (names, \
            expressions, weights, evidence).

            Examples:
              hubs schema policy > schemas/policy.schema.json
              hubs schema scenario
            """
    )

    @Argument(help: "policy, scenario or tests.")
    var kind: FileSchemas.Kind

    func run() throws {
        Console().out(FileSchemas.schema(kind).serialized() + "\n")
    }
}
