/// One change between two versions of a policy, located in both files where it can be.
public struct PolicyChange: Sendable, Equatable {
    /// The family of change (part of the JSON).
    public enum Kind: String, Sendable {
        case metadata, fact, gate
        case criterionAdded = "criterion_added"
        case criterionRemoved = "criterion_removed"
        case criterionMoved = "criterion_moved"
        case weight, aggregate, rule, threshold
        case caseChange = "case"
        case mapRisk = "map_risk"
        case missingRule = "missing_rule"
        case band
    }

    /// What changed, with the values before and after (worded by `DiffRenderer`).
    public enum Change: Sendable, Equatable {
        case metadata(field: String, before: String, after: String)
        case factAdded, factRemoved
        case factType(before: FactType, after: FactType)
        case gateAdded(condition: String)
        case gateRemoved(condition: String)
        case gateCondition(before: String, after: String)
        case gateReason
        case gateWhenUndecided(before: Gate.OnMissing, after: Gate.OnMissing)
        /// `parent` nil: the top level.
        case criterionAdded(parent: String?)
        case criterionRemoved(parent: String?)
        case criterionMoved(from: String?, to: String?)
        case weight(before: Double, after: Double)
        case aggregate(before: Aggregation, after: Aggregation)
        case ruleKind(before: RuleKind, after: RuleKind)
        case groupOrLeaf
        case missingRule(before: MissingRule, after: MissingRule)
        case expression(before: String, after: String)
        case best(before: Double, after: Double)
        case worst(before: Double, after: Double)
        case transform(before: ScaleTransform, after: ScaleTransform)
        /// Case numbers count from 1.
        case caseCondition(number: Int, before: String, after: String)
        case caseRisk(number: Int, label: String, before: Double, after: Double)
        case caseAdded(number: Int, condition: String)
        case caseRemoved(number: Int, condition: String)
        case elseRisk(before: Double, after: Double)
        case mapRisk(value: String, before: Double, after: Double)
        case bands(before: [Band], after: [Band])
    }

    public var kind: Kind
    /// The criterion, gate, fact or setting concerned.
    public var subject: String
    public var change: Change
    public var before: SourceLocation?
    public var after: SourceLocation?
}

/// Compares two compiled policies: criteria by id, gates by id, facts by name.
public enum PolicyDiff {
    /// Every change between two policies, in named steps: metadata, facts, gates, criteria (by
    /// id), bands.
    public static func compare(_ a: CompiledPolicy, _ b: CompiledPolicy) -> [PolicyChange] {
        metadata(a.policy, b.policy) + factChanges(a.policy, b.policy) + gateChanges(a, b) + criterionChanges(a, b)
            + bandChanges(a.policy, b.policy)
    }

    static func metadata(_ pa: Policy, _ pb: Policy) -> [PolicyChange] {
        let fields: [(String, String, String)] = [
            ("policy", pa.id, pb.id), ("version", pa.version, pb.version),
            ("max_fact_age", pa.maxFactAge?.text ?? "none", pb.maxFactAge?.text ?? "none"),
            ("aggregate", pa.aggregate.rawValue, pb.aggregate.rawValue),
        ]
        return fields.filter { $0.1 != $0.2 }.map { what, x, y in
            PolicyChange(
                kind: .metadata, subject: what, change: .metadata(field: what, before: x, after: y), before: pa.location, after: pb.location
            )
        }
    }

    static func factChanges(_ pa: Policy, _ pb: Policy) -> [PolicyChange] {
        var out: [PolicyChange] = []
        for f in pa.facts where pb.fact(f.name) == nil {
            out.append(PolicyChange(kind: .fact, subject: f.name, change: .factRemoved, before: f.location, after: nil))
        }
        for f in pb.facts {
            guard let old = pa.fact(f.name) else {
                out.append(PolicyChange(kind: .fact, subject: f.name, change: .factAdded, before: nil, after: f.location))
                continue
            }
            if old.type != f.type {
                out.append(
                    PolicyChange(
                        kind: .fact, subject: f.name, change: .factType(before: old.type, after: f.type), before: old.location,
                        after: f.location))
            }
        }
        return out
    }

    static func gateChanges(_ a: CompiledPolicy, _ b: CompiledPolicy) -> [PolicyChange] {
        var out: [PolicyChange] = []
        for g in a.gates where !b.gates.contains(where: { $0.id == g.id }) {
            out.append(
                PolicyChange(kind: .gate, subject: g.id, change: .gateRemoved(condition: g.condition), before: g.location, after: nil))
        }
        for g in b.gates {
            guard let old = a.gates.first(where: { $0.id == g.id }) else {
                out.append(
                    PolicyChange(kind: .gate, subject: g.id, change: .gateAdded(condition: g.condition), before: nil, after: g.location))
                continue
            }
            var changes: [PolicyChange.Change] = []
            if old.condition != g.condition { changes.append(.gateCondition(before: old.condition, after: g.condition)) }
            if old.reason != g.reason { changes.append(.gateReason) }
            if old.onMissing != g.onMissing { changes.append(.gateWhenUndecided(before: old.onMissing, after: g.onMissing)) }
            out += changes.map { PolicyChange(kind: .gate, subject: g.id, change: $0, before: old.location, after: g.location) }
        }
        return out
    }

    /// Criteria matched by id (ids are unique within a policy): removed, added, moved, and for
    /// each kept criterion its weight, aggregate, rule and the rule's parameters.
    static func criterionChanges(_ a: CompiledPolicy, _ b: CompiledPolicy) -> [PolicyChange] {
        var out: [PolicyChange] = []
        func parentID(_ p: CompiledPolicy, _ c: CriterionInfo) -> String? { c.parent.map { p.criteria[$0].id } }
        let inA = Dictionary(a.criteria.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let inB = Set(b.criteria.map(\.id))
        for c in a.criteria where !inB.contains(c.id) {
            out.append(
                PolicyChange(
                    kind: .criterionRemoved, subject: c.id, change: .criterionRemoved(parent: parentID(a, c)), before: c.location,
                    after: nil))
        }
        for c in b.criteria {
            guard let old = inA[c.id] else {
                out.append(
                    PolicyChange(
                        kind: .criterionAdded, subject: c.id, change: .criterionAdded(parent: parentID(b, c)), before: nil,
                        after: c.location))
                continue
            }
            func add(
                _ kind: PolicyChange.Kind, _ change: PolicyChange.Change, _ before: SourceLocation? = nil, _ after: SourceLocation? = nil
            ) {
                out.append(
                    PolicyChange(kind: kind, subject: c.id, change: change, before: before ?? old.location, after: after ?? c.location))
            }
            if parentID(a, old) != parentID(b, c) { add(.criterionMoved, .criterionMoved(from: parentID(a, old), to: parentID(b, c))) }
            if old.weight != c.weight { add(.weight, .weight(before: old.weight, after: c.weight), old.weightLocation, c.weightLocation) }
            switch (old.kind, c.kind) {
            case let (.group(x), .group(y)):
                if x != y { add(.aggregate, .aggregate(before: x, after: y)) }
            case let (.leaf(rx, mx), .leaf(ry, my)):
                if rx != ry {
                    add(.rule, .ruleKind(before: rx, after: ry))
                    break
                }
                if mx != my { add(.missingRule, .missingRule(before: mx, after: my)) }
                for (kind, change) in leafChanges(old, c) { add(kind, change) }
            default:
                add(.rule, .groupOrLeaf)
            }
        }
        return out
    }

    /// Changes of a leaf's expression, goalposts, cases and mapped risks (same rule kind).
    static func leafChanges(_ old: CriterionInfo, _ c: CriterionInfo) -> [(PolicyChange.Kind, PolicyChange.Change)] {
        var found: [(PolicyChange.Kind, PolicyChange.Change)] = []
        if old.expressionText != c.expressionText, let e1 = old.expressionText, let e2 = c.expressionText {
            found.append((.rule, .expression(before: e1, after: e2)))
        }
        if let s1 = old.scale, let s2 = c.scale {
            if s1.best != s2.best { found.append((.threshold, .best(before: s1.best, after: s2.best))) }
            if s1.worst != s2.worst { found.append((.threshold, .worst(before: s1.worst, after: s2.worst))) }
            if s1.transform != s2.transform { found.append((.threshold, .transform(before: s1.transform, after: s2.transform))) }
        }
        for k in 0..<max(old.caseConditions.count, c.caseConditions.count) {
            let w1 = k < old.caseConditions.count ? old.caseConditions[k] : nil
            let w2 = k < c.caseConditions.count ? c.caseConditions[k] : nil
            switch (w1, w2) {
            case let (x?, y?):
                if x != y { found.append((.caseChange, .caseCondition(number: k + 1, before: x, after: y))) }
                if old.caseRisks[k] != c.caseRisks[k] {
                    found.append(
                        (.caseChange, .caseRisk(number: k + 1, label: c.caseLabels[k], before: old.caseRisks[k], after: c.caseRisks[k])))
                }
            case let (nil, y?): found.append((.caseChange, .caseAdded(number: k + 1, condition: y)))
            case let (x?, nil): found.append((.caseChange, .caseRemoved(number: k + 1, condition: x)))
            case (nil, nil): break
            }
        }
        if let e1 = old.caseRisks.last, let e2 = c.caseRisks.last, e1 != e2 {
            found.append((.caseChange, .elseRisk(before: e1, after: e2)))
        }
        for (value, risk) in c.mapRisks {
            if let before = old.mapRisks.first(where: { $0.value == value })?.risk, before != risk {
                found.append((.mapRisk, .mapRisk(value: value, before: before, after: risk)))
            }
        }
        return found
    }

    static func bandChanges(_ pa: Policy, _ pb: Policy) -> [PolicyChange] {
        let same = pa.bands.elementsEqual(pb.bands) { $0.name == $1.name && $0.below == $1.below }
        guard !same else { return [] }
        return [
            PolicyChange(
                kind: .band, subject: "bands", change: .bands(before: pa.bands, after: pb.bands), before: pa.bands.first?.location,
                after: pb.bands.first?.location)
        ]
    }
}
