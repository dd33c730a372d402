/// `hubs check`: every file alone, then every policy against every scenario.
public enum Checker {
    public struct CheckedFile: Sendable {
        public var path: String
        public var kind: Pipeline.FileKind?
    }

    public struct Report: Sendable {
        public var files: [CheckedFile]
        public var diagnostics: [Diagnostic]
    }

    public static func check(_ paths: [String], limits: InputLimits = .standard) -> Report {
        var diags: [Diagnostic] = []
        var files: [CheckedFile] = []
        var policies: [CompiledPolicy] = []
        var scenarios: [Scenario] = []
        for path in paths {
            switch Pipeline.kind(of: path, limits: limits) {
            case let .failure(e):
                diags += e.diagnostics.map { d in
                    var d = d
                    if d.location == nil { d.message = "\(path): \(d.message)" }
                    return d
                }
                files.append(CheckedFile(path: path, kind: nil))
            case .success(.policy):
                files.append(CheckedFile(path: path, kind: .policy))
                switch Pipeline.policy(at: path, limits: limits) {
                case let .success(p): policies.append(p); diags += p.warnings
                case let .failure(e): diags += e.diagnostics
                }
            case .success(.scenario):
                files.append(CheckedFile(path: path, kind: .scenario))
                switch Pipeline.scenario(at: path, limits: limits) {
                case let .success(s): scenarios.append(s)
                case let .failure(e): diags += e.diagnostics
                }
            }
        }
        for p in policies {
            for s in scenarios {
                switch Pipeline.assess(policy: p, scenario: s) {
                case let .success(a): diags += a.warnings.filter { w in !p.warnings.contains(w) }
                case let .failure(e): diags += e.diagnostics
                }
            }
        }
        var seen = Set<Diagnostic>()
        diags = diags.filter { seen.insert($0).inserted }
        return Report(files: files, diagnostics: diags)
    }
}
