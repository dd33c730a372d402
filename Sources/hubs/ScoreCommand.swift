import ArgumentParser
import HubsCore

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Rank the candidates of a scenario under a policy.",
        discussion: """
            Lowest risk ranks first. Risks equal to 1e-9 share a rank and are listed by higher coverage, \
            then by candidate id. Candidates with too little evidence (coverage below the policy's \
            min_coverage, or --min-coverage) and candidates excluded by a gate are scored for information \
            and listed after the ranked ones, with the missing facts or the gate's reason. Every \
            contribution that rests on a missing-data rule is marked as assumed.

            Examples:
              hubs score
              hubs score --scenario scenarios/kosovo-joins-coe.yaml
              hubs score --policy policies/security-first.yaml --format markdown
              hubs score --format json > result.json
              hubs score --explain
            """
    )

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: "Output format: table, json, markdown or csv.")
    var format: ScoreFormat = .table

    @Flag(help: "After the table, explain every candidate in full (table format only).")
    var explain = false

    @Flag(
        name: .customLong("raw-csv"),
        help:
            "In CSV, leave text cells starting with = + - @ as they are (for programs; by default they get a leading ' so a spreadsheet does not run them as formulas)."
    )
    var rawCSV = false

    @Flag var lineEnding: LineEnding = .crlf

    func run() throws {
        var console = Console()
        // The table needs every fact read only where something was missing; JSON and CSV explain
        // each candidate again as they stream; Markdown cites sources and --explain shows all.
        let detail: AssessmentDetail =
            explain || format == .markdown ? .full : format == .table ? .summary : .ranking
        var a = try input.assess(&console, detail: detail)
        a.assumptionSpreads = AssumptionSpreads.compute(a)
        var output: String
        switch format {
        case .table:
            output = ScoreRenderer.table(a)
            if explain {
                for r in a.results { output += "\n" + String(repeating: "=", count: 72) + "\n" + ExplainRenderer.text(r, in: a) }
            }
        case .json:
            // Streamed as it is written, ending with a line break; JSON escapes every control
            // character itself, so it needs no terminal escaping.
            AssessmentJSON.stream(a, results: Explanations(a, detail: .full)) { console.out(bytes: $0) }
            console.out(bytes: [UInt8(ascii: "\n")])
            output = ""
        case .markdown: output = ScoreRenderer.markdown(a)
        case .csv:
            // Streamed, whole rows at a time (the terminal escaping works character by character).
            ScoreRenderer.csv(a, results: Explanations(a, detail: .summary), protectFormulas: !rawCSV, newline: lineEnding.text) {
                console.out($0)
            }
            output = ""
        }
        console.out(output)
        console.summarizeWarnings(a, policy: input.policy, scenario: input.scenario)
        Console.keepUntilExit(a)
    }
}
