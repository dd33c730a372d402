/// A true/false expression over a policy's facts, compiled once and evaluated per candidate:
/// the `each:` of policy tests, and any analysis that selects candidates by their facts.
public struct FactPredicate: Sendable {
    let code: [Instruction]
    let tables: [Double]
    let constants: [Double]
    let constantBase: Int
    let registerCount: Int
    let factCount: Int

    /// Parses and type-checks `source` against `facts`; errors point into the expression.
    public static func compile(
        _ source: ExpressionSource, facts: [FactDeclaration],
        limits: InputLimits = .standard
    ) -> Result<FactPredicate, DiagnosticsError> {
        var table: [String: (slot: Int, type: FactType)] = [:]
        for (i, f) in facts.enumerated() where table[f.name] == nil { table[f.name] = (i, f.type) }
        let typed: TypedExpr
        do {
            let e = try Parser.parse(source.text, limits: limits)
            let (t, type) = try ExpressionTypeChecker(facts: table).check(e)
            guard type == .bool else {
                return .failure(
                    DiagnosticsError([
                        .typeMismatch(
                            "a condition must give true/false, but this gives \(type)",
                            at: source.location(e.offset), length: e.length)
                    ]))
            }
            typed = t
        } catch {
            return .failure(
                DiagnosticsError([
                    .coded(
                        error.code, error.message, at: source.location(error.offset),
                        hint: error.hint, length: error.length)
                ]))
        }
        return .success(make(typed, factCount: facts.count))
    }

    /// Compiles an expression already checked to be true/false.
    static func make(_ typed: TypedExpr, factCount: Int) -> FactPredicate {
        let pool = ConstantPool()
        var cg = CodeGen(factCount: factCount, leafCount: 0, gateCount: 1, mode: .plain, pool: pool)
        cg.emitGate(0, typed)
        let base = cg.maxRegister + 1
        return FactPredicate(
            code: cg.finished(constantBase: base), tables: pool.tables, constants: pool.values,
            constantBase: base, registerCount: base + pool.values.count, factCount: factCount)
    }
}
