import ArgumentParser
import Foundation
import HubsCore

/// The policy and scenario a command reads, with the documented defaults.
struct InputOptions: ParsableArguments {
    /// The project's policy (`hubs.yaml`), else the shipped one.
    static var defaultPolicy: String { Project.policy }
    /// The project's scenario (`hubs.yaml`), else the shipped one.
    static var defaultScenario: String { Project.scenario }

    @Option(name: .shortAndLong, help: ArgumentHelp("Policy file.", valueName: "file"), completion: .file(extensions: ["yaml", "yml"]))
    var policy: String = defaultPolicy

    @Option(name: .shortAndLong, help: ArgumentHelp("Scenario file.", valueName: "file"), completion: .file(extensions: ["yaml", "yml"]))
    var scenario: String = defaultScenario

    @Option(
        help: ArgumentHelp(
            "Rank only candidates with at least this share of the weight on known facts, in percent (overrides the policy's min_coverage; default 50).",
            valueName: "percent"))
    var minCoverage: Double?

    @OptionGroup var overrideOptions: OverrideOptions

    @OptionGroup var limitOptions: LimitOptions

    func validate() throws {
        if let m = minCoverage, !(0...100).contains(m) {
            throw ValidationError("--min-coverage is a percentage from 0 to 100, found \(Format.number(m))")
        }
    }

    /// Loads, checks, compiles, binds and scores; prints diagnostics and fails on any error.
    func assess(_ console: inout Console, detail: AssessmentDetail = .full) throws -> Assessment {
        try assessWithOverrides(&console, detail: detail).assessment
    }

    /// As `assess`, with the command-line overrides it ran under, for a command that loads more.
    func assessWithOverrides(_ console: inout Console, detail: AssessmentDetail = .full) throws -> (
        assessment: Assessment, overrides: Overrides
    ) {
        for (path, isDefault, what) in [
            (policy, policy == Self.defaultPolicy, "policy"), (scenario, scenario == Self.defaultScenario, "scenario"),
        ]
        where isDefault && !FileManager.default.fileExists(atPath: path) {
            throw ValidationError(
                "no --\(what) given and the default '\(path)' is not here; run hubs from a project's root (where hubs.yaml names the \(what); hubs init makes one), or pass --\(what) FILE"
            )
        }
        var overrides = try overrideOptions.parse(&console, limits: limitOptions.limits)
        overrides.minCoverage = minCoverage.map { $0 / 100 }
        switch Pipeline.assess(
            policyPath: policy, scenarioPath: scenario, limits: limitOptions.limits, files: limitOptions.files,
            overrides: overrides, detail: detail)
        {
        case let .success(a):
            return (a, overrides)
        case let .failure(e):
            console.report(e.diagnostics)
            throw ExitCode.failure
        }
    }
}

/// The input limits that can be raised (or lowered) from the command line; the defaults are
/// documented in docs/language.md and admit 100,000 candidates with 50 facts each.
/// Changes to the inputs typed on the command line instead of written in a file.
struct OverrideOptions: ParsableArguments {
    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Give a candidate's fact another value for this run: CANDIDATE.FACT=VALUE, or =unknown (repeatable).",
            valueName: "candidate.fact=value"))
    var facts: [String] = []

    @Option(
        name: .customLong("weight"),
        help: ArgumentHelp("Give a criterion another weight for this run: CRITERION=NUMBER (repeatable).", valueName: "criterion=n"))
    var weights: [String] = []

    @Option(
        name: .customLong("policy-set"),
        help: ArgumentHelp(
            "Change any value of the policy for this run, such as a goalpost or a mapped risk: PATH=VALUE, the path from a criterion's id or from the top (repeatable).",
            valueName: "path=value"))
    var policyValues: [String] = []

    var isEmpty: Bool { facts.isEmpty && weights.isEmpty && policyValues.isEmpty }

    /// The overrides, read; a malformed one is reported, located in `<command line>`, and ends the
    /// command. Diagnostics from later stages can quote the arguments too.
    func parse(_ console: inout Console, limits: InputLimits) throws -> Overrides {
        switch Overrides.parse(set: facts, weight: weights, policySet: policyValues, limits: limits) {
        case let .success(o):
            console.quoteSources.append(MemoryFiles([o.file]))
            return o
        case let .failure(e):
            console.quoteSources.append(MemoryFiles([Overrides.commandLine(set: facts, weight: weights, policySet: policyValues)]))
            console.report(e.diagnostics)
            throw ExitCode.failure
        }
    }
}

struct LimitOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Largest input file read, in bytes (default \(InputLimits.standard.maxFileBytes), 256 MiB).", valueName: "bytes"))
    var maxFileBytes: Int?

    @Option(
        help: ArgumentHelp(
            "Most YAML nodes in one file, counting alias expansions (default \(InputLimits.standard.maxNodes)).", valueName: "n"))
    var maxNodes: Int?

    @Option(
        help: ArgumentHelp(
            "The project folder that files named inside files (extends, a test file's policy and scenario) must stay within (default: the nearest folder above the naming file holding policies/ or .git).",
            valueName: "dir"))
    var root: String?

    func validate() throws {
        for (name, value) in [("--max-file-bytes", maxFileBytes), ("--max-nodes", maxNodes)] {
            if let v = value, v < 1 { throw ValidationError("\(name) must be at least 1, found \(v)") }
        }
        var isDirectory: ObjCBool = false
        if let root, !FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw ValidationError("--root names no folder: '\(root)'")
        }
    }

    /// Files on disk, held to `--root` when it is given.
    var files: DiskFiles { DiskFiles(root: root) }

    var limits: InputLimits {
        var l = InputLimits.standard
        if let b = maxFileBytes { l.maxFileBytes = b }
        if let n = maxNodes { l.maxNodes = n }
        return l
    }
}

enum ScoreFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, markdown, csv
}

/// For explain, check and test.
enum TextFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// A size in bytes as typed: a whole number, optionally followed by K, M or G (binary: 1K = 1024
/// bytes), such as 4G or 512M.
struct ByteSize: ExpressibleByArgument {
    var bytes: Int

    init?(argument: String) {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(argument)
        var scale = 1
        if let last = digits.last?.uppercased().first, let unit = units[last] {
            scale = unit
            digits = digits.dropLast()
        }
        guard let n = Int(digits), n > 0 else { return nil }
        let (b, overflow) = n.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        bytes = b
    }

    static let help = ArgumentHelp(
        "The most memory the analysis may take (default 2G): a run whose estimate is larger is refused before it starts, with the estimate. Bytes, or a number with K, M or G.",
        valueName: "size")
}

/// How CSV rows end: CRLF (RFC 4180, what spreadsheets write; the default) or LF (for Unix tools).
enum LineEnding: String, EnumerableFlag {
    case crlf, lf

    static func help(for value: LineEnding) -> ArgumentHelp? {
        switch value {
        case .crlf: "End CSV rows with CRLF, as RFC 4180 and spreadsheets do (the default)."
        case .lf: "End CSV rows with LF, for Unix tools."
        }
    }

    var text: String { self == .crlf ? "\r\n" : "\n" }
}
