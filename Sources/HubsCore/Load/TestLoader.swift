import Foundation

/// Reads expectation files:
///
/// ```yaml
/// policy: ../policies/uk-return-hubs.yaml      # relative to this file
/// scenario: ../scenarios/baseline.yaml         # default for the tests below (a path or an inline scenario)
/// tests:
///   - name: a government that has refused is excluded
///     expect:
///       - {candidate: albania, status: excluded, gate: host_refused}
///       - {order: [north_macedonia, serbia]}
///       - {each: 'not echr_party', band_not: low}
/// ```
public struct TestLoader {
    public var limits: InputLimits
    public var files: any FileSource
    /// A loader reading through `files` under `limits`.
    public init(limits: InputLimits = .standard, files: any FileSource = DiskFiles()) {
        self.limits = limits
        self.files = files
    }

    static let expectationKeys = [
        "candidate", "each", "order", "status", "gate", "band", "band_not", "risk", "rank",
        "rank_at_most", "coverage_at_least", "criterion", "skipped", "robust_to_assumptions",
    ]

    /// Loads one expectation file, resolving the files it names relative to it.
    public func load(path: String) -> Result<PolicyTestFile, DiagnosticsError> {
        let file: SourceFile
        let root: YAML
        switch YAMLDocument.read(path, from: files, limits: limits) {
        case let .success(d): (file, root) = (d.file, d.root)
        case let .failure(e): return .failure(e)
        }
        var diags: [Diagnostic] = []
        guard var m = MappingReader(root, what: "a test file", diags: &diags) else { return .failure(DiagnosticsError(diags)) }
        let dir = (path as NSString).deletingLastPathComponent
        let files = self.files
        // A named file resolves relative to this file and must stay inside the project.
        func resolve(_ named: YAMLScalar, _ diags: inout [Diagnostic]) -> String? {
            let p = named.text.hasPrefix("/") || dir.isEmpty ? named.text : ProjectBoundary.normalized(dir + "/" + named.text)
            if let why = ProjectBoundary.problem(naming: named.text, resolved: p, from: path, files: files) {
                diags.append(
                    .invalidValue(
                        "'\(named.text)' is \(why)", at: named.location,
                        hint: "name a policy or scenario of this project, relative to this file, or name a folder holding both with --root",
                        length: named.text.count))
                return nil
            }
            return p
        }
        let policy = m.scalar("policy", required: true).flatMap { resolve($0, &diags) } ?? ""
        var defaultScenario: TestScenario?
        if let s = m.node("scenario") { defaultScenario = scenario(s, file: file, path: path, resolve: resolve, diags: &diags) }
        var cases: [PolicyTestCase] = []
        if let t = m.required("tests", hint: "add 'tests:' with a list of tests") {
            if case let .sequence(items, _) = t {
                for item in items {
                    if let c = testCase(item, file: file, path: path, resolve: resolve, defaultScenario: defaultScenario, diags: &diags) {
                        cases.append(c)
                    }
                }
            } else {
                diags.append(.wrongKind("'tests' must be a list", at: t.location))
            }
        }
        diags += m.finish(allowed: ["policy", "scenario", "tests", "description"])
        if diags.contains(where: { $0.severity == .error }) { return .failure(DiagnosticsError(diags)) }
        return .success(PolicyTestFile(path: path, policy: policy, cases: cases))
    }

    func scenario(
        _ n: YAML, file: SourceFile, path: String, resolve: (YAMLScalar, inout [Diagnostic]) -> String?, diags: inout [Diagnostic]
    ) -> TestScenario? {
        switch n {
        case let .scalar(s) where !s.isNull: return resolve(s, &diags).map { .file($0) }
        case .mapping: return .inline(n, file, path)
        default:
            diags.append(.wrongKind("'scenario' must be a file path or an inline scenario", at: n.location))
            return nil
        }
    }

    func testCase(
        _ node: YAML, file: SourceFile, path: String, resolve: (YAMLScalar, inout [Diagnostic]) -> String?, defaultScenario: TestScenario?,
        diags: inout [Diagnostic]
    ) -> PolicyTestCase? {
        guard var m = MappingReader(node, what: "a test", diags: &diags) else { return nil }
        let name = m.string("name", required: true) ?? "?"
        var scen = defaultScenario
        if let s = m.node("scenario") { scen = scenario(s, file: file, path: path, resolve: resolve, diags: &diags) }
        var expectations: [Expectation] = []
        if let e = m.required("expect", hint: "add 'expect:' with what must hold") {
            let items: [YAML] = if case let .sequence(list, _) = e { list } else { [e] }
            for item in items { if let x = expectation(item, file: file, diags: &diags) { expectations.append(x) } }
        }
        diags += m.finish(allowed: ["name", "scenario", "expect"])
        guard let scen else {
            diags.append(
                .missingKey(
                    "test '\(name)' has no scenario", at: node.location,
                    hint: "add 'scenario:' to the test or at the top of the file"))
            return nil
        }
        return PolicyTestCase(name: name, scenario: scen, expectations: expectations, location: node.location)
    }

    func expectation(_ node: YAML, file: SourceFile, diags: inout [Diagnostic]) -> Expectation? {
        guard var m = MappingReader(node, what: "an expectation", diags: &diags) else { return nil }
        var subject: Expectation.Subject?
        if let c = m.scalar("candidate") { subject = .candidate(c.text, c.location) }
        if let e = m.scalar("each") { subject = .each(ExpressionSource(e, file: file)) }
        if let o = m.node("order") {
            if case let .sequence(items, _) = o, items.count >= 2 {
                subject = .order(items.compactMap { if case let .scalar(s) = $0 { (s.text, s.location) } else { nil } })
            } else {
                diags.append(.invalidValue("'order' must list at least two candidates, best first", at: o.location))
            }
        }
        var x = CandidateExpectation()
        if let s = m.scalar("status") {
            switch s.text {
            case "ranked": x.status = .ranked
            case "excluded": x.status = .excluded
            case "not_assessable": x.status = .notAssessable
            case "insufficient_evidence": x.status = .insufficientEvidence
            default:
                let all = CandidateStatus.allCases.map(\.id)
                diags.append(
                    .invalidValue(
                        "status must be \(all.joined(separator: ", ")); found '\(s.text)'", at: s.location,
                        hint: Suggest.hint(for: s.text, in: all), length: s.text.count))
            }
        }
        if let g = m.scalar("gate") {
            x.gate = g.text
            if x.status == nil { x.status = .excluded }
        }
        x.band = m.string("band")
        if let b = m.node("band_not") {
            switch b {
            case let .scalar(s): x.bandNot = [s.text]
            case let .sequence(items, _): x.bandNot = items.compactMap { if case let .scalar(s) = $0 { s.text } else { nil } }
            default: diags.append(.wrongKind("'band_not' must be a band or a list of bands", at: b.location))
            }
        }
        if let r = m.node("risk") { x.risk = range(r, diags: &diags) }
        if let r = m.integer("rank", in: 1...1_000_000) { x.rank = r.0 }
        if let r = m.integer("rank_at_most", in: 1...1_000_000) { x.rankAtMost = r.0 }
        if let c = m.number("coverage_at_least") {
            if (0...1).contains(c.0) {
                x.coverageAtLeast = c.0
            } else {
                diags.append(.invalidValue("coverage_at_least is a share from 0 to 1", at: c.1.location))
            }
        }
        x.criterion = m.string("criterion")
        if let s = m.scalar("skipped") {
            if let b = Scalars.bool(s) {
                x.skipped = b
            } else {
                diags.append(.invalidValue("'skipped' must be true or false", at: s.location))
            }
            if x.criterion == nil {
                diags.append(.missingKey("'skipped' applies to a criterion", at: s.location, hint: "add 'criterion: ID'"))
            }
        }
        if let s = m.scalar("robust_to_assumptions") {
            if let b = Scalars.bool(s) {
                x.robustToAssumptions = b
            } else {
                diags.append(.invalidValue("'robust_to_assumptions' must be true or false", at: s.location))
            }
        }
        diags += m.finish(allowed: Self.expectationKeys)
        guard let subject else {
            diags.append(.missingKey("an expectation needs 'candidate', 'each' or 'order'", at: node.location))
            return nil
        }
        return Expectation(subject: subject, expect: x, location: node.location)
    }

    func range(_ n: YAML, diags: inout [Diagnostic]) -> NumberRange? {
        if case let .scalar(s) = n, let v = Scalars.number(s) { return NumberRange(min: v, max: v) }
        guard var m = MappingReader(n, what: "a range", diags: &diags) else { return nil }
        let r = NumberRange(min: m.number("min")?.0, max: m.number("max")?.0)
        diags += m.finish(allowed: ["min", "max"])
        if r.min == nil && r.max == nil {
            diags.append(
                .invalidValue(
                    "a risk range needs 'min', 'max' or both", at: n.location,
                    hint: "write risk: 40, or risk: {min: 25, max: 50}; for a skipped criterion, skipped: true"))
            return nil
        }
        if let a = r.min, let b = r.max, a > b {
            diags.append(
                .invalidRange("the range is empty: min \(Format.number(a)) is above max \(Format.number(b))", at: n.location))
        }
        return r
    }
}
