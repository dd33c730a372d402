import Foundation
import Testing
@testable import HubsCore

/// A temporary folder for one test's files, removed when the value is dropped.
final class TempDir {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("hubs-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let path = url.appendingPathComponent(name).path
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let path = url.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// Text with position markers (1️⃣, 2️⃣, ...) removed, remembering where each stood as
/// 1-based line and column, so tests never count columns by hand.
struct Marked {
    static let markers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣"]
    var text: String
    var positions: [String: (line: Int, column: Int)] = [:]

    init(_ source: String) {
        var out = ""
        var line = 1, column = 1
        var rest = Substring(source)
        outer: while let ch = rest.first {
            for m in Self.markers where rest.hasPrefix(m) {
                positions[m] = (line, column)
                rest = rest.dropFirst(m.count)
                continue outer
            }
            out.append(ch)
            if ch == "\n" { line += 1; column = 1 } else { column += ch.unicodeScalars.count }
            rest = rest.dropFirst()
        }
        text = out
    }

    subscript(_ marker: String) -> (line: Int, column: Int) { positions[marker]! }
}

/// The repository root (for the shipped policies and scenarios).
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    fatalError("no Package.swift above \(#filePath)")
}()

func shipped(_ relative: String) -> String { repositoryRoot + "/" + relative }

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
