import Foundation

/// Whether a group's children measure one thing: Cronbach's alpha over the candidates.
public struct GroupAlpha: Sendable {
    public var group: String
    public var children: [String]
    /// Nil when fewer than `Coherence.minCandidates` candidates have every child scored, or the
    /// children's sum does not vary.
    public var alpha: Double?
    public var candidates: Int
}

/// How a policy's criteria move together across one scenario's candidates (`hubs check
/// --coherence`, the report's method section).
public struct CoherenceReport: Sendable {
    public var policy: String
    public var scenario: String
    /// Criterion ids in the policy's order, leaves and groups.
    public var criteria: [String]
    public var isLeaf: [Bool]
    /// Pearson correlation of each pair's risks over the candidates scoring both; nil with fewer
    /// than `Coherence.minCandidates` such candidates, or a risk that does not vary.
    public var correlations: [[Double?]]
    public var alphas: [GroupAlpha]
    public var candidates: Int
}

/// Criteria that count one thing twice: leaves reading facts a constraint links, and leaves
/// whose risks move (almost) in step across the candidates. Composite-indicator practice (the
/// OECD/JRC handbook, COINr) checks these before trusting the weights.
public enum Coherence {
    /// Correlations at or beyond this (in absolute value) are reported as counting twice.
    public static let threshold = 0.95
    /// The fewest candidates a correlation or an alpha is computed over.
    public static let minCandidates = 5

    /// The correlation matrix of every criterion's risk and each group's alpha, over every
    /// candidate scored (excluded ones too: their risks are computed for information).
    public static func report(_ a: Assessment) -> CoherenceReport {
        let p = a.policy
        let n = p.criteria.count
        let series: [[Double?]] = (0..<n).map { i in a.results.map { $0.criteria[i].risk } }
        var matrix = [[Double?]](repeating: [Double?](repeating: nil, count: n), count: n)
        for i in 0..<n {
            for j in i..<n {
                let r = i == j ? 1 : pearson(series[i], series[j])
                matrix[i][j] = r
                matrix[j][i] = r
            }
        }
        var alphas: [GroupAlpha] = []
        for (g, c) in p.criteria.enumerated() where !c.isLeaf {
            let kids = p.criteria.indices.filter { p.criteria[$0].parent == g }
            guard kids.count > 1 else { continue }
            let (alpha, count) = cronbach(kids.map { series[$0] })
            alphas.append(GroupAlpha(group: c.id, children: kids.map { p.criteria[$0].id }, alpha: alpha, candidates: count))
        }
        return CoherenceReport(
            policy: p.id, scenario: a.scenario.id, criteria: p.criteria.map(\.id), isLeaf: p.criteria.map(\.isLeaf),
            correlations: matrix, alphas: alphas, candidates: a.results.count)
    }

    /// Warnings: leaves that read facts a constraint links, and leaves whose risks correlate at
    /// `threshold` or beyond over at least `minCandidates` candidates; each names both criteria
    /// and the share of the weight they carry together.
    public static func findings(_ a: Assessment) -> [Diagnostic] {
        let p = a.policy
        var out = linked(p)
        let linkedPairs = Set(out.map(\.message))
        let report = report(a)
        let leaves = p.criteria.indices.filter { p.criteria[$0].isLeaf }
        for (x, i) in leaves.enumerated() {
            for j in leaves[(x + 1)...] {
                guard let r = report.correlations[i][j], Swift.abs(r) >= threshold else { continue }
                let (ci, cj) = (p.criteria[i], p.criteria[j])
                if linkedPairs.contains(where: { $0.contains("'\(ci.id)' and '\(cj.id)'") }) { continue }
                out.append(
                    .doubleCounted(
                        "the risks of criteria '\(ci.id)' and '\(cj.id)' move \(r > 0 ? "together" : "in opposition") across the candidates of scenario '\(a.scenario.id)' (correlation \(Format.fixed(r, 2))): together they carry \(Format.percent(share(p, [i, j]))) of the weight",
                        at: cj.location,
                        hint: "if they measure one thing, merge them or lower one's weight; hubs check --coherence prints every pair",
                        length: cj.id.count))
            }
        }
        return out
    }

    /// Leaves reading facts that one constraint of the policy links: one status counted twice.
    public static func linked(_ p: CompiledPolicy) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let leaves = p.criteria.indices.filter { p.criteria[$0].isLeaf }
        for k in p.constraints {
            let reading = leaves.filter { !Set(p.criteria[$0].slots).isDisjoint(with: k.slots) }
            for (x, i) in reading.enumerated() {
                for j in reading[(x + 1)...] {
                    let (ci, cj) = (p.criteria[i], p.criteria[j])
                    // Two criteria reading the same fact already say so through their facts; a pair
                    // is reported when each reads a different fact of the constraint.
                    guard Set(ci.slots).intersection(k.slots) != Set(cj.slots).intersection(k.slots) else { continue }
                    let facts = k.slots.map { p.facts[$0].name }.joined(separator: ", ")
                    out.append(
                        .doubleCounted(
                            "criteria '\(ci.id)' and '\(cj.id)' read facts that constraint '\(k.id)' links (\(facts)), so one status counts twice: together they carry \(Format.percent(share(p, [i, j]))) of the weight",
                            at: cj.location,
                            hint: "score the linked facts in one criterion (a case per combination), or say why each counts",
                            length: cj.id.count))
                }
            }
        }
        return out
    }

    /// The leaves' shares of the total weight, added.
    static func share(_ p: CompiledPolicy, _ criteria: [Int]) -> Double {
        criteria.compactMap { p.criteria[$0].leaf }.reduce(0) { $0 + p.leafNominalShare[$1] }
    }

    /// Pearson's r over the positions where both have a value.
    static func pearson(_ x: [Double?], _ y: [Double?]) -> Double? {
        let pairs = zip(x, y).compactMap { a, b in a.flatMap { a in b.map { (a, $0) } } }
        guard pairs.count >= minCandidates else { return nil }
        let n = Double(pairs.count)
        let mx = pairs.reduce(0) { $0 + $1.0 } / n
        let my = pairs.reduce(0) { $0 + $1.1 } / n
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for (a, b) in pairs {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        guard sxx > 1e-12, syy > 1e-12 else { return nil }
        return Swift.max(-1, Swift.min(1, sxy / (sxx * syy).squareRoot()))
    }

    /// Cronbach's alpha k/(k−1)·(1 − Σ var(item) / var(sum)) over the candidates scoring every
    /// item, and how many they are.
    static func cronbach(_ items: [[Double?]]) -> (Double?, Int) {
        let k = items.count
        guard k > 1, let m = items.first?.count else { return (nil, 0) }
        let rows = (0..<m).compactMap { c -> [Double]? in
            let row = items.compactMap { $0[c] }
            return row.count == k ? row : nil
        }
        guard rows.count >= minCandidates else { return (nil, rows.count) }
        func variance(_ v: [Double]) -> Double {
            let mean = v.reduce(0, +) / Double(v.count)
            return v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)
        }
        let itemVariance = (0..<k).reduce(0.0) { sum, i in sum + variance(rows.map { $0[i] }) }
        let total = variance(rows.map { $0.reduce(0, +) })
        guard total > 1e-12 else { return (nil, rows.count) }
        return (Double(k) / Double(k - 1) * (1 - itemVariance / total), rows.count)
    }
}
