/// Renders how a policy's criteria move together on one scenario: the correlation matrix of
/// their risks and each group's Cronbach's alpha.
public enum CoherenceRenderer {
    /// The matrix (criteria numbered, columns by number) and the alphas, as terminal text.
    public static func text(_ r: CoherenceReport) -> String {
        var out = "Coherence of policy \(r.policy) on scenario \(r.scenario) (\(r.candidates) candidates)\n"
        out +=
            "Pearson correlation of the criteria's risks over the candidates scoring both ('-': fewer than \(Coherence.minCandidates), or a risk that does not vary):\n\n"
        var rows = [["#", "Criterion"] + r.criteria.indices.map { String($0 + 1) }]
        for (i, id) in r.criteria.enumerated() {
            rows.append(
                [String(i + 1), (r.isLeaf[i] ? "  " : "") + id]
                    + r.correlations[i].map { v in v.map { Format.fixed($0, 2) } ?? "-" })
        }
        out += TextTable.render(rows, rightAligned: Set([0] + r.criteria.indices.map { $0 + 2 }))
        out +=
            "\nCronbach's alpha of each group's children (near 1: they move as one measure; low or negative: they measure different things):\n"
        for g in r.alphas {
            let a =
                g.alpha.map { Format.fixed($0, 2) } ?? "not computed (fewer than \(Coherence.minCandidates) candidates score every child)"
            out += "  \(g.group) (\(g.children.joined(separator: ", "))): \(a)\n"
        }
        out +=
            "Pairs at |r| >= \(Format.fixed(Coherence.threshold, 2)) over \(Coherence.minCandidates) or more candidates are warned about by hubs check (double_counted).\n"
        return out
    }

    /// The pairs at or beyond the threshold and the alphas, in two sentences (the report's method).
    public static func sentences(_ r: CoherenceReport) -> String {
        let pairs = strongPairs(r)
        var out =
            pairs.isEmpty
            ? "No two criteria's risks correlate at |r| ≥ \(Format.fixed(Coherence.threshold, 2)) across the \(r.candidates) candidates of scenario \(r.scenario), so none looks counted twice."
            : "Criteria whose risks correlate at |r| ≥ \(Format.fixed(Coherence.threshold, 2)) across the \(r.candidates) candidates: "
                + pairs.map { "\($0.0) and \($0.1) (\(Format.fixed($0.2, 2)))" }.joined(separator: "; ") + "."
        let alphas = r.alphas.map { g in "\(g.group) \(g.alpha.map { Format.fixed($0, 2) } ?? "not computed")" }
        if !alphas.isEmpty {
            out +=
                " Cronbach's alpha of each group's criteria (near 1: one measure; low: different things): " + alphas.joined(separator: ", ")
                + "."
        }
        return out
    }

    /// Leaf pairs at or beyond the threshold, in the policy's order.
    public static func strongPairs(_ r: CoherenceReport) -> [(String, String, Double)] {
        var out: [(String, String, Double)] = []
        for i in r.criteria.indices where r.isLeaf[i] {
            for j in (i + 1)..<r.criteria.count where r.isLeaf[j] {
                if let v = r.correlations[i][j], Swift.abs(v) >= Coherence.threshold { out.append((r.criteria[i], r.criteria[j], v)) }
            }
        }
        return out
    }
}
