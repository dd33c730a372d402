import Foundation

/// Runs the jump-free batch program over 64 candidates at once. Register r of lane j is at
/// `r * 64 + j`. Each instruction is a few branch-free SIMD operations over the lanes, with the
/// very formulas of `Machine` (same IEEE operations, same order), so results are bit-identical.
/// Instructions that can fault mark the lane in `fault`; the caller scores those lanes again
/// one by one, where guards are honoured exactly.
enum BatchMachine {
    typealias V = SIMD8<Double>
    /// Lanes per batch, and SIMD vectors per register.
    static let lanes = 64
    static let vectors = lanes / V.scalarCount

    @inline(__always) static func load(_ p: UnsafeMutablePointer<Double>, _ k: Int) -> V {
        UnsafeRawPointer(p + k &* 8).loadUnaligned(as: V.self)
    }
    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Double>, _ k: Int) {
        UnsafeMutableRawPointer(p + k &* 8).storeBytes(of: v, as: V.self)
    }
    @inline(__always) static func isNaN(_ v: V) -> SIMDMask<SIMD8<Int64>> { v .!= v }

    static let zero = V(repeating: 0), one = V(repeating: 1), nan = V(repeating: .nan), hundred = V(repeating: 100)

    /// Kleene comparison: NaN if either side is NaN, else 1 or 0.
    @inline(__always) static func compared(_ x: V, _ y: V, _ m: SIMDMask<SIMD8<Int64>>) -> V {
        zero.replacing(with: 1, where: m).replacing(with: .nan, where: isNaN(x) .| isNaN(y))
    }

    static func run(
        _ code: UnsafeBufferPointer<Instruction>, tables: UnsafePointer<Double>,
        registers r: UnsafeMutablePointer<Double>, fault: UnsafeMutablePointer<UInt8>
    ) {
        let n = lanes
        for i in code {
            let z = r + Int(i.dst) &* n
            let xp = r + Int(i.a) &* n
            let yp = r + Int(i.b) &* n
            switch i.op {
            case .constant:
                let c = V(repeating: i.imm)
                for k in 0..<vectors { store(c, z, k) }
            case .move: for k in 0..<vectors { store(load(xp, k), z, k) }
            case .known: for k in 0..<vectors { store(one.replacing(with: 0, where: isNaN(load(xp, k))), z, k) }
            case .negate: for k in 0..<vectors { store(-load(xp, k), z, k) }
            case .not:
                for k in 0..<vectors {
                    let v = load(xp, k)
                    store((one - v).replacing(with: v, where: isNaN(v)), z, k)
                }
            case .add: for k in 0..<vectors { store(load(xp, k) + load(yp, k), z, k) }
            case .subtract: for k in 0..<vectors { store(load(xp, k) - load(yp, k), z, k) }
            case .multiply: for k in 0..<vectors { store(load(xp, k) * load(yp, k), z, k) }
            case .divide:
                for k in 0..<vectors {
                    let x = load(xp, k)
                    let d = load(yp, k)
                    let byZero = d .== 0
                    store((x / d).replacing(with: .nan, where: byZero), z, k)
                    if any(byZero) { for j in 0..<8 where byZero[j] { fault[k &* 8 + j] = 1 } }
                }
            case .less:
                for k in 0..<vectors {
                    let x = load(xp, k)
                    let y = load(yp, k)
                    store(compared(x, y, x .< y), z, k)
                }
            case .lessEqual:
                for k in 0..<vectors {
                    let x = load(xp, k)
                    let y = load(yp, k)
                    store(compared(x, y, x .<= y), z, k)
                }
            case .greater:
                for k in 0..<vectors {
                    let x = load(xp, k)
                    let y = load(yp, k)
                    store(compared(x, y, x .> y), z, k)
                }
            case .greaterEqual:
                for k in 0..<vectors {
                    let x = load(xp, k)
                    let y = load(yp, k)
                    store(compared(x, y, x .>= y), z, k)
                }
            case .equal:
                for k in 0..<vectors {
                    let x = load(xp, k)
                    let y = load(yp, k)
                    store(compared(x, y, x .== y), z, k)
                }
            case .notEqual:
                for k in 0..<vectors {
                    let x = load(xp, k)
                    let y = load(yp, k)
                    store(compared(x, y, x .!= y), z, k)
                }
            case .and3:
                for k in 0..<vectors {
                    let a = load(xp, k)
                    let b = load(yp, k)
                    store(one.replacing(with: .nan, where: isNaN(a) .| isNaN(b)).replacing(with: 0, where: (a .== 0) .| (b .== 0)), z, k)
                }
            case .or3:
                for k in 0..<vectors {
                    let a = load(xp, k)
                    let b = load(yp, k)
                    store(zero.replacing(with: .nan, where: isNaN(a) .| isNaN(b)).replacing(with: 1, where: (a .== 1) .| (b .== 1)), z, k)
                }
            case .select:
                let wp = r + Int(i.c) &* n
                for k in 0..<vectors {
                    let c = load(xp, k)
                    store(load(wp, k).replacing(with: load(yp, k), where: c .!= 0).replacing(with: c, where: isNaN(c)), z, k)
                }
            case .caseFold:
                let risk = V(repeating: i.imm)
                for k in 0..<vectors {
                    let c = load(xp, k)
                    store(load(yp, k).replacing(with: risk, where: c .!= 0).replacing(with: c, where: isNaN(c)), z, k)
                }
            case .member:
                let start = Int(i.b)
                let count = Int(i.c)
                let negated = i.imm != 0
                for k in 0..<vectors {
                    let x = load(xp, k)
                    var found = SIMDMask<SIMD8<Int64>>(repeating: false)
                    for t in start..<(start + count) {
                        let equal = x .== V(repeating: tables[t])
                        found .|= equal
                    }
                    let hit = negated ? .!found : found
                    store(zero.replacing(with: 1, where: hit).replacing(with: x, where: isNaN(x)), z, k)
                }
            case .min2:
                for k in 0..<vectors {
                    let x = load(xp, k)
                    let y = load(yp, k)
                    store(x.replacing(with: y, where: y .< x).replacing(with: .nan, where: isNaN(x) .| isNaN(y)), z, k)
                }
            case .max2:
                for k in 0..<vectors {
                    let x = load(xp, k)
                    let y = load(yp, k)
                    store(x.replacing(with: y, where: y .> x).replacing(with: .nan, where: isNaN(x) .| isNaN(y)), z, k)
                }
            case .clamp:
                let wp = r + Int(i.c) &* n
                for k in 0..<vectors {
                    let v = load(xp, k)
                    let lo = load(yp, k)
                    let hi = load(wp, k)
                    store(
                        v.replacing(with: hi, where: v .> hi).replacing(with: lo, where: v .< lo)
                            .replacing(with: .nan, where: isNaN(v) .| isNaN(lo) .| isNaN(hi)), z, k)
                }
            case .abs: for j in 0..<n { z[j] = Swift.abs(xp[j]) }
            case .log, .log10:
                let ten = i.op == .log10
                for j in 0..<n {
                    let v = xp[j]
                    if v.isNaN {
                        z[j] = v
                    } else if v <= 0 {
                        fault[j] = 1
                        z[j] = .nan
                    } else {
                        z[j] = ten ? Foundation.log10(v) : Foundation.log(v)
                    }
                }
            case .sqrt:
                for j in 0..<n {
                    let v = xp[j]
                    if v < 0 {
                        fault[j] = 1
                        z[j] = .nan
                    } else {
                        z[j] = v.squareRoot()
                    }
                }
            case .round: for j in 0..<n { z[j] = xp[j].rounded(.toNearestOrAwayFromZero) }
            case .roundDigits:
                for j in 0..<n {
                    let p = Foundation.pow(10, yp[j].rounded())
                    z[j] = (xp[j] * p).rounded(.toNearestOrAwayFromZero) / p
                }
            case .lookup:
                let base = tables + Int(i.b)
                let size = Double(i.c)
                for j in 0..<n {
                    let v = xp[j]
                    if v.isNaN {
                        z[j] = v
                    } else if v >= 0 && v < size {
                        z[j] = base[Int(v)]
                    } else {
                        fault[j] = 1
                        z[j] = .nan
                    }
                }
            case .scale:
                let offset = V(repeating: i.imm)
                let width = V(repeating: i.imm2)
                let hundred = V(repeating: 100)
                for k in 0..<vectors {
                    let v = load(xp, k)
                    let s = (v - offset) / width * hundred
                    store(
                        s.replacing(with: 100, where: s .> 100).replacing(with: 0, where: s .< 0).replacing(with: v, where: isNaN(v)), z, k)
                }
            case .fact, .jumpIfZero, .jumpIfOne, .jump, .and2, .or2, .branch, .caseHit, .caseSelect,
                .leafStart, .gateStart:
                preconditionFailure("the batch program has no jumps or trace instructions")
            }
        }
    }
}
