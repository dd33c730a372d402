/// One expectation that did not hold: where it is written, which checks failed, and the results
/// they were checked against (the renderer words expected, actual and the deciding explanation).
public struct ExpectationFailure: Sendable {
    /// One check that failed, with what was expected.
    public enum Problem: Sendable {
        /// The expectation names a criterion the policy does not have.
        case noSuchCriterion(String, policy: String, suggestion: String?)
        /// The criterion was expected to be skipped for missing data (true) or scored (false).
        case skipped(expected: Bool)
        case criterionRisk(expected: NumberRange)
        case risk(expected: NumberRange)
        case status(expected: CandidateStatus, gate: String?)
        case band(expected: String)
        case bandNot([String])
        case rank(Int)
        case rankAtMost(Int)
        case coverageAtLeast(Double)
        /// The candidate's outcome should hold over its assumptions (true) or move (false).
        case robustToAssumptions(expected: Bool, spread: AssumptionSpread?)
        /// The candidate should rank above this one.
        case rankAbove(CandidateResult)
        /// No candidate's facts make the `each:` condition true.
        case noMatch(condition: String)
    }
    public var location: SourceLocation
    /// The candidate the expectation is about (nil for `noMatch`).
    public var candidate: CandidateResult?
    /// The criterion it names, when it names one that exists.
    public var criterion: CriterionResult?
    /// For `each:` expectations, the condition that selected the candidate.
    public var selectedBy: String?
    public var problems: [Problem]
}

/// The outcome of one test: how many expectations were checked, and those that failed.
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
    /// One part of the policy a test can exercise.
    public enum Target: Sendable, Equatable {
        case gateOutcome(gate: String, GateResult.Outcome)
        case cases(criterion: String, label: String)
        case mapEntry(criterion: String, value: String)
        /// The criterion scored from known facts (not by a missing-data rule).
        case criterion(String)

        public var kind: Kind {
            switch self {
            case .gateOutcome: .gate
            case .cases: .case
            case .mapEntry: .map
            case .criterion: .criterion
            }
        }
    }
    /// The kinds of target, in the order reports list them. The raw value is part of the JSON.
    public enum Kind: String, Sendable, CaseIterable {
        case gate, `case`, map, criterion
    }
    /// One target and whether any test exercised it.
    public struct Item: Sendable {
        public var target: Target
        public var covered: Bool
        public var kind: Kind { target.kind }
    }
    public var policy: String
    public var file: String
    public var items: [Item]
    public var percent: Double {
        items.isEmpty ? 100 : 100 * Double(items.filter(\.covered).count) / Double(items.count)
    }
    /// Targets of one kind: how many were exercised, of how many.
    public func count(_ kind: Kind) -> (covered: Int, total: Int) {
        let k = items.filter { $0.kind == kind }
        return (k.filter(\.covered).count, k.count)
    }
}

/// Every test's outcome, and coverage per policy.
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
    /// Runs the expectation files at `paths`; every file they name is read through `files`.
    public static func run(
        _ paths: [String], limits: InputLimits = .standard,
        files source: any FileSource = DiskFiles()
    ) -> Result<TestReport, DiagnosticsError> {
        var diags: [Diagnostic] = []
        var files: [PolicyTestFile] = []
        func policyAt(_ path: String) -> Result<CompiledPolicy, DiagnosticsError> {
            Pipeline.policy(at: path, limits: limits, files: source)
        }
        func assess(_ policy: CompiledPolicy, _ scenario: Scenario) -> Result<Assessment, DiagnosticsError> {
            Pipeline.prepare(policy: policy, scenario: scenario).flatMap { $0.evaluate() }
        }
        for p in paths {
            switch Stages.loadTests(at: p, files: source, limits: limits) {
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
                switch policyAt(f.policy) {
                case let .success(p):
                    policies[f.policy] = p
                    policyOrder.append(f.policy)
                case let .failure(e):
                    diags += e.diagnostics
                    continue
                }
            }
            guard let policy = policies[f.policy] else { continue }
            for c in f.cases {
                let key: String
                let scenario: Result<Scenario, DiagnosticsError>
                switch c.scenario {
                case let .file(path):
                    key = f.policy + "\u{0}" + path
                    scenario =
                        assessments[key].map { .success($0.scenario) } ?? Pipeline.scenario(at: path, limits: limits, files: source)
                case let .inline(node, file, path):
                    key = f.policy + "\u{0}" + node.location.description
                    scenario = Stages.loadScenario(root: node, file: file, path: path, files: source, limits: limits)
                }
                let a: Assessment
                if let known = assessments[key] {
                    a = known
                } else {
                    switch scenario.flatMap({ assess(policy, $0) }) {
                    case let .success(fresh):
                        a = fresh
                        assessments[key] = fresh
                    case let .failure(e):
                        diags += e.diagnostics
                        continue
                    }
                }
                results.append(runCase(c, file: f.path, on: a, diags: &diags))
            }
        }
        if diags.contains(where: { $0.severity == .error }) { return .failure(DiagnosticsError(diags)) }
        let coverage = policyOrder.compactMap { path in
            policies[path].map {
                coverageOf($0, path: path, assessments: assessments.filter { $0.key.hasPrefix(path + "\u{0}") }.map(\.value))
            }
        }
        return .success(TestReport(results: results, coverage: coverage))
    }

    /// Every expectation of one test against its assessment.
    static func runCase(_ c: PolicyTestCase, file: String, on a: Assessment, diags: inout [Diagnostic]) -> TestCaseResult {
        var a = a
        if a.assumptionSpreads.isEmpty, c.expectations.contains(where: { $0.expect.robustToAssumptions != nil }) {
            a.assumptionSpreads = AssumptionSpreads.compute(a)
        }
        var failures: [ExpectationFailure] = []
        var checked = 0
        for x in c.expectations {
            switch check(x, in: a, table: a.table) {
            case let .success(fs):
                failures += fs
                checked += 1
            case let .failure(d): diags.append(d)
            }
        }
        return TestCaseResult(
            file: file, name: c.name, location: c.location, policy: a.policy.id, scenario: a.scenario.id, checked: checked,
            failures: failures)
    }

    // MARK: Checking

    static func check(_ x: Expectation, in a: Assessment, table: FactTable) -> Result<[ExpectationFailure], Diagnostic> {
        switch x.subject {
        case let .candidate(id, at):
            guard let r = a.result(for: id) else { return .failure(unknownCandidate(id, at, a)) }
            return .success(checkCandidate(x.expect, r, a, at: x.location).map { [$0] } ?? [])
        case let .order(items):
            if let (id, at) = items.first(where: { a.result(for: $0.0) == nil }) { return .failure(unknownCandidate(id, at, a)) }
            var out: [ExpectationFailure] = []
            for (p, q) in zip(items, items.dropFirst()) {
                guard let rp = a.result(for: p.0), let rq = a.result(for: q.0), rp.position >= rq.position else { continue }
                out.append(ExpectationFailure(location: p.1, candidate: rp, problems: [.rankAbove(rq)]))
            }
            return .success(out)
        case let .each(predicate):
            switch matching(predicate, a: a, table: table) {
            case let .failure(d): return .failure(d)
            case let .success(ids):
                if ids.isEmpty {
                    return .success([ExpectationFailure(location: predicate.location(0), problems: [.noMatch(condition: predicate.text)])])
                }
                return .success(
                    ids.compactMap { id in
                        a.result(for: id).flatMap { checkCandidate(x.expect, $0, a, at: x.location) }.map {
                            var f = $0
                            f.selectedBy = predicate.text
                            return f
                        }
                    })
            }
        }
    }

    static func unknownCandidate(_ id: String, _ at: SourceLocation, _ a: Assessment) -> Diagnostic {
        .unknownCandidate(
            "scenario '\(a.scenario.id)' has no candidate '\(id)'", at: at,
            hint: Suggest.hint(for: id, in: a.results.map(\.id)), length: id.count)
    }

    /// The candidates whose facts make `predicate` true. Unknown counts as not matching.
    static func matching(_ predicate: ExpressionSource, a: Assessment, table: FactTable) -> Result<[String], Diagnostic> {
        switch FactPredicate.compile(predicate, facts: a.policy.facts) {
        case let .failure(e): return .failure(e.diagnostics[0])
        case let .success(p):
            return .success(
                a.scenario.candidates.indices.compactMap { c in
                    p.evaluate(table.row(c)) == true ? a.scenario.candidates[c].id : nil
                })
        }
    }

    /// The checks of one candidate expectation that fail, in a fixed order; nil when all hold.
    static func checkCandidate(_ x: CandidateExpectation, _ r: CandidateResult, _ a: Assessment, at: SourceLocation) -> ExpectationFailure?
    {
        var problems: [ExpectationFailure.Problem] = []
        var criterion: CriterionResult?
        if let crit = x.criterion {
            guard let c = r.criteria.first(where: { $0.id == crit }) else {
                let hint = Suggest.hint(for: crit, in: r.criteria.map(\.id))
                return ExpectationFailure(
                    location: at, candidate: r, problems: [.noSuchCriterion(crit, policy: a.policy.id, suggestion: hint)])
            }
            criterion = c
            if let want = x.skipped, want != c.skipped { problems.append(.skipped(expected: want)) }
            if let range = x.risk, !(c.risk.map(range.contains) ?? false) { problems.append(.criterionRisk(expected: range)) }
        } else if let range = x.risk, !(r.risk.map(range.contains) ?? false) {
            problems.append(.risk(expected: range))
        }
        if let s = x.status, s != r.status || (x.gate != nil && !r.excludingGates.contains { $0.id == x.gate }) {
            problems.append(.status(expected: s, gate: x.gate))
        }
        if let b = x.band, b != r.band { problems.append(.band(expected: b)) }
        if !x.bandNot.isEmpty, let band = r.band, x.bandNot.contains(band) { problems.append(.bandNot(x.bandNot)) }
        if let k = x.rank, r.rank != k { problems.append(.rank(k)) }
        if let k = x.rankAtMost, (r.rank ?? Int.max) > k { problems.append(.rankAtMost(k)) }
        if let cov = x.coverageAtLeast, r.coverage < cov - 1e-12 { problems.append(.coverageAtLeast(cov)) }
        if let want = x.robustToAssumptions {
            let spread = a.spread(of: r)
            if (spread?.robust ?? true) != want { problems.append(.robustToAssumptions(expected: want, spread: spread)) }
        }
        if problems.isEmpty { return nil }
        return ExpectationFailure(location: at, candidate: r, criterion: criterion, problems: problems)
    }

    // MARK: Coverage

    static func coverageOf(_ p: CompiledPolicy, path: String, assessments: [Assessment]) -> PolicyCoverage {
        let results = assessments.flatMap(\.results)
        var items: [PolicyCoverage.Item] = []
        for g in p.gates {
            for outcome in [GateResult.Outcome.excluded, .passed] {
                items.append(
                    .init(
                        target: .gateOutcome(gate: g.id, outcome),
                        covered: results.contains { r in r.gates.contains { $0.id == g.id && $0.outcome == outcome } }))
            }
        }
        for (i, c) in p.criteria.enumerated() where c.isLeaf {
            let scored = results.map { $0.criteria[i] }
            for (k, label) in c.caseLabels.enumerated() {
                items.append(
                    .init(
                        target: .cases(criterion: c.id, label: label),
                        covered: scored.contains { $0.firedCase == k && $0.missingRule == nil }))
            }
            for (value, _) in c.mapRisks {
                items.append(
                    .init(
                        target: .mapEntry(criterion: c.id, value: value),
                        covered: scored.contains { $0.missingRule == nil && $0.reads.first?.value == value }))
            }
            items.append(.init(target: .criterion(c.id), covered: scored.contains { $0.missingRule == nil && $0.risk != nil }))
        }
        return PolicyCoverage(policy: p.id, file: path, items: items)
    }
}
