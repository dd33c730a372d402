import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// The stages one at a time, each from the value the one before made, and composed by
/// `Pipeline.prepare`: the same assessment either way, overrides applied at one stage, the
/// compiled policy never patched.
@Suite struct PipelineTests {
    static let policy = shipped("policies/uk-return-hubs.yaml")
    static let baseline = shipped("scenarios/baseline.yaml")
    let files = DiskFiles()
    let limits = InputLimits.standard

    @Test func theStagesByHandGiveWhatPrepareGives() throws {
        let loaded = try Stages.loadPolicy(at: Self.policy, files: files, limits: limits).get()
        let policy = try Stages.applyOverrides(.none, to: loaded, files: files, limits: limits).get()
        let checked = try Stages.check(policy, limits: limits).get()
        let compiled = Stages.compile(checked)
        let scenario = try Stages.loadScenario(at: Self.baseline, files: files, limits: limits).get()
        let checkedScenario = try Stages.check(scenario, against: compiled.policy).get()
        #expect(checkedScenario.factCount == compiled.slotCount)
        let byHand = Stages.bind(checkedScenario, to: compiled)
        let composed = try Pipeline.prepare(policyPath: Self.policy, scenarioPath: Self.baseline).get()
        let one = try byHand.evaluate().get()
        let two = try composed.evaluate().get()
        #expect(AssessmentJSON.document(one).serialized() == AssessmentJSON.document(two).serialized())
        #expect(byHand.inputs.map(\.path) == composed.inputs.map(\.path))
        #expect(byHand.inputs.map(\.role) == [.policy, .scenario])
        // Evaluating a prepared assessment again gives the same bytes.
        #expect(AssessmentJSON.document(try composed.evaluate().get()).serialized() == AssessmentJSON.document(two).serialized())
    }

    @Test func minimumCoverageIsAnOverrideOfThePolicyNotAPatchOfTheCompiledOne() throws {
        var overrides = Overrides.none
        overrides.minCoverage = 0.95
        let strict = try Pipeline.prepare(policyPath: Self.policy, scenarioPath: Self.baseline, overrides: overrides).get()
        let plain = try Pipeline.prepare(policyPath: Self.policy, scenarioPath: Self.baseline).get()
        #expect(strict.policy.minimumCoverage == 0.95)
        #expect(strict.policy.policy.minCoverage == 0.95)
        #expect(plain.policy.minimumCoverage != 0.95)
        let a = try strict.evaluate().get()
        let b = try plain.evaluate().get()
        // At 95% some candidate that was ranked is no longer.
        #expect(a.results.filter { $0.status == .ranked }.count < b.results.filter { $0.status == .ranked }.count)
    }

    @Test func aPolicyOverrideIsJudgedAsTheFileWouldBe() throws {
        let overrides = try Overrides.parse(set: [], weight: ["echr=-3"], policySet: []).get()
        let found = diagnostics(Pipeline.prepare(policyPath: Self.policy, scenarioPath: Self.baseline, overrides: overrides))
        #expect(found.contains { $0.location?.isCommandLine == true && $0.severity == .error })
        let fine = try Overrides.parse(set: [], weight: ["echr=30"], policySet: []).get()
        let p = try Pipeline.prepare(policyPath: Self.policy, scenarioPath: Self.baseline, overrides: fine).get()
        #expect(p.policy.policy.overrides.map(\.argument) == ["echr=30"])
    }

    @Test func theScenarioCheckFindsTypeErrorsBeforeAnythingIsBound() throws {
        let dir = TempDir()
        let policy = dir.write(
            "p.yaml",
            policyYAML(
                facts: "  x: {type: number, range: [0, 10]}\n  flag: {type: bool}",
                criteria: "  c:\n    weight: 1\n    rationale: r\n    expr: x * 10\n"
                    + "  d:\n    weight: 1\n    rationale: r\n    map: {fact: flag, risk: {true: 0, false: 100}}"
            ))
        let scenario = dir.write(
            "s.yaml",
            "scenario: s\ntitle: S\ncandidates:\n  a:\n    name: A\n    facts:\n      x: 11\n      flag: maybe\n")
        let compiled = try Pipeline.policy(at: policy).get()
        let loaded = try Pipeline.scenario(at: scenario).get()
        let found = diagnostics(Stages.check(loaded, against: compiled.policy))
        #expect(Set(found.map(\.code)) == [.valueOutOfRange, .typeMismatch])
        #expect(found.allSatisfy { $0.location?.file == scenario })
    }

    @Test func bindTellsBrokenConstraintsAsWarnings() throws {
        let dir = TempDir()
        let policy = dir.write(
            "p.yaml",
            policyYAML(
                facts: "  a: {type: bool}\n  b: {type: bool}",
                criteria: "  c:\n    weight: 1\n    rationale: r\n    map: {fact: a, risk: {true: 0, false: 100}}\n"
                    + "  d:\n    weight: 1\n    rationale: r\n    map: {fact: b, risk: {true: 0, false: 100}}",
                extra: "constraints:\n  together:\n    when: a\n    require: b\n    reason: a implies b"))
        let scenario = dir.write(
            "s.yaml", "scenario: s\ntitle: S\ncandidates:\n  x:\n    name: X\n    facts:\n      a: true\n      b: false\n")
        let compiled = try Pipeline.policy(at: policy).get()
        let checked = try Stages.check(try Pipeline.scenario(at: scenario).get(), against: compiled.policy).get()
        #expect(!checked.warnings.contains { $0.code == .constraintBroken }, "check does not run predicates")
        let prepared = Stages.bind(checked, to: compiled)
        #expect(prepared.table.warnings.contains { $0.code == .constraintBroken })
        #expect(prepared.table.warningsByCandidate["x"]?.contains { $0.code == .constraintBroken } == true)
    }
}
