import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// The compile stage: dense slots, a deterministic program, and folded cases that agree with the
/// traced ones bit for bit.
@Suite struct CompileTests {
    /// Every declared fact gets one slot of its own, numbered densely from 0; a name the policy
    /// does not declare has none, and the evaluator reads slots only (no names while scoring).
    @Test func everyDeclaredFactHasOneDenseSlot() throws {
        let p = try Pipeline.policy(at: shipped("policies/uk-return-hubs.yaml")).get()
        #expect(p.slotCount == p.policy.facts.count)
        let slots = p.policy.facts.map { p.slot(of: $0.name) }
        #expect(!slots.contains(nil))
        #expect(Set(slots.compactMap { $0 }) == Set(0..<p.slotCount))
        #expect(p.slot(of: "no_such_fact") == nil)
        for c in p.criteria where c.isLeaf { #expect(c.slots.allSatisfy { (0..<p.slotCount).contains($0) }, "\(c.id)") }
    }

    /// Compiling is a function of the checked policy: the same text gives the same program,
    /// instruction for instruction, and the same leaf and group layout.
    @Test func compilingTwiceGivesTheSameProgram() throws {
        let a = try Pipeline.policy(at: shipped("policies/uk-return-hubs.yaml")).get()
        let b = try Pipeline.policy(at: shipped("policies/uk-return-hubs.yaml")).get()
        #expect(a.instructionCount == b.instructionCount && a.instructionCount > 0)
        #expect(a.fastCode.map { "\($0.op) \($0.dst) \($0.a)" } == b.fastCode.map { "\($0.op) \($0.dst) \($0.a)" })
        #expect(a.traceCode.count == b.traceCode.count)
        #expect(a.leafCount == b.leafCount && a.groupIDs == b.groupIDs && a.nominalWeights == b.nominalWeights)
    }

    /// Effective nominal shares of the leaves add up to the whole weight, and every leaf's
    /// criterion is a leaf.
    @Test func leafSharesAddUpToOne() throws {
        let p = try Pipeline.policy(at: shipped("policies/uk-return-hubs.yaml")).get()
        #expect(p.leafNominalShare.count == p.leafCount)
        #expect(abs(p.leafNominalShare.reduce(0, +) - 1) < 1e-12)
        #expect(p.leafCriterion.allSatisfy { p.criteria[$0].isLeaf })
    }

    /// A policy that does not check does not compile: the compiler is handed checked policies
    /// only, and the error is located.
    @Test func aPolicyThatFailsTheCheckDoesNotCompile() throws {
        let dir = TempDir()
        let path = dir.write(
            "p.yaml", policyYAML(facts: "  x: {type: bool}", criteria: "  a: {weight: 1, expr: 'x + 1'}"))
        let found = diagnostics(withExtendedLifetime(dir) { Pipeline.policy(at: path) })
        #expect(found.contains { $0.code == .typeMismatch && $0.location?.line == 9 && $0.location?.column == 25 }, "\(found)")
    }

    /// The plain program folds `cases` whose conditions cannot fault without jumps, a comparison
    /// and its fold in one instruction; the traced program keeps one jumping test per case. The
    /// two must agree leaf for leaf, bit for bit, on every comparison, in both operand orders,
    /// on equal values, signed zeros, infinities and unknowns; a condition that can fault keeps
    /// its jumps in both.
    @Test func foldedCasesMatchTheTracedCases() throws {
        let p = try compile(
            policyYAML(
                facts: """
                      a: {type: number}
                      b: {type: number}
                      flag: {type: bool}
                      stance: {type: enum, values: [refused, open, agreed]}
                    """,
                criteria: """
                      g:
                        weight: 1
                        criteria:
                          lt: {cases: [{when: 'a < 5', risk: 90, label: r90}, {when: '5 < b', risk: 40, label: r40}], else: {risk: 7, label: r7}, missing: skip}
                          le: {cases: [{when: 'a <= b', risk: 80, label: r80}, {when: 'b <= -0.0', risk: 30, label: r30}], else: {risk: 2, label: r2}, missing: skip}
                          gt: {cases: [{when: 'a > b', risk: 70, label: r70}, {when: 'b > 5', risk: 20, label: r20}], else: {risk: 9, label: r9}, missing: skip}
                          ge: {cases: [{when: 'a >= 0', risk: 60, label: r60}, {when: '1 >= b', risk: 10, label: r10}], else: {risk: 4, label: r4}, missing: skip}
                          eq: {cases: [{when: 'stance == "agreed"', risk: 0, label: r0}, {when: 'a == b', risk: 50, label: r50}], else: {risk: 100, label: r100}, missing: skip}
                          ne: {cases: [{when: 'stance != "refused"', risk: 25, label: r25}, {when: 'a != 0', risk: 75, label: r75}], else: {risk: 1, label: r1}, missing: skip}
                          other: {cases: [{when: 'flag', risk: 15, label: r15}, {when: 'a + b < 3 and not flag', risk: 35, label: r35}], else: {risk: 55, label: r55}, missing: skip}
                          guarded: {cases: [{when: 'b != 0 and a / b > 1', risk: 65, label: r65}], else: {risk: 5, label: r5}, missing: skip}
                    """))
        let histogram = Dictionary(uniqueKeysWithValues: p.instructionHistogram)
        for op in ["foldLess", "foldLessEqual", "foldEqual", "foldNotEqual", "caseFold", "caseSelect"] {
            #expect(histogram[op] != nil, "the plain program has no \(op)")
        }
        #expect(!p.traceCode.contains { [.foldLess, .foldLessEqual, .foldEqual, .foldNotEqual, .caseFold].contains($0.op) })
        let numbers: [Double] = [-1, -0.0, 0, 1, 5, 7, .infinity, .nan]
        let ev = Evaluator(p)
        var rows = 0
        for a in numbers {
            for b in numbers {
                for flag in [0.0, 1, .nan] {
                    for stance in [0.0, 1, 2, .nan] {
                        var row = [Double](repeating: .nan, count: p.slotCount)
                        for (name, v) in [("a", a), ("b", b), ("flag", flag), ("stance", stance)] { row[p.slot(of: name)!] = v }
                        let fast = ev.score(row)
                        let fastLeaves = (0..<p.leafCount).map { ev.leafRaw($0).bitPattern }
                        let traced = row.withUnsafeBufferPointer { ev.trace($0.baseAddress!).0 }
                        let tracedLeaves = (0..<p.leafCount).map { ev.leafRaw($0).bitPattern }
                        #expect(fastLeaves == tracedLeaves, "a \(a), b \(b), flag \(flag), stance \(stance)")
                        #expect(fast.risk.bitPattern == traced.risk.bitPattern && fast.coverage == traced.coverage)
                        #expect(fast.faults == traced.faults)
                        rows += 1
                    }
                }
            }
        }
        #expect(rows == 768)
    }
}
