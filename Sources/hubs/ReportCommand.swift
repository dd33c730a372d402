import ArgumentParser
import Foundation
import HubsCore

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a decision brief: one self-contained HTML file with a ranking chart, or a Markdown memo.",
        discussion: """
            The brief holds the title block (policy and scenario, hubs version, the SHA-256 of every \
            input, any overrides), a summary written from the results with the ranking table, the \
            ranking chart (HTML: bars stacked by criterion, assumptions hatched, band bounds, \
            excluded candidates apart), a card per candidate (criteria, facts read with their \
            evidence, gates, assumptions), the method (the policy's tree with weights and \
            rationales, gates, bands) and every source cited. Everything comes from the same \
            results as score and explain.

            The HTML file needs nothing else: CSS and SVG inline, no script, nothing fetched (a \
            Content-Security-Policy forbids it), system fonts; it prints on A4, so the browser's \
            Print to PDF makes the PDF. The same inputs give the same bytes; --stamp adds the date.

            Examples:
              hubs report
              hubs report --scenario scenarios/kosovo-joins-coe.yaml --out kosovo.html
              hubs report --format markdown --out brief.md
            """
    )

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: "Output format: html or markdown.")
    var format: ReportFormat = .html

    @Option(help: ArgumentHelp("The file to write (default: report.html, or report.md).", valueName: "file"))
    var out: String?

    @Flag(help: "Show the date the report was made (without it, the same inputs give the same bytes).")
    var stamp = false

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case html, markdown }

    func run() throws {
        var console = Console()
        let a = try input.assess(&console)
        let day = stamp ? String(ISO8601DateFormatter().string(from: Date()).prefix(10)) : nil
        let data = ReportHTML.Input(assessment: a, version: HubsVersion.string, stamp: day)
        let text = format == .html ? ReportHTML.render(data) : ReportMarkdown.render(data)
        let path = out ?? (format == .html ? "report.html" : "report.md")
        let temporary = path + ".partial-\(getpid())"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            console.err("\(path): error: cannot write the report: \(error.localizedDescription)\n")
            throw ExitCode(Console.writeFailedStatus)
        }
        console.err("hubs report: wrote \(path)\n")
        console.summarizeWarnings(a, policy: input.policy, scenario: input.scenario)
    }
}
