import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// Every documented limit, tested on both sides of its boundary.
@Suite struct LimitBoundaryTests {
    /// A chain of `depth` criteria, each the only child of the one above, ending in a leaf.
    static func nested(_ depth: Int) -> String {
        var yaml = ""
        for d in 1..<depth {
            let pad = String(repeating: "  ", count: 2 * d - 1)
            yaml += "\(pad)g\(d):\n\(pad)  criteria:\n"
        }
        yaml += String(repeating: "  ", count: 2 * depth - 1) + "leaf: {expr: 'x'}\n"
        return yaml
    }

    @Test(arguments: [(16, true), (17, false)])
    func criteriaDepth(_ depth: Int, _ accepted: Bool) throws {
        let dir = TempDir()
        let p = dir.write("p.yaml", "policy: p\nfacts:\n  x: {type: number}\ncriteria:\n" + Self.nested(depth))
        switch Pipeline.policy(at: p) {
        case .success: #expect(accepted, "depth \(depth) should be refused")
        case let .failure(e):
            #expect(!accepted, "depth \(depth): \(e.diagnostics)")
            #expect(e.diagnostics.contains { $0.code == .nestingTooDeep && $0.message.contains("deeper than 16") })
        }
    }

    @Test(arguments: [(4_096, true), (4_097, false)])
    func expressionLength(_ length: Int, _ accepted: Bool) throws {
        let expr = "x" + String(repeating: " ", count: length - 1)
        let dir = TempDir()
        let p = dir.write("p.yaml", "policy: p\nfacts:\n  x: {type: number}\ncriteria:\n  a: {expr: '\(expr)'}\n")
        switch Pipeline.policy(at: p) {
        case .success: #expect(accepted)
        case let .failure(e):
            #expect(!accepted, "\(e.diagnostics)")
            #expect(e.diagnostics.contains { $0.code == .exprSyntax && $0.message.contains("4096") || $0.message.contains("4,096") })
        }
    }

    @Test(arguments: [200, 201])
    func diagnosticsCap(_ count: Int) {
        var bag = DiagnosticBag()
        for i in 0..<count {
            bag.add(.invalidValue("problem \(i)", at: SourceLocation(file: "f.yaml", line: i + 1, column: 1)))
        }
        let shown = bag.sorted
        if count <= DiagnosticBag.cap {
            #expect(shown.count == count)
        } else {
            #expect(shown.count == DiagnosticBag.cap + 1)
            #expect(shown.last?.code == .tooManyDiagnostics)
            #expect(shown.last?.message.contains("1 more") == true)
        }
    }

    @Test(arguments: [(1 << 20, true), ((1 << 20) + 1, false)])
    func fileSize(_ bytes: Int, _ accepted: Bool) {
        var limits = InputLimits()
        limits.maxFileBytes = 1 << 20
        let dir = TempDir()
        let head = "scenario: s\ncandidates: {a: {name: A, facts: {}}}\n#"
        let p = dir.write("s.yaml", head + String(repeating: "x", count: bytes - head.utf8.count - 1) + "\n")
        switch SourceFile.read(path: p, limits: limits) {
        case .success: #expect(accepted)
        case let .failure(e):
            #expect(!accepted)
            #expect(e.diagnostics.first?.code == .fileTooLarge)
        }
    }
}
