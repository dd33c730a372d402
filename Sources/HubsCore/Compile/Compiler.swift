/// The compile stage: lowers a checked policy into instructions and an aggregation plan.
public enum PolicyCompiler {
    /// Load-free entry point for a policy already in memory: check, then compile.
    public static func compile(_ policy: Policy, limits: InputLimits = .standard) -> Result<CompiledPolicy, DiagnosticsError> {
        switch PolicyChecker(limits: limits).check(policy) {
        case let .success(checked): return .success(compile(checked))
        case let .failure(e): return .failure(e)
        }
    }

    public static func compile(_ checked: CheckedPolicy) -> CompiledPolicy {
        var criteria: [CriterionInfo] = []
        var leafRules: [(CheckedRule, Int)] = []   // rule, pre-order index
        // Pre-order walk to number criteria and leaves.
        func walk(_ node: CheckedNode, depth: Int, parent: Int?) {
            let c = node.criterion
            let index = criteria.count
            var info = CriterionInfo(id: c.id, title: c.title, description: c.description, kind: .group(.mean), depth: depth,
                                     parent: parent, weight: c.weight, planIndex: -1, leaf: nil, slots: [], location: c.location,
                                     caseLabels: [], caseRisks: [], mapRisks: [], scale: nil, expressionText: nil)
            switch node {
            case let .group(_, agg, children):
                info.kind = .group(agg)
                criteria.append(info)
                for ch in children { walk(ch, depth: depth + 1, parent: index) }
            case let .leaf(_, rule, missing):
                if case let .leaf(r, _) = c.body { info.kind = .leaf(rule: r.kindName, missing: missing) }
                info.leaf = leafRules.count
                var slots = Set<Int>()
                switch rule {
                case let .expression(t):
                    t.collectSlots(into: &slots)
                    if case let .leaf(.expression(src), _) = c.body { info.expressionText = src.text }
                case let .cases(cs, otherwise):
                    for k in cs { k.condition.collectSlots(into: &slots) }
                    info.caseLabels = cs.map(\.label) + [otherwise.label]
                    info.caseRisks = cs.map(\.risk) + [otherwise.risk]
                case let .map(slot, table):
                    slots.insert(slot)
                    let names: [String]
                    switch checked.policy.facts[slot].type {
                    case let .enumeration(v): names = v
                    default: names = ["false", "true"]
                    }
                    info.mapRisks = zip(names, table).map { ($0, $1) }
                case let .scale(t, best, worst, transform):
                    t.collectSlots(into: &slots)
                    info.scale = (best, worst, transform)
                    if case let .leaf(.scale(src, _, _, _, _), _) = c.body { info.expressionText = src.text }
                }
                info.slots = slots.sorted()
                leafRules.append((rule, index))
                criteria.append(info)
            }
        }
        for n in checked.root { walk(n, depth: 0, parent: nil) }

        // Post-order plan. A virtual root group holds the top-level criteria.
        var plan: [PlanNode] = []
        var childNodes: [Int32] = []
        var weights: [Double] = []
        var edgeCriterion: [Int] = []
        var leafShare = [Double](repeating: 0, count: leafRules.count)
        func children(of index: Int) -> [Int] { criteria.indices.filter { criteria[$0].parent == index } }
        func build(_ index: Int, share: Double) -> Int {
            let info = criteria[index]
            switch info.kind {
            case let .leaf(_, missing):
                let (kind, r): (UInt8, Double) = switch missing {
                case .worst: (0, 100)
                case let .assume(v): (1, v)
                case .skip: (2, .nan)
                }
                leafShare[info.leaf!] = share
                plan.append(PlanNode(kind: .leaf, leaf: Int32(info.leaf!), childStart: 0, childCount: 0, missingKind: kind, assumedRisk: r))
            case let .group(agg):
                let kids = children(of: index)
                let total = kids.reduce(0.0) { $0 + criteria[$1].weight }
                let built = kids.map { build($0, share: share * criteria[$0].weight / total) }
                appendGroup(agg, built, kids)
            }
            criteria[index].planIndex = plan.count - 1
            return plan.count - 1
        }
        func appendGroup(_ agg: Aggregation, _ built: [Int], _ kids: [Int]) {
            let start = childNodes.count
            for (b, k) in zip(built, kids) {
                childNodes.append(Int32(b)); weights.append(criteria[k].weight); edgeCriterion.append(k)
            }
            let kind: PlanNode.Kind = switch agg {
            case .mean: .mean
            case .geometric: .geometric
            case .max: .max
            }
            plan.append(PlanNode(kind: kind, leaf: -1, childStart: Int32(start), childCount: Int32(kids.count),
                                 missingKind: 0, assumedRisk: 0))
        }
        let tops = criteria.indices.filter { criteria[$0].parent == nil }
        let topTotal = tops.reduce(0.0) { $0 + criteria[$1].weight }
        let builtTops = tops.map { build($0, share: criteria[$0].weight / topTotal) }
        appendGroup(checked.policy.aggregate, builtTops, tops)

        // Instructions.
        let leafCount = leafRules.count
        var gates: [GateInfo] = []
        for (g, t) in checked.gates {
            var s = Set<Int>(); t.collectSlots(into: &s)
            gates.append(GateInfo(id: g.id, reason: g.reason, onMissing: g.onMissing, condition: g.condition.text,
                                  slots: s.sorted(), location: g.location))
        }
        var fast = CodeGen(firstTemp: leafCount + gates.count, traced: false)
        var traced = CodeGen(firstTemp: leafCount + gates.count, traced: true)
        for gen in [0, 1] {
            var cg = gen == 0 ? fast : traced
            for (i, (rule, _)) in leafRules.enumerated() { cg.emitLeaf(i, rule) }
            for (i, (_, t)) in checked.gates.enumerated() { cg.emitGate(leafCount + i, index: i, t) }
            if gen == 0 { fast = cg } else { traced = cg }
        }
        return CompiledPolicy(policy: checked.policy, facts: checked.policy.facts, criteria: criteria, gates: gates,
                              bands: checked.policy.bands, warnings: checked.warnings, fastCode: fast.code,
                              traceCode: traced.code, constants: traced.constants,
                              registerCount: max(fast.maxRegister, traced.maxRegister) + 1, leafCount: leafCount,
                              plan: plan, childNodes: childNodes, nominalWeights: weights, edgeCriterion: edgeCriterion,
                              leafNominalShare: leafShare, leafCriterion: leafRules.map(\.1),
                              gateExcludesWhenUnknown: checked.gates.map { $0.0.onMissing == .exclude })
    }
}

/// Lowers typed expressions to instructions with a simple stack discipline for temporaries.
struct CodeGen {
    var code: [Instruction] = []
    var constants: [Double] = []
    let firstTemp: Int
    let traced: Bool
    var nextTemp: Int
    var maxRegister: Int

    init(firstTemp: Int, traced: Bool) {
        self.firstTemp = firstTemp
        self.traced = traced
        self.nextTemp = firstTemp
        self.maxRegister = firstTemp
    }

    mutating func temp() -> Int32 {
        let r = nextTemp
        nextTemp += 1
        maxRegister = max(maxRegister, r)
        return Int32(r)
    }

    mutating func emit(_ i: Instruction) { code.append(i) }
    var here: Int32 { Int32(code.count) }

    mutating func patch(_ at: Int, b: Int32? = nil, c: Int32? = nil) {
        if let b { code[at].b = b }
        if let c { code[at].c = c }
    }

    mutating func constantsTable(_ values: [Double]) -> Int32 {
        let start = constants.count
        constants.append(contentsOf: values)
        return Int32(start)
    }

    mutating func emitLeaf(_ leaf: Int, _ rule: CheckedRule) {
        nextTemp = firstTemp
        let dst = Int32(leaf)
        if traced { emit(Instruction(.leafStart, a: dst)) }
        switch rule {
        case let .expression(t):
            expr(t, into: dst)
        case let .map(slot, table):
            let t = temp()
            emit(Instruction(.fact, dst: t, a: Int32(slot)))
            emit(Instruction(.lookup, dst: dst, a: t, b: constantsTable(table)))
        case let .scale(t, best, worst, transform):
            let x = temp()
            expr(t, into: x)
            let tb: Double, tw: Double
            switch transform {
            case .none: tb = best; tw = worst
            case .log: tb = Foundation.log(best); tw = Foundation.log(worst)
                emit(Instruction(.log, dst: x, a: x))
            case .log10: tb = Foundation.log10(best); tw = Foundation.log10(worst)
                emit(Instruction(.log10, dst: x, a: x))
            case .sqrt: tb = best.squareRoot(); tw = worst.squareRoot()
                emit(Instruction(.sqrt, dst: x, a: x))
            }
            emit(Instruction(.scale, dst: dst, a: x, imm: tb, imm2: 100 / (tw - tb)))
        case let .cases(cases, otherwise):
            var hits: [Int] = []
            var tests: [Int] = []
            let cond = temp()
            for (k, c) in cases.enumerated() {
                expr(c.condition, into: cond)
                tests.append(code.count)
                emit(Instruction(.caseTest, dst: dst, a: cond))
                hits.append(code.count)
                emit(Instruction(.caseHit, dst: dst, a: dst, b: Int32(k), imm: c.risk))
                patch(tests.last!, b: here)      // false: go to next case
            }
            hits.append(code.count)
            emit(Instruction(.caseHit, dst: dst, a: dst, b: Int32(cases.count), imm: otherwise.risk))
            let end = here
            for t in tests { patch(t, c: end) }   // unknown: leaf is unknown
            for h in hits { patch(h, c: end) }
        }
    }

    mutating func emitGate(_ register: Int, index: Int, _ t: TypedExpr) {
        nextTemp = firstTemp
        if traced { emit(Instruction(.gateStart, a: Int32(index))) }
        expr(t, into: Int32(register))
    }

    mutating func expr(_ e: TypedExpr, into dst: Int32) {
        switch e {
        case let .constant(v):
            emit(Instruction(.constant, dst: dst, imm: v))
        case let .fact(s):
            emit(Instruction(.fact, dst: dst, a: Int32(s)))
        case let .known(s):
            emit(Instruction(.known, dst: dst, a: Int32(s)))
        case let .negate(x):
            expr(x, into: dst); emit(Instruction(.negate, dst: dst, a: dst))
        case let .not(x):
            expr(x, into: dst); emit(Instruction(.not, dst: dst, a: dst))
        case let .arithmetic(op, a, b):
            let (ra, rb) = operands(a, b, dst)
            let code: OpCode = switch op {
            case .add: .add
            case .subtract: .subtract
            case .multiply: .multiply
            case .divide: .divide
            }
            emit(Instruction(code, dst: dst, a: ra, b: rb)); release(rb)
        case let .comparison(op, a, b):
            let (ra, rb) = operands(a, b, dst)
            let code: OpCode = switch op {
            case .less: .less
            case .lessEqual: .lessEqual
            case .greater: .greater
            case .greaterEqual: .greaterEqual
            case .equal: .equal
            case .notEqual: .notEqual
            }
            emit(Instruction(code, dst: dst, a: ra, b: rb)); release(rb)
        case let .and(a, b), let .or(a, b):
            let isAnd: Bool = if case .and = e { true } else { false }
            expr(a, into: dst)
            let skip = code.count
            emit(Instruction(isAnd ? .jumpIfZero : .jumpIfOne, a: dst))
            let rb = temp()
            expr(b, into: rb)
            emit(Instruction(isAnd ? .and2 : .or2, dst: dst, a: dst, b: rb))
            release(rb)
            patch(skip, b: here)
        case let .member(x, values, negated):
            expr(x, into: dst)
            emit(Instruction(.member, dst: dst, a: dst, b: constantsTable(values), c: Int32(values.count), imm: negated ? 1 : 0))
        case let .conditional(c, a, b):
            expr(c, into: dst)
            let br = code.count
            emit(Instruction(.branch, dst: dst, a: dst))
            expr(a, into: dst)
            let j = code.count
            emit(Instruction(.jump))
            patch(br, b: here)
            expr(b, into: dst)
            patch(j, b: here)
            patch(br, c: here)
        case let .call(fn, args):
            switch fn {
            case .min, .max:
                expr(args[0], into: dst)
                let t = temp()
                for a in args.dropFirst() {
                    expr(a, into: t)
                    emit(Instruction(fn == .min ? .min2 : .max2, dst: dst, a: dst, b: t))
                }
                release(t)
            case .clamp:
                expr(args[0], into: dst)
                let lo = temp(), hi = temp()
                expr(args[1], into: lo); expr(args[2], into: hi)
                emit(Instruction(.clamp, dst: dst, a: dst, b: lo, c: hi))
                release(hi); release(lo)
            case .abs, .log, .log10, .sqrt:
                expr(args[0], into: dst)
                let op: OpCode = fn == .abs ? .abs : fn == .log ? .log : fn == .log10 ? .log10 : .sqrt
                emit(Instruction(op, dst: dst, a: dst))
            case .round:
                expr(args[0], into: dst)
                if args.count == 2 {
                    let d = temp()
                    expr(args[1], into: d)
                    emit(Instruction(.roundDigits, dst: dst, a: dst, b: d))
                    release(d)
                } else {
                    emit(Instruction(.round, dst: dst, a: dst))
                }
            case .known, .date:
                preconditionFailure("known() and date() are resolved by the type checker")
            }
        }
    }

    /// Evaluates `a` into dst and `b` into a fresh temporary.
    mutating func operands(_ a: TypedExpr, _ b: TypedExpr, _ dst: Int32) -> (Int32, Int32) {
        expr(a, into: dst)
        let rb = temp()
        expr(b, into: rb)
        return (dst, rb)
    }

    mutating func release(_ r: Int32) { if Int(r) == nextTemp - 1 { nextTemp -= 1 } }
}

import Foundation
