/// Renders a `TestReport`: failures with expected against actual and why, then coverage. All the
/// wording of test results lives here.
public enum TestRenderer {
    /// The report as terminal text: each test with its failures, then coverage per policy.
    public static func text(_ r: TestReport, coverageMin: Double?) -> String {
        var out = ""
        var currentFile = ""
        for t in r.results {
            if t.file != currentFile {
                currentFile = t.file
                out += "\(t.file)\n"
            }
            out += "  \(t.passed ? "PASS" : "FAIL")  \(t.name)  [\(t.policy) on \(t.scenario)]\n"
            for f in t.failures {
                let words = wording(f)
                out += "        \(f.location): expectation failed\n"
                out += "          expected: \(words.expected)\n"
                out += "          actual:   \(words.actual)\n"
                for (i, b) in words.because.enumerated() { out += "          \(i == 0 ? "because:" : "        ") \(b)\n" }
            }
        }
        for c in r.coverage {
            out += "Coverage of policy \(c.policy) (\(c.file)): \(Format.fixed(c.percent, 0))% — \(coverageParts(c))\n"
            let missing = c.items.filter { !$0.covered }
            if !missing.isEmpty {
                out +=
                    "  not exercised: " + missing.prefix(12).map { label($0.target) }.joined(separator: "; ")
                    + (missing.count > 12 ? "; and \(missing.count - 12) more (see --format json)" : "") + "\n"
            }
            if let min = coverageMin, c.percent < min {
                out += "  BELOW the required \(Format.number(min))%\n"
            }
        }
        out += "hubs test: \(r.results.count) test\(r.results.count == 1 ? "" : "s"), \(r.passed) passed, \(r.failed) failed\n"
        return out
    }

    /// "gate outcomes 4/4, cases 6/7, ...".
    static func coverageParts(_ c: PolicyCoverage) -> String {
        PolicyCoverage.Kind.allCases.compactMap { kind -> String? in
            let n = c.count(kind)
            guard n.total > 0 else { return nil }
            let name: String
            switch kind {
            case .gate: name = "gate outcomes"
            case .case: name = "cases"
            case .map: name = "map entries"
            case .criterion: name = "criteria"
            }
            return "\(name) \(n.covered)/\(n.total)"
        }.joined(separator: ", ")
    }

    static func label(_ t: PolicyCoverage.Target) -> String {
        switch t {
        case let .gateOutcome(gate, outcome): "gate \(gate) \(outcome.rawValue)"
        case let .cases(criterion, label): "\(criterion): case '\(label)'"
        case let .mapEntry(criterion, value): "\(criterion): \(value)"
        case let .criterion(id): "criterion \(id) scored from known facts"
        }
    }

    // MARK: Wording of a failure

    /// Expected and actual (each problem's part joined with "; ") and the deciding explanation,
    /// without repeated lines.
    public static func wording(_ f: ExpectationFailure) -> (expected: String, actual: String, because: [String]) {
        var expected: [String] = []
        var actual: [String] = []
        var because: [String] = []
        for p in f.problems {
            let w = wording(p, f)
            expected.append(w.expected)
            actual.append(w.actual)
            because += w.because
        }
        var seen = Set<String>()
        var exp = expected.joined(separator: "; ")
        if let condition = f.selectedBy, let id = f.candidate?.id { exp = "for \(id) (where \(condition)): " + exp }
        return (exp, actual.joined(separator: "; "), because.filter { seen.insert($0).inserted })
    }

    static func wording(_ p: ExpectationFailure.Problem, _ f: ExpectationFailure) -> (expected: String, actual: String, because: [String]) {
        let id = f.candidate?.id ?? "?"
        let crit = f.criterion?.id ?? "?"
        switch p {
        case let .noSuchCriterion(name, policy, suggestion):
            return ("criterion '\(name)'", "policy '\(policy)' has no criterion '\(name)'", suggestion.map { [$0] } ?? [])
        case let .skipped(want):
            let c = f.criterion
            return (
                "\(id) \(crit) \(want ? "skipped for missing data" : "scored")",
                c?.skipped ?? false ? "skipped" : "scored, risk \(Format.fixed(c?.risk ?? 0, 2))",
                (c?.reads ?? []).map(reading)
            )
        case let .criterionRisk(range):
            guard let c = f.criterion else { return ("\(id) \(crit) risk \(range)", "no such criterion", []) }
            var because = ["criterion \(c.id) (\(c.title))" + (c.firedLabel.map { ": case '\($0)'" } ?? "")]
            because += c.reads.map(reading)
            if let m = c.missingRule { because.append("missing data: \(AssumptionText.missingRule(m))") }
            return ("\(id) \(crit) risk \(range)", "\(crit) risk \(c.risk.map { Format.fixed($0, 2) } ?? "skipped")", because)
        case let .risk(range):
            let r = f.candidate
            return (
                "\(id) risk \(range)", "risk \(r?.risk.map { Format.fixed($0, 2) } ?? "n/a")",
                (r.map { [riskLine($0)] } ?? []) + (r?.assumptions ?? []).map(AssumptionText.text)
            )
        case let .status(s, gate):
            return (
                "\(id) \(s.name)" + (gate.map { " by \($0)" } ?? ""), f.candidate.map(placing) ?? "absent",
                f.candidate.map(gateLines) ?? []
            )
        case let .band(b):
            return ("\(id) band \(b)", "band \(f.candidate?.band ?? "none")", f.candidate.map { [riskLine($0)] } ?? [])
        case let .bandNot(bands):
            return (
                "\(id) not in band \(bands.joined(separator: " or "))", "band \(f.candidate?.band ?? "none")",
                f.candidate.map { [riskLine($0)] } ?? []
            )
        case let .rank(k):
            return ("\(id) rank \(k)", f.candidate.map(placing) ?? "absent", f.candidate.map { [riskLine($0)] } ?? [])
        case let .rankAtMost(k):
            return ("\(id) rank \(k) or better", f.candidate.map(placing) ?? "absent", f.candidate.map { [riskLine($0)] } ?? [])
        case let .coverageAtLeast(cov):
            return (
                "\(id) coverage at least \(Format.percent(cov))", "coverage \(Format.percent(f.candidate?.coverage ?? 0))",
                (f.candidate?.assumptions ?? []).map(AssumptionText.text)
            )
        case let .robustToAssumptions(want, spread):
            return (
                want ? "\(id) holds over its assumptions" : "\(id) moves over its assumptions",
                f.candidate.map { "over its assumptions: \(ScoreRenderer.spreadText(spread, $0))" } ?? "absent",
                spread.map { $0.movers.isEmpty ? [] : ["moved by " + $0.movers.joined(separator: ", ")] } ?? []
            )
        case let .rankAbove(below):
            let above = f.candidate.map(placing) ?? "absent"
            return (
                "\(id) ranks above \(below.id)", "\(id) is \(above), \(below.id) is \(placing(below))",
                (f.candidate.map { [riskLine($0)] } ?? []) + [riskLine(below)]
            )
        case let .noMatch(condition):
            return ("some candidate where \(condition)", "no candidate matches", [])
        }
    }

    static func placing(_ r: CandidateResult) -> String {
        switch r.status {
        case .ranked: "ranked \(r.rank.map(String.init) ?? "?") (risk \(Format.fixed(r.risk ?? .nan, 2)))"
        case .insufficientEvidence: "insufficient evidence (coverage \(Format.percent(r.coverage)), position \(r.position))"
        case .excluded: "excluded by \(r.excludingGates.map(\.id).joined(separator: ", ")) (position \(r.position))"
        case .notAssessable: "not assessable"
        }
    }

    /// "serbia: risk 58.14 (high), most from security_advice 10.50, host_willingness 9.00 (assumed), ...".
    static func riskLine(_ r: CandidateResult) -> String {
        let drivers = r.drivers().map { "\($0.id) \(Format.fixed($0.contribution, 2))\($0.assumed ? " (assumed)" : "")" }
            .joined(separator: ", ")
        return
            "\(r.id): risk \(r.risk.map { Format.fixed($0, 2) } ?? "n/a") (\(r.band ?? "no band")), most from \(drivers.isEmpty ? "nothing" : drivers)"
    }

    static func reading(_ f: FactReading) -> String {
        switch f.state {
        case .known: "\(f.name) = \(f.value ?? "?")\(f.source.map { " [\($0)]" } ?? "")"
        case .unknown: "\(f.name) = unknown\(f.source.map { " [\($0)]" } ?? "")"
        case .notGiven: "\(f.name) not given"
        }
    }

    static func gateLines(_ r: CandidateResult) -> [String] {
        r.gates.map { g in
            "gate \(g.id) \(g.outcome.rawValue): \(g.condition)"
                + (g.reads.isEmpty ? "" : "; " + g.reads.map(reading).joined(separator: ", "))
        }
    }
}
