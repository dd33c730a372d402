import ArgumentParser
import Foundation
import HubsCore

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a project: a commented starter policy, scenario and expectation file, and the JSON Schemas.",
        discussion: """
            Writes policies/policy.yaml, scenarios/baseline.yaml, policy-tests/policy.yaml and \
            schemas/*.schema.json in DIR (the current folder by default; created if missing). The \
            examples pass hubs check --strict and hubs test as written; replace them with your own. \
            An existing file is never overwritten: hubs init stops and names it, unless --force.

            Examples:
              hubs init my-assessment && cd my-assessment && hubs check --strict && hubs test
              hubs score --policy policies/policy.yaml
            """
    )

    @Argument(help: ArgumentHelp("The folder to write into.", valueName: "dir"))
    var directory: String = "."

    @Flag(help: "Overwrite files that already exist.")
    var force = false

    func run() throws {
        let console = Console()
        let files = Starter.files.map { (URL(fileURLWithPath: directory).appendingPathComponent($0.path).path, $0.text) }
        if !force, let existing = files.first(where: { FileManager.default.fileExists(atPath: $0.0) }) {
            console.err(
                "\(existing.0): error: already exists; nothing was written\n   hint: choose an empty folder, or pass --force to overwrite\n"
            )
            throw ExitCode.failure
        }
        for (path, text) in files {
            do {
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw console.cannotWrite(path, what: "starter file", error)
            }
        }
        let dir = directory == "." ? "" : "cd \(Console.shellQuoted(directory)) && "
        console.out(
            "Wrote \(files.count) files in \(directory). Next:\n  \(dir)hubs check --strict && hubs test\n"
                + "  hubs score --policy policies/policy.yaml\n")
    }
}
