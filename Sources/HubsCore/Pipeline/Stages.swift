/// A policy as the load stage made it: the model, and the tree it was read from (a policy
/// override changes the tree, which is then loaded again).
public struct LoadedPolicy: Sendable {
    public let document: YAMLDocument
    public let policy: Policy
}

/// An assessment ready to evaluate: a compiled policy and a scenario bound to it. Every command
/// and analysis starts from one; evaluating it twice gives the same results.
public struct PreparedAssessment: Sendable {
    public let policy: CompiledPolicy
    public let table: FactTable
    /// The files it was read from, with their hashes (for provenance in every output).
    public let inputs: [InputFile]

    public var scenario: Scenario { table.scenario }
    /// The policy's warnings and the scenario's, as found by check and bind.
    public var warnings: [Diagnostic] { policy.warnings + table.warnings }

    /// The evaluate stage: scores and ranks every candidate; `detail` as in `Assessor.assess`.
    public func evaluate(detail: AssessmentDetail = .full) -> Result<Assessment, DiagnosticsError> {
        Assessor.assess(table, policy: policy, inputs: inputs, detail: detail)
    }
}

/// The stages that prepare an assessment, in order, each a function of the values the earlier
/// ones made:
///
///     load → overrides → check → compile → bind → (evaluate)
///
/// `Pipeline` composes them; nothing else in the library calls a loader.
public enum Stages {
    // MARK: load

    /// Reads and loads a policy file (through `files`, so from disk, memory or git).
    public static func loadPolicy(at path: String, files: any FileSource, limits: InputLimits) -> Result<
        LoadedPolicy, DiagnosticsError
    > {
        YAMLDocument.read(path, from: files, limits: limits).flatMap { d in
            PolicyLoader(limits: limits, files: files).load(d.root, file: d.file).map { LoadedPolicy(document: d, policy: $0) }
        }
    }

    /// Reads and loads a scenario file with its `extends` chain.
    public static func loadScenario(at path: String, files: any FileSource, limits: InputLimits) -> Result<
        Scenario, DiagnosticsError
    > {
        ScenarioLoader(limits: limits, files: files).load(path: path)
    }

    /// Loads a scenario written inside another file (a policy-test case), its `extends` resolved
    /// next to `path`.
    public static func loadScenario(root: YAML, file: SourceFile, path: String, files: any FileSource, limits: InputLimits)
        -> Result<Scenario, DiagnosticsError>
    {
        ScenarioLoader(limits: limits, files: files).load(root: root, file: file, path: path)
    }

    /// Reads a file far enough to tell a policy from a scenario, and loads it as what it is.
    public static func loadEither(at path: String, files: any FileSource, limits: InputLimits) -> Result<
        LoadedFile, DiagnosticsError
    > {
        YAMLDocument.read(path, from: files, limits: limits).flatMap { d in
            Pipeline.kind(of: d.root).map { kind in
                switch kind {
                case .policy:
                    .policy(
                        PolicyLoader(limits: limits, files: files).load(d.root, file: d.file).map { LoadedPolicy(document: d, policy: $0) })
                case .scenario:
                    .scenario(ScenarioLoader(limits: limits, files: files).load(root: d.root, file: d.file, path: path))
                }
            }
        }
    }

    /// A file of either kind, loaded as what it is (`hubs check`).
    public enum LoadedFile: Sendable {
        case policy(Result<LoadedPolicy, DiagnosticsError>)
        case scenario(Result<Scenario, DiagnosticsError>)
    }

    /// Reads and loads a policy-test file.
    public static func loadTests(at path: String, files: any FileSource, limits: InputLimits) -> Result<
        PolicyTestFile, DiagnosticsError
    > {
        TestLoader(limits: limits, files: files).load(path: path)
    }

    // MARK: overrides

    /// Applies `--weight`, `--policy-set` and `--min-coverage` to a loaded policy. A changed value
    /// is written into the policy's tree, which is loaded again, so the loader and checker judge
    /// it exactly as they judge a file's; each change is recorded in `Policy.overrides`.
    public static func applyOverrides(_ overrides: Overrides, to loaded: LoadedPolicy, files: any FileSource, limits: InputLimits)
        -> Result<Policy, DiagnosticsError>
    {
        let changed: Result<Policy, DiagnosticsError> =
            overrides.policyItems.isEmpty
            ? .success(loaded.policy)
            : overrides.applyToPolicy(loaded.document.root).flatMap { tree, applied in
                PolicyLoader(limits: limits, files: files).load(tree, file: loaded.document.file).map { policy in
                    var policy = policy
                    policy.overrides = applied
                    return policy
                }
            }
        return changed.map { policy in
            guard let m = overrides.minCoverage else { return policy }
            var policy = policy
            policy.minCoverage = m
            return policy
        }
    }

    /// Applies `--set` to a loaded scenario (its `extends` chain already applied); each change
    /// is recorded in `Scenario.overrides`.
    public static func applyOverrides(_ overrides: Overrides, to scenario: Scenario) -> Result<Scenario, DiagnosticsError> {
        overrides.applyToScenario(scenario)
    }

    // MARK: check

    /// Checks a policy on its own: expressions typed, names resolved, every error collected.
    public static func check(_ policy: Policy, limits: InputLimits) -> Result<CheckedPolicy, DiagnosticsError> {
        PolicyChecker(limits: limits).check(policy)
    }

    /// Checks a scenario's values against the facts of a policy that passed its own check
    /// (`ScenarioChecker`).
    public static func check(_ scenario: Scenario, against policy: Policy, declaredElsewhere: Set<String> = [])
        -> Result<CheckedScenario, DiagnosticsError>
    {
        ScenarioChecker.check(scenario, against: policy, declaredElsewhere: declaredElsewhere)
    }

    // MARK: compile

    /// Lowers a checked policy into its immutable evaluator.
    public static func compile(_ policy: CheckedPolicy) -> CompiledPolicy { PolicyCompiler.compile(policy) }

    // MARK: bind

    /// Binds a checked scenario to the compiled policy it was checked against.
    public static func bind(_ scenario: CheckedScenario, to policy: CompiledPolicy) -> PreparedAssessment {
        let table = Binder.bind(scenario, to: policy)
        let inputs =
            [InputFile(role: .policy, file: policy.policy.file)]
            + scenario.scenario.files.map { InputFile(role: .scenario, file: $0) }
        return PreparedAssessment(policy: policy, table: table, inputs: inputs)
    }
}
