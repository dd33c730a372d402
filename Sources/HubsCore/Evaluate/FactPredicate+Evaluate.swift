/// Running compiled predicates and constraints: the evaluate stage's part of what the compile
/// stage prepared.
extension FactPredicate {
    /// True, false, or nil when the facts it needs are unknown (or the expression faults).
    /// Registers live in stack memory, so what-if and sensitivity can check constraints on every
    /// state they try without a heap allocation.
    public func evaluate(_ row: ArraySlice<Double>) -> Bool? {
        precondition(row.count == factCount, "a fact row has one value per declared fact")
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(1, registerCount)) { r -> Bool? in
            guard let regs = r.baseAddress else { return nil }
            regs.initialize(repeating: 0, count: r.count)
            for (k, v) in row.enumerated() { regs[k] = v }
            for (k, v) in constants.enumerated() { regs[constantBase + k] = v }
            var sink = NoTrace()
            let faults = code.withUnsafeBufferPointer { c in
                tables.withUnsafeBufferPointer { t in
                    Machine.run(c, tables: t.baseAddress ?? UnsafePointer(regs), registers: regs, sink: &sink)
                }
            }
            let v = regs[factCount]  // the gate register: after the facts, with no leaves
            return faults > 0 || v.isNaN ? nil : v == 1
        }
    }
}

extension CompiledConstraint {
    /// Whether a fact row breaks the constraint. Unknown facts never break it (it cannot be told).
    public func isBroken(by row: ArraySlice<Double>) -> Bool {
        if when != nil, when?.evaluate(row) != true { return false }  // (`if let` would copy it)
        return require.evaluate(row) == false
    }
}

extension CompiledPolicy {
    /// The first constraint a fact row breaks, if any.
    public func brokenConstraint(_ row: ArraySlice<Double>) -> CompiledConstraint? {
        constraints.first { $0.isBroken(by: row) }
    }
}
