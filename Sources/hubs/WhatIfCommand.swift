import ArgumentParser
import Foundation
import HubsCore

struct WhatIf: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "What would it take? The smallest fact changes that reach a goal, and weight stability bounds.",
        discussion: """
            Searches only the facts the policy marks changeable (changeable: false in the policy's facts \
            schema excludes one), respecting each fact's type, range and enum values, and never proposes \
            a state that breaks one of the policy's constraints (a party to the ECHR must be a member of \
            the Council of Europe, say). --fix holds facts as they are; --only limits the search to the \
            facts named. Every answer is \
            marked EXACT (minimal: no change to fewer facts works, and none smaller to these facts) or \
            approximate, with the method used. Also shows how far each weight can move, others as \
            declared, before the candidate's rank or band changes.

            Goals (one): --band NAME (that band or a lower-risk one, and not excluded), --rank N, \
            --above OTHER, --pass GATE.

            Examples:
              hubs whatif kosovo --band low
              hubs whatif serbia --rank 3
              hubs whatif montenegro --above north_macedonia --format json
              hubs whatif albania --pass host_refused
              hubs whatif kosovo --band low --fix echr_party --fix coe_member
              hubs whatif serbia --rank 3 \\
                  --only russia_visa_free --only eu_sanctions_alignment
            """
    )

    @Argument(help: "Candidate id, e.g. kosovo.")
    var candidate: String

    @OptionGroup var input: InputOptions

    @Option(help: "Goal: reach this band or a lower-risk one.")
    var band: String?

    @Option(help: "Goal: rank N or better.")
    var rank: Int?

    @Option(help: "Goal: rank above this candidate.")
    var above: String?

    @Option(help: "Goal: not be excluded by this gate.")
    var pass: String?

    @Option(name: .customLong("max-changes"), help: "Most facts to change at once (1 or 2).")
    var maxChanges: Int = 2

    @Option(name: .customLong("fix"), help: ArgumentHelp("Never change this fact (repeatable).", valueName: "fact"))
    var fix: [String] = []

    @Option(name: .customLong("only"), help: ArgumentHelp("Change only these facts (repeatable).", valueName: "fact"))
    var only: [String] = []

    @Option(name: .shortAndLong, help: "Output format: text, json or markdown.")
    var format: WhatIfFormat = .text

    func validate() throws {
        let goals = [band != nil, rank != nil, above != nil, pass != nil].filter { $0 }.count
        if goals != 1 { throw ValidationError("give exactly one goal: --band, --rank, --above or --pass") }
        if !(1...2).contains(maxChanges) { throw ValidationError("--max-changes is 1 or 2") }
    }

    func run() throws {
        var console = Console()
        let a = try input.assess(&console)
        console.summarizeWarnings(a, policy: input.policy, scenario: input.scenario)
        let table = a.table
        let goal: WhatIfGoal =
            if let band { .band(band) } else if let rank { .rank(rank) } else if let above { .above(above) } else { .pass(pass ?? "") }
        switch WhatIfSearch.run(
            a, table: table, candidate: candidate, goal: goal, maxChanges: maxChanges,
            fixed: fix, only: only.isEmpty ? nil : only)
        {
        case let .failure(e):
            console.report(e.diagnostics)
            throw ExitCode.failure
        case let .success(r):
            switch format {
            case .text: console.out(WhatIfRenderer.text(r))
            case .json: console.out(WhatIfRenderer.json(r).serialized() + "\n")
            case .markdown: console.out(WhatIfRenderer.markdown(r))
            }
        }
    }
}

enum WhatIfFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}
