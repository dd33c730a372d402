/// The type of a value in an expression.
public enum ValueType: Sendable, Equatable, CustomStringConvertible {
    case number, bool, date
    case enumeration([String])
    /// A text literal; only meaningful compared with an enum fact.
    case text

    public var description: String {
        switch self {
        case .number: "a number"
        case .bool: "true/false"
        case .date: "a date"
        case let .enumeration(v): "one of [\(v.joined(separator: ", "))]"
        case .text: "text"
        }
    }
}

enum ArithmeticOp: Sendable { case add, subtract, multiply, divide }
enum ComparisonOp: Sendable { case less, lessEqual, greater, greaterEqual, equal, notEqual }

/// A checked expression: names resolved to fact slots, enum text resolved to value indices,
/// constants folded where trivial. This is what the compiler lowers to instructions.
indirect enum TypedExpr: Sendable {
    case constant(Double)
    case fact(Int)
    case known(Int)
    case negate(TypedExpr)
    case not(TypedExpr)
    case arithmetic(ArithmeticOp, TypedExpr, TypedExpr)
    case comparison(ComparisonOp, TypedExpr, TypedExpr)
    case and(TypedExpr, TypedExpr)
    case or(TypedExpr, TypedExpr)
    case member(TypedExpr, [Double], negated: Bool)
    case conditional(TypedExpr, TypedExpr, TypedExpr)
    case call(Function, [TypedExpr])

    /// Whether evaluating it can fault (division, logarithm, square root): such expressions keep
    /// their short-circuit guards; others may be evaluated eagerly.
    var canFault: Bool {
        switch self {
        case .constant, .fact, .known: false
        case let .negate(e), let .not(e): e.canFault
        case let .arithmetic(op, a, b): op == .divide || a.canFault || b.canFault
        case let .comparison(_, a, b), let .and(a, b), let .or(a, b): a.canFault || b.canFault
        case let .member(e, _, _): e.canFault
        case let .conditional(c, a, b): c.canFault || a.canFault || b.canFault
        case let .call(fn, args): fn == .log || fn == .log10 || fn == .sqrt || args.contains { $0.canFault }
        }
    }

    /// A constant or a fact: a value already in a register.
    var isSimple: Bool {
        switch self {
        case .constant, .fact: true
        default: false
        }
    }

    /// Fact slots this expression may read (for documentation and "which facts does it use").
    func collectSlots(into set: inout Set<Int>) {
        switch self {
        case .constant: break
        case let .fact(s): set.insert(s)
        case .known: break
        case let .negate(e), let .not(e): e.collectSlots(into: &set)
        case let .arithmetic(_, a, b), let .comparison(_, a, b), let .and(a, b), let .or(a, b):
            a.collectSlots(into: &set)
            b.collectSlots(into: &set)
        case let .member(e, _, _): e.collectSlots(into: &set)
        case let .conditional(c, a, b):
            c.collectSlots(into: &set)
            a.collectSlots(into: &set)
            b.collectSlots(into: &set)
        case let .call(_, args): for a in args { a.collectSlots(into: &set) }
        }
    }
}

/// Resolves names and checks types of expressions against a policy's fact schema.
struct ExpressionTypeChecker {
    /// Fact name → (slot, type).
    let facts: [String: (slot: Int, type: FactType)]

    static func valueType(_ t: FactType) -> ValueType {
        switch t {
        case .number: .number
        case .bool: .bool
        case .date: .date
        case let .enumeration(v): .enumeration(v)
        }
    }

    func check(_ e: Expr) throws(ExprError) -> (TypedExpr, ValueType) {
        switch e.node {
        case let .number(v): return (.constant(v), .number)
        case let .bool(b): return (.constant(b ? 1 : 0), .bool)
        case .string:
            return (.constant(.nan), .text)
        case let .name(n):
            return try name(n, e)
        case let .unary(op, x):
            let (tx, t) = try check(x)
            switch op {
            case .negate:
                try require(t, .number, x, "'-' needs a number")
                return (.negate(tx), .number)
            case .not:
                try require(t, .bool, x, "'not' needs true/false")
                return (.not(tx), .bool)
            }
        case let .binary(op, a, b):
            return try binary(op, a, b)
        case let .membership(x, items, negated):
            return try membership(x, items, negated: negated)
        case let .conditional(c, a, b):
            return try conditional(c, a, b)
        case let .call(name, args, nameLength):
            guard let fn = Function(rawValue: name) else {
                throw ExprError(
                    message: "unknown function '\(name)'", offset: e.offset, length: nameLength,
                    hint: Suggest.hint(for: name, in: Functions.names)
                        ?? "functions: \(Function.allCases.map(\.rawValue).joined(separator: ", "))",
                    code: .unknownFunction)
            }
            return try call(fn, args, e)
        }
    }

    /// A fact name; an enum value written without quotes gets a hint to quote it.
    func name(_ n: String, _ e: Expr) throws(ExprError) -> (TypedExpr, ValueType) {
        guard let f = facts[n] else {
            // An enum value written without quotes (host_stance == refused) reads as a name.
            let owners = facts.filter { if case let .enumeration(v) = $0.value.type { v.contains(n) } else { false } }.keys.sorted()
            if let owner = owners.first {
                throw ExprError(
                    message: "'\(n)' is not a fact but a value of '\(owner)'; as a value it must be quoted",
                    offset: e.offset, length: e.length, hint: "write \"\(n)\" (in quotes), e.g. \(owner) == \"\(n)\"",
                    code: .unknownFact)
            }
            throw ExprError(
                message: "unknown fact '\(n)'", offset: e.offset, length: e.length,
                hint: Suggest.hint(for: n, in: facts.keys) ?? "declare it under 'facts:' in the policy",
                code: .unknownFact, replacement: Suggest.closest(to: n, in: facts.keys))
        }
        return (.fact(f.slot), Self.valueType(f.type))
    }

    /// `x in [...]`: constants of x's type; not for bools or dates.
    func membership(_ x: Expr, _ items: [Expr], negated: Bool) throws(ExprError) -> (TypedExpr, ValueType) {
        let (tx, t) = try check(x)
        var values: [Double] = []
        for item in items {
            switch (t, item.node) {
            case let (.enumeration(allowed), .string(s)):
                guard let i = allowed.firstIndex(of: s) else {
                    throw ExprError(
                        message: "'\(s)' is not one of the values of this fact (\(allowed.joined(separator: ", ")))",
                        offset: item.offset, length: item.length,
                        hint: Suggest.hint(for: s, in: allowed), code: .unknownEnumValue)
                }
                values.append(Double(i))
            case (.number, _) where Self.constantNumber(item) != nil:
                values.append(Self.constantNumber(item) ?? .nan)
            default:
                throw ExprError(
                    message: "'in' lists must hold constants of the same type as the value tested (\(t))",
                    offset: item.offset, length: item.length, code: .typeMismatch)
            }
        }
        if case .bool = t {
            throw ExprError(
                message: "'in' does not apply to true/false", offset: x.offset, length: x.length,
                hint: "compare with '==' instead", code: .typeMismatch)
        }
        if case .date = t {
            throw ExprError(
                message: "'in' does not apply to dates", offset: x.offset, length: x.length,
                hint: "compare with '<' and '>' instead", code: .typeMismatch)
        }
        return (.member(tx, values, negated: negated), .bool)
    }

    /// `if c then a else b`: a true/false condition and two branches of one type (not text).
    func conditional(_ c: Expr, _ a: Expr, _ b: Expr) throws(ExprError) -> (TypedExpr, ValueType) {
        let (tc, ct) = try check(c)
        try require(ct, .bool, c, "the condition of 'if' must be true/false")
        let (ta, at) = try check(a)
        let (tb, bt) = try check(b)
        if at == .text || bt == .text {
            let bad = at == .text ? a : b
            throw ExprError(
                message: "'if' cannot produce text", offset: bad.offset, length: bad.length,
                hint: "an expression produces a number, true/false or a date", code: .typeMismatch)
        }
        guard at == bt else {
            throw ExprError(
                message: "the two branches of 'if' differ: 'then' gives \(at), 'else' gives \(bt)",
                offset: b.offset, length: b.length, code: .typeMismatch)
        }
        return (.conditional(tc, ta, tb), at)
    }

    static func constantNumber(_ e: Expr) -> Double? {
        switch e.node {
        case let .number(v): v
        case let .unary(.negate, inner): constantNumber(inner).map { -$0 }
        default: nil
        }
    }

    func require(_ t: ValueType, _ want: ValueType, _ e: Expr, _ what: String) throws(ExprError) {
        if t != want {
            throw ExprError(message: "\(what), but this is \(t)", offset: e.offset, length: e.length, code: .typeMismatch)
        }
    }

    func binary(_ op: BinaryOperator, _ a: Expr, _ b: Expr) throws(ExprError) -> (TypedExpr, ValueType) {
        switch op {
        case .and, .or:
            let (ta, at) = try check(a)
            try require(at, .bool, a, "'\(op.rawValue)' needs true/false on both sides")
            let (tb, bt) = try check(b)
            try require(bt, .bool, b, "'\(op.rawValue)' needs true/false on both sides")
            return (op == .and ? .and(ta, tb) : .or(ta, tb), .bool)
        case .add, .subtract, .multiply, .divide:
            let (ta, at) = try check(a)
            let (tb, bt) = try check(b)
            let aop: ArithmeticOp =
                switch op {
                case .add: .add
                case .subtract: .subtract
                case .multiply: .multiply
                default: .divide
                }
            if op == .subtract, at == .date, bt == .date { return (.arithmetic(.subtract, ta, tb), .number) }
            try require(
                at, .number, a, "'\(op.rawValue)' needs numbers\(at == .date ? " (the difference of two dates is a number of days)" : "")")
            try require(bt, .number, b, "'\(op.rawValue)' needs numbers")
            if case let .constant(z) = tb, z == 0, op == .divide {
                throw ExprError(message: "division by zero", offset: b.offset, length: b.length, code: .typeMismatch)
            }
            return (.arithmetic(aop, ta, tb), .number)
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
            let cop: ComparisonOp =
                switch op {
                case .less: .less
                case .lessEqual: .lessEqual
                case .greater: .greater
                case .greaterEqual: .greaterEqual
                case .equal: .equal
                default: .notEqual
                }
            let (ta, at) = try check(a)
            let (tb, bt) = try check(b)
            let ordering = cop != .equal && cop != .notEqual
            switch (at, bt) {
            case (.number, .number), (.date, .date):
                return (.comparison(cop, ta, tb), .bool)
            case (.bool, .bool) where !ordering:
                return (.comparison(cop, ta, tb), .bool)
            case let (.enumeration(va), .enumeration(vb)) where !ordering:
                guard va == vb else {
                    throw ExprError(
                        message: "these two facts have different sets of values and cannot be compared",
                        offset: b.offset, length: b.length, code: .typeMismatch)
                }
                return (.comparison(cop, ta, tb), .bool)
            case let (.enumeration(v), .text) where !ordering:
                return (.comparison(cop, ta, try enumIndex(b, v)), .bool)
            case let (.text, .enumeration(v)) where !ordering:
                return (.comparison(cop, try enumIndex(a, v), tb), .bool)
            case (.enumeration, _), (_, .enumeration), (.bool, .bool):
                if ordering {
                    throw ExprError(
                        message:
                            "'\(op.rawValue)' orders numbers and dates only; \(at == .bool || bt == .bool ? "true/false" : "enum values") can only be compared with == or !=",
                        offset: a.offset, length: b.offset + b.length - a.offset,
                        hint: "to test several values, write: fact in [\"a\", \"b\"]", code: .typeMismatch)
                }
                fallthrough
            default:
                if at == .text && bt == .text {
                    throw ExprError(
                        message: "comparing two pieces of text is always the same answer", offset: a.offset,
                        length: b.offset + b.length - a.offset, hint: "compare a fact with a value", code: .typeMismatch)
                }
                let bad = (at == .text || at == .date && bt == .number) ? a : b
                throw ExprError(
                    message: "cannot compare \(at) with \(bt)", offset: bad.offset, length: bad.length,
                    hint: at == .date || bt == .date ? "write dates as date(\"YYYY-MM-DD\")" : nil, code: .typeMismatch)
            }
        }
    }

    func enumIndex(_ e: Expr, _ values: [String]) throws(ExprError) -> TypedExpr {
        guard case let .string(s) = e.node else {
            throw ExprError(message: "expected a quoted value", offset: e.offset, length: e.length, code: .typeMismatch)
        }
        guard let i = values.firstIndex(of: s) else {
            throw ExprError(
                message: "'\(s)' is not one of the values of this fact (\(values.joined(separator: ", ")))",
                offset: e.offset, length: e.length, hint: Suggest.hint(for: s, in: values), code: .unknownEnumValue)
        }
        return .constant(Double(i))
    }

    func call(_ fn: Function, _ args: [Expr], _ e: Expr) throws(ExprError) -> (TypedExpr, ValueType) {
        func arity(_ ok: Bool) throws(ExprError) {
            if !ok {
                throw ExprError(
                    message: "wrong number of arguments: \(fn.signature)", offset: e.offset, length: e.length,
                    code: .typeMismatch)
            }
        }
        switch fn {
        case .known:
            try arity(args.count == 1)
            guard case let .name(n) = args[0].node else {
                throw ExprError(
                    message: "known() takes a fact name", offset: args[0].offset, length: args[0].length,
                    code: .typeMismatch)
            }
            guard let f = facts[n] else {
                throw ExprError(
                    message: "unknown fact '\(n)'", offset: args[0].offset, length: args[0].length,
                    hint: Suggest.hint(for: n, in: facts.keys), code: .unknownFact, replacement: Suggest.closest(to: n, in: facts.keys))
            }
            return (.known(f.slot), .bool)
        case .date:
            try arity(args.count == 1)
            guard case let .string(s) = args[0].node, let d = Day.parse(s) else {
                throw ExprError(
                    message: "date() takes a quoted date written YYYY-MM-DD", offset: args[0].offset,
                    length: args[0].length, code: .typeMismatch)
            }
            return (.constant(Double(d.daysSinceEpoch)), .date)
        case .min, .max:
            try arity(args.count >= 2)
        case .clamp:
            try arity(args.count == 3)
        case .abs, .log, .log10, .sqrt:
            try arity(args.count == 1)
        case .round:
            try arity(args.count == 1 || args.count == 2)
        }
        var typed: [TypedExpr] = []
        for a in args {
            let (ta, t) = try check(a)
            try require(t, .number, a, "\(fn.rawValue)() takes numbers")
            typed.append(ta)
        }
        if fn == .log || fn == .log10, case let .constant(v) = typed[0], v <= 0 {
            throw ExprError(
                message: "\(fn.rawValue) of a number that is not above 0", offset: args[0].offset,
                length: args[0].length, code: .typeMismatch)
        }
        return (.call(fn, typed), .number)
    }
}
