import Foundation

/// Receives trace events from the machine. The untraced sink's methods are empty and inlined
/// away, so the scoring loop pays nothing for tracing it does not do.
protocol TraceSink {
    mutating func leafStart(_ leaf: Int)
    mutating func gateStart(_ gate: Int)
    mutating func factRead(slot: Int, value: Double)
    /// A case of the current leaf fired (the last index is `else`).
    mutating func caseFired(index: Int)
    mutating func fault(_ what: @autoclosure () -> String)
}

struct NoTrace: TraceSink {
    @inline(__always) mutating func leafStart(_ leaf: Int) {}
    @inline(__always) mutating func gateStart(_ gate: Int) {}
    @inline(__always) mutating func factRead(slot: Int, value: Double) {}
    @inline(__always) mutating func caseFired(index: Int) {}
    @inline(__always) mutating func fault(_ what: @autoclosure () -> String) {}
}

enum Machine {
    /// Runs a program over registers that already hold the candidate's facts and the constants.
    /// Returns the number of arithmetic faults (division by zero, logarithm of a number not above
    /// 0, square root of a negative number).
    @inline(__always)
    static func run<S: TraceSink>(
        _ code: UnsafeBufferPointer<Instruction>, tables: UnsafePointer<Double>,
        registers r: UnsafeMutablePointer<Double>, sink: inout S
    ) -> Int {
        var faults = 0
        var pc = 0
        let end = code.count
        while pc < end {
            let i = code[pc]
            pc += 1
            let d = Int(i.dst)
            switch i.op {
            case .constant: r[d] = i.imm
            case .move: r[d] = r[Int(i.a)]
            case .fact:
                let v = r[Int(i.a)]
                r[d] = v
                sink.factRead(slot: Int(i.a), value: v)
            case .known: r[d] = r[Int(i.a)].isNaN ? 0 : 1
            case .negate: r[d] = -r[Int(i.a)]
            case .not:
                let x = r[Int(i.a)]
                r[d] = x.isNaN ? x : 1 - x
            case .add: r[d] = r[Int(i.a)] + r[Int(i.b)]
            case .subtract: r[d] = r[Int(i.a)] - r[Int(i.b)]
            case .multiply: r[d] = r[Int(i.a)] * r[Int(i.b)]
            case .divide:
                let y = r[Int(i.b)]
                if y == 0 {
                    faults += 1
                    sink.fault("division by zero")
                    r[d] = .nan
                } else {
                    r[d] = r[Int(i.a)] / y
                }
            case .less: r[d] = compare(r[Int(i.a)], r[Int(i.b)]) { $0 < $1 }
            case .lessEqual: r[d] = compare(r[Int(i.a)], r[Int(i.b)]) { $0 <= $1 }
            case .greater: r[d] = compare(r[Int(i.a)], r[Int(i.b)]) { $0 > $1 }
            case .greaterEqual: r[d] = compare(r[Int(i.a)], r[Int(i.b)]) { $0 >= $1 }
            case .equal: r[d] = compare(r[Int(i.a)], r[Int(i.b)]) { $0 == $1 }
            case .notEqual: r[d] = compare(r[Int(i.a)], r[Int(i.b)]) { $0 != $1 }
            case .jumpIfZero:
                if r[Int(i.a)] == 0 {
                    r[d] = 0
                    pc = Int(i.b)
                }
            case .jumpIfOne:
                if r[Int(i.a)] == 1 {
                    r[d] = 1
                    pc = Int(i.b)
                }
            case .jump: pc = Int(i.b)
            case .and2:
                let x = r[Int(i.a)]
                let y = r[Int(i.b)]
                r[d] = y == 0 ? 0 : (x.isNaN || y.isNaN ? .nan : 1)
            case .or2:
                let x = r[Int(i.a)]
                let y = r[Int(i.b)]
                r[d] = y == 1 ? 1 : (x.isNaN || y.isNaN ? .nan : 0)
            case .and3:
                let x = r[Int(i.a)]
                let y = r[Int(i.b)]
                r[d] = x == 0 || y == 0 ? 0 : (x.isNaN || y.isNaN ? .nan : 1)
            case .or3:
                let x = r[Int(i.a)]
                let y = r[Int(i.b)]
                r[d] = x == 1 || y == 1 ? 1 : (x.isNaN || y.isNaN ? .nan : 0)
            case .select:
                let c = r[Int(i.a)]
                r[d] = c.isNaN ? c : (c != 0 ? r[Int(i.b)] : r[Int(i.c)])
            case .branch:
                let c = r[Int(i.a)]
                if c.isNaN {
                    r[d] = .nan
                    pc = Int(i.c)
                } else if c == 0 {
                    pc = Int(i.b)
                }
            case .member:
                let x = r[Int(i.a)]
                if x.isNaN {
                    r[d] = x
                } else {
                    var found = false
                    let start = Int(i.b)
                    for k in start..<(start + Int(i.c)) where tables[k] == x {
                        found = true
                        break
                    }
                    r[d] = (found != (i.imm != 0)) ? 1 : 0
                }
            case .min2:
                let x = r[Int(i.a)]
                let y = r[Int(i.b)]
                r[d] = x.isNaN || y.isNaN ? .nan : (y < x ? y : x)
            case .max2:
                let x = r[Int(i.a)]
                let y = r[Int(i.b)]
                r[d] = x.isNaN || y.isNaN ? .nan : (y > x ? y : x)
            case .clamp:
                let x = r[Int(i.a)]
                let lo = r[Int(i.b)]
                let hi = r[Int(i.c)]
                r[d] = x.isNaN || lo.isNaN || hi.isNaN ? .nan : (x < lo ? lo : (x > hi ? hi : x))
            case .abs: r[d] = Swift.abs(r[Int(i.a)])
            case .log, .log10:
                let x = r[Int(i.a)]
                if x.isNaN {
                    r[d] = x
                } else if x <= 0 {
                    faults += 1
                    sink.fault("logarithm of \(Format.number(x))")
                    r[d] = .nan
                } else {
                    r[d] = i.op == .log ? Foundation.log(x) : Foundation.log10(x)
                }
            case .sqrt:
                let x = r[Int(i.a)]
                if x < 0 {
                    faults += 1
                    sink.fault("square root of \(Format.number(x))")
                    r[d] = .nan
                } else {
                    r[d] = x.squareRoot()
                }
            case .round: r[d] = r[Int(i.a)].rounded(.toNearestOrAwayFromZero)
            case .roundDigits:
                let p = Foundation.pow(10, r[Int(i.b)].rounded())
                r[d] = (r[Int(i.a)] * p).rounded(.toNearestOrAwayFromZero) / p
            case .lookup:
                let x = r[Int(i.a)]
                // A value outside the fact's domain (only reachable through the library) is a fault,
                // never a read outside the table.
                if x.isNaN {
                    r[d] = x
                } else if x >= 0 && x < Double(i.c) {
                    r[d] = tables[Int(i.b) + Int(x)]
                } else {
                    faults += 1
                    sink.fault("value \(Format.number(x)) is outside the fact's domain")
                    r[d] = .nan
                }
            case .scale:
                let x = r[Int(i.a)]
                if x.isNaN {
                    r[d] = x
                } else {
                    let v = (x - i.imm) / i.imm2 * 100
                    r[d] = v < 0 ? 0 : (v > 100 ? 100 : v)
                }
            case .caseSelect:
                let c = r[Int(i.a)]
                if c.isNaN {
                    r[d] = c
                    pc = Int(i.c)
                } else if c != 0 {
                    r[d] = i.imm
                    sink.caseFired(index: Int(i.imm2))
                    pc = Int(i.c)
                } else {
                    pc = Int(i.b)
                }
            case .caseFold:
                let c = r[Int(i.a)]
                r[d] = c.isNaN ? c : (c != 0 ? i.imm : r[Int(i.b)])
            case .foldLess: r[d] = fold(r[Int(i.a)], r[Int(i.b)], i.imm, r[d]) { $0 < $1 }
            case .foldLessEqual: r[d] = fold(r[Int(i.a)], r[Int(i.b)], i.imm, r[d]) { $0 <= $1 }
            case .foldEqual: r[d] = fold(r[Int(i.a)], r[Int(i.b)], i.imm, r[d]) { $0 == $1 }
            case .foldNotEqual: r[d] = fold(r[Int(i.a)], r[Int(i.b)], i.imm, r[d]) { $0 != $1 }
            case .caseHit:
                r[d] = i.imm
                sink.caseFired(index: Int(i.b))
                pc = Int(i.c)
            case .leafStart: sink.leafStart(Int(i.a))
            case .gateStart: sink.gateStart(Int(i.a))
            }
        }
        return faults
    }

    /// One case of a jump-free `cases` folded from the last: `caseFold` of `compare`, unknown if
    /// the comparison is, the case's risk if it holds, else what the later cases gave.
    @inline(__always)
    static func fold(_ x: Double, _ y: Double, _ risk: Double, _ later: Double, _ f: (Double, Double) -> Bool) -> Double {
        let c = compare(x, y, f)
        return c.isNaN ? c : (c != 0 ? risk : later)
    }

    @inline(__always)
    static func compare(_ x: Double, _ y: Double, _ f: (Double, Double) -> Bool) -> Double {
        x.isNaN || y.isNaN ? .nan : (f(x, y) ? 1 : 0)
    }
}
