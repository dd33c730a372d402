import ArgumentParser
import Foundation
import HubsCore

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a spreadsheet table of facts (CSV) into a scenario, checked before anything is written.",
        discussion: """
            Two layouts, told apart by the header:
              long: one row per fact (what hubs export writes), with the columns
                    candidate, fact and value, and any of name, source, as_of,
                    confidence, note, interval (LOW;HIGH), alternatives (a;b)
              wide: one row per candidate: candidate[,name],FACT,FACT,...; rows
                    starting #source, #as_of, #confidence or #note right after
                    the header give each column's provenance (--source and so on
                    give it for every column); an empty cell imports nothing,
                    'unknown' states a fact unknown

            The result is a new scenario holding just the imported facts: with --extends, it \
            extends that scenario (the table's facts replace the base's, under 'changes:'; new \
            candidates need a 'name' column); without, it holds the table's candidates alone, and \
            --sources-from copies the definitions of the sources it cites. The base file is never \
            edited, so its comments and layout stay as they are.

            Every value is checked against the policy (--policy; the default policy when it is \
            here) with the same diagnostics as a scenario file, located at file.csv:ROW:COLUMN \
            (ROW counts records from 1, the header included; COLUMN counts fields). Nothing is \
            written unless the whole table is valid, and the written scenario is read back before \
            it replaces --into. A leading ' that protected a cell from spreadsheet formulas is \
            removed. Excel files: save as "CSV UTF-8" first (no well-kept .xlsx reader is \
            available to hubs).

            Examples:
              hubs import cpi-2025.csv --extends scenarios/baseline.yaml \\
                  --into scenarios/cpi-2025.yaml
              hubs import facts.csv --id copy \\
                  --sources-from scenarios/baseline.yaml --into /tmp/copy.yaml
              hubs import goci.csv --extends scenarios/baseline.yaml \\
                  --source S2 --as-of 2023 --confidence medium
            """
    )

    @Argument(
        help: ArgumentHelp("The table: a CSV file (UTF-8, a byte-order mark allowed).", valueName: "table.csv"),
        completion: .file(extensions: ["csv"]))
    var table: String

    @Option(
        help: ArgumentHelp(
            "Write the scenario here (default: standard output). Never a folder, a device or a file this command reads.", valueName: "file"),
        completion: .file(extensions: ["yaml", "yml"])
    )
    var into: String?

    @Option(help: ArgumentHelp("The scenario the new one extends.", valueName: "scenario"), completion: .file(extensions: ["yaml", "yml"]))
    var extends: String?

    @Option(
        name: .customLong("sources-from"),
        help: ArgumentHelp("Copy the definitions of the sources the table cites from this scenario.", valueName: "scenario"),
        completion: .file(extensions: ["yaml", "yml"]))
    var sourcesFrom: String?

    @Option(help: ArgumentHelp("The new scenario's id (default: the --into file's name, or 'imported').", valueName: "id"))
    var id: String?

    @Option(help: ArgumentHelp("The new scenario's title.", valueName: "text"))
    var title: String?

    @Option(
        name: .customLong("scenario-as-of"),
        help: ArgumentHelp(
            "The new scenario's as_of date (default: the --extends scenario's, or else the --sources-from scenario's).",
            valueName: "date"))
    var scenarioAsOf: String?

    @Option(
        name: .shortAndLong, help: ArgumentHelp("Check the values against this policy.", valueName: "file"),
        completion: .file(extensions: ["yaml", "yml"]))
    var policy: String = InputOptions.defaultPolicy

    @Option(help: ArgumentHelp("Source id for every fact of a wide table without its own.", valueName: "id"))
    var source: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Date for every fact of a wide table without its own.", valueName: "date"))
    var asOf: String?

    @Option(help: ArgumentHelp("Confidence (high, medium, low) for every fact of a wide table without its own.", valueName: "level"))
    var confidence: String?

    @Option(help: ArgumentHelp("Note for every fact of a wide table without its own.", valueName: "text"))
    var note: String?

    @OptionGroup var limitOptions: LimitOptions

    func run() throws {
        var console = Console()
        let limits = limitOptions.limits
        let files = limitOptions.files
        // The table is not a text file the diagnostics can quote line by line (a record may span lines).
        console.quoteSources = [MemoryFiles([SourceFile(path: table, text: "")])] + console.quoteSources
        let bytes = try console.value(SourceFile.readBytes(path: table, upTo: limits.maxFileBytes, what: "table"))
        let defaults = TableImport.Defaults(source: source, asOf: asOf, confidence: confidence, note: note)
        let t = try console.value(TableImport.read(path: table, bytes: bytes, defaults: defaults))
        let base = try extends.map { try console.value(Pipeline.scenario(at: $0, limits: limits, files: files)) }
        let from = try sourcesFrom.map { try console.value(Pipeline.scenario(at: $0, limits: limits, files: files)) }
        // Every file this command reads, none of which --into may name; checked before any work.
        let inputs = [table, policy] + (base?.files.map(\.path) ?? []) + (from?.files.map(\.path) ?? [])
        let target = try into.map { try console.outputTarget($0, option: "--into", inputs: inputs) } ?? .standardOutput
        var copied: [EvidenceSource] = []
        var date = base?.asOf
        if let from {
            let cited = Set(t.entries.compactMap(\.fact.source)).subtracting(base?.sources.map(\.id) ?? [])
            copied = from.sources.filter { cited.contains($0.id) }
            date = date ?? from.asOf
        }
        if let scenarioAsOf {
            guard let d = Day.parse(scenarioAsOf) else {
                throw ValidationError("--scenario-as-of takes YYYY-MM-DD, found '\(scenarioAsOf)'")
            }
            date = d
        }
        let scenarioID =
            id ?? into.flatMap {
                SafeWriter.standardOutputNames.contains($0) ? nil : URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent
            }
            ?? "imported"
        guard Scalars.isValidID(scenarioID) else {
            throw ValidationError("'\(scenarioID)' is not a valid scenario id; give one with --id (lower-case letters, digits, '_' or '-')")
        }
        let scenarioTitle = title ?? "Imported from \(URL(fileURLWithPath: table).lastPathComponent)"
        var scenario = try console.value(t.scenario(id: scenarioID, title: scenarioTitle, base: base, sources: copied))
        scenario.asOf = date
        try check(scenario, &console)
        let folder: String
        switch target {
        case .standardOutput: folder = ""
        case let .file(path): folder = SafeWriter.folder(of: path)
        }
        let extendsName = extends.map { Self.relative($0, from: folder) }
        let text = ScenarioYAML.imported(
            t, id: scenarioID, title: scenarioTitle, asOf: date == base?.asOf ? nil : date, extends: extendsName, base: base,
            sources: copied,
            tableSHA256: SHA256.hex(bytes))
        try writeChecked(text, target: target, &console)
    }

    /// The values against the policy's schema, when there is a policy to check them with.
    func check(_ scenario: Scenario, _ console: inout Console) throws {
        guard FileManager.default.fileExists(atPath: policy) || policy != InputOptions.defaultPolicy else {
            console.err("hubs import: not checked against a policy (no --policy, and no \(policy) here)\n")
            return
        }
        let compiled = try console.value(Pipeline.policy(at: policy, limits: limitOptions.limits, files: limitOptions.files))
        let a = try console.value(Pipeline.assess(policy: compiled, scenario: scenario))
        let mine = a.warnings.filter { $0.severity == .warning && $0.location?.file == table }
        if !mine.isEmpty { console.report(mine) }
    }

    /// Reads the scenario back as if it stood at --into (so its `extends` resolves as it will),
    /// and only then writes it there whole (see `SafeWriter`) or prints it.
    func writeChecked(_ text: String, target: OutputTarget, _ console: inout Console) throws {
        let place: String
        switch target {
        case .standardOutput: place = "imported.yaml"
        case let .file(path): place = path
        }
        let files = Workspace([SourceFile(path: place, text: text)], over: limitOptions.files)
        if case let .failure(e) = Pipeline.scenario(at: place, limits: limitOptions.limits, files: files) {
            // Seen when --into lies in another project than --extends (the sandbox refuses the
            // parent); anything else would be a fault of the writer.
            console.err("hubs import: the scenario would not load from \(into ?? "the current folder"); nothing was written\n")
            console.report(e.diagnostics)
            throw ExitCode.failure
        }
        guard let into, target != .standardOutput else {
            console.out(text)
            return
        }
        try console.write(Array(text.utf8), to: target, option: "--into")
        console.err("hubs import: wrote \(into)\n")
    }

    /// `path` relative to `folder`, without `.yaml`: how `extends` names it.
    static func relative(_ path: String, from folder: String) -> String {
        let target = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        let here = URL(fileURLWithPath: folder.isEmpty ? "." : folder).standardizedFileURL.pathComponents
        var common = 0
        while common < min(target.count, here.count), target[common] == here[common] { common += 1 }
        let parts = Array(repeating: "..", count: here.count - common) + target[common...]
        let joined = parts.joined(separator: "/")
        return joined.hasSuffix(".yaml") ? String(joined.dropLast(5)) : joined
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a scenario's facts as a table (CSV), one row per fact with its provenance.",
        discussion: """
            The facts are those of the scenario as scored: its extends chain and changes applied. \
            Columns: candidate, name, fact, value, source, as_of, confidence, note, interval (LOW;HIGH) \
            and alternatives (a;b): the long layout hubs import reads, so export then import gives the \
            same facts and provenance. Text cells a spreadsheet would run as a formula get a leading ' \
            (--raw-csv leaves them as they are). Rows end with CRLF, as RFC 4180 and spreadsheets do; \
            --lf ends them with LF for Unix tools. hubs import reads either.

            Examples:
              hubs export > facts.csv
              hubs export --scenario scenarios/kosovo-joins-coe.yaml --format csv
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("Scenario file.", valueName: "file"), completion: .file(extensions: ["yaml", "yml"]))
    var scenario: String = InputOptions.defaultScenario

    @Option(name: .shortAndLong, help: "Output format: csv.")
    var format: ExportFormat = .csv

    @Flag(name: .customLong("raw-csv"), help: "Leave text cells starting with = + - @ as they are.")
    var rawCSV = false

    @Flag var lineEnding: LineEnding = .crlf

    @OptionGroup var limitOptions: LimitOptions

    enum ExportFormat: String, ExpressibleByArgument, CaseIterable { case csv }

    func run() throws {
        var console = Console()
        switch Pipeline.scenario(at: scenario, limits: limitOptions.limits, files: limitOptions.files) {
        case let .success(s): console.out(FactsCSV.long(s, protectFormulas: !rawCSV, newline: lineEnding.text))
        case let .failure(e):
            console.report(e.diagnostics)
            throw ExitCode.failure
        }
    }
}
