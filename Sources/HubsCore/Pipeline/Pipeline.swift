/// The stages run in order: load → check → compile → bind → evaluate. These entry points are
/// what the CLI (and tests) call; each stage is also usable alone.
public enum Pipeline {
    /// What a hubs file is, by its first key.
    public enum FileKind: String, Sendable { case policy, scenario }

    /// Load, check and compile a policy file, with any `--weight` and `--policy-set` applied.
    public static func policy(
        at path: String, limits: InputLimits = .standard,
        files: any FileSource = DiskFiles(), overrides: Overrides = .none
    ) -> Result<CompiledPolicy, DiagnosticsError> {
        let loader = PolicyLoader(limits: limits, files: files)
        let loaded =
            overrides.policyItems.isEmpty
            ? loader.load(path: path)
            : YAMLDocument.read(path, from: files, limits: limits).flatMap { document in
                overrides.applyToPolicy(document.root).flatMap { tree, applied in
                    loader.load(tree, file: document.file).map { policy in
                        var policy = policy
                        policy.overrides = applied
                        return policy
                    }
                }
            }
        return loaded.flatMap { PolicyCompiler.compile($0, limits: limits) }
    }

    /// Load a scenario file with its `extends` chain, with any `--set` applied.
    public static func scenario(
        at path: String, limits: InputLimits = .standard,
        files: any FileSource = DiskFiles(), overrides: Overrides = .none
    ) -> Result<Scenario, DiagnosticsError> {
        ScenarioLoader(limits: limits, files: files).load(path: path).flatMap { overrides.applyToScenario($0) }
    }

    /// Score a scenario under a policy, with explanations. Errors in either file, or in the
    /// scenario's values against the policy's schema, stop before any scoring.
    /// `minCoverage` (0–1), when given, overrides the policy's `min_coverage`; `detail` as in
    /// `Assessor.assess`.
    public static func assess(
        policyPath: String, scenarioPath: String, limits: InputLimits = .standard,
        files: any FileSource = DiskFiles(), minCoverage: Double? = nil, overrides: Overrides = .none,
        detail: AssessmentDetail = .full
    ) -> Result<Assessment, DiagnosticsError> {
        let p = policy(at: policyPath, limits: limits, files: files, overrides: overrides).map { compiled in
            var compiled = compiled
            compiled.minCoverageOverride = minCoverage ?? compiled.minCoverageOverride
            return compiled
        }
        let s = scenario(at: scenarioPath, limits: limits, files: files, overrides: overrides)
        switch (p, s) {
        case let (.failure(a), .failure(b)): return .failure(DiagnosticsError(a.diagnostics + b.diagnostics))
        case let (.failure(a), _), let (_, .failure(a)): return .failure(a)
        case let (.success(policy), .success(scenario)):
            return assess(policy: policy, scenario: scenario, detail: detail)
        }
    }

    /// Binds and scores an already compiled policy and loaded scenario; `declaredElsewhere` as in
    /// `Binder.bind`, `detail` as in `Assessor.assess`.
    public static func assess(
        policy: CompiledPolicy, scenario: Scenario,
        declaredElsewhere: Set<String> = [], detail: AssessmentDetail = .full
    ) -> Result<Assessment, DiagnosticsError> {
        Binder.bind(scenario, to: policy, declaredElsewhere: declaredElsewhere).flatMap { table in
            let inputs =
                [InputFile(role: .policy, file: policy.policy.file)]
                + scenario.files.map { InputFile(role: .scenario, file: $0) }
            return Assessor.assess(table, policy: policy, inputs: inputs, detail: detail)
        }
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
                    .error(
                        .wrongKind, "expected a policy or a scenario (a mapping), found \(root.kindName)",
                        at: root.location)
                ]))
        }
        if pairs.contains(where: { $0.key.text == "policy" }) { return .success(.policy) }
        if pairs.contains(where: { $0.key.text == "scenario" }) { return .success(.scenario) }
        return .failure(
            DiagnosticsError([
                .error(
                    .missingKey, "not a hubs file: it has neither 'policy:' nor 'scenario:'", at: loc,
                    hint: "a policy starts with 'policy: ID', a scenario with 'scenario: ID'")
            ]))
    }
}
