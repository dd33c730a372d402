// hubs-serve: the workbench server that `hubs serve` runs (it checks the options and the project
// first; see `hubs serve --help`). Its own executable, so that building `hubs` does not build
// the HTTP stack. Arguments: --root DIR --policy FILE --scenario FILE [--port N] [--try-next]
// [--host ADDRESS] [--open].
import Foundation
import HubsCore
import HubsServe

// The signals that stop the server are caught from the first line on (a signal sent as soon as
// the URL is out must not be lost, nor kill the server half way): the handler only writes a byte
// to a pipe, which the end of this file waits on.
nonisolated(unsafe) var stopWriteEnd: Int32 = -1
var stopPipe: [Int32] = [0, 0]
guard pipe(&stopPipe) == 0 else { exit(71) }
stopWriteEnd = stopPipe[1]
for s in [SIGINT, SIGTERM, SIGHUP] {
    signal(s) { _ in
        var byte: UInt8 = 1
        _ = write(stopWriteEnd, &byte, 1)
    }
}
// Started by hubs serve with them blocked (see ServeCommand): taken from here on.
var stopSignals = sigset_t()
sigemptyset(&stopSignals)
for s in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&stopSignals, s) }
pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)

func fail(_ message: String, status: Int32 = 64) -> Never {
    FileHandle.standardError.write(Data("hubs serve: error: \(message)\n".utf8))
    exit(status)
}

var root = "."
var policy: String?
var scenario: String?
var port = 8707
var tryNext = false
var host: String?
var open = false
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let a = args.removeFirst()
    func value() -> String {
        guard !args.isEmpty else { fail("\(a) needs a value") }
        return args.removeFirst()
    }
    switch a {
    case "--root": root = value()
    case "--policy": policy = value()
    case "--scenario": scenario = value()
    case "--port": port = Int(value()) ?? -1
    case "--try-next": tryNext = true
    case "--host": host = value()
    case "--open": open = true
    default: fail("unknown argument '\(Escaping.echo(a, limit: 200))'; run hubs serve, which starts this program")
    }
}
guard let policy, let scenario, (0...65535).contains(port) else { fail("run hubs serve, which starts this program") }
guard FileManager.default.changeCurrentDirectoryPath(root) else { fail("cannot enter '\(root)'") }
let folder = FileManager.default.currentDirectoryPath
let workbench = Workbench(root: folder, policy: policy, scenario: scenario)
let openBrowser = open
let running: WorkbenchServer.Running
do {
    running = try await WorkbenchServer.start(workbench: workbench, port: port, tryNext: tryNext, host: host)
} catch {
    fail("cannot listen on port \(port): \(error)\n   hint: pass --port N with a free port, or --port 0 for any", status: 69)
}
let text =
    "hubs serve: the workbench of \(workbench.root) is at\n\n    \(running.address.url)\n\n"
    + "Open that URL (it holds the token); press Ctrl-C to stop.\n"
FileHandle.standardOutput.write(Data(text.utf8))
if openBrowser {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["xdg-open", running.address.url]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try? p.run()
}
// Until SIGINT, SIGTERM or SIGHUP; then the answers under way finish and nothing is left half
// written (a save is written to a temporary file and renamed into place).
var byte: UInt8 = 0
while read(stopPipe[0], &byte, 1) < 0 && errno == EINTR {}
await running.stop()
FileHandle.standardError.write(Data("hubs serve: stopped\n".utf8))
exit(0)
