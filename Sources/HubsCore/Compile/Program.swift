/// Instructions of the scoring machine, a register machine over `Double`s: numbers as they are,
/// true/false as 1/0, enum values as their index, dates as days since 1970-01-01, and an unknown
/// value as NaN (which every instruction propagates, with Kleene logic for and/or).
///
/// Register layout: fact slots first (the candidate's row is copied in), then leaf results, gate
/// results, temporaries, and last the constants (loaded once per evaluator, never written). So
/// `cpi_2024 >= 40` is a single instruction reading two registers.
@usableFromInline
enum OpCode: UInt8, Sendable {
    case constant, move, fact, known
    case negate, not
    case add, subtract, multiply, divide
    case less, lessEqual, greater, greaterEqual, equal, notEqual
    case jumpIfZero, jumpIfOne, jump, and2, or2, and3, or3, branch, select
    case member, min2, max2, clamp, abs, log, log10, sqrt, round, roundDigits
    case lookup, scale
    case caseHit, caseSelect, caseFold
    case leafStart, gateStart
}

@usableFromInline
struct Instruction: Sendable {
    @usableFromInline var op: OpCode
    @usableFromInline var dst: Int32
    @usableFromInline var a: Int32
    @usableFromInline var b: Int32
    @usableFromInline var c: Int32
    @usableFromInline var imm: Double
    @usableFromInline var imm2: Double

    init(_ op: OpCode, dst: Int32 = 0, a: Int32 = 0, b: Int32 = 0, c: Int32 = 0, imm: Double = 0, imm2: Double = 0) {
        self.op = op
        self.dst = dst
        self.a = a
        self.b = b
        self.c = c
        self.imm = imm
        self.imm2 = imm2
    }
}

/// One group of the aggregation plan. Groups are stored in post-order (children before parents,
/// the root last); their children are value indices: leaves first, then groups.
@usableFromInline
struct GroupPlan: Sendable {
    @usableFromInline enum Kind: UInt8, Sendable { case mean, geometric, max }
    @usableFromInline var kind: Kind
    /// Range in `childValues` / `nominalWeights`.
    @usableFromInline var childStart: Int32
    @usableFromInline var childCount: Int32
}
