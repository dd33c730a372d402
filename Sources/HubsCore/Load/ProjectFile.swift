/// `hubs.yaml` at a project's root: the policy and scenario every command uses when none is
/// named, so that in a project `hubs score` needs no options. Paths are relative to the file.
///
/// ```yaml
/// policy: policies/uk-return-hubs.yaml
/// scenario: scenarios/baseline.yaml
/// ```
public struct ProjectFile: Sendable {
    /// The file's name, looked for in the current folder.
    public static let name = "hubs.yaml"
    /// The keys it may hold.
    static let keys = ["policy", "scenario", "title"]

    /// The default policy, relative to the project's root.
    public var policy: String?
    /// The default scenario, relative to the project's root.
    public var scenario: String?
    /// What the project is (for people reading the file).
    public var title: String?

    /// Reads `hubs.yaml` at `path`; an unknown key, a value that is not a path or a path that
    /// leaves the project is a located error.
    public static func load(path: String, files: any FileSource, limits: InputLimits = .standard) -> Result<ProjectFile, DiagnosticsError> {
        YAMLDocument.read(path, from: files, limits: limits).flatMap { doc in
            var diags: [Diagnostic] = []
            guard var m = MappingReader(doc.root, what: "a project file", diags: &diags) else {
                return .failure(DiagnosticsError(diags))
            }
            var project = ProjectFile()
            for key in ["policy", "scenario"] {
                guard let s = m.scalar(key) else { continue }
                // The same rule as for files named inside files (`extends`): relative, and inside
                // the project, symbolic links followed.
                let resolved = SafeWriter.folder(of: path) + "/" + s.text
                if let why = s.text.isEmpty
                    ? "an empty path" : ProjectBoundary.problem(naming: s.text, resolved: resolved, from: path, files: files)
                {
                    diags.append(
                        .invalidValue(
                            "'\(key)' must name a file inside the project, relative to \(name): \(why)", at: s.location,
                            hint: "for example \(key == "policy" ? "policies/policy.yaml" : "scenarios/baseline.yaml")"))
                    continue
                }
                if key == "policy" { project.policy = s.text } else { project.scenario = s.text }
            }
            project.title = m.string("title")
            diags += m.finish(allowed: keys)
            return diags.contains { $0.severity == .error } ? .failure(DiagnosticsError(diags)) : .success(project)
        }
    }
}
