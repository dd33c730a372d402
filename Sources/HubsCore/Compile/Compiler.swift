import Foundation

/// The compile stage: lowers a checked policy into instructions and an aggregation plan.
public enum PolicyCompiler {
    /// Load-free entry point for a policy already in memory: check, then compile.
    public static func compile(_ policy: Policy, limits: InputLimits = .standard) -> Result<CompiledPolicy, DiagnosticsError> {
        switch PolicyChecker(limits: limits).check(policy) {
        case let .success(checked): return .success(compile(checked))
        case let .failure(e): return .failure(e)
        }
    }

    /// Lowers a checked policy, in named steps: the criteria layout (pre-order numbering), the
    /// aggregation plan, code generation (three programs over one constant pool), fact-use
    /// analysis for what-if, and the constraints.
    public static func compile(_ checked: CheckedPolicy) -> CompiledPolicy {
        let layout = CriteriaLayout(checked)
        let plan = AggregationPlan(layout.criteria, leafCount: layout.leafRules.count, rootAggregate: checked.policy.aggregate)
        let gates = checked.gates.map { g, t in
            var s = Set<Int>()
            t.collectSlots(into: &s)
            return GateInfo(
                id: g.id, reason: g.reason, onMissing: g.onMissing, condition: g.condition.text,
                slots: s.sorted(), location: g.location, rationale: g.rationale)
        }
        let code = Programs(checked, leafRules: layout.leafRules.map(\.rule))
        return CompiledPolicy(
            policy: checked.policy, facts: checked.policy.facts, criteria: plan.criteria, gates: gates,
            bands: checked.policy.bands, bandBounds: checked.policy.bands.map { $0.below.map(RiskComparison.key) ?? .infinity },
            warnings: checked.warnings, constraints: constraints(checked), fastCode: code.fast,
            traceCode: code.traced, batchCode: code.batch, tables: code.pool.tables, constantRegisters: code.pool.values,
            constantBase: code.constantBase, registerCount: code.constantBase + code.pool.values.count,
            leafCount: layout.leafRules.count, leafBase: checked.policy.facts.count, groups: plan.groups, childValues: plan.childValues,
            leafMissingValue: plan.leafMissing, nominalWeights: plan.weights, edgeCriterion: plan.edgeCriterion,
            factUses: factUses(checked, leafRules: layout.leafRules.map(\.rule)),
            leafNominalShare: plan.leafShare, leafCriterion: layout.leafRules.map(\.criterion),
            gateExcludesWhenUnknown: checked.gates.map { $0.0.onMissing == .exclude })
    }

    /// How each fact is used: breakpoints, whether every use is simple, scale directions, whether
    /// a gate reads it (for what-if search).
    static func factUses(_ checked: CheckedPolicy, leafRules: [CheckedRule]) -> [FactUse] {
        var uses = [FactUse](repeating: FactUse(), count: checked.policy.facts.count)
        for rule in leafRules {
            var slots = Set<Int>()
            switch rule {
            case let .expression(t), let .scale(t, _, _, _): t.collectSlots(into: &slots)
            case let .cases(cs, _): for c in cs { c.condition.collectSlots(into: &slots) }
            case let .map(slot, _): slots.insert(slot)
            }
            for slot in slots { uses[slot].read = true }
            switch rule {
            case let .expression(t): FactUseCollector.collect(t, into: &uses, direct: false)
            case let .cases(cs, _): for c in cs { FactUseCollector.collect(c.condition, into: &uses, direct: true) }
            case .map: break
            case let .scale(t, best, worst, transform):
                if case let .fact(slot) = t, transform == .none {
                    uses[slot].breakpoints += [best, worst]
                    uses[slot].scaleDirections.insert(worst > best ? 1 : -1)
                } else {
                    FactUseCollector.collect(t, into: &uses, direct: false)
                }
            }
        }
        for (_, t) in checked.gates {
            var s = Set<Int>()
            t.collectSlots(into: &s)
            for slot in s {
                uses[slot].readByGates = true
                uses[slot].read = true
            }
            FactUseCollector.collect(t, into: &uses, direct: true)
        }
        for i in uses.indices { uses[i].breakpoints = Array(Set(uses[i].breakpoints)).sorted() }
        return uses
    }

    static func constraints(_ checked: CheckedPolicy) -> [CompiledConstraint] {
        checked.constraints.map { k, when, require in
            var slots = Set<Int>()
            require.collectSlots(into: &slots)
            when?.collectSlots(into: &slots)
            return CompiledConstraint(
                id: k.id, reason: k.reason, location: k.location,
                text: k.when.map { "\($0.text) → \(k.require.text)" } ?? k.require.text,
                when: when.map { FactPredicate.make($0, factCount: checked.policy.facts.count) },
                require: FactPredicate.make(require, factCount: checked.policy.facts.count), slots: slots.sorted())
        }
    }
}

/// Step 1: the criteria numbered in pre-order, with what renderers need of each, and the leaves'
/// rules in leaf order.
struct CriteriaLayout {
    var criteria: [CriterionInfo] = []
    var leafRules: [(rule: CheckedRule, criterion: Int)] = []
    let facts: [FactDeclaration]

    init(_ checked: CheckedPolicy) {
        facts = checked.policy.facts
        for n in checked.root { walk(n, depth: 0, parent: nil) }
    }

    mutating func walk(_ node: CheckedNode, depth: Int, parent: Int?) {
        let c = node.criterion
        let index = criteria.count
        var info = CriterionInfo(
            id: c.id, title: c.title, description: c.description, kind: .group(.mean), depth: depth,
            parent: parent, weight: c.weight, valueIndex: -1, leaf: nil, slots: [], location: c.location,
            weightLocation: c.weightLocation, caseConditions: [], caseLabels: [], caseRisks: [], mapRisks: [], scale: nil,
            expressionText: nil,
            rationale: c.rationale, ruleRationale: c.ruleRationale, missingRationale: c.missingRationale,
            missingRange: c.missingRange)
        switch node {
        case let .group(_, agg, children):
            info.kind = .group(agg)
            criteria.append(info)
            for ch in children { walk(ch, depth: depth + 1, parent: index) }
        case let .leaf(_, rule, missing):
            if case let .leaf(r, _) = c.body { info.kind = .leaf(rule: r.kind, missing: missing) }
            info.leaf = leafRules.count
            describe(&info, rule, c)
            leafRules.append((rule, index))
            criteria.append(info)
        }
    }

    /// A leaf's slots, case labels and risks, mapped risks, goalposts and expression text.
    func describe(_ info: inout CriterionInfo, _ rule: CheckedRule, _ c: Criterion) {
        var slots = Set<Int>()
        switch rule {
        case let .expression(t):
            t.collectSlots(into: &slots)
            if case let .leaf(.expression(src), _) = c.body { info.expressionText = src.text }
        case let .cases(cs, otherwise):
            for k in cs { k.condition.collectSlots(into: &slots) }
            info.caseLabels = cs.map(\.label) + [otherwise.label]
            if case let .leaf(.cases(written, _), _) = c.body {
                info.caseConditions = written.map(\.when.text)
                info.caseRationales = written.map(\.rationale) + [c.ruleRationale]
            }
            info.caseRisks = cs.map(\.risk) + [otherwise.risk]
        case let .map(slot, table):
            slots.insert(slot)
            let names: [String] = if case let .enumeration(v) = facts[slot].type { v } else { ["false", "true"] }
            info.mapRisks = zip(names, table).map { ($0, $1) }
        case let .scale(t, best, worst, transform):
            t.collectSlots(into: &slots)
            info.scale = (best, worst, transform)
            if case let .leaf(.scale(src, _, _, _, _), _) = c.body { info.expressionText = src.text }
        }
        info.slots = slots.sorted()
    }
}

/// Step 2: the post-order aggregation plan over groups (a virtual root group holds the top-level
/// criteria), with each leaf's nominal share of the total and its missing-data value.
struct AggregationPlan {
    var criteria: [CriterionInfo]
    let leafCount: Int
    var groups: [GroupPlan] = []
    var childValues: [Int32] = []
    var weights: [Double] = []
    var edgeCriterion: [Int] = []
    var leafShare: [Double]
    var leafMissing: [Double]

    init(_ criteria: [CriterionInfo], leafCount: Int, rootAggregate: Aggregation) {
        self.criteria = criteria
        self.leafCount = leafCount
        leafShare = [Double](repeating: 0, count: leafCount)
        leafMissing = [Double](repeating: 100, count: leafCount)
        let tops = criteria.indices.filter { criteria[$0].parent == nil }
        let topTotal = tops.reduce(0.0) { $0 + criteria[$1].weight }
        let builtTops = tops.map { build($0, share: criteria[$0].weight / topTotal) }
        appendGroup(rootAggregate, builtTops, tops)
    }

    func children(of index: Int) -> [Int] { criteria.indices.filter { criteria[$0].parent == index } }

    /// Plans criterion `index` (its children first) and returns its value index.
    mutating func build(_ index: Int, share: Double) -> Int {
        let info = criteria[index]
        switch info.kind {
        case let .leaf(_, missing):
            let l = info.leaf ?? 0  // a leaf kind always has a leaf index
            leafMissing[l] =
                switch missing {
                case .worst: 100
                case let .assume(v): v
                case .skip: .nan
                }
            leafShare[l] = share
            criteria[index].valueIndex = l
        case let .group(agg):
            let kids = children(of: index)
            let total = kids.reduce(0.0) { $0 + criteria[$1].weight }
            let built = kids.map { build($0, share: share * criteria[$0].weight / total) }
            appendGroup(agg, built, kids)
            criteria[index].valueIndex = leafCount + groups.count - 1
        }
        return criteria[index].valueIndex
    }

    mutating func appendGroup(_ agg: Aggregation, _ built: [Int], _ kids: [Int]) {
        let start = childValues.count
        for (b, k) in zip(built, kids) {
            childValues.append(Int32(b))
            weights.append(criteria[k].weight)
            edgeCriterion.append(k)
        }
        groups.append(GroupPlan(kind: GroupPlan.Kind(agg), childStart: Int32(start), childCount: Int32(kids.count)))
    }
}

/// Step 3: the same rules three times over one constant pool: plain, traced (for explanations),
/// and jump-free (for batches); constants go after the largest temporary any program uses.
struct Programs {
    let pool = ConstantPool()
    let fast: [Instruction]
    let traced: [Instruction]
    let batch: [Instruction]
    let constantBase: Int

    init(_ checked: CheckedPolicy, leafRules: [CheckedRule]) {
        var programs: [CodeGen] = []
        for mode in [CodeGen.Mode.plain, .traced, .batch] {
            var cg = CodeGen(
                factCount: checked.policy.facts.count, leafCount: leafRules.count, gateCount: checked.gates.count, mode: mode, pool: pool)
            for (i, rule) in leafRules.enumerated() { cg.emitLeaf(i, rule) }
            for (i, (_, t)) in checked.gates.enumerated() { cg.emitGate(i, t) }
            programs.append(cg)
        }
        constantBase = (programs.map(\.maxRegister).max() ?? 0) + 1
        fast = programs[0].finished(constantBase: constantBase)
        traced = programs[1].finished(constantBase: constantBase)
        batch = programs[2].finished(constantBase: constantBase)
    }
}

/// Finds, for each fact, the constants it is compared with, and whether every use is simple.
enum FactUseCollector {
    /// `direct`: this expression is a condition (cases, gates), where comparisons with constants
    /// are simple uses; elsewhere any fact read makes its use not simple.
    static func collect(_ e: TypedExpr, into uses: inout [FactUse], direct: Bool) {
        switch e {
        case .constant, .known: break
        case let .fact(s): uses[s].simple = false
        case let .comparison(_, .fact(s), .constant(v)), let .comparison(_, .constant(v), .fact(s)):
            if direct {
                uses[s].breakpoints.append(v)
            } else {
                uses[s].simple = false
                uses[s].breakpoints.append(v)
            }
        case let .member(.fact(s), values, _):
            uses[s].breakpoints += values
            if !direct { uses[s].simple = false }
        case let .and(a, b), let .or(a, b):
            collect(a, into: &uses, direct: direct)
            collect(b, into: &uses, direct: direct)
        case let .not(a):
            collect(a, into: &uses, direct: direct)
        case let .negate(a):
            collect(a, into: &uses, direct: false)
        case let .arithmetic(_, a, b), let .comparison(_, a, b):
            collect(a, into: &uses, direct: false)
            collect(b, into: &uses, direct: false)
        case let .member(a, _, _):
            collect(a, into: &uses, direct: false)
        case let .conditional(c, a, b):
            collect(c, into: &uses, direct: direct)
            collect(a, into: &uses, direct: false)
            collect(b, into: &uses, direct: false)
        case let .call(_, args):
            for a in args { collect(a, into: &uses, direct: false) }
        }
    }
}

/// Constants and lookup tables shared by the plain and the traced program.
final class ConstantPool {
    var values: [Double] = []
    var index: [UInt64: Int] = [:]
    var tables: [Double] = []

    /// Placeholder register for a constant: -1 - k, patched to `constantBase + k` at the end.
    func register(_ v: Double) -> Int32 {
        if let k = index[v.bitPattern] { return Int32(-1 - k) }
        values.append(v)
        index[v.bitPattern] = values.count - 1
        return Int32(-values.count)
    }

    func table(_ v: [Double]) -> Int32 {
        let start = tables.count
        tables.append(contentsOf: v)
        return Int32(start)
    }
}

/// Lowers typed expressions to instructions. Operands that are facts (in the plain program) or
/// constants are read straight from their registers; anything else is computed into a temporary,
/// allocated as on a stack.
struct CodeGen {
    /// plain: for scoring one candidate; traced: records reads and short-circuits exactly as
    /// written, for explanations; batch: no jumps at all (everything evaluated, then selected),
    /// for scoring many candidates at once.
    enum Mode { case plain, traced, batch }
    var code: [Instruction] = []
    let mode: Mode
    var traced: Bool { mode == .traced }
    var batch: Bool { mode == .batch }
    let pool: ConstantPool
    let leafBase: Int
    let gateBase: Int
    let firstTemp: Int
    var nextTemp: Int
    var maxRegister: Int

    init(factCount: Int, leafCount: Int, gateCount: Int, mode: Mode, pool: ConstantPool) {
        self.mode = mode
        self.pool = pool
        leafBase = factCount
        gateBase = factCount + leafCount
        firstTemp = gateBase + gateCount
        nextTemp = firstTemp
        maxRegister = firstTemp - 1
    }

    /// The program with constant placeholders turned into registers. Checks that every jump goes
    /// forward and stays inside the program: the language has no loops, so evaluation always ends.
    func finished(constantBase: Int) -> [Instruction] {
        func fix(_ r: Int32) -> Int32 { r < 0 ? Int32(constantBase) + (-1 - r) : r }
        for (pc, i) in code.enumerated() {
            let targets: [Int32] =
                switch i.op {
                case .jump, .jumpIfZero, .jumpIfOne: [i.b]
                case .branch, .caseSelect: [i.b, i.c]
                case .caseHit: [i.c]
                default: []
                }
            for t in targets {
                precondition(Int(t) > pc && Int(t) <= code.count, "compiler bug: jump from \(pc) to \(t) in a program of \(code.count)")
            }
        }
        return code.map { i in
            var i = i
            i.a = fix(i.a)
            i.b = fix(i.b)
            i.c = fix(i.c)
            return i
        }
    }

    mutating func temp() -> Int32 {
        let r = nextTemp
        nextTemp += 1
        maxRegister = max(maxRegister, r)
        return Int32(r)
    }

    mutating func release(_ r: Int32) { if Int(r) == nextTemp - 1, Int(r) >= firstTemp { nextTemp -= 1 } }
    mutating func emit(_ i: Instruction) { code.append(i) }
    var here: Int32 { Int32(code.count) }
    mutating func patch(_ at: Int, b: Int32? = nil, c: Int32? = nil) {
        if let b { code[at].b = b }
        if let c { code[at].c = c }
    }

    /// A register holding the value of `e`: the fact's or constant's own, or a new temporary.
    mutating func operand(_ e: TypedExpr) -> Int32 {
        switch e {
        case let .fact(s) where !traced: return Int32(s)
        case let .constant(v): return pool.register(v)
        default:
            let t = temp()
            expr(e, into: t)
            return t
        }
    }

    mutating func emitLeaf(_ leaf: Int, _ rule: CheckedRule) {
        nextTemp = firstTemp
        let dst = Int32(leafBase + leaf)
        if traced { emit(Instruction(.leafStart, a: Int32(leaf))) }
        switch rule {
        case let .expression(t):
            expr(t, into: dst)
        case let .map(slot, table):
            let x = operand(.fact(slot))
            emit(Instruction(.lookup, dst: dst, a: x, b: pool.table(table), c: Int32(table.count)))
        case let .scale(t, best, worst, transform):
            var x = operand(t)
            let tb: Double
            let tw: Double
            switch transform {
            case .none:
                tb = best
                tw = worst
            case .log:
                tb = Foundation.log(best)
                tw = Foundation.log(worst)
                emit(Instruction(.log, dst: dst, a: x))
                x = dst
            case .log10:
                tb = Foundation.log10(best)
                tw = Foundation.log10(worst)
                emit(Instruction(.log10, dst: dst, a: x))
                x = dst
            case .sqrt:
                tb = best.squareRoot()
                tw = worst.squareRoot()
                emit(Instruction(.sqrt, dst: dst, a: x))
                x = dst
            }
            // (x − best) / (worst − best) × 100: exactly 0 at best and exactly 100 at worst (x − tb and
            // tw − tb are then the same number), and monotonic between, since each step is.
            emit(Instruction(.scale, dst: dst, a: x, imm: tb, imm2: tw - tb))
        case let .cases(cases, otherwise) where batch:
            // Every condition, then a fold from the last case back: unknown → unknown, true → its
            // risk, false → what the later cases gave. The same as first-match-wins.
            let conds = cases.map { operand($0.condition) }
            emit(Instruction(.constant, dst: dst, imm: otherwise.risk))
            for (k, c) in cases.enumerated().reversed() {
                emit(Instruction(.caseFold, dst: dst, a: conds[k], b: dst, imm: c.risk))
            }
            for r in conds.reversed() { release(r) }
        case let .cases(cases, otherwise) where !traced && !cases.contains(where: { $0.condition.canFault }):
            // The plain program, when no condition can fault: every condition is evaluated
            // (which changes nothing but the time) and the cases folded from the last, without
            // jumps — which case holds is data, a branch the processor cannot learn — and a
            // comparison with its fold in one instruction.
            emit(Instruction(.constant, dst: dst, imm: otherwise.risk))
            for c in cases.reversed() { fold(c.condition, risk: c.risk, into: dst) }
        case let .cases(cases, otherwise):
            // One instruction per case: unknown → leaf unknown; true → its risk; false → next case.
            var tests: [Int] = []
            for (k, c) in cases.enumerated() {
                let cond = operand(c.condition)
                let test = code.count
                tests.append(test)
                emit(Instruction(.caseSelect, dst: dst, a: cond, imm: c.risk, imm2: Double(k)))
                release(cond)
                patch(test, b: here)
            }
            let otherwiseAt = code.count
            emit(Instruction(.caseHit, dst: dst, a: Int32(leaf), b: Int32(cases.count), imm: otherwise.risk))
            let end = here
            for t in tests { patch(t, c: end) }
            patch(otherwiseAt, c: end)
        }
    }

    /// One case of a jump-free `cases`, folded into `dst` (which holds what the later cases
    /// gave): a comparison is fused with its fold (`a > b` read as `b < a`, the same for every
    /// number and unknown when either side is); any other condition is computed, then folded.
    mutating func fold(_ condition: TypedExpr, risk: Double, into dst: Int32) {
        guard case let .comparison(op, a, b) = condition else {
            let rc = operand(condition)
            emit(Instruction(.caseFold, dst: dst, a: rc, b: dst, imm: risk))
            release(rc)
            return
        }
        let (code, x, y): (OpCode, TypedExpr, TypedExpr) =
            switch op {
            case .less: (.foldLess, a, b)
            case .greater: (.foldLess, b, a)
            case .lessEqual: (.foldLessEqual, a, b)
            case .greaterEqual: (.foldLessEqual, b, a)
            case .equal: (.foldEqual, a, b)
            case .notEqual: (.foldNotEqual, a, b)
            }
        let rx = operand(x)
        let ry = operand(y)
        emit(Instruction(code, dst: dst, a: rx, b: ry, imm: risk))
        release(ry)
        release(rx)
    }

    mutating func emitGate(_ gate: Int, _ t: TypedExpr) {
        nextTemp = firstTemp
        if traced { emit(Instruction(.gateStart, a: Int32(gate))) }
        expr(t, into: Int32(gateBase + gate))
    }

    mutating func unary(_ op: OpCode, _ x: TypedExpr, into dst: Int32, imm: Double = 0) {
        let r = operand(x)
        emit(Instruction(op, dst: dst, a: r, imm: imm))
        release(r)
    }

    mutating func binary(_ op: OpCode, _ a: TypedExpr, _ b: TypedExpr, into dst: Int32) {
        let ra = operand(a)
        let rb = operand(b)
        emit(Instruction(op, dst: dst, a: ra, b: rb))
        release(rb)
        release(ra)
    }

    mutating func expr(_ e: TypedExpr, into dst: Int32) {
        switch e {
        case let .constant(v):
            emit(Instruction(.constant, dst: dst, imm: v))
        case let .fact(s):
            emit(Instruction(traced ? .fact : .move, dst: dst, a: Int32(s)))
        case let .known(s):
            emit(Instruction(.known, dst: dst, a: Int32(s)))
        case let .negate(x): unary(.negate, x, into: dst)
        case let .not(x): unary(.not, x, into: dst)
        case let .arithmetic(op, a, b):
            let code: OpCode =
                switch op {
                case .add: .add
                case .subtract: .subtract
                case .multiply: .multiply
                case .divide: .divide
                }
            binary(code, a, b, into: dst)
        case let .comparison(op, a, b):
            let code: OpCode =
                switch op {
                case .less: .less
                case .lessEqual: .lessEqual
                case .greater: .greater
                case .greaterEqual: .greaterEqual
                case .equal: .equal
                case .notEqual: .notEqual
                }
            binary(code, a, b, into: dst)
        case let .and(a, b):
            logic(isAnd: true, a, b, into: dst)
        case let .or(a, b):
            logic(isAnd: false, a, b, into: dst)
        case let .member(x, values, negated):
            let r = operand(x)
            emit(Instruction(.member, dst: dst, a: r, b: pool.table(values), c: Int32(values.count), imm: negated ? 1 : 0))
            release(r)
        case let .conditional(c, a, b) where batch || (!traced && a.isSimple && b.isSimple):
            let rc = operand(c)
            let ra = operand(a)
            let rb = operand(b)
            emit(Instruction(.select, dst: dst, a: rc, b: ra, c: rb))
            release(rb)
            release(ra)
            release(rc)
        case let .conditional(c, a, b):
            branching(c, a, b, into: dst)
        case let .call(fn, args):
            call(fn, args, into: dst)
        }
    }

    /// `and`/`or`: eager Kleene logic where the right side cannot fault (and always in batches);
    /// otherwise a short circuit, so the traced program records only the reads that decide.
    mutating func logic(isAnd: Bool, _ a: TypedExpr, _ b: TypedExpr, into dst: Int32) {
        if batch || (!traced && !b.canFault) {
            // Kleene logic evaluated eagerly gives the same value as short-circuiting when the
            // right side cannot fault; the traced program short-circuits to record true reads.
            binary(isAnd ? .and3 : .or3, a, b, into: dst)
            return
        }
        let ra = operand(a)
        let skip = code.count
        emit(Instruction(isAnd ? .jumpIfZero : .jumpIfOne, dst: dst, a: ra))
        let rb = operand(b)
        emit(Instruction(isAnd ? .and2 : .or2, dst: dst, a: ra, b: rb))
        release(rb)
        release(ra)
        patch(skip, b: here)
    }

    /// `if … then … else …` with a branch (only the chosen side runs, so a guard guards).
    mutating func branching(_ c: TypedExpr, _ a: TypedExpr, _ b: TypedExpr, into dst: Int32) {
        let rc = operand(c)
        let br = code.count
        emit(Instruction(.branch, dst: dst, a: rc))
        release(rc)
        expr(a, into: dst)
        let j = code.count
        emit(Instruction(.jump))
        patch(br, b: here)
        expr(b, into: dst)
        patch(j, b: here)
        patch(br, c: here)
    }

    /// A function call.
    mutating func call(_ fn: Function, _ args: [TypedExpr], into dst: Int32) {
        switch fn {
        case .min, .max:
            let op: OpCode = fn == .min ? .min2 : .max2
            binary(op, args[0], args[1], into: dst)
            for a in args.dropFirst(2) {
                let r = operand(a)
                emit(Instruction(op, dst: dst, a: dst, b: r))
                release(r)
            }
        case .clamp:
            let x = operand(args[0])
            let lo = operand(args[1])
            let hi = operand(args[2])
            emit(Instruction(.clamp, dst: dst, a: x, b: lo, c: hi))
            release(hi)
            release(lo)
            release(x)
        case .abs: unary(.abs, args[0], into: dst)
        case .log: unary(.log, args[0], into: dst)
        case .log10: unary(.log10, args[0], into: dst)
        case .sqrt: unary(.sqrt, args[0], into: dst)
        case .round:
            if args.count == 2 { binary(.roundDigits, args[0], args[1], into: dst) } else { unary(.round, args[0], into: dst) }
        case .known, .date:
            preconditionFailure("known() and date() are resolved by the type checker")
        }
    }
}
