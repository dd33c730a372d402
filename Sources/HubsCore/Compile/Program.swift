/// Instructions of the scoring machine, a register machine over `Double`s: numbers as they are,
/// true/false as 1/0, enum values as their index, dates as days since 1970-01-01, and an unknown
/// value as NaN (which every instruction propagates, with Kleene logic for and/or).
///
/// Register layout: fact slots first (the candidate's row is copied in), then leaf results, gate
/// results, temporaries, and last the constants (loaded once per evaluator, never written). So
/// `cpi_2024 >= 40` is a single instruction reading two registers.
///
/// Operands, per opcode (`d` = `dst`; `r[x]` = register x; unknown is NaN):
///
/// | opcode | does |
/// | --- | --- |
/// | `constant` | r[d] = imm |
/// | `move` | r[d] = r[a] |
/// | `fact` | r[d] = r[a], and reports the read of fact slot a to the trace |
/// | `known` | r[d] = 1 if r[a] is known, else 0 |
/// | `negate`, `not` | r[d] = −r[a]; 1 − r[a] (unknown stays unknown) |
/// | `add` … `divide` | r[d] = r[a] op r[b]; dividing by 0 is a fault and gives unknown |
/// | `less` … `notEqual` | r[d] = 1 or 0 comparing r[a] with r[b], unknown if either is |
/// | `jumpIfZero`, `jumpIfOne` | if r[a] is 0 (1): r[d] = 0 (1) and jump to b (short-circuit and/or) |
/// | `jump` | jump to b |
/// | `and2`, `or2` | Kleene and/or of r[a] and r[b] where r[a] is already known not to decide |
/// | `and3`, `or3` | Kleene and/or of r[a] and r[b] (the jump-free forms) |
/// | `select` | r[d] = r[b] if r[a] is true, r[c] if false, unknown if r[a] is |
/// | `branch` | if r[a] is unknown: r[d] = unknown, jump to c; if false: jump to b |
/// | `member` | r[d] = whether r[a] is among the b…b+c−1 entries of the table pool (imm = 1: `not in`) |
/// | `min2`, `max2` | r[d] = min/max of r[a], r[b] |
/// | `clamp` | r[d] = r[a] clamped to [r[b], r[c]] |
/// | `abs`, `log`, `log10`, `sqrt`, `round` | r[d] = f(r[a]); log of x ≤ 0 and sqrt of x < 0 are faults |
/// | `roundDigits` | r[d] = r[a] rounded to r[b] decimal places |
/// | `lookup` | r[d] = table pool[b + r[a]] for r[a] in 0..<c (a map's risks); outside that, a fault |
/// | `scale` | r[d] = (r[a] − imm) / imm2 × 100, clamped to 0…100 (imm = best, imm2 = worst − best) |
/// | `caseSelect` | if r[a] unknown: r[d] = unknown, jump to c; if true: r[d] = imm, report case imm2, jump to c; else jump to b |
/// | `caseHit` | r[d] = imm, report case b, jump to c (the `else`) |
/// | `caseFold` | r[d] = unknown if r[a] is, imm if true, r[b] if false (jump-free cases, folded from the last) |
/// | `foldLess` … `foldNotEqual` | r[d] = unknown if r[a] or r[b] is, imm if r[a] op r[b], else r[d] unchanged: a comparison and its `caseFold` in one (plain program only) |
/// | `leafStart`, `gateStart` | tell the trace that leaf (gate) a starts |
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
    case foldLess, foldLessEqual, foldEqual, foldNotEqual
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
    @usableFromInline enum Kind: UInt8, Sendable {
        case mean, geometric, max

        /// The plan's form of a way of aggregating.
        init(_ method: Aggregation) {
            self =
                switch method {
                case .mean: .mean
                case .geometric: .geometric
                case .max: .max
                }
        }

        /// The way of aggregating this kind stands for.
        var aggregation: Aggregation {
            switch self {
            case .mean: .mean
            case .geometric: .geometric
            case .max: .max
            }
        }
    }
    @usableFromInline var kind: Kind
    /// Range in `childValues` / `nominalWeights`.
    @usableFromInline var childStart: Int32
    @usableFromInline var childCount: Int32
}
