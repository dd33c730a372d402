import HubsCore

/// Seeded synthetic policies and candidates, for the benchmark and property tests.
public enum Synthetic {
    /// A policy of `groups` groups of `leavesPerGroup` leaves mixing cases, maps, scales and
    /// expressions, with `gates` gates. Facts: numbers n0…, bools b0…, enums e0….
    public static func policy(
        groups: Int, leavesPerGroup: Int, gates: Int, seed: UInt64,
        aggregations: [Aggregation] = [.mean]
    ) -> String {
        var rng = SplitMix64(seed: seed)
        let leaves = groups * leavesPerGroup
        let numbers = max(2, leaves / 2)
        let bools = max(1, leaves / 4)
        let enums = max(1, leaves / 4)
        var y = "policy: synthetic\ntitle: Synthetic benchmark policy\nversion: \"1\"\nfacts:\n"
        for i in 0..<numbers { y += "  n\(i): {type: number, range: [0, 100]}\n" }
        for i in 0..<bools { y += "  b\(i): {type: bool}\n" }
        for i in 0..<enums { y += "  e\(i): {type: enum, values: [v0, v1, v2, v3]}\n" }
        func num() -> Int { Int.random(in: 0..<numbers, using: &rng) }
        func bool() -> Int { Int.random(in: 0..<bools, using: &rng) }
        func enm() -> Int { Int.random(in: 0..<enums, using: &rng) }
        func w() -> Int { Int.random(in: 1...9, using: &rng) }
        if gates > 0 { y += "gates:\n" }
        for g in 0..<gates {
            let cond: String
            switch g % 3 {
            case 0: cond = "n\(num()) > 97 and b\(bool())"
            case 1: cond = "e\(enm()) == \"v3\" and n\(num()) < 3"
            default: cond = "not b\(bool()) and n\(num()) > 99"
            }
            y += "  gate\(g):\n    exclude_if: '\(cond)'\n    reason: synthetic gate \(g)\n"
        }
        y += "criteria:\n"
        var leaf = 0
        for g in 0..<groups {
            let agg = aggregations[g % aggregations.count]
            y += "  group\(g):\n    weight: \(w())\n    aggregate: \(agg.rawValue)\n    criteria:\n"
            for _ in 0..<leavesPerGroup {
                y += "      leaf\(leaf):\n        weight: \(w())\n"
                switch leaf % 4 {
                case 0:
                    y += "        cases:\n"
                    y += "          - {when: 'n\(num()) >= 70 and b\(bool())', risk: 90, label: high}\n"
                    y += "          - {when: 'n\(num()) >= 40 or e\(enm()) in [\"v2\", \"v3\"]', risk: 50, label: middle}\n"
                    y += "        else: {risk: 10, label: low}\n"
                case 1:
                    y += "        map: {fact: e\(enm()), risk: {v0: 0, v1: 30, v2: 60, v3: 100}}\n"
                case 2:
                    let best = Int.random(in: 0...30, using: &rng)
                    let worst = Int.random(in: 70...100, using: &rng)
                    y += "        scale: {of: n\(num()), best: \(best), worst: \(worst)}\n"
                default:
                    y += "        expr: 'clamp(0.6 * n\(num()) + 0.4 * n\(num()) + (if b\(bool()) then 10 else 0), 0, 100)'\n"
                }
                switch leaf % 5 {
                case 1: y += "        missing: skip\n"
                case 2: y += "        missing: {assume: 50}\n"
                default: break
                }
                leaf += 1
            }
        }
        return y
    }

    /// `count` fact rows for `policy`, each value unknown with probability `unknownShare`.
    public static func rows(for policy: CompiledPolicy, count: Int, unknownShare: Double, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        var out = [Double](repeating: .nan, count: count * policy.slotCount)
        for c in 0..<count {
            for (s, f) in policy.facts.enumerated() {
                if Double.random(in: 0..<1, using: &rng) < unknownShare { continue }
                let v: Double
                switch f.type {
                case let .number(lo, hi, _): v = Double.random(in: (lo ?? 0)...(hi ?? 100), using: &rng)
                case .bool: v = Bool.random(using: &rng) ? 1 : 0
                case let .enumeration(values): v = Double(Int.random(in: 0..<values.count, using: &rng))
                case .date: v = Double(Int.random(in: 18_000...21_000, using: &rng))
                }
                out[c * policy.slotCount + s] = v
            }
        }
        return out
    }

    /// A scenario YAML giving `rows` as candidates c0…, for end-to-end use of synthetic data.
    public static func scenario(for policy: CompiledPolicy, rows: [Double], count: Int) -> String {
        var y = "scenario: synthetic\ncandidates:\n"
        for c in 0..<count {
            y += "  c\(c):\n    name: Candidate \(c)\n    facts:\n"
            for (s, f) in policy.facts.enumerated() {
                y += "      \(f.name): \(Assessor.display(rows[c * policy.slotCount + s], f.type))\n"
            }
        }
        return y
    }
}
