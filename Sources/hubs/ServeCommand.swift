import ArgumentParser
import Foundation
import HubsCore

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "The workbench in the browser: the ranking live as weights, facts and files change.",
        discussion: """
            Serves one page on the loopback address (127.0.0.1 and ::1) and prints its URL with \
            a random token, as Jupyter does: only a browser that opened that URL (it then holds \
            the token in a cookie) is answered. Requests naming another host (DNS rebinding) or \
            coming from another site are refused, the page loads nothing from anywhere else, and \
            no file outside the project folder is read or written.

            On the page: the ranking with its split into evidence and assumptions; a candidate's \
            explanation; weight sliders and fact editors that act as --weight and --set for the \
            view only, with the diff against the files; robustness runs (cancellable) and \
            what-if; and an editor for the policy and scenario with the diagnostics of hubs \
            check as you type. Save writes a file only when the project checks with it and the \
            file did not change on disk meanwhile. Files saved by another editor are picked up \
            within a second.

            Stop it with Ctrl-C. See docs/serve.md for what is served and how it is secured.

            Examples:
              hubs serve
              hubs serve --port 8800 --open
              hubs serve --root ~/assessments/balkans
            """
    )

    @Option(help: "The port (0: any free port). Default: 8707, or the next free one of the 20 after it.")
    var port: Int?

    @Option(
        help: ArgumentHelp(
            "Listen on this address instead of loopback. Anyone who can reach it and has the URL can edit the project.",
            valueName: "address"))
    var host: String?

    @Flag(help: "Open the page in the default browser.")
    var open = false

    @Option(
        help: ArgumentHelp("The project folder (default: the current folder).", valueName: "dir"),
        completion: .directory)
    var root: String?

    @Option(
        help: ArgumentHelp("The policy shown first (default: the project's).", valueName: "file"),
        completion: .file(extensions: ["yaml", "yml"]))
    var policy: String?

    @Option(
        help: ArgumentHelp("The scenario shown first (default: the project's).", valueName: "file"),
        completion: .file(extensions: ["yaml", "yml"]))
    var scenario: String?

    static let defaultPort = 8707

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535, got \(port)") }
        if let root {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--root names no folder: '\(root)'")
            }
        }
    }

    func run() throws {
        var console = Console()
        let folder = root ?? "."
        // The project file of the folder served (read there: --root may name another folder).
        let projectFile = URL(fileURLWithPath: folder).appendingPathComponent(ProjectFile.name).path
        let project =
            FileManager.default.fileExists(atPath: projectFile)
            ? try console.value(ProjectFile.load(path: projectFile, files: DiskFiles())) : nil
        let policyPath = policy ?? project?.policy ?? Project.builtInPolicy
        let scenarioPath = scenario ?? project?.scenario ?? Project.builtInScenario
        let resolved = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
        for (what, path) in [("policy", policyPath), ("scenario", scenarioPath)] {
            if let why = ProjectBoundary.editableProblem(path, root: resolved) {
                throw ValidationError("--\(what) '\(path)' cannot be served: \(why); name a file inside the project folder")
            }
            if !FileManager.default.fileExists(atPath: resolved + "/" + path) {
                throw ValidationError(
                    "no \(what) '\(path)' in \(resolved); run hubs serve in a project folder (hubs init makes one), or pass --root DIR or --\(what) FILE"
                )
            }
        }
        if let host, !["127.0.0.1", "::1", "localhost"].contains(host) {
            console.err(
                "hubs serve: warning: listening on \(host), not only on loopback: anyone who can reach it and has the URL can read and change this project\n"
            )
        }
        var arguments = [
            "--root", resolved, "--policy", policyPath, "--scenario", scenarioPath, "--port", String(port ?? Self.defaultPort),
        ]
        if port == nil { arguments.append("--try-next") }
        if let host, host != "localhost" { arguments += ["--host", host] }
        if open { arguments.append("--open") }
        let server = try Self.serverExecutable(&console)
        // The server takes this process's place: Ctrl-C reaches it directly. It starts with the
        // signals that stop it blocked, until it has its handler for them (its first lines).
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        for s in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&stopSignals, s) }
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
        let argv = ([server] + arguments).map { strdup($0) } + [nil]
        execv(server, argv)
        console.err("hubs serve: error: cannot start \(server): \(String(cString: strerror(errno)))\n")
        throw ExitCode(Console.writeFailedStatus)
    }

    /// The hubs-serve executable beside this one. In a SwiftPM checkout where it was not built
    /// yet (`swift run hubs serve` builds only hubs), it is built once, here.
    static func serverExecutable(_ console: inout Console) throws -> String {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let beside = me.deletingLastPathComponent().appendingPathComponent("hubs-serve").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        let path = me.path
        guard let range = path.range(of: "/.build/") else {
            console.err(
                "hubs serve: error: hubs-serve is not installed beside \(path)\n   hint: install it with hubs (swift build -c release builds both)\n"
            )
            throw ExitCode(Console.usageStatus)
        }
        let package = String(path[..<range.lowerBound])
        let release = path.contains("/release/")
        console.err("hubs serve: building the workbench server (hubs-serve) once; a cold build takes a few minutes\n")
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swift", "build", "--package-path", package, "--product", "hubs-serve"] + (release ? ["-c", "release"] : [])
        build.standardOutput = FileHandle.standardError
        try build.run()
        build.waitUntilExit()
        guard build.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: beside) else {
            console.err("hubs serve: error: building hubs-serve failed (see above)\n")
            throw ExitCode(Console.writeFailedStatus)
        }
        return beside
    }
}
