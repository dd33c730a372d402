import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// An assessment prepared from documents in memory (an editor's unsaved buffers) is the one
/// prepared from the files; after one document changes, preparing again parses that one alone.
@Suite struct WorkspaceTests {
    static let policy = shipped("policies/uk-return-hubs.yaml")
    static let baseline = shipped("scenarios/baseline.yaml")
    static let kosovo = shipped("scenarios/kosovo-joins-coe.yaml")

    static func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    static func json(_ a: Assessment) -> String { AssessmentJSON.document(a).serialized() }

    /// Every shipped document in memory, nothing from disk.
    static func workspace() throws -> Workspace {
        Workspace(try [policy, baseline, kosovo].map { SourceFile(path: $0, text: try text($0)) }, over: nil)
    }

    @Test func fromBuffersTheShippedAssessmentIsTheOneFromFiles() throws {
        let w = try Self.workspace()
        for scenario in [Self.baseline, Self.kosovo] {
            let fromFiles = try Pipeline.assess(policyPath: Self.policy, scenarioPath: scenario).get()
            let fromMemory = try Pipeline.assess(policyPath: Self.policy, scenarioPath: scenario, files: w).get()
            #expect(Self.json(fromMemory) == Self.json(fromFiles), "\(scenario)")
            #expect(ScoreRenderer.table(fromMemory) == ScoreRenderer.table(fromFiles))
        }
    }

    @Test func anEditedBufferIsPreparedAgainLikeTheEditedFile() throws {
        let w = try Self.workspace()
        _ = try Pipeline.assess(policyPath: Self.policy, scenarioPath: Self.kosovo, files: w).get()
        let parsed = w.parses
        #expect(parsed == 3, "the policy, the scenario and its parent")
        // The same documents again: nothing is parsed.
        _ = try Pipeline.assess(policyPath: Self.policy, scenarioPath: Self.kosovo, files: w).get()
        #expect(w.parses == parsed)
        // Kosovo in the baseline joins the Council of Europe: the baseline alone is parsed again,
        // and the what-if that extends it sees the edit.
        let edited = try Self.text(Self.baseline).replacingOccurrences(
            of: "coe_member: {value: false, source: S29", with: "coe_member: {value: true, source: S29")
        #expect(edited != (try Self.text(Self.baseline)))
        w.set(Self.baseline, text: edited)
        let fromMemory = try Pipeline.assess(policyPath: Self.policy, scenarioPath: Self.baseline, files: w).get()
        #expect(w.parses == parsed + 1)
        #expect(w.keptTrees == 3)
        // The same edit made to a copy on disk gives the same result (its path aside).
        let dir = TempDir(prefix: "hubs-workspace")
        let copy = dir.write("scenarios/baseline.yaml", edited)
        let fromFile = try Pipeline.assess(policyPath: Self.policy, scenarioPath: copy).get()
        #expect(ScoreRenderer.table(fromMemory) == ScoreRenderer.table(fromFile))
        #expect(fromMemory.results.map(\.risk) == fromFile.results.map(\.risk))
        let before = try Pipeline.assess(policyPath: Self.policy, scenarioPath: Self.baseline).get()
        #expect(fromMemory.results.first { $0.id == "kosovo" }?.risk != before.results.first { $0.id == "kosovo" }?.risk)
    }

    /// Workspaces laid over one shared workspace (a server's requests, each with its buffers)
    /// leave the shared files' trees to the shared one: each is parsed once between them, and a
    /// request's buffer never reaches another request.
    @Test func overlaysShareTheTreesOfTheFilesBelow() throws {
        let shared = try Self.workspace()
        let edited = try Self.text(Self.kosovo).replacingOccurrences(of: "title:", with: "# edited\ntitle:")
        for _ in 0..<3 {
            let overlay = Workspace([SourceFile(path: Self.kosovo, text: edited)], over: shared)
            _ = try Pipeline.assess(policyPath: Self.policy, scenarioPath: Self.kosovo, files: overlay).get()
            #expect(overlay.parses == 1, "the buffer, parsed in the overlay")
        }
        #expect(shared.parses == 2, "the policy and the parent scenario, once for all three overlays")
        #expect(try shared.read(Self.kosovo, limits: .standard).get().text == Self.text(Self.kosovo))
    }

    @Test func anUnsavedPolicyChangesTheScenariosDiagnostics() throws {
        let w = try Self.workspace()
        let broken = try Self.text(Self.policy).replacingOccurrences(of: "echr_party", with: "echr_prty")
        w.set(Self.policy, text: broken)
        let r = Pipeline.assess(policyPath: Self.policy, scenarioPath: Self.baseline, files: w)
        guard case let .failure(e) = r else {
            Issue.record("a policy with a misspelt fact must not prepare")
            return
        }
        // The policy now declares `echr_prty`: the scenario's `echr_party` is the error, found
        // in the scenario on disk's twin in memory, though neither file on disk changed.
        #expect(
            e.diagnostics.contains { $0.location?.file == Self.baseline && $0.message.contains("echr_party") },
            "\(e.diagnostics.map { "\($0.location?.description ?? "") \($0.message)" })")
        w.remove(Self.policy)
        #expect(w.read(Self.policy, limits: .standard).isFailure, "removed, with no disk behind it")
    }

}

extension Result {
    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}
