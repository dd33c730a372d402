import CHubsKernels
import Foundation

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

    /// An outcome of scoring one candidate.
    public init(risk: Double, excluded: Bool, coverage: Double, faults: Int) {
        self.risk = risk
        self.excluded = excluded
        self.coverage = coverage
        self.faults = faults
    }
}

/// Scores candidates against one compiled policy. Holds its own scratch memory, so keep one per
/// thread; the `CompiledPolicy` it reads is immutable and shared.
public final class Evaluator {
    public let policy: CompiledPolicy
    let registers: UnsafeMutablePointer<Double>
    /// Risks of leaves (after missing rules and clamping), then of groups in post-order.
    let values: UnsafeMutablePointer<Double>
    /// Per group: the sum of the weights of the children that counted (for effective weights).
    let groupWeightSum: UnsafeMutablePointer<Double>
    // The evaluator's own copies of everything the scoring loop reads, so the loop touches raw
    // memory only: no reference counting, no dictionary, no string.
    let fastCode: UnsafeMutableBufferPointer<Instruction>
    let traceCode: UnsafeMutableBufferPointer<Instruction>
    /// The jump-free program in the batch kernel's form.
    let batchCode: UnsafeMutableBufferPointer<hubs_batch_instruction>
    /// The vector width `scoreBatch` runs with (the widest the processor has, unless a test
    /// asks for a narrower one: every width gives the same bits).
    let kernelLevel: BatchMachine.KernelLevel
    let tables: UnsafeMutableBufferPointer<Double>
    /// The aggregation plan, in the kernels' form (read by the kernels and by `aggregate`).
    let groups: UnsafeMutableBufferPointer<hubs_group>
    let childValues: UnsafeMutableBufferPointer<Int32>
    let nominalWeights: UnsafeMutableBufferPointer<Double>
    let leafShare: UnsafeMutableBufferPointer<Double>
    let leafMissing: UnsafeMutableBufferPointer<Double>
    let gateExcludesWhenUnknown: UnsafeMutableBufferPointer<Bool>
    let factCount: Int
    let leafCount: Int
    let leafBase: Int
    let gateBase: Int

    /// An evaluator of `policy`, with its own scratch memory.
    public convenience init(_ policy: CompiledPolicy) {
        self.init(policy, kernelLevel: BatchMachine.bestLevel)
    }

    /// An evaluator of `policy` whose batches run with the kernel of width `kernelLevel`, which
    /// must not exceed `BatchMachine.bestLevel`.
    init(_ policy: CompiledPolicy, kernelLevel: BatchMachine.KernelLevel) {
        precondition(kernelLevel.rawValue <= BatchMachine.bestLevel.rawValue, "this processor does not run that kernel")
        self.policy = policy
        self.kernelLevel = kernelLevel
        func copy<T>(_ a: [T]) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, a.count))
            _ = b.initialize(from: a)
            return UnsafeMutableBufferPointer(rebasing: b[0..<a.count])
        }
        func zeros(_ n: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
            p.initialize(repeating: 0, count: max(1, n))
            return p
        }
        registers = zeros(policy.registerCount)
        for (k, v) in policy.constantRegisters.enumerated() { registers[policy.constantBase + k] = v }
        values = zeros(policy.leafCount + policy.groups.count)
        groupWeightSum = zeros(policy.groups.count)
        fastCode = copy(policy.fastCode)
        traceCode = copy(policy.traceCode)
        batchCode = copy(BatchMachine.kernelCode(policy.batchCode))
        tables = copy(policy.tables)
        groups = copy(policy.groups.map(BatchMachine.kernelGroup))
        childValues = copy(policy.childValues)
        nominalWeights = copy(policy.nominalWeights)
        leafShare = copy(policy.leafNominalShare)
        leafMissing = copy(policy.leafMissingValue)
        gateExcludesWhenUnknown = copy(policy.gateExcludesWhenUnknown)
        factCount = policy.slotCount
        leafCount = policy.leafCount
        leafBase = policy.leafBase
        gateBase = policy.gateBase
    }

    deinit {
        registers.deallocate()
        values.deallocate()
        groupWeightSum.deallocate()
        for b in [tables, nominalWeights, leafShare, leafMissing] { b.baseAddress?.deallocate() }
        fastCode.baseAddress?.deallocate()
        traceCode.baseAddress?.deallocate()
        batchCode.baseAddress?.deallocate()
        batch?.deallocate()
        draws?.weights.deallocate()
        draws?.groupRisks.deallocate()
        groups.baseAddress?.deallocate()
        childValues.baseAddress?.deallocate()
        gateExcludesWhenUnknown.baseAddress?.deallocate()
    }

    /// Scores one candidate's fact row (`policy.slotCount` values, NaN for unknown) with the
    /// policy's own weights, or with `weights` (one per edge, like `policy.nominalWeights`).
    public func score(_ facts: UnsafePointer<Double>, weights: UnsafePointer<Double>? = nil) -> Outcome {
        registers.update(from: facts, count: factCount)
        var sink = NoTrace()
        let faults = Machine.run(
            UnsafeBufferPointer(fastCode), tables: UnsafePointer(tables.baseAddress ?? values),
            registers: registers, sink: &sink)
        return finish(faults: faults, weights: weights)
    }

    /// Scores one candidate under `drawCount` weight vectors (`drawStride` apart at
    /// `weightDraws`), writing draw d's outcome to `out[d * outStride]`. The rules run once and
    /// each draw only aggregates again (aggregation reads the rules' registers and does not
    /// change them), so each outcome is `score`'s with that draw's weights, bit for bit.
    public func score(
        _ facts: UnsafePointer<Double>, weightDraws: UnsafePointer<Double>, drawCount: Int, drawStride: Int,
        into out: UnsafeMutablePointer<Outcome>, outStride: Int
    ) {
        registers.update(from: facts, count: factCount)
        var sink = NoTrace()
        let faults = Machine.run(
            UnsafeBufferPointer(fastCode), tables: UnsafePointer(tables.baseAddress ?? values),
            registers: registers, sink: &sink)
        // Gates and leaves once; each draw only aggregates again, a few draws at once in the
        // kernel (one draw per lane), a lone draw or two here.
        let (excluded, coverage) = finishLeaves()
        guard drawCount >= 4 else {
            for d in 0..<drawCount {
                let risk = aggregate(weightDraws + d * drawStride)
                out[d * outStride] = Outcome(risk: risk, excluded: excluded, coverage: coverage, faults: faults)
            }
            return
        }
        let lanes = Self.batchLanes
        let (weights, groupRisks) = drawScratch()
        let edges = nominalWeights.count
        let root = groupRisks + (groups.count - 1) * lanes
        var start = 0
        while start < drawCount {
            let n = Swift.min(lanes, drawCount - start)
            let vectors = (n + 7) / 8
            // The draws' weights transposed: edge e of draw d at e * 64 + d (lanes past the last
            // draw get weight 0, so their groups are skipped; they are not read).
            hubs_batch_transpose(
                Int32(kernelLevel.rawValue), weightDraws + start * drawStride, n, drawStride, edges, 0, 8 * vectors, weights)
            hubs_draw_groups(
                Int32(kernelLevel.rawValue), groups.baseAddress, groups.count, childValues.baseAddress, leafCount,
                values, weights, vectors, groupRisks)
            for d in 0..<n {
                out[(start + d) * outStride] = Outcome(risk: root[d], excluded: excluded, coverage: coverage, faults: faults)
            }
            start += n
        }
    }

    /// Scratch memory of `score(_:weightDraws:…)`: transposed weights (64 lanes per edge) and
    /// group risks (64 lanes per group), made on first use.
    private func drawScratch() -> (weights: UnsafeMutablePointer<Double>, groupRisks: UnsafeMutablePointer<Double>) {
        if let existing = draws { return existing }
        let lanes = Self.batchLanes
        let weights = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, nominalWeights.count) * lanes)
        weights.initialize(repeating: 0, count: Swift.max(1, nominalWeights.count) * lanes)
        let risks = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, groups.count) * lanes)
        risks.initialize(repeating: 0, count: Swift.max(1, groups.count) * lanes)
        draws = (weights, risks)
        return (weights, risks)
    }
    var draws: (weights: UnsafeMutablePointer<Double>, groupRisks: UnsafeMutablePointer<Double>)?

    /// Scores a row given as an array (convenience; the pointer form avoids the bridge).
    public func score(_ facts: [Double], weights: [Double]? = nil) -> Outcome {
        precondition(facts.count == policy.slotCount, "a fact row has one value per declared fact")
        return facts.withUnsafeBufferPointer { f in
            if let weights {
                return weights.withUnsafeBufferPointer { w in score(f.baseAddress ?? UnsafePointer(values), weights: w.baseAddress) }
            }
            return score(f.baseAddress ?? UnsafePointer(values))
        }
    }

    /// How many candidates `scoreBatch` evaluates together.
    public static let batchLanes = BatchMachine.lanes

    /// Batch scratch memory, allocated on first use.
    final class BatchScratch {
        let registers: UnsafeMutablePointer<Double>
        let values: UnsafeMutablePointer<Double>
        let sw: UnsafeMutablePointer<Double>
        let coverage: UnsafeMutablePointer<Double>
        let fault: UnsafeMutablePointer<UInt8>
        /// Per lane: whether a gate excludes the candidate.
        let excluded: UnsafeMutablePointer<Bool>
        let counts: (registers: Int, values: Int, groups: Int)
        init(registers: Int, values: Int, groups: Int, lanes: Int) {
            counts = (registers, values, groups)
            self.registers = .allocate(capacity: registers * lanes)
            self.registers.initialize(repeating: 0, count: registers * lanes)
            self.values = .allocate(capacity: values * lanes)
            self.values.initialize(repeating: 0, count: values * lanes)
            self.sw = .allocate(capacity: lanes)
            self.sw.initialize(repeating: 0, count: lanes)
            self.coverage = .allocate(capacity: lanes)
            self.coverage.initialize(repeating: 0, count: lanes)
            self.fault = .allocate(capacity: lanes)
            self.fault.initialize(repeating: 0, count: lanes)
            self.excluded = .allocate(capacity: lanes)
            self.excluded.initialize(repeating: false, count: lanes)
        }
        func deallocate() {
            registers.deallocate()
            values.deallocate()
            sw.deallocate()
            coverage.deallocate()
            fault.deallocate()
            excluded.deallocate()
        }
    }
    var batch: BatchScratch?

    /// Scores `count` candidates whose fact rows lie one after another at `rows`, writing one
    /// outcome each to `out`: the same results as `score`, bit for bit, computed a column of
    /// candidates at a time. Lanes whose batch run met a possible fault (a division by zero,
    /// say, even in a branch not taken) are scored again one by one.
    public func scoreBatch(
        _ rows: UnsafePointer<Double>, count: Int, weights: UnsafePointer<Double>? = nil,
        into out: UnsafeMutablePointer<Outcome>
    ) {
        let w = weights ?? UnsafePointer(nominalWeights.baseAddress ?? values)
        scoreBatch(rows, count: count, weightDraws: w, drawCount: 1, drawStride: 0, into: out)
    }

    /// Scores `count` candidates under `drawCount` weight vectors (`drawStride` apart at
    /// `weightDraws`), writing the outcome of candidate c under draw d to `out[d * count + c]`.
    /// Leaves and gates do not depend on the weights, so they are computed once per column of
    /// candidates and each draw only aggregates again: the same results as `score` with each
    /// draw's weights, bit for bit.
    public func scoreBatch(
        _ rows: UnsafePointer<Double>, count: Int, weightDraws: UnsafePointer<Double>, drawCount: Int, drawStride: Int,
        into out: UnsafeMutablePointer<Outcome>
    ) {
        let lanes = Self.batchLanes
        let b = batchScratch()
        let r = b.registers
        let root = b.values + (leafCount + groups.count - 1) * lanes
        let tablePtr = UnsafePointer(tables.baseAddress ?? values)
        var start = 0
        while start < count {
            let n = Swift.min(lanes, count - start)
            transpose(rows + start * factCount, count: n, into: r)
            b.fault.update(repeating: 0, count: lanes)
            BatchMachine.run(UnsafeBufferPointer(batchCode), level: kernelLevel, tables: tablePtr, registers: r, fault: b.fault)
            finishLeavesBatch(b)
            for j in 0..<n { b.excluded[j] = excluded(gates: r + gateBase * lanes + j, stride: lanes) }
            for d in 0..<drawCount {
                aggregateBatch(b, weights: weightDraws + d * drawStride)
                let o = out + d * count + start
                for j in 0..<n where b.fault[j] == 0 {
                    o[j] = Outcome(risk: root[j], excluded: b.excluded[j], coverage: b.coverage[j], faults: 0)
                }
            }
            // Lanes that met a possible fault, one by one (this uses the scalar registers only).
            for j in 0..<n where b.fault[j] != 0 {
                for d in 0..<drawCount {
                    out[d * count + start + j] = score(rows + (start + j) * factCount, weights: weightDraws + d * drawStride)
                }
            }
            start += n
        }
    }

    /// Copies `count` fact rows (at most one batch) into the fact registers, one column per
    /// fact; lanes past the end get unknowns. In the kernel, eight rows by eight facts at a time
    /// (a column at a time read each row once per fact, a quarter of the batch's time; then
    /// eight rows a fact at a time in Swift, still about a third).
    @inline(__always)
    private func transpose(_ rows: UnsafePointer<Double>, count n: Int, into r: UnsafeMutablePointer<Double>) {
        hubs_batch_transpose(Int32(kernelLevel.rawValue), rows, n, factCount, factCount, .nan, Self.batchLanes, r)
    }

    /// The batch scratch memory, made on first use with the constants in place.
    private func batchScratch() -> BatchScratch {
        if let existing = batch { return existing }
        let lanes = Self.batchLanes
        let b = BatchScratch(registers: policy.registerCount, values: leafCount + groups.count, groups: groups.count, lanes: lanes)
        for (k, v) in policy.constantRegisters.enumerated() {
            (b.registers + (policy.constantBase + k) * lanes).update(repeating: v, count: lanes)
        }
        batch = b
        return b
    }

    /// Batch leaves: missing rules, clamping and coverage (the formulas of `finish`).
    @inline(__always)
    private func finishLeavesBatch(_ b: BatchScratch) {
        hubs_batch_leaves(
            Int32(kernelLevel.rawValue), b.registers + leafBase * Self.batchLanes, leafCount, leafMissing.baseAddress,
            leafShare.baseAddress, b.values, b.coverage)
    }

    /// Batch groups, in post-order, with the formulas of `aggregate`.
    @inline(__always)
    private func aggregateBatch(_ b: BatchScratch, weights w: UnsafePointer<Double>) {
        hubs_batch_groups(
            Int32(kernelLevel.rawValue), groups.baseAddress, groups.count, childValues.baseAddress, w, leafCount,
            b.values)
    }

    /// Runs the traced program: the same arithmetic, with every read, case and fault recorded.
    func trace(_ facts: UnsafePointer<Double>) -> (Outcome, Recorder) {
        registers.update(from: facts, count: factCount)
        var rec = Recorder(leafCount: policy.leafCount, gateCount: policy.gates.count)
        let faults = Machine.run(
            UnsafeBufferPointer(traceCode), tables: UnsafePointer(tables.baseAddress ?? values),
            registers: registers, sink: &rec)
        return (finish(faults: faults, weights: nil), rec)
    }

    /// Changes how group `g` (an index into the plan; the root is the last) aggregates, for this
    /// evaluator only: sensitivity analysis tries alternative methods without recompiling.
    public func setAggregation(group g: Int, to method: Aggregation) {
        groups[g].kind = BatchMachine.kernelKind(GroupPlan.Kind(method))
    }

    /// Changes the risk leaf `leaf` takes when its facts are unknown, for this evaluator only:
    /// sensitivity draws an assumed risk in its stated range without recompiling.
    public func setMissingValue(leaf: Int, to value: Double) {
        leafMissing[leaf] = value
    }

    /// Leaf raw value (before missing rules and clamping), valid after a run.
    func leafRaw(_ leaf: Int) -> Double { registers[leafBase + leaf] }
    func gateValue(_ gate: Int) -> Double { registers[gateBase + gate] }
    /// Risk of a value index (leaf or group), valid after a run; NaN when skipped.
    func value(_ i: Int) -> Double { values[i] }
    func groupWeightSum(_ g: Int) -> Double { groupWeightSum[g] }

    @inline(__always)
    private func finish(faults: Int, weights: UnsafePointer<Double>?) -> Outcome {
        let (excluded, coverage) = finishLeaves()
        let risk = aggregate(weights ?? UnsafePointer(nominalWeights.baseAddress ?? values))
        return Outcome(risk: risk, excluded: excluded, coverage: coverage, faults: faults)
    }

    /// Whether the gates' results (gate g's at `gates[g * stride]`) exclude the candidate: a gate
    /// that holds does, and one left undecided by unknown facts does where it says so.
    @inline(__always)
    private func excluded(gates: UnsafePointer<Double>, stride: Int) -> Bool {
        var excluded = false
        for g in 0..<gateExcludesWhenUnknown.count {
            let v = gates[g * stride]
            if v == 1 || (v.isNaN && gateExcludesWhenUnknown[g]) { excluded = true }
        }
        return excluded
    }

    /// After a run: whether a gate excludes the candidate, and the leaves' risks (missing rules
    /// and clamping) into `values` with their coverage. Not inlined: inside the callers' loops
    /// the compiler kept the coverage sum in memory, a store and a load per leaf.
    @inline(never)
    private func finishLeaves() -> (excluded: Bool, coverage: Double) {
        let excluded = excluded(gates: registers + gateBase, stride: 1)
        var coverage = 0.0
        // The fields in locals: a number stored through `values` could, for all the compiler
        // knows, change them, so it read them again for every leaf.
        let leafRegisters = registers + leafBase
        let values = self.values
        let leafMissing = self.leafMissing
        let leafShare = self.leafShare
        for l in 0..<leafCount {
            // Written without branches: about one leaf in ten is unknown, at random.
            let raw = leafRegisters[l]
            let known = !raw.isNaN
            let clamped = raw > 100 ? 100 : (raw < 0 ? 0 : raw)  // the formula of the batch path
            values[l] = known ? clamped : leafMissing[l]
            coverage += known ? leafShare[l] : 0
        }
        return (excluded, coverage)
    }

    @inline(__always)
    private func aggregate(_ w: UnsafePointer<Double>) -> Double {
        let kids = childValues
        let values = self.values
        let groups = self.groups
        let groupWeightSum = self.groupWeightSum
        let groupValues = values + leafCount
        for g in 0..<groups.count {
            let p = groups[g]
            let range = Int(p.child_start)..<Int(p.child_start + p.child_count)
            var sw = 0.0
            let risk: Double
            switch p.kind {
            case BatchMachine.mean:
                var s = 0.0
                for e in range {
                    let r = values[Int(kids[e])]
                    let counted = !r.isNaN
                    s += counted ? w[e] * r : 0
                    sw += counted ? w[e] : 0
                }
                risk = s / sw
            case BatchMachine.geometric:
                var s = 0.0
                for e in range {
                    let r = values[Int(kids[e])]
                    if !r.isNaN {
                        s += w[e] * Foundation.log1p(-r / 100)
                        sw += w[e]
                    }
                }
                risk = 100 * -Foundation.expm1(s / sw)
            default:
                var m = -Double.infinity
                for e in range {
                    let r = values[Int(kids[e])]
                    if !r.isNaN {
                        if r > m { m = r }
                        sw += w[e]
                    }
                }
                risk = m
            }
            groupWeightSum[g] = sw
            groupValues[g] = sw > 0 ? risk : .nan
        }
        return groupValues[groups.count - 1]
    }
}

/// Records what the traced program did, per leaf and per gate.
struct Recorder: TraceSink {
    enum Owner {
        case none
        case leaf(Int)
        case gate(Int)
    }
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
    mutating func caseFired(index: Int) {
        if case let .leaf(l) = owner { firedCase[l] = index }
    }
    mutating func fault(_ what: @autoclosure () -> String) {
        switch owner {
        case let .leaf(l): if leafFaults[l] == nil { leafFaults[l] = what() }
        case let .gate(g): if gateFaults[g] == nil { gateFaults[g] = what() }
        case .none: break
        }
    }
}
