/// A leaf's rule after checking: names resolved, types known.
enum CheckedRule: Sendable {
    case expression(TypedExpr)
    case cases([(condition: TypedExpr, risk: Double, label: String)], otherwise: (risk: Double, label: String))
    /// `table[i]` is the risk for value index i (for bool facts: 0 = false, 1 = true).
    case map(slot: Int, table: [Double])
    case scale(TypedExpr, best: Double, worst: Double, transform: ScaleTransform)
}

/// The criteria tree after checking.
indirect enum CheckedNode: Sendable {
    case group(Criterion, Aggregation, [CheckedNode])
    case leaf(Criterion, CheckedRule, MissingRule)

    var criterion: Criterion {
        switch self {
        case let .group(c, _, _), let .leaf(c, _, _): c
        }
    }
}

/// A policy whose names, types, weights and maps are all known to be right.
public struct CheckedPolicy: Sendable {
    public var policy: Policy
    var gates: [(Gate, TypedExpr)]
    var root: [CheckedNode]
    /// Fact slots in declaration order: slot i is `policy.facts[i]`.
    public var facts: [FactDeclaration] { policy.facts }
    /// Warnings found while checking (unused facts and the like).
    public var warnings: [Diagnostic]
    /// Constraints with their conditions typed: (constraint, when, require).
    var constraints: [(FactConstraint, TypedExpr?, TypedExpr)] = []
}

/// The check stage for a policy on its own. Its steps, in order: fact schema, gates, criteria
/// (expressions, maps, scales), then whole-policy checks (unused facts). Every error is collected.
public struct PolicyChecker {
    public var limits: InputLimits
    /// Names mentioned by expressions that failed to check: their facts still count as used, so a
    /// broken expression gives one error, not an error plus an "unused fact" warning.
    private let mentioned = NameSet()
    /// A checker applying `limits` to expressions.
    public init(limits: InputLimits = .standard) { self.limits = limits }

    private final class NameSet { var names = Set<String>() }

    /// Checks a loaded policy; every error is collected, and warnings and notes travel with the result.
    public func check(_ policy: Policy) -> Result<CheckedPolicy, DiagnosticsError> {
        var diags: [Diagnostic] = []
        var table: [String: (slot: Int, type: FactType)] = [:]
        for (i, f) in policy.facts.enumerated() {
            if table[f.name] != nil {
                diags.append(.duplicateID("fact '\(f.name)' is declared twice", at: f.location, length: f.name.count))
            } else {
                table[f.name] = (i, f.type)
            }
            if case let .enumeration(v) = f.type, v.isEmpty {
                diags.append(.invalidValue("enum fact '\(f.name)' has no values", at: f.location))
            }
        }
        let checker = ExpressionTypeChecker(facts: table)
        var used = Set<Int>()

        var gates: [(Gate, TypedExpr)] = []
        for g in policy.gates {
            if let t = typed(g.condition, want: .bool, what: "a gate's 'exclude_if'", checker, &diags) {
                t.collectSlots(into: &used)
                gates.append((g, t))
            }
        }
        var constraints: [(FactConstraint, TypedExpr?, TypedExpr)] = []
        for k in policy.constraints {
            let when = k.when.map { typed($0, want: .bool, what: "a constraint's 'when'", checker, &diags) }
            let require = typed(k.require, want: .bool, what: "a constraint's 'require'", checker, &diags)
            if let require, when.map({ $0 != nil }) ?? true {
                require.collectSlots(into: &used)
                (when ?? nil)?.collectSlots(into: &used)
                constraints.append((k, when ?? nil, require))
            }
        }
        var ids: [String: SourceLocation] = [:]
        let root = policy.criteria.compactMap { checkNode($0, checker, table, &used, &ids, &diags) }
        checkStructure(policy.criteria, parent: nil, &diags)
        checkRationales(policy, &diags)

        for (i, f) in policy.facts.enumerated() where !used.contains(i) && !mentioned.names.contains(f.name) {
            diags.append(
                .unusedFact(
                    "fact '\(f.name)' is declared but no gate or criterion reads it", at: f.location,
                    hint: "remove it, or use it in a criterion", length: f.name.count))
        }
        if diags.contains(where: { $0.severity == .error }) { return .failure(DiagnosticsError(diags)) }
        return .success(CheckedPolicy(policy: policy, gates: gates, root: root, warnings: diags, constraints: constraints))
    }

    /// Every citation names a source the policy declares (an error otherwise); every judgement a
    /// reader will question (a weight that matters, scale goalposts, mapped risks, an assumed risk
    /// for missing data) without a rationale gets a note, which `hubs check --strict` turns into an error.
    func checkRationales(_ policy: Policy, _ diags: inout [Diagnostic]) {
        let ids = policy.sources.map(\.id)
        func cites(_ r: Rationale?) {
            for c in r?.cite ?? [] where !ids.contains(c.id) {
                diags.append(
                    .unknownSource(
                        "'\(c.id)' is not a source of policy '\(policy.id)'", at: c.location,
                        hint: Suggest.hint(for: c.id, in: ids) ?? "declare it under 'sources:' in the policy", length: c.id.count))
            }
        }
        func note(_ what: String, at: SourceLocation, hint: String) {
            diags.append(.missingRationale("no rationale is given for \(what)", at: at, hint: hint))
        }
        for g in policy.gates { cites(g.rationale) }
        for b in policy.bands {
            cites(b.rationale)
            if b.rationale?.text == nil {
                note(
                    "band '\(b.name)'\(b.below.map { " (below \(Format.number($0)))" } ?? "")", at: b.location,
                    hint: "write the band as {name: \(b.name), below: …, rationale: …} saying why it ends where it does")
            }
        }
        func walk(_ level: [Criterion], weightsMatter: Bool) {
            for c in level {
                cites(c.rationale)
                cites(c.ruleRationale)
                cites(c.missingRationale)
                if weightsMatter, level.count > 1, c.rationale?.text == nil {
                    note(
                        "the weight of '\(c.id)'", at: c.weightLocation ?? c.location,
                        hint: "add 'rationale:' to '\(c.id)' saying why it weighs \(Format.number(c.weight)), and 'cite:' its sources")
                }
                switch c.body {
                case let .group(agg, kids):
                    walk(kids, weightsMatter: agg != .max)
                case let .leaf(rule, missing):
                    switch rule {
                    case let .scale(_, best, worst, _, location) where c.ruleRationale?.text == nil:
                        note(
                            "the goalposts of '\(c.id)' (best \(Format.number(best)), worst \(Format.number(worst)))", at: location,
                            hint: "add 'rationale:' inside 'scale:' saying why these values mean risk 0 and 100")
                    case let .map(fact, _, _) where c.ruleRationale?.text == nil:
                        note(
                            "the mapped risks of '\(c.id)'", at: fact.location,
                            hint: "add 'rationale:' inside 'map:' saying why each value carries its risk")
                    case let .cases(cases, otherwise):
                        for (n, k) in cases.enumerated() {
                            cites(k.rationale)
                            if k.rationale?.text == nil {
                                note(
                                    "the risk \(Format.number(k.risk)) of case \(n + 1) of '\(c.id)' (\(k.label))", at: k.location,
                                    hint: "add 'rationale:' to the case saying why it carries this risk")
                            }
                        }
                        if c.ruleRationale?.text == nil {
                            note(
                                "the risk \(Format.number(otherwise.risk)) of the else of '\(c.id)' (\(otherwise.label))",
                                at: otherwise.location, hint: "add 'rationale:' under 'else:' saying why it carries this risk")
                        }
                    default: break
                    }
                    if let at = c.missingLocation, c.missingRationale?.text == nil, missing == .skip || missing == .worst {
                        let word = missing == .skip ? "skip" : "worst"
                        note(
                            "the missing-data rule '\(word)' of '\(c.id)'", at: at,
                            hint: "write 'missing: {rule: \(word), rationale: ...}' saying why, when the fact is unknown")
                    }
                    if case let .assume(r) = missing, c.missingRationale?.text == nil {
                        note(
                            "the assumed risk \(Format.number(r)) of '\(c.id)' for missing data", at: c.location,
                            hint:
                                "write 'missing: {assume: \(Format.number(r)), rationale: ...}' saying why this risk when the fact is unknown"
                        )
                    }
                }
            }
        }
        walk(policy.criteria, weightsMatter: policy.aggregate != .max)
    }

    /// A level that mixes groups and leaves is what a one-level indentation slip produces: the last
    /// criterion of a group, dedented, becomes its sibling (and, at the top, changes the ranking).
    /// Warn at each leaf that stands beside a group, naming the group just above it.
    func checkStructure(_ level: [Criterion], parent: Criterion?, _ diags: inout [Diagnostic]) {
        let hasGroups = level.contains { if case .group = $0.body { true } else { false } }
        let hasLeaves = level.contains { if case .leaf = $0.body { true } else { false } }
        if hasGroups && hasLeaves {
            var groupAbove: Criterion?
            for c in level {
                switch c.body {
                case .group: groupAbove = c
                case .leaf:
                    let place = parent.map { "group '\($0.id)'" } ?? "the top level"
                    let hint =
                        groupAbove.map {
                            "if it belongs to group '\($0.id)', indent it one more level; if the mix is meant, move it into a group of its own. 'hubs check --tree' shows the structure as read"
                        } ?? "move it into a group of its own, or indent it under a group. 'hubs check --tree' shows the structure as read"
                    diags.append(
                        .mixedLevel(
                            "leaf criterion '\(c.id)' stands beside groups in \(place), which a slip of indentation produces",
                            at: c.location, hint: hint, length: c.id.count))
                }
            }
        }
        for c in level { if case let .group(_, kids) = c.body { checkStructure(kids, parent: c, &diags) } }
    }

    func typed(
        _ src: ExpressionSource, want: ValueType?, what: String, _ checker: ExpressionTypeChecker,
        _ diags: inout [Diagnostic]
    ) -> TypedExpr? {
        do {
            let e = try Parser.parse(src.text, limits: limits)
            mentioned.names.formUnion(e.names)
            let (t, type) = try checker.check(e)
            if let want, type != want {
                diags.append(
                    .typeMismatch(
                        "\(what) must give \(want), but this gives \(type)", at: src.location(e.offset),
                        length: e.length))
                return nil
            }
            return t
        } catch {
            diags.append(
                .coded(error.code, error.message, at: src.location(error.offset), hint: error.hint, length: error.length)
                    .replacing(with: error.replacement))
            return nil
        }
    }

    /// A map's fact must be a bool or enum, every key one of its values, and every value given a
    /// risk (or an `else`); returns the fact's slot and the risk per value index.
    func checkMap(
        _ c: Criterion, _ fact: YAMLScalar, _ entries: [MapEntry], _ otherwise: Double?,
        _ table: [String: (slot: Int, type: FactType)], _ diags: inout [Diagnostic]
    ) -> (Int, [Double])? {
        guard let f = table[fact.text] else {
            diags.append(
                .unknownFact(
                    "unknown fact '\(fact.text)'", at: fact.location,
                    hint: Suggest.hint(for: fact.text, in: table.keys) ?? "declare it under 'facts:'",
                    length: fact.text.count))
            return nil
        }
        let values: [String]
        switch f.type {
        case .bool: values = ["false", "true"]
        case let .enumeration(v): values = v
        default:
            diags.append(
                .typeMismatch(
                    "'map' reads enum or bool facts; '\(fact.text)' is \(f.type.name)",
                    at: fact.location, hint: "use 'scale' or 'cases' for numbers and dates", length: fact.text.count))
            return nil
        }
        var risks = [Double?](repeating: nil, count: values.count)
        var badKeys = 0
        for e in entries {
            guard let i = values.firstIndex(of: e.key.text) else {
                badKeys += 1
                diags.append(
                    .unknownEnumValue(
                        "'\(e.key.text)' is not a value of '\(fact.text)' (\(values.joined(separator: ", ")))",
                        at: e.key.location, hint: Suggest.hint(for: e.key.text, in: values), length: e.key.text.count))
                continue
            }
            risks[i] = e.risk
        }
        let uncovered = values.indices.filter { risks[$0] == nil }.map { values[$0] }
        if badKeys > 0 { return nil }  // a misspelt key explains the gap; say it once
        if !uncovered.isEmpty && otherwise == nil {
            diags.append(
                .incompleteMap(
                    "'map' of '\(c.id)' gives no risk for \(uncovered.map { "'\($0)'" }.joined(separator: ", "))",
                    at: fact.location, hint: "add them, or add 'else: RISK' to the map"))
            return nil
        }
        return (f.slot, risks.map { $0 ?? otherwise ?? 100 })
    }

    func checkNode(
        _ c: Criterion, _ checker: ExpressionTypeChecker, _ table: [String: (slot: Int, type: FactType)],
        _ used: inout Set<Int>, _ ids: inout [String: SourceLocation], _ diags: inout [Diagnostic]
    ) -> CheckedNode? {
        if let first = ids[c.id] {
            diags.append(
                .duplicateID(
                    "criterion id '\(c.id)' is used twice (first at line \(first.line))", at: c.location,
                    hint: "criterion ids must be unique across the whole tree: explanations and diffs name them",
                    length: c.id.count))
        } else {
            ids[c.id] = c.location
        }
        switch c.body {
        case let .group(agg, children):
            let kids = children.compactMap { checkNode($0, checker, table, &used, &ids, &diags) }
            if children.isEmpty { return nil }
            return .group(c, agg, kids)
        case let .leaf(rule, missing):
            switch rule {
            case let .expression(src):
                guard let t = typed(src, want: .number, what: "'expr' of '\(c.id)'", checker, &diags) else { return nil }
                t.collectSlots(into: &used)
                return .leaf(c, .expression(t), missing)
            case let .cases(cases, otherwise):
                var out: [(TypedExpr, Double, String)] = []
                for k in cases {
                    if let t = typed(k.when, want: .bool, what: "a case's 'when'", checker, &diags) {
                        t.collectSlots(into: &used)
                        out.append((t, k.risk, k.label))
                    }
                }
                guard out.count == cases.count else { return nil }
                return .leaf(c, .cases(out, otherwise: (otherwise.risk, otherwise.label)), missing)
            case let .map(fact, entries, otherwise):
                guard let (slot, table) = checkMap(c, fact, entries, otherwise, table, &diags) else { return nil }
                used.insert(slot)
                return .leaf(c, .map(slot: slot, table: table), missing)
            case let .scale(input, best, worst, transform, _):
                guard let t = typed(input, want: .number, what: "'of' of a scale", checker, &diags) else { return nil }
                t.collectSlots(into: &used)
                return .leaf(c, .scale(t, best: best, worst: worst, transform: transform), missing)
            }
        }
    }
}
