/// The result of scoring one candidate on the fast path.
public struct Outcome: Sendable, Equatable {
    /// Total risk 0–100, or NaN when every criterion was skipped for missing data.
    public var risk: Double
    /// Some gate excluded the candidate.
    public var excluded: Bool
    /// Share of the total weight resting on known facts (0–1).
    public var coverage: Double
    /// Arithmetic faults met (division by zero, ...); the traced evaluation says where.
    public var faults: Int
}

/// Scores candidates against one compiled policy. Holds its own scratch memory, so keep one per
/// thread; the `CompiledPolicy` it reads is immutable and shared.
public final class Evaluator {
    public let policy: CompiledPolicy
    let registers: UnsafeMutablePointer<Double>
    let nodeRisk: UnsafeMutablePointer<Double>
    /// Per node: the sum of the weights of the children that counted (for effective weights).
    let nodeWeightSum: UnsafeMutablePointer<Double>

    public init(_ policy: CompiledPolicy) {
        self.policy = policy
        registers = .allocate(capacity: max(1, policy.registerCount))
        registers.initialize(repeating: 0, count: max(1, policy.registerCount))
        nodeRisk = .allocate(capacity: max(1, policy.plan.count))
        nodeRisk.initialize(repeating: 0, count: max(1, policy.plan.count))
        nodeWeightSum = .allocate(capacity: max(1, policy.plan.count))
        nodeWeightSum.initialize(repeating: 0, count: max(1, policy.plan.count))
    }

    deinit {
        registers.deallocate()
        nodeRisk.deallocate()
        nodeWeightSum.deallocate()
    }

    /// Scores one candidate's fact row (`policy.slotCount` values, NaN for unknown) with the
    /// policy's own weights, or with `weights` (one per edge, like `policy.nominalWeights`).
    public func score(_ facts: UnsafePointer<Double>, weights: UnsafePointer<Double>? = nil) -> Outcome {
        var sink = NoTrace()
        let faults = policy.fastCode.withUnsafeBufferPointer { code in
            policy.constants.withUnsafeBufferPointer { k in
                Machine.run(code, constants: k.baseAddress ?? UnsafePointer(registers), facts: facts, registers: registers, sink: &sink)
            }
        }
        return finish(faults: faults, weights: weights)
    }

    /// Scores a row given as an array (convenience; the pointer form avoids the bridge).
    public func score(_ facts: [Double], weights: [Double]? = nil) -> Outcome {
        precondition(facts.count == policy.slotCount, "a fact row has one value per declared fact")
        return facts.withUnsafeBufferPointer { f in
            if let weights {
                return weights.withUnsafeBufferPointer { w in score(f.baseAddress!, weights: w.baseAddress!) }
            }
            return score(f.baseAddress ?? UnsafePointer(registers))
        }
    }

    /// Runs the traced program: the same arithmetic, with every read, case and fault recorded.
    func trace(_ facts: UnsafePointer<Double>) -> (Outcome, Recorder) {
        var rec = Recorder(leafCount: policy.leafCount, gateCount: policy.gates.count)
        let faults = policy.traceCode.withUnsafeBufferPointer { code in
            policy.constants.withUnsafeBufferPointer { k in
                Machine.run(code, constants: k.baseAddress ?? UnsafePointer(registers), facts: facts, registers: registers, sink: &rec)
            }
        }
        return (finish(faults: faults, weights: nil), rec)
    }

    /// Leaf raw value (before missing rules and clamping), valid after a run.
    func leafRaw(_ leaf: Int) -> Double { registers[leaf] }
    func gateValue(_ gate: Int) -> Double { registers[policy.leafCount + gate] }
    func node(_ i: Int) -> (risk: Double, weightSum: Double) { (nodeRisk[i], nodeWeightSum[i]) }

    @inline(__always)
    private func finish(faults: Int, weights: UnsafePointer<Double>?) -> Outcome {
        let leafCount = policy.leafCount
        var excluded = false
        for (g, excludesWhenUnknown) in policy.gateExcludesWhenUnknown.enumerated() {
            let v = registers[leafCount + g]
            if v == 1 || (v.isNaN && excludesWhenUnknown) { excluded = true }
        }
        var coverage = 0.0
        policy.leafNominalShare.withUnsafeBufferPointer { share in
            for l in 0..<leafCount where !registers[l].isNaN { coverage += share[l] }
        }
        let risk = policy.plan.withUnsafeBufferPointer { plan in
            policy.childNodes.withUnsafeBufferPointer { kids in
                policy.nominalWeights.withUnsafeBufferPointer { nominal in
                    aggregate(plan, kids, weights ?? nominal.baseAddress!)
                }
            }
        }
        return Outcome(risk: risk, excluded: excluded, coverage: coverage, faults: faults)
    }

    @inline(__always)
    private func aggregate(_ plan: UnsafeBufferPointer<PlanNode>, _ kids: UnsafeBufferPointer<Int32>,
                           _ w: UnsafePointer<Double>) -> Double {
        for n in 0..<plan.count {
            let p = plan[n]
            switch p.kind {
            case .leaf:
                let raw = registers[Int(p.leaf)]
                if raw.isNaN {
                    nodeRisk[n] = p.missingKind == 2 ? .nan : p.assumedRisk
                } else {
                    nodeRisk[n] = raw < 0 ? 0 : (raw > 100 ? 100 : raw)
                }
            case .mean:
                var s = 0.0, sw = 0.0
                for e in Int(p.childStart)..<Int(p.childStart + p.childCount) {
                    let r = nodeRisk[Int(kids[e])]
                    if !r.isNaN { s += w[e] * r; sw += w[e] }
                }
                nodeWeightSum[n] = sw
                nodeRisk[n] = sw > 0 ? s / sw : .nan
            case .geometric:
                var s = 0.0, sw = 0.0
                for e in Int(p.childStart)..<Int(p.childStart + p.childCount) {
                    let r = nodeRisk[Int(kids[e])]
                    if !r.isNaN { s += w[e] * Foundation.log1p(-r / 100); sw += w[e] }
                }
                nodeWeightSum[n] = sw
                nodeRisk[n] = sw > 0 ? 100 * -Foundation.expm1(s / sw) : .nan
            case .max:
                var m = -Double.infinity, sw = 0.0
                for e in Int(p.childStart)..<Int(p.childStart + p.childCount) {
                    let r = nodeRisk[Int(kids[e])]
                    if !r.isNaN { if r > m { m = r }; sw += w[e] }
                }
                nodeWeightSum[n] = sw
                nodeRisk[n] = sw > 0 ? m : .nan
            }
        }
        return nodeRisk[plan.count - 1]
    }
}

/// Records what the traced program did, per leaf and per gate.
struct Recorder: TraceSink {
    enum Owner { case none, leaf(Int), gate(Int) }
    var owner = Owner.none
    var leafReads: [[Int]]
    var gateReads: [[Int]]
    var firedCase: [Int]
    var leafFaults: [String?]
    var gateFaults: [String?]

    init(leafCount: Int, gateCount: Int) {
        leafReads = Array(repeating: [], count: leafCount)
        gateReads = Array(repeating: [], count: gateCount)
        firedCase = Array(repeating: -1, count: leafCount)
        leafFaults = Array(repeating: nil, count: leafCount)
        gateFaults = Array(repeating: nil, count: gateCount)
    }

    mutating func leafStart(_ leaf: Int) { owner = .leaf(leaf) }
    mutating func gateStart(_ gate: Int) { owner = .gate(gate) }
    mutating func factRead(slot: Int, value: Double) {
        switch owner {
        case let .leaf(l): if !leafReads[l].contains(slot) { leafReads[l].append(slot) }
        case let .gate(g): if !gateReads[g].contains(slot) { gateReads[g].append(slot) }
        case .none: break
        }
    }
    mutating func caseFired(leaf: Int, index: Int) { firedCase[leaf] = index }
    mutating func fault(_ what: String) {
        switch owner {
        case let .leaf(l): if leafFaults[l] == nil { leafFaults[l] = what }
        case let .gate(g): if gateFaults[g] == nil { gateFaults[g] = what }
        case .none: break
        }
    }
}

import Foundation
