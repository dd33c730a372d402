/// One expectation that did not hold: where it is written, what it expected, what happened, and
/// the part of the explanation that decided it.
public struct ExpectationFailure: Sendable {
    public var location: SourceLocation
    public var expected: String
    public var actual: String
    public var because: [String]
}

public struct TestCaseResult: Sendable {
    public var file: String
    public var name: String
    public var location: SourceLocation
    public var policy: String
    public var scenario: String
    public var checked: Int
    public var failures: [ExpectationFailure]
    public var passed: Bool { failures.isEmpty }
}

/// Which parts of a policy the tests exercised.
public struct PolicyCoverage: Sendable {
    public struct Item: Sendable {
        public var kind: String      // gate, case, map, criterion
        public var label: String
        public var covered: Bool
    }
    public var policy: String
    public var file: String
    public var items: [Item]
    public var percent: Double {
        items.isEmpty ? 100 : 100 * Double(items.filter(\.covered).count) / Double(items.count)
    }
    public func count(_ kind: String) -> (covered: Int, total: Int) {
        let k = items.filter { $0.kind == kind }
        return (k.filter(\.covered).count, k.count)
    }
}

public struct TestReport: Sendable {
    public var results: [TestCaseResult]
    public var coverage: [PolicyCoverage]
    public var passed: Int { results.filter(\.passed).count }
    public var failed: Int { results.count - passed }
}

/// Runs expectation files: each test's scenario is scored under the file's policy (each pair
/// once), then every expectation is checked. Errors in the files stop the run; failed
/// expectations do not.
public enum TestRunner {
    public static func run(_ paths: [String], limits: InputLimits = .standard) -> Result<TestReport, DiagnosticsError> {
        var diags: [Diagnostic] = []
        var files: [PolicyTestFile] = []
        for p in paths {
            switch TestLoader(limits: limits).load(path: p) {
            case let .success(f): files.append(f)
            case let .failure(e): diags += e.diagnostics
            }
        }
        var policies: [String: CompiledPolicy] = [:]
        var policyOrder: [String] = []
        var assessments: [String: Assessment] = [:]
        var results: [TestCaseResult] = []
        for f in files {
            if policies[f.policy] == nil {
                switch Pipeline.policy(at: f.policy, limits: limits) {
                case let .success(p): policies[f.policy] = p; policyOrder.append(f.policy)
                case let .failure(e): diags += e.diagnostics; continue
                }
            }
            guard let policy = policies[f.policy] else { continue }
            for c in f.cases {
                let key: String
                let scenario: Result<Scenario, DiagnosticsError>
                switch c.scenario {
                case let .file(path):
                    key = f.policy + "\u{0}" + path
                    scenario = assessments[key] == nil ? Pipeline.scenario(at: path, limits: limits) : .success(assessments[key]!.scenario)
                case let .inline(node, file, path):
                    key = f.policy + "\u{0}" + node.location.description
                    scenario = ScenarioLoader(limits: limits).load(root: node, file: file, path: path)
                }
                if assessments[key] == nil {
                    switch scenario.flatMap({ Pipeline.assess(policy: policy, scenario: $0) }) {
                    case let .success(a): assessments[key] = a
                    case let .failure(e): diags += e.diagnostics; continue
                    }
                }
                let a = assessments[key]!
                var failures: [ExpectationFailure] = []
                var checked = 0
                for x in c.expectations {
                    switch check(x, in: a, table: a.table) {
                    case let .success(fs): failures += fs; checked += 1
                    case let .failure(d): diags.append(d)
                    }
                }
                results.append(TestCaseResult(file: f.path, name: c.name, location: c.location, policy: policy.id,
                                              scenario: a.scenario.id, checked: checked, failures: failures))
            }
        }
        if diags.contains(where: { $0.severity == .error }) { return .failure(DiagnosticsError(diags)) }
        let coverage = policyOrder.map { path in
            coverageOf(policies[path]!, path: path, assessments: assessments.filter { $0.key.hasPrefix(path + "\u{0}") }.map(\.value))
        }
        return .success(TestReport(results: results, coverage: coverage))
    }

    // MARK: Checking

    static func check(_ x: Expectation, in a: Assessment, table: FactTable) -> Result<[ExpectationFailure], Diagnostic> {
        switch x.subject {
        case let .candidate(id, at):
            guard let r = a.result(for: id) else {
                return .failure(.error(.unknownCandidate, "scenario '\(a.scenario.id)' has no candidate '\(id)'", at: at,
                                       hint: Suggest.hint(for: id, in: a.results.map(\.id)), length: id.count))
            }
            return .success(checkCandidate(x.expect, r, a, at: x.location).map { [$0] } ?? [])
        case let .order(items):
            for (id, at) in items where a.result(for: id) == nil {
                return .failure(.error(.unknownCandidate, "scenario '\(a.scenario.id)' has no candidate '\(id)'", at: at,
                                       hint: Suggest.hint(for: id, in: a.results.map(\.id)), length: id.count))
            }
            var out: [ExpectationFailure] = []
            for (p, q) in zip(items, items.dropFirst()) {
                let rp = a.result(for: p.0)!, rq = a.result(for: q.0)!
                if rp.position >= rq.position {
                    out.append(ExpectationFailure(location: p.1, expected: "\(p.0) ranks above \(q.0)",
                                                  actual: "\(p.0) is \(placing(rp)), \(q.0) is \(placing(rq))",
                                                  because: [riskLine(rp), riskLine(rq)]))
                }
            }
            return .success(out)
        case let .each(predicate):
            switch matching(predicate, a: a, table: table) {
            case let .failure(d): return .failure(d)
            case let .success(ids):
                if ids.isEmpty {
                    return .success([ExpectationFailure(location: predicate.location(0), expected: "some candidate where \(predicate.text)",
                                                        actual: "no candidate matches", because: [])])
                }
                return .success(ids.compactMap { id in
                    checkCandidate(x.expect, a.result(for: id)!, a, at: x.location).map {
                        var f = $0
                        f.expected = "for \(id) (where \(predicate.text)): " + f.expected
                        return f
                    }
                })
            }
        }
    }

    /// The candidates whose facts make `predicate` true. Unknown counts as not matching.
    static func matching(_ predicate: ExpressionSource, a: Assessment, table: FactTable) -> Result<[String], Diagnostic> {
        switch FactPredicate.compile(predicate, facts: a.policy.facts) {
        case let .failure(e): return .failure(e.diagnostics[0])
        case let .success(p):
            return .success(a.scenario.candidates.indices.compactMap { c in
                p.evaluate(table.row(c)) == true ? a.scenario.candidates[c].id : nil
            })
        }
    }

    static func placing(_ r: CandidateResult) -> String {
        switch r.status {
        case .ranked: "ranked \(r.rank!) (risk \(Format.fixed(r.risk!, 2)))"
        case .insufficientEvidence: "insufficient evidence (coverage \(Format.percent(r.coverage)), position \(r.position))"
        case .excluded: "excluded by \(r.excludingGates.map(\.id).joined(separator: ", ")) (position \(r.position))"
        case .notAssessable: "not assessable"
        }
    }

    static func riskLine(_ r: CandidateResult) -> String {
        let drivers = r.drivers().map { "\($0.id) \(Format.fixed($0.contribution, 2))" }.joined(separator: ", ")
        return "\(r.id): risk \(r.risk.map { Format.fixed($0, 2) } ?? "n/a") (\(r.band ?? "no band")), most from \(drivers.isEmpty ? "nothing" : drivers)"
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
            "gate \(g.id) \(g.outcome.rawValue): \(g.condition)" + (g.reads.isEmpty ? "" : "; " + g.reads.map(reading).joined(separator: ", "))
        }
    }

    static func checkCandidate(_ x: CandidateExpectation, _ r: CandidateResult, _ a: Assessment, at: SourceLocation) -> ExpectationFailure? {
        var expected: [String] = [], actual: [String] = [], because: [String] = []
        if let crit = x.criterion {
            guard let c = r.criteria.first(where: { $0.id == crit }) else {
                return ExpectationFailure(location: at, expected: "criterion '\(crit)'", actual: "policy '\(a.policy.id)' has no criterion '\(crit)'",
                                          because: Suggest.hint(for: crit, in: r.criteria.map(\.id)).map { [$0] } ?? [])
            }
            if let want = x.skipped, want != c.skipped {
                expected.append("\(r.id) \(crit) \(want ? "skipped for missing data" : "scored")")
                actual.append(c.skipped ? "skipped" : "scored, risk \(Format.fixed(c.risk ?? 0, 2))")
                because += c.reads.map(reading)
            }
            if let range = x.risk, !(c.risk.map(range.contains) ?? false) {
                expected.append("\(r.id) \(crit) risk \(range)")
                actual.append("\(crit) risk \(c.risk.map { Format.fixed($0, 2) } ?? "skipped")")
                because.append("criterion \(crit) (\(c.title))" + (c.firedLabel.map { ": case '\($0)'" } ?? ""))
                because += c.reads.map(reading)
                if let m = c.missingRule { because.append("missing data: \(m.description)") }
            }
        } else if let range = x.risk, !(r.risk.map(range.contains) ?? false) {
            expected.append("\(r.id) risk \(range)")
            actual.append("risk \(r.risk.map { Format.fixed($0, 2) } ?? "n/a")")
            because.append(riskLine(r))
            because += r.assumptions
        }
        if let s = x.status, s != r.status || (x.gate != nil && !r.excludingGates.contains { $0.id == x.gate }) {
            expected.append("\(r.id) \(s.name)" + (x.gate.map { " by \($0)" } ?? ""))
            actual.append(placing(r))
            because += gateLines(r)
        }
        if let b = x.band, b != r.band {
            expected.append("\(r.id) band \(b)")
            actual.append("band \(r.band ?? "none")")
            because.append(riskLine(r))
        }
        if !x.bandNot.isEmpty, let band = r.band, x.bandNot.contains(band) {
            expected.append("\(r.id) not in band \(x.bandNot.joined(separator: " or "))")
            actual.append("band \(band)")
            because.append(riskLine(r))
        }
        if let k = x.rank, r.rank != k {
            expected.append("\(r.id) rank \(k)")
            actual.append(placing(r))
            because.append(riskLine(r))
        }
        if let k = x.rankAtMost, (r.rank ?? Int.max) > k {
            expected.append("\(r.id) rank \(k) or better")
            actual.append(placing(r))
            because.append(riskLine(r))
        }
        if let cov = x.coverageAtLeast, r.coverage < cov - 1e-12 {
            expected.append("\(r.id) coverage at least \(Format.percent(cov))")
            actual.append("coverage \(Format.percent(r.coverage))")
            because += r.assumptions
        }
        if expected.isEmpty { return nil }
        var seen = Set<String>()
        return ExpectationFailure(location: at, expected: expected.joined(separator: "; "), actual: actual.joined(separator: "; "),
                                  because: because.filter { seen.insert($0).inserted })
    }

    // MARK: Coverage

    static func coverageOf(_ p: CompiledPolicy, path: String, assessments: [Assessment]) -> PolicyCoverage {
        let results = assessments.flatMap(\.results)
        var items: [PolicyCoverage.Item] = []
        for g in p.gates {
            items.append(.init(kind: "gate", label: "gate \(g.id) excluded", covered: results.contains { r in r.gates.contains { $0.id == g.id && $0.outcome == .excluded } }))
            items.append(.init(kind: "gate", label: "gate \(g.id) passed", covered: results.contains { r in r.gates.contains { $0.id == g.id && $0.outcome == .passed } }))
        }
        for (i, c) in p.criteria.enumerated() where c.isLeaf {
            let scored = results.map { $0.criteria[i] }
            for (k, label) in c.caseLabels.enumerated() {
                items.append(.init(kind: "case", label: "\(c.id): case '\(label)'", covered: scored.contains { $0.firedCase == k && $0.missingRule == nil }))
            }
            for (value, _) in c.mapRisks {
                items.append(.init(kind: "map", label: "\(c.id): \(value)", covered: scored.contains { $0.missingRule == nil && $0.reads.first?.value == value }))
            }
            items.append(.init(kind: "criterion", label: "criterion \(c.id) scored from known facts", covered: scored.contains { $0.missingRule == nil && $0.risk != nil }))
        }
        return PolicyCoverage(policy: p.id, file: path, items: items)
    }
}
