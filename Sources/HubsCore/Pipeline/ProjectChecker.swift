/// `hubs check`: every file alone, then every policy against every scenario.
public enum ProjectChecker {
    /// A file checked, and what kind it turned out to be (nil when it could not be read as either).
    public struct CheckedFile: Sendable {
        public var path: String
        public var kind: Pipeline.FileKind?
    }

    /// What `hubs check` found.
    public struct Report: Sendable {
        public var files: [CheckedFile]
        public var diagnostics: [Diagnostic]
        /// The policies that compiled, in the order given (for `--tree`).
        public var policies: [CompiledPolicy] = []
        /// The default policy checked with scenarios given without a policy, if it was.
        public var addedPolicy: String?
        /// Each policy scored on each scenario, where that worked (for the analyses `hubs check`
        /// adds: criteria that count twice, `--coherence`).
        public var assessments: [Assessment] = []
    }

    /// Findings from several policy/scenario pairs, each finding once: the first of those that
    /// share a `key`, saying under how many other pairs it holds too.
    public static func folded(_ perPair: [[Diagnostic]], key: (Diagnostic) -> String) -> [Diagnostic] {
        var first: [(key: String, finding: Diagnostic)] = []
        var count: [String: Int] = [:]
        for d in perPair.joined() {
            let k = key(d)
            if count[k] == nil { first.append((k, d)) }
            count[k, default: 0] += 1
        }
        return first.map { k, d in
            var d = d
            if let n = count[k], n > 1 { d.message += " (also under \(n - 1) other policy/scenario pair\(n == 2 ? "" : "s"))" }
            return d
        }
    }

    /// Checks every file alone, then every policy against every scenario, reading through `files`.
    /// When the files hold scenarios but no policy, `defaultPolicy` (the project's) is checked
    /// with them, as `score` would use it, and named in the report.
    public static func check(
        _ paths: [String], limits: InputLimits = .standard, files source: DiskFiles = DiskFiles(), defaultPolicy: String? = nil
    ) -> Report {
        var diags: [Diagnostic] = []
        var files: [CheckedFile] = []
        var policies: [CompiledPolicy] = []
        var scenarios: [Scenario] = []
        func checkFile(_ path: String) {
            // Each file is read and parsed once: its kind comes from the same tree it is loaded from.
            switch Stages.loadEither(at: path, files: source, limits: limits) {
            case let .failure(e):
                diags += e.diagnostics
                files.append(CheckedFile(path: path, kind: nil))
            case let .success(.policy(loaded)):
                files.append(CheckedFile(path: path, kind: .policy))
                switch loaded.flatMap({ Stages.check($0.policy, limits: limits) }).map(Stages.compile) {
                case let .success(p):
                    policies.append(p)
                    diags += p.warnings
                case let .failure(e): diags += e.diagnostics
                }
            case let .success(.scenario(loaded)):
                files.append(CheckedFile(path: path, kind: .scenario))
                switch loaded {
                case let .success(s):
                    scenarios.append(s)
                    diags += s.warnings
                case let .failure(e): diags += e.diagnostics
                }
            }
        }
        for path in paths { checkFile(path) }
        var added: String?
        if let defaultPolicy, files.contains(where: { $0.kind == .scenario }), !files.contains(where: { $0.kind == .policy }) {
            added = defaultPolicy
            checkFile(defaultPolicy)
        }
        // Each policy against each scenario. The same finding at the same place under several pairs
        // (a stale fact, say, under two policies) is reported once, saying how many pairs share it.
        var perPair: [[Diagnostic]] = []
        let everyDeclared = Set(policies.flatMap { $0.facts.map(\.name) })
        var assessments: [Assessment] = []
        for p in policies {
            for s in scenarios {
                let found: [Diagnostic]
                switch Pipeline.assess(policy: p, scenario: s, declaredElsewhere: everyDeclared) {
                case let .success(a):
                    found = a.warnings.filter { w in !p.warnings.contains(w) && !s.warnings.contains(w) }
                    assessments.append(a)
                case let .failure(e): found = e.diagnostics
                }
                perPair.append(found)
            }
        }
        diags += folded(perPair) { "\($0.location?.description ?? ""):\($0.code.rawValue):\($0.severity.rawValue)" }
        var seen = Set<Diagnostic>()
        diags = diags.filter { seen.insert($0).inserted }
        return Report(files: files, diagnostics: diags, policies: policies, addedPolicy: added, assessments: assessments)
    }
}
