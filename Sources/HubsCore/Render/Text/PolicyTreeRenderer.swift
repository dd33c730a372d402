/// The criteria tree as the file actually says it: each criterion at its depth, with its declared
/// weight, its weight normalised within its group and its effective weight (its share of the total
/// when nothing is skipped), the group's aggregation and each leaf's rule. For `hubs check --tree`.
public enum PolicyTreeRenderer {
    /// Normalised and effective weights of every criterion, in pre-order.
    public static func weights(_ p: CompiledPolicy) -> [(normalized: Double, effective: Double)] {
        var out = [(normalized: Double, effective: Double)](repeating: (0, 0), count: p.criteria.count)
        for (i, c) in p.criteria.enumerated() {
            let siblings = p.criteria.indices.filter { p.criteria[$0].parent == c.parent }
            let sum = siblings.reduce(0.0) { $0 + p.criteria[$1].weight }
            let n = sum > 0 ? c.weight / sum : 0
            out[i] = (n, (c.parent.map { out[$0].effective } ?? 1) * n)
        }
        return out
    }

    /// The tree as text, one criterion a line, with its kind, weights and line in the file.
    public static func text(_ p: CompiledPolicy) -> String {
        var out = "Policy \(p.id) \(p.policy.version) (\(p.policy.title)): \(p.policy.file.path)\n"
        out += "root: \(p.policy.aggregate.rawValue)\n"
        var rows: [[String]] = [["criterion", "kind", "weight", "in group", "of total", "line"]]
        let w = weights(p)
        for (i, c) in p.criteria.enumerated() {
            let kind: String
            switch c.kind {
            case let .group(agg): kind = "group, \(agg.rawValue)"
            case let .leaf(rule, missing): kind = "\(rule.rawValue), missing: \(missingText(missing))"
            }
            let parentAgg: Aggregation =
                c.parent.flatMap { if case let .group(a) = p.criteria[$0].kind { a } else { nil } } ?? p.policy.aggregate
            let inGroup = parentAgg == .max ? "max" : Format.percent(w[i].normalized)
            let ofTotal =
                parentAgg == .max || hasMaxAncestor(i, p) ? "≤ " + Format.percent(maxShare(i, p, w)) : Format.percent(w[i].effective)
            rows.append([
                String(repeating: "  ", count: c.depth) + c.id, kind, Format.number(c.weight), inGroup, ofTotal,
                String(c.location.line),
            ])
        }
        out += TextTable.render(rows, rightAligned: [2, 3, 4, 5])
        out += "weight: as declared; in group: normalised among its siblings; of total: effective weight when nothing is skipped"
        out += " (under a max group, the most it can carry).\n"
        return out
    }

    /// A criterion's rule in a few words: "group, mean" or "scale; missing: assume 70".
    static func ruleText(_ c: CriterionInfo) -> String {
        switch c.kind {
        case let .group(agg): "group, \(agg.rawValue)"
        case let .leaf(kind, missing): "\(kind.rawValue); missing: \(missingText(missing))"
        }
    }

    /// Why a criterion weighs and scores as it does: its rationales, joined.
    static func whyText(_ c: CriterionInfo) -> String { [c.rationale, c.ruleRationale].compactMap { $0?.text }.joined(separator: " ") }

    static func missingText(_ m: MissingRule) -> String {
        switch m {
        case .worst: "worst"
        case let .assume(r): "assume \(Format.number(r))"
        case .skip: "skip"
        }
    }

    static func hasMaxAncestor(_ i: Int, _ p: CompiledPolicy) -> Bool {
        var k = p.criteria[i].parent
        if p.policy.aggregate == .max { return true }
        while let j = k {
            if case .group(.max) = p.criteria[j].kind { return true }
            k = p.criteria[j].parent
        }
        return false
    }

    /// Under a max group a child carries all of the group's share or none: the upper bound.
    static func maxShare(_ i: Int, _ p: CompiledPolicy, _ w: [(normalized: Double, effective: Double)]) -> Double {
        var share = 1.0
        var k: Int? = i
        while let j = k {
            let parent = p.criteria[j].parent
            let agg: Aggregation = parent.flatMap { if case let .group(a) = p.criteria[$0].kind { a } else { nil } } ?? p.policy.aggregate
            share *= agg == .max ? 1 : w[j].normalized
            k = parent
        }
        return share
    }
}
