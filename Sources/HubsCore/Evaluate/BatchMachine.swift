import CHubsKernels

/// Runs the jump-free batch program over 64 candidates at once. Register r of lane j is at
/// `r * 64 + j`. The instructions, and the leaves' and groups' formulas after them, run in the C
/// kernels of CHubsKernels, written once over 512-bit vectors and compiled for AVX-512, AVX2 and
/// SSE2; the widest the processor runs is chosen at start. Every width does the very formulas of
/// `Machine` and `Evaluator.finish` (same IEEE operations, same order), so results are
/// bit-identical to scoring one by one. Instructions that can fault mark the lane in `fault`;
/// the caller scores those lanes again one by one, where guards are honoured exactly.
enum BatchMachine {
    /// Lanes per batch.
    static let lanes = Int(HUBS_BATCH_LANES)

    /// The kernel width used unless a caller asks for another: the widest this processor runs.
    static let bestLevel = KernelLevel(rawValue: Int(hubs_kernel_level())) ?? .baseline

    /// The vector widths of the batch kernel.
    enum KernelLevel: Int, CaseIterable, Sendable {
        /// SSE2 (every x86-64 processor), or the plain build on other processors.
        case baseline = 0
        /// 256-bit vectors.
        case avx2 = 1
        /// 512-bit vectors.
        case avx512 = 2
    }

    /// The batch program in the kernel's form.
    static func kernelCode(_ code: [Instruction]) -> [hubs_batch_instruction] {
        code.map { i in
            hubs_batch_instruction(op: Int32(kernelOp(i.op).rawValue), dst: i.dst, a: i.a, b: i.b, c: i.c, imm: i.imm, imm2: i.imm2)
        }
    }

    /// A group of the aggregation plan in the kernels' form (`Evaluator` keeps its plan so, for
    /// its own loops as well as the kernels').
    static func kernelGroup(_ g: GroupPlan) -> hubs_group {
        hubs_group(kind: kernelKind(g.kind), child_start: g.childStart, child_count: g.childCount)
    }

    /// The kernels' number for a way of aggregating.
    static func kernelKind(_ kind: GroupPlan.Kind) -> Int32 {
        switch kind {
        case .mean: mean
        case .geometric: geometric
        case .max: max
        }
    }

    /// `hubs_group.kind` of a weighted mean, a weighted geometric mean and a maximum.
    static let mean = Int32(HUBS_GROUP_MEAN.rawValue)
    static let geometric = Int32(HUBS_GROUP_GEOMETRIC.rawValue)
    static let max = Int32(HUBS_GROUP_MAX.rawValue)

    /// The kernel's opcode for a batch instruction.
    static func kernelOp(_ op: OpCode) -> hubs_batch_op {
        switch op {
        case .constant: HUBS_OP_CONSTANT
        case .move: HUBS_OP_MOVE
        case .known: HUBS_OP_KNOWN
        case .negate: HUBS_OP_NEGATE
        case .not: HUBS_OP_NOT
        case .add: HUBS_OP_ADD
        case .subtract: HUBS_OP_SUBTRACT
        case .multiply: HUBS_OP_MULTIPLY
        case .divide: HUBS_OP_DIVIDE
        case .less: HUBS_OP_LESS
        case .lessEqual: HUBS_OP_LESS_EQUAL
        case .greater: HUBS_OP_GREATER
        case .greaterEqual: HUBS_OP_GREATER_EQUAL
        case .equal: HUBS_OP_EQUAL
        case .notEqual: HUBS_OP_NOT_EQUAL
        case .and3: HUBS_OP_AND3
        case .or3: HUBS_OP_OR3
        case .select: HUBS_OP_SELECT
        case .caseFold: HUBS_OP_CASE_FOLD
        case .member: HUBS_OP_MEMBER
        case .min2: HUBS_OP_MIN2
        case .max2: HUBS_OP_MAX2
        case .clamp: HUBS_OP_CLAMP
        case .abs: HUBS_OP_ABS
        case .log: HUBS_OP_LOG
        case .log10: HUBS_OP_LOG10
        case .sqrt: HUBS_OP_SQRT
        case .round: HUBS_OP_ROUND
        case .roundDigits: HUBS_OP_ROUND_DIGITS
        case .lookup: HUBS_OP_LOOKUP
        case .scale: HUBS_OP_SCALE
        case .fact, .jumpIfZero, .jumpIfOne, .jump, .and2, .or2, .branch, .caseHit, .caseSelect, .leafStart, .gateStart,
            .foldLess, .foldLessEqual, .foldEqual, .foldNotEqual:
            preconditionFailure("the batch program has no jumps, trace instructions or fused folds")
        }
    }

    /// Runs `code` over the 64 lanes of `registers` with the kernel of width `level`.
    @inline(__always)
    static func run(
        _ code: UnsafeBufferPointer<hubs_batch_instruction>, level: KernelLevel, tables: UnsafePointer<Double>,
        registers r: UnsafeMutablePointer<Double>, fault: UnsafeMutablePointer<UInt8>
    ) {
        hubs_batch_run(Int32(level.rawValue), code.baseAddress, code.count, tables, r, fault)
    }
}
