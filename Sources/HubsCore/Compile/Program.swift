/// Instructions of the scoring machine. Registers and fact slots are `Double`s: numbers as they
/// are, true/false as 1/0, enum values as their index, dates as days since 1970-01-01, and an
/// unknown value as NaN (which every instruction propagates, with Kleene logic for and/or).
@usableFromInline
enum OpCode: UInt8, Sendable {
    case constant, fact, known
    case negate, not
    case add, subtract, multiply, divide
    case less, lessEqual, greater, greaterEqual, equal, notEqual
    case jumpIfZero, jumpIfOne, jump, and2, or2, branch
    case member, min2, max2, clamp, abs, log, log10, sqrt, round, roundDigits
    case lookup, scale
    case caseTest, caseHit
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
        self.op = op; self.dst = dst; self.a = a; self.b = b; self.c = c; self.imm = imm; self.imm2 = imm2
    }
}

/// One node of the aggregation plan, stored in post-order so children come before parents.
@usableFromInline
struct PlanNode: Sendable {
    @usableFromInline enum Kind: UInt8, Sendable { case leaf, mean, geometric, max }
    @usableFromInline var kind: Kind
    /// For leaves: the leaf index (its result register).
    @usableFromInline var leaf: Int32
    /// For groups: range in `childNodes` / `weights`.
    @usableFromInline var childStart: Int32
    @usableFromInline var childCount: Int32
    /// For leaves: 0 worst, 1 assume, 2 skip.
    @usableFromInline var missingKind: UInt8
    @usableFromInline var assumedRisk: Double
}
