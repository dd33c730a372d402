/// One change between two versions of a policy, located in both files where it can be.
public struct PolicyChange: Sendable, Equatable {
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
    public var kind: Kind
    /// The criterion, gate, fact or setting concerned.
    public var subject: String
    public var detail: String
    public var before: SourceLocation?
    public var after: SourceLocation?
}

/// Compares two compiled policies: criteria by id, gates by id, facts by name.
public enum PolicyDiff {
    static func text(_ m: MissingRule) -> String {
        switch m {
        case .worst: "worst (risk 100)"
        case let .assume(r): "assume risk \(Format.number(r))"
        case .skip: "skip (weight shared among siblings)"
        }
    }

    /// Every change between two policies, in named steps: metadata, facts, gates, criteria (by
    /// id), bands.
    public static func compare(_ a: CompiledPolicy, _ b: CompiledPolicy) -> [PolicyChange] {
        metadata(a.policy, b.policy) + factChanges(a.policy, b.policy) + gateChanges(a, b) + criterionChanges(a, b)
            + bandChanges(a.policy, b.policy)
    }

    static func metadata(_ pa: Policy, _ pb: Policy) -> [PolicyChange] {
        var out: [PolicyChange] = []
        func meta(_ what: String, _ x: String, _ y: String) {
            if x != y {
                out.append(
                    PolicyChange(kind: .metadata, subject: what, detail: "\(what) \(x) → \(y)", before: pa.location, after: pb.location))
            }
        }
        meta("policy", pa.id, pb.id)
        meta("version", pa.version, pb.version)
        meta("max_fact_age", pa.maxFactAge?.text ?? "none", pb.maxFactAge?.text ?? "none")
        meta("aggregate", pa.aggregate.rawValue, pb.aggregate.rawValue)
        return out
    }

    static func factChanges(_ pa: Policy, _ pb: Policy) -> [PolicyChange] {
        var out: [PolicyChange] = []
        for f in pa.facts where pb.fact(f.name) == nil {
            out.append(PolicyChange(kind: .fact, subject: f.name, detail: "fact '\(f.name)' removed", before: f.location, after: nil))
        }
        for f in pb.facts {
            guard let old = pa.fact(f.name) else {
                out.append(PolicyChange(kind: .fact, subject: f.name, detail: "fact '\(f.name)' added", before: nil, after: f.location))
                continue
            }
            if old.type != f.type {
                out.append(
                    PolicyChange(
                        kind: .fact, subject: f.name, detail: "type of '\(f.name)': \(describe(old.type)) → \(describe(f.type))",
                        before: old.location, after: f.location))
            }
        }

        return out
    }

    static func gateChanges(_ a: CompiledPolicy, _ b: CompiledPolicy) -> [PolicyChange] {
        var out: [PolicyChange] = []
        for g in a.gates where !b.gates.contains(where: { $0.id == g.id }) {
            out.append(
                PolicyChange(
                    kind: .gate, subject: g.id, detail: "gate '\(g.id)' removed (exclude_if: \(g.condition))", before: g.location,
                    after: nil))
        }
        for g in b.gates {
            guard let old = a.gates.first(where: { $0.id == g.id }) else {
                out.append(
                    PolicyChange(
                        kind: .gate, subject: g.id, detail: "gate '\(g.id)' added (exclude_if: \(g.condition))", before: nil,
                        after: g.location))
                continue
            }
            if old.condition != g.condition {
                out.append(
                    PolicyChange(
                        kind: .gate, subject: g.id, detail: "gate '\(g.id)' condition: \(old.condition) → \(g.condition)",
                        before: old.location, after: g.location))
            }
            if old.reason != g.reason {
                out.append(
                    PolicyChange(
                        kind: .gate, subject: g.id, detail: "gate '\(g.id)' reason changed", before: old.location, after: g.location))
            }
            if old.onMissing != g.onMissing {
                out.append(
                    PolicyChange(
                        kind: .gate, subject: g.id,
                        detail: "gate '\(g.id)' when undecided: \(old.onMissing.rawValue) → \(g.onMissing.rawValue)",
                        before: old.location, after: g.location))
            }
        }

        return out
    }

    /// Criteria matched by id (ids are unique within a policy): removed, added, moved, and for
    /// each kept criterion its weight, aggregate, rule and the rule's parameters.
    static func criterionChanges(_ a: CompiledPolicy, _ b: CompiledPolicy) -> [PolicyChange] {
        var out: [PolicyChange] = []
        func parentID(_ p: CompiledPolicy, _ c: CriterionInfo) -> String { c.parent.map { p.criteria[$0].id } ?? "the top level" }
        let inA = Dictionary(a.criteria.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let inB = Set(b.criteria.map(\.id))
        for c in a.criteria where !inB.contains(c.id) {
            out.append(
                PolicyChange(
                    kind: .criterionRemoved, subject: c.id, detail: "criterion '\(c.id)' removed (was under \(parentID(a, c)))",
                    before: c.location, after: nil))
        }
        for c in b.criteria {
            guard let old = inA[c.id] else {
                out.append(
                    PolicyChange(
                        kind: .criterionAdded, subject: c.id, detail: "criterion '\(c.id)' added under \(parentID(b, c))", before: nil,
                        after: c.location))
                continue
            }
            func add(_ kind: PolicyChange.Kind, _ detail: String, _ before: SourceLocation? = nil, _ after: SourceLocation? = nil) {
                out.append(
                    PolicyChange(kind: kind, subject: c.id, detail: detail, before: before ?? old.location, after: after ?? c.location))
            }
            if parentID(a, old) != parentID(b, c) {
                add(.criterionMoved, "criterion '\(c.id)' moved from \(parentID(a, old)) to \(parentID(b, c))")
            }
            if old.weight != c.weight {
                add(
                    .weight, "weight of '\(c.id)': \(Format.number(old.weight)) → \(Format.number(c.weight))", old.weightLocation,
                    c.weightLocation)
            }
            switch (old.kind, c.kind) {
            case let (.group(x), .group(y)):
                if x != y { add(.aggregate, "aggregate of '\(c.id)': \(x.rawValue) → \(y.rawValue)") }
            case let (.leaf(rx, mx), .leaf(ry, my)):
                if rx != ry {
                    add(.rule, "rule of '\(c.id)': \(rx.rawValue) → \(ry.rawValue)")
                    break
                }
                if mx != my { add(.missingRule, "missing rule of '\(c.id)': \(Self.text(mx)) → \(Self.text(my))") }
                for (kind, detail) in leafChanges(old, c) { add(kind, detail) }
            default:
                add(.rule, "'\(c.id)' changed between a group and a leaf")
            }
        }

        return out
    }

    /// Changes of a leaf's expression, goalposts, cases and mapped risks (same rule kind).
    static func leafChanges(_ old: CriterionInfo, _ c: CriterionInfo) -> [(PolicyChange.Kind, String)] {
        var found: [(PolicyChange.Kind, String)] = []
        if old.expressionText != c.expressionText, let e1 = old.expressionText, let e2 = c.expressionText {
            found.append((.rule, "'\(c.id)' reads \(e1) → \(e2)"))
        }
        if let s1 = old.scale, let s2 = c.scale {
            if s1.best != s2.best {
                found.append((.threshold, "'\(c.id)' best (risk 0): \(Format.number(s1.best)) → \(Format.number(s2.best))"))
            }
            if s1.worst != s2.worst {
                found.append((.threshold, "'\(c.id)' worst (risk 100): \(Format.number(s1.worst)) → \(Format.number(s2.worst))"))
            }
            if s1.transform != s2.transform {
                found.append((.threshold, "'\(c.id)' transform: \(s1.transform.rawValue) → \(s2.transform.rawValue)"))
            }
        }
        let n = max(old.caseConditions.count, c.caseConditions.count)
        for k in 0..<n {
            let w1 = k < old.caseConditions.count ? old.caseConditions[k] : nil
            let w2 = k < c.caseConditions.count ? c.caseConditions[k] : nil
            switch (w1, w2) {
            case let (x?, y?):
                if x != y { found.append((.caseChange, "'\(c.id)' case \(k + 1) condition: \(x) → \(y)")) }
                if old.caseRisks[k] != c.caseRisks[k] {
                    found.append(
                        (
                            .caseChange,
                            "'\(c.id)' case \(k + 1) (\(c.caseLabels[k])) risk: \(Format.number(old.caseRisks[k])) → \(Format.number(c.caseRisks[k]))"
                        ))
                }
            case let (nil, y?): found.append((.caseChange, "'\(c.id)' case \(k + 1) added: \(y)"))
            case let (x?, nil): found.append((.caseChange, "'\(c.id)' case \(k + 1) removed: \(x)"))
            case (nil, nil): break
            }
        }
        if !old.caseRisks.isEmpty, !c.caseRisks.isEmpty, old.caseRisks.last != c.caseRisks.last {
            found.append(
                (
                    .caseChange,
                    "'\(c.id)' else risk: \(Format.number(old.caseRisks.last ?? .nan)) → \(Format.number(c.caseRisks.last ?? .nan))"
                ))
        }
        for (value, risk) in c.mapRisks {
            if let before = old.mapRisks.first(where: { $0.value == value })?.risk, before != risk {
                found.append((.mapRisk, "'\(c.id)' risk for \(value): \(Format.number(before)) → \(Format.number(risk))"))
            }
        }
        return found
    }

    static func bandChanges(_ pa: Policy, _ pb: Policy) -> [PolicyChange] {
        var out: [PolicyChange] = []
        let ba = pa.bands.map { "\($0.name)\($0.below.map { " < \(Format.number($0))" } ?? "")" }
        let bb = pb.bands.map { "\($0.name)\($0.below.map { " < \(Format.number($0))" } ?? "")" }
        if ba != bb {
            out.append(
                PolicyChange(
                    kind: .band, subject: "bands", detail: "bands: \(ba.joined(separator: ", ")) → \(bb.joined(separator: ", "))",
                    before: pa.bands.first?.location, after: pb.bands.first?.location))
        }
        return out
    }

    static func describe(_ t: FactType) -> String {
        switch t {
        case let .number(lo, hi, unit):
            "number" + (lo != nil || hi != nil ? " [\(lo.map(Format.number) ?? "-inf"), \(hi.map(Format.number) ?? "inf")]" : "")
                + (unit.map { " \($0)" } ?? "")
        case .bool: "bool"
        case let .enumeration(v): "enum [\(v.joined(separator: ", "))]"
        case .date: "date"
        }
    }
}
