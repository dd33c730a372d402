/// The stages composed (`Stages`: load → overrides → check → compile → bind → evaluate). These
/// are what the commands, the analyses and tests call; nothing else calls a loader.
public enum Pipeline {
    /// What a hubs file is, by its first key.
    public enum FileKind: String, Sendable { case policy, scenario }

    /// A policy file loaded, with the overrides applied, checked and compiled.
    public static func policy(
        at path: String, limits: InputLimits = .standard,
        files: any FileSource = DiskFiles(), overrides: Overrides = .none
    ) -> Result<CompiledPolicy, DiagnosticsError> {
        Stages.loadPolicy(at: path, files: files, limits: limits)
            .flatMap { Stages.applyOverrides(overrides, to: $0, files: files, limits: limits) }
            .flatMap { Stages.check($0, limits: limits) }
            .map(Stages.compile)
    }

    /// A scenario file loaded with its `extends` chain, with any `--set` applied.
    public static func scenario(
        at path: String, limits: InputLimits = .standard,
        files: any FileSource = DiskFiles(), overrides: Overrides = .none
    ) -> Result<Scenario, DiagnosticsError> {
        Stages.loadScenario(at: path, files: files, limits: limits).flatMap { Stages.applyOverrides(overrides, to: $0) }
    }

    /// A policy file and a scenario file prepared for evaluation. Errors in either file are all
    /// reported together; the scenario is checked against the policy once both hold up.
    public static func prepare(
        policyPath: String, scenarioPath: String, limits: InputLimits = .standard,
        files: any FileSource = DiskFiles(), overrides: Overrides = .none
    ) -> Result<PreparedAssessment, DiagnosticsError> {
        let p = policy(at: policyPath, limits: limits, files: files, overrides: overrides)
        let s = scenario(at: scenarioPath, limits: limits, files: files, overrides: overrides)
        switch (p, s) {
        case let (.failure(a), .failure(b)): return .failure(DiagnosticsError(a.diagnostics + b.diagnostics))
        case let (.failure(a), _), let (_, .failure(a)): return .failure(a)
        case let (.success(policy), .success(scenario)): return prepare(policy: policy, scenario: scenario)
        }
    }

    /// A compiled policy and a loaded scenario prepared for evaluation: the scenario checked
    /// against the policy (`declaredElsewhere` as in `ScenarioChecker.check`), then bound.
    public static func prepare(policy: CompiledPolicy, scenario: Scenario, declaredElsewhere: Set<String> = []) -> Result<
        PreparedAssessment, DiagnosticsError
    > {
        Stages.check(scenario, against: policy.policy, declaredElsewhere: declaredElsewhere).map { Stages.bind($0, to: policy) }
    }

    /// Prepared and evaluated: scores with explanations (`detail` as in `Assessor.assess`).
    public static func assess(
        policyPath: String, scenarioPath: String, limits: InputLimits = .standard,
        files: any FileSource = DiskFiles(), overrides: Overrides = .none, detail: AssessmentDetail = .full
    ) -> Result<Assessment, DiagnosticsError> {
        prepare(policyPath: policyPath, scenarioPath: scenarioPath, limits: limits, files: files, overrides: overrides)
            .flatMap { $0.evaluate(detail: detail) }
    }

    /// A compiled policy and a loaded scenario prepared and evaluated.
    public static func assess(
        policy: CompiledPolicy, scenario: Scenario, declaredElsewhere: Set<String> = [], detail: AssessmentDetail = .full
    ) -> Result<Assessment, DiagnosticsError> {
        prepare(policy: policy, scenario: scenario, declaredElsewhere: declaredElsewhere).flatMap { $0.evaluate(detail: detail) }
    }

    /// Whether a file is a policy or a scenario, by its first key; an error if it is neither.
    public static func kind(
        of path: String, limits: InputLimits = .standard,
        files: any FileSource = DiskFiles()
    ) -> Result<FileKind, DiagnosticsError> {
        YAMLDocument.read(path, from: files, limits: limits).flatMap { kind(of: $0.root) }
    }

    /// Whether a document is a policy or a scenario, by its keys.
    public static func kind(of root: YAML) -> Result<FileKind, DiagnosticsError> {
        guard case let .mapping(pairs, loc) = root else {
            return .failure(
                DiagnosticsError([
                    .wrongKind(
                        "expected a policy or a scenario (a mapping), found \(root.kindName)",
                        at: root.location)
                ]))
        }
        if pairs.contains(where: { $0.key.text == "policy" }) { return .success(.policy) }
        if pairs.contains(where: { $0.key.text == "scenario" }) { return .success(.scenario) }
        return .failure(
            DiagnosticsError([
                .missingKey(
                    "not a hubs file: it has neither 'policy:' nor 'scenario:'", at: loc,
                    hint: "a policy starts with 'policy: ID', a scenario with 'scenario: ID'")
            ]))
    }
}
