import ArgumentParser
import Foundation
import HubsLSP

struct LSP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "A language server for hubs files, over standard input and output (for editors).",
        discussion: """
            Speaks the Language Server Protocol on standard input and output: diagnostics as you \
            type (the codes, severities and hints of hubs check, with the files open in the \
            editor in front of those on disk) and a quick fix for a did-you-mean; hover on a \
            fact, a criterion or a source id; go to definition and find references; document \
            symbols; inlay hints (effective weights, each candidate's rank and risk); and \
            completion of fact names, criterion ids and source ids. Start it from your editor; \
            see docs/editors.md for the few lines each editor needs.

            Examples:
              hubs lsp
            """
    )

    @Option(help: ArgumentHelp("The project folder, until the editor names one.", valueName: "dir"), completion: .directory)
    var root: String?

    func run() throws {
        let server = LanguageServer(root: root ?? FileManager.default.currentDirectoryPath)
        var reader = BufferedReader.descriptor(STDIN_FILENO)
        let framing = LSPFraming()
        func send(_ body: [UInt8]) {
            let bytes = LSPFraming.frame(body)
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                sent += n
            }
        }
        while let item = framing.next(from: &reader) {
            switch item {
            case let .message(body):
                for reply in server.handle(body) { send(reply) }
                if let status = server.exitStatus { throw ExitCode(status) }
            case let .problem(why):
                // A framing error has no id to answer: it is logged, and the stream goes on.
                FileHandle.standardError.write(Data("hubs lsp: \(why)\n".utf8))
            }
        }
        // The editor closed the stream without `exit`.
        throw ExitCode(server.exitStatus ?? 1)
    }
}
