import ArgumentParser
import Foundation
import HubsCore

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Check what policies must always conclude, from expectation files.",
        discussion: """
            Each expectation file names a policy and a scenario (a path, or a scenario written inline) \
            and lists tests, each with expectations: a candidate's status (excluded by a given gate), \
            band (or bands it must not be in), risk range, rank, coverage, or a criterion's risk; rank \
            order ("order: [a, b]": a ranks above b); and "each: EXPRESSION" to check every candidate \
            whose facts make the expression true. See docs/testing.md.

            A failure shows the expectation's file:line:column, expected against actual, and the part \
            of the explanation that decided it. Coverage reports which gate outcomes, cases, map entries \
            and criteria the tests exercised, per policy.

            Exit codes: 0 when every test passes (and coverage is at least --coverage-min), 1 when any \
            fails, 2 on error.

            Examples:
              hubs test
              hubs test policy-tests/uk-return-hubs.yaml --coverage-min 80
              hubs test --format json
            """
    )

    @Argument(help: "Expectation files (default: policy-tests/*.yaml).", completion: .file(extensions: ["yaml", "yml"]))
    var files: [String] = []

    @Option(
        name: .customLong("coverage-min"),
        help: ArgumentHelp("Fail when a policy's coverage is below this percentage.", valueName: "percent"))
    var coverageMin: Double?

    @Option(name: .shortAndLong, help: "Output format: text or json.")
    var format: TextFormat = .text

    @OptionGroup var limitOptions: LimitOptions

    func run() throws {
        var console = Console()
        if let m = coverageMin, !(0...100).contains(m) {
            console.err("hubs test: --coverage-min takes a percentage from 0 to 100\n")
            throw ExitCode(2)
        }
        var paths = files
        if paths.isEmpty {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "policy-tests")) ?? []
            paths = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "policy-tests/\($0)" }
            if paths.isEmpty {
                console.err("hubs test: no files given and no policy-tests/*.yaml here; run from the repository root or name the files\n")
                throw ExitCode(2)
            }
        }
        switch TestRunner.run(paths, limits: limitOptions.limits, files: limitOptions.files) {
        case let .failure(e):
            console.report(e.diagnostics)
            throw ExitCode(2)
        case let .success(report):
            switch format {
            case .text: console.out(TestRenderer.text(report, coverageMin: coverageMin))
            case .json: console.out(TestRenderer.json(report, coverageMin: coverageMin).serialized() + "\n")
            }
            let belowMin = coverageMin.map { m in report.coverage.contains { $0.percent < m } } ?? false
            if report.failed > 0 || belowMin { throw ExitCode(1) }
        }
    }
}
