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
        var pairFindings: [Diagnostic] = []
        var shared: [String: Int] = [:]
        func key(_ d: Diagnostic) -> String { "\(d.location?.description ?? ""):\(d.code.rawValue):\(d.severity.rawValue)" }
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
                for d in found {
                    let k = key(d)
                    if let n = shared[k] {
                        shared[k] = n + 1
                    } else {
                        shared[k] = 1
                        pairFindings.append(d)
                    }
                }
            }
        }
        for d in pairFindings {
            var d = d
            if let n = shared[key(d)], n > 1 { d.message += " (also under \(n - 1) other policy/scenario pair\(n == 2 ? "" : "s"))" }
            diags.append(d)
        }
        var seen = Set<Diagnostic>()
        diags = diags.filter { seen.insert($0).inserted }
        return Report(files: files, diagnostics: diags, policies: policies, addedPolicy: added, assessments: assessments)
    }
}
