import CHubsKernels
import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// The batch kernels (CHubsKernels) are one C source compiled for AVX-512, AVX2 and SSE2. Every
/// width this processor runs must give, lane for lane, the bits of the scalar machine, for every
/// instruction and every kind of group, on ordinary values and on the edges (zero, negative,
/// unknown, huge, halves for rounding, values outside a map's table).
@Suite struct BatchKernelTests {
    /// Criteria that between them compile to every batch instruction.
    static let policy = policyYAML(
        facts: """
              a: {type: number}
              b: {type: number}
              flag: {type: bool}
              stance: {type: enum, values: [refused, open_to_talks, in_talks, agreed]}
            """,
        criteria: """
              ops:
                weight: 2
                aggregate: mean
                criteria:
                  arith: {expr: 'clamp(a * 3 - b / 2 + -a, 0, 100)', missing: skip}
                  divide: {expr: 'clamp(b / a, 0, 100)', missing: skip}
                  logs: {expr: 'clamp(log(a) * 10 + log10(b) * 5, 0, 100)', missing: skip}
                  root: {expr: 'clamp(sqrt(a) + abs(b), 0, 100)', missing: skip}
                  rounding: {expr: 'clamp(round(a) + round(b, 1), 0, 100)', missing: skip}
                  extremes: {expr: 'clamp(min(a, b, 40) + max(a, 5), 0, 100)', missing: skip}
                  compare: {expr: 'if a < b and (a >= 3 or b == 7) and not (a != 2) then 80 else 20', missing: skip}
                  member: {expr: 'if a in [1, 2, 3] then 10 else if b not in [5, 6] then 60 else 30', missing: skip}
                  known: {expr: 'if known(a) then 25 else 75'}
                  order: {expr: 'if a > b then 70 else if a <= 1 then 15 else 45', missing: skip}
              kinds:
                weight: 1
                aggregate: geometric
                criteria:
                  flag_map: {map: {fact: flag, risk: {true: 90, false: 5}}, missing: skip}
                  stance_map: {map: {fact: stance, risk: {refused: 100, open_to_talks: 60, in_talks: 30, agreed: 0}}}
                  scaled: {scale: {of: a, best: 1, worst: 50}, missing: skip}
                  logscaled: {scale: {of: b, best: 1000, worst: 10, transform: log10}, missing: skip}
                  cased:
                    cases:
                      - {when: 'a > 50', risk: 90, label: high}
                      - {when: 'b > 10', risk: 40, label: middle}
                    else: {risk: 5, label: low}
                    missing: skip
              worst:
                weight: 1
                aggregate: max
                criteria:
                  x: {expr: 'clamp(a, 0, 100)', missing: skip}
                  y: {expr: 'clamp(b * 2, 0, 100)', missing: skip}
                  plain: {expr: 'b', missing: skip}
            """)

    /// Values that reach every edge of the formulas above.
    static let edges: [Double] = [0, -0.0, 1, 2, 2.5, 3, -3.5, 5, 7, 0.45, 49.5, 50, 60, 120, 1e300, -1e300, .infinity, .nan]

    /// Fact rows: every pair of edge values for a and b, with flag and stance cycling through
    /// their values, unknown, and indices outside the tables.
    static func rows() -> [Double] {
        var rows: [Double] = []
        var k = 0
        for a in edges {
            for b in edges {
                let flags: [Double] = [0, 1, .nan, 2]
                let stances: [Double] = [0, 1, 2, 3, .nan, 4, -1]
                rows += [a, b, flags[k % flags.count], stances[k % stances.count]]
                k += 1
            }
        }
        return rows
    }

    @Test func everyKernelWidthGivesTheScalarMachinesBits() throws {
        let p = try compile(Self.policy)
        #expect(p.slotCount == 4)
        // Every instruction the kernel has is in the program.
        let used = Set(p.batchCode.map { BatchMachine.kernelOp($0.op).rawValue })
        #expect(used == Set(HUBS_OP_CONSTANT.rawValue...HUBS_OP_SCALE.rawValue))
        let rows = Self.rows()
        let count = rows.count / p.slotCount
        let scalar = Evaluator(p)
        var w = p.nominalWeights
        for i in w.indices { w[i] *= 1 + Double(i % 4) / 7 }
        let levels = BatchMachine.KernelLevel.allCases.filter { $0.rawValue <= BatchMachine.bestLevel.rawValue }
        #expect(levels.contains(.baseline))
        for level in levels {
            let ev = Evaluator(p, kernelLevel: level)
            for weights in [nil, w] {
                var out = [Outcome](repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: count)
                rows.withUnsafeBufferPointer { r in
                    out.withUnsafeMutableBufferPointer { o in
                        if let weights {
                            weights.withUnsafeBufferPointer {
                                ev.scoreBatch(r.baseAddress!, count: count, weights: $0.baseAddress!, into: o.baseAddress!)
                            }
                        } else {
                            ev.scoreBatch(r.baseAddress!, count: count, into: o.baseAddress!)
                        }
                    }
                }
                for c in 0..<count {
                    let row = Array(rows[(c * p.slotCount)..<((c + 1) * p.slotCount)])
                    let one = weights.map { scalar.score(row, weights: $0) } ?? scalar.score(row)
                    #expect(out[c].risk.bitPattern == one.risk.bitPattern, "\(level) candidate \(c): \(row)")
                    #expect(out[c].coverage.bitPattern == one.coverage.bitPattern, "\(level) candidate \(c)")
                    #expect(out[c].excluded == one.excluded)
                    #expect(out[c].faults == one.faults)
                }
            }
        }
    }

    /// The kernel that turns rows into registers of 64 lanes (8 × 8 blocks in vector registers,
    /// the columns past a multiple of 8 and the rows of a last partial block one by one) against
    /// the plain definition, at every width: fact rows (stride = columns, unknowns past the
    /// rows, all 64 lanes) and weight draws (rows wider than the columns read, zeros past the
    /// rows, only the lanes up to the next multiple of 8, the rest untouched), for column counts
    /// below, at and past multiples of 8 and every kind of row count.
    @Test func everyKernelWidthTransposesRowsIntoRegisters() {
        let width = Evaluator.batchLanes
        var generator = SplitMix64(seed: 9)
        for columns in [1, 7, 8, 9, 16, 23, 41] {
            for (stride, fill, allLanes) in [(columns, Double.nan, true), (columns + 3, 0.0, false)] {
                let rows = (0..<(width * stride)).map { _ in Double(generator.next() % 1_000_000) / 7 }
                for n in [0, 1, 7, 8, 9, 31, 63, 64] {
                    let lanes = allLanes ? width : (n + 7) / 8 * 8
                    var expected = [Double](repeating: 12345, count: columns * width)
                    for s in 0..<columns {
                        for j in 0..<lanes { expected[s * width + j] = j < n ? rows[j * stride + s] : fill }
                    }
                    for level in BatchMachine.KernelLevel.allCases where level.rawValue <= BatchMachine.bestLevel.rawValue {
                        var got = [Double](repeating: 12345, count: columns * width)
                        hubs_batch_transpose(Int32(level.rawValue), rows, n, stride, columns, fill, lanes, &got)
                        #expect(
                            got.map(\.bitPattern) == expected.map(\.bitPattern),
                            "\(columns) columns, stride \(stride), \(n) rows, \(lanes) lanes, \(level)")
                    }
                }
            }
        }
    }

    /// Each leaf's raw risk (before the leaf's own clamping, which would hide a wrong clamp
    /// inside a formula) in every lane of a batch run, at every width, is the scalar machine's,
    /// bit for bit; and every width writes the same registers.
    @Test func everyKernelWidthWritesTheScalarMachinesLeaves() throws {
        let p = try compile(Self.policy)
        let rows = Self.rows()
        let total = rows.count / p.slotCount
        let scalar = Evaluator(p)
        var baseline: [[UInt64]] = []
        for level in BatchMachine.KernelLevel.allCases where level.rawValue <= BatchMachine.bestLevel.rawValue {
            let ev = Evaluator(p, kernelLevel: level)
            var written: [[UInt64]] = []
            // One batch at a time: the scratch registers hold the last batch run.
            for start in stride(from: 0, to: total, by: BatchMachine.lanes) {
                let count = min(BatchMachine.lanes, total - start)
                var out = [Outcome](repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: count)
                rows.withUnsafeBufferPointer { r in
                    out.withUnsafeMutableBufferPointer {
                        ev.scoreBatch(r.baseAddress! + start * p.slotCount, count: count, into: $0.baseAddress!)
                    }
                }
                let b = try #require(ev.batch)
                for c in 0..<count where b.fault[c] == 0 {
                    _ = scalar.score(Array(rows[((start + c) * p.slotCount)..<((start + c + 1) * p.slotCount)]))
                    for l in 0..<p.leafCount {
                        let lane = b.registers[(p.leafBase + l) * BatchMachine.lanes + c]
                        #expect(lane.bitPattern == scalar.leafRaw(l).bitPattern, "\(level) candidate \(start + c) leaf \(l)")
                    }
                }
                written.append((0..<(b.counts.registers * BatchMachine.lanes)).map { b.registers[$0].bitPattern })
            }
            if level == .baseline { baseline = written } else { #expect(written == baseline, "\(level)") }
        }
    }

    /// Weight draws scored together (a batch of candidates under each draw, and one candidate
    /// under many draws, one draw per kernel lane) give each draw's scalar result, at every
    /// width, with every group's aggregation method switched as sensitivity runs switch it.
    @Test(arguments: Aggregation.allCases)
    func weightDrawsAndAggregationAlternativesGiveTheScalarBits(_ method: Aggregation) throws {
        let p = try compile(Self.policy)
        let rows = Self.rows()
        let count = rows.count / p.slotCount
        let edges = p.nominalWeights.count
        for drawCount in [6, 70] {
            var draws: [Double] = []
            for d in 0..<drawCount { draws += p.nominalWeights.enumerated().map { e, w in w * (1 + Double((d + e) % 5) / 9) } }
            let scalar = Evaluator(p)
            for g in p.groups.indices { scalar.setAggregation(group: g, to: method) }
            for level in BatchMachine.KernelLevel.allCases where level.rawValue <= BatchMachine.bestLevel.rawValue {
                let ev = Evaluator(p, kernelLevel: level)
                for g in p.groups.indices { ev.setAggregation(group: g, to: method) }
                let checked = drawCount > 64 ? 12 : count
                var batch = [Outcome](repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: drawCount * checked)
                var one = [Outcome](repeating: Outcome(risk: 0, excluded: false, coverage: 0, faults: 0), count: drawCount)
                rows.withUnsafeBufferPointer { r in
                    draws.withUnsafeBufferPointer { w in
                        ev.scoreBatch(
                            r.baseAddress!, count: checked, weightDraws: w.baseAddress!, drawCount: drawCount, drawStride: edges,
                            into: &batch)
                    }
                }
                for c in 0..<checked {
                    let row = Array(rows[(c * p.slotCount)..<((c + 1) * p.slotCount)])
                    row.withUnsafeBufferPointer { r in
                        draws.withUnsafeBufferPointer { w in
                            ev.score(
                                r.baseAddress!, weightDraws: w.baseAddress!, drawCount: drawCount, drawStride: edges, into: &one,
                                outStride: 1)
                        }
                    }
                    for d in 0..<drawCount {
                        let expected = scalar.score(row, weights: Array(draws[(d * edges)..<((d + 1) * edges)]))
                        let label = "\(method) \(level) candidate \(c) draw \(d) of \(drawCount)"
                        #expect(batch[d * checked + c].risk.bitPattern == expected.risk.bitPattern, "batch: \(label)")
                        #expect(one[d].risk.bitPattern == expected.risk.bitPattern, "draws: \(label)")
                        #expect(one[d].coverage.bitPattern == expected.coverage.bitPattern)
                        #expect(one[d].excluded == expected.excluded)
                        #expect(one[d].faults == expected.faults)
                    }
                }
            }
        }
    }
}
