import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// The repository root (for the shipped policies and scenarios).
let repositoryRoot = Repository.root

func shipped(_ relative: String) -> String { Repository.path(relative) }

/// Errors of a failed result, or an empty list (and a test failure) on success.
func diagnostics<T>(_ r: Result<T, DiagnosticsError>, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Diagnostic] {
    switch r {
    case .success:
        Issue.record("expected diagnostics, got success", sourceLocation: sourceLocation)
        return []
    case let .failure(e): return e.diagnostics
    }
}

/// A minimal valid policy around the given criteria and facts (YAML fragments, indented already).
func policyYAML(facts: String, criteria: String, gates: String = "", extra: String = "") -> String {
    """
    policy: test
    title: Test policy
    version: "1"
    \(extra)
    facts:
    \(facts)
    \(gates.isEmpty ? "" : "gates:\n" + gates)
    criteria:
    \(criteria)
    """
}

/// Compile a policy from YAML text, failing the test on errors.
func compile(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> CompiledPolicy {
    let dir = TempDir()
    let path = dir.write("policy.yaml", yaml)
    switch withExtendedLifetime(dir, { Pipeline.policy(at: path) }) {
    case let .success(p): return p
    case let .failure(e):
        Issue.record("policy did not compile: \(e)", sourceLocation: sourceLocation)
        throw e
    }
}

/// Assess a policy and a scenario given as YAML text.
func assess(policy: String, scenario: String) -> Result<Assessment, DiagnosticsError> {
    let dir = TempDir()
    let p = dir.write("policy.yaml", policy)
    let s = dir.write("scenario.yaml", scenario)
    return withExtendedLifetime(dir) { Pipeline.assess(policyPath: p, scenarioPath: s) }
}
