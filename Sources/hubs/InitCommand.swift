import ArgumentParser
import Foundation
import HubsCore

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a project: a commented starter policy, scenario and expectation file, and the JSON Schemas.",
        discussion: """
            Writes hubs.yaml (the project file naming the default policy and scenario), \
            adds reports/ (where hubs report writes) to .gitignore, \
            policies/policy.yaml, scenarios/baseline.yaml, policy-tests/policy.yaml and \
            schemas/*.schema.json in DIR (the current folder by default; created if missing). The \
            examples pass hubs check --strict and hubs test as written; replace them with your own. \
            Every file is checked before any is written: an existing file stops hubs init (unless \
            --force), and so does a folder on the way that is a file, is not writable or is a \
            symbolic link leading out of DIR. Each file is written whole (see hubs report --out); \
            if one still fails, the files this run created are removed again.

            Examples:
              hubs init my-assessment && cd my-assessment && \\
                  hubs check --strict && hubs test
              hubs score
            """
    )

    @Argument(help: ArgumentHelp("The folder to write into.", valueName: "dir"))
    var directory: String = "."

    @Flag(help: "Overwrite files that already exist.")
    var force = false

    /// The folder's .gitignore with `reports/` (where `hubs report` writes by default) added, or
    /// nil when it already lists it. An existing .gitignore keeps its lines; none is made anew.
    func gitignore() -> (path: String, text: String)? {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(".gitignore").path
        let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        if old.split(separator: "\n").contains(where: { $0 == "reports/" || $0 == "/reports/" || $0 == "reports" }) { return nil }
        return (path, old + (old.isEmpty || old.hasSuffix("\n") ? "" : "\n") + "reports/\n")
    }

    func run() throws {
        let console = Console()
        let starter = Starter.files.map { (URL(fileURLWithPath: directory).appendingPathComponent($0.path).path, $0.text) }
        // Everything is checked before anything is written, the .gitignore (merged, never
        // overwritten, so it never stops init) with the rest; it is written last.
        if !force, let existing = starter.first(where: { FileManager.default.fileExists(atPath: $0.0) }) {
            console.err(
                "\(existing.0): error: already exists; nothing was written\n   hint: choose an empty folder, or pass --force to overwrite\n"
            )
            throw ExitCode.failure
        }
        if let problem = SafeWriter.folderProblem(making: directory, for: directory, within: nil) {
            throw console.refuse(problem, option: "hubs init", status: Console.usageStatus)
        }
        let files = starter + [gitignore()].compactMap { $0 }
        let project = FileManager.default.fileExists(atPath: directory) ? directory : nil
        for (path, _) in files {
            let folder = SafeWriter.folder(of: path)
            if let problem = SafeWriter.folderProblem(making: folder, for: path, within: project) {
                throw console.refuse(problem, option: "hubs init", status: Console.usageStatus)
            }
            if FileManager.default.fileExists(atPath: folder) {
                _ = try console.outputTarget(path, option: "hubs init", inputs: [], project: project ?? directory, confined: true)
            }
        }
        var created: [String] = []
        for (path, text) in files {
            let existed = FileManager.default.fileExists(atPath: path)
            do {
                try FileManager.default.createDirectory(
                    atPath: SafeWriter.folder(of: path), withIntermediateDirectories: true)
                let target = try console.outputTarget(path, option: "hubs init", inputs: [], project: directory, confined: true)
                try console.write(Array(text.utf8), to: target, option: "hubs init")
            } catch {
                if !(error is ExitCode) { console.err("hubs init: cannot write \(path): \(error.localizedDescription)\n") }
                for c in created { unlink(c) }
                if !created.isEmpty { console.err("hubs init: removed the \(created.count) file(s) this run had written\n") }
                throw (error as? ExitCode) ?? ExitCode(Console.writeFailedStatus)
            }
            if !existed { created.append(path) }
        }
        let dir = directory == "." ? "" : "cd \(Console.shellQuoted(directory)) && "
        console.out(
            "Wrote \(starter.count) files in \(directory). Next:\n  \(dir)hubs check --strict && hubs test && hubs score\n")
    }
}
