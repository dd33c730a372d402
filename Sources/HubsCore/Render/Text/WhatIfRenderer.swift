/// Renders what-if answers: the smallest fact changes found, each marked exact or approximate,
/// and how far each weight can move before the candidate's rank or band changes.
public enum WhatIfRenderer {
    static func risk(_ v: Double?) -> String { v.map { Format.fixed($0, 2) } ?? "n/a" }

    /// Says that an answer meets its goal only on the tie-break.
    static func tieText(_ a: WhatIfAnswer) -> String {
        "level on risk with \(a.tiedWith.joined(separator: ", ")): ahead only by the tie-break (higher coverage, then id), not by a lower risk"
    }

    /// The answers as terminal text, with weight stability.
    public static func text(_ r: WhatIfResult) -> String {
        var out = "What would it take for \(r.name) (\(r.candidate)) to reach: \(r.goal)?\n"
        out += "Policy \(r.policy), scenario \(r.scenario). Changeable facts: \(r.changeable.joined(separator: ", ")).\n"
        if !r.overrides.isEmpty { out += ScoreRenderer.overridesText(r.overrides) + "\n" }
        if !r.fixed.isEmpty { out += "Held fixed (--fix): \(r.fixed.joined(separator: ", ")).\n" }
        if let only = r.only { out += "Only these may change (--only): \(only.joined(separator: ", ")).\n" }
        out += "Now: risk \(risk(r.current.risk)) (\(r.current.band ?? "-")), "
        out +=
            r.current.excluded.isEmpty
            ? "rank \(r.current.rank.map(String.init) ?? "-")\n" : "excluded by \(r.current.excluded.joined(separator: ", "))\n"
        if r.alreadyMet {
            out += "\nThe goal is already met: nothing needs to change.\n"
        } else if r.answers.isEmpty {
            out += "\nUnreachable with up to \(r.maxChanges) changed fact\(r.maxChanges == 1 ? "" : "s"):\n"
            for b in r.blocked { out += "  - \(blocker(b, r))\n" }
            if let best = r.bestFound, !best.changes.isEmpty {
                out +=
                    "  The lowest risk found: \(risk(best.risk)) (\(best.band ?? "-")), by "
                    + best.changes.map { "\($0.fact) \($0.from) → \($0.to)" }.joined(separator: " and ") + "\n"
            }
        } else {
            out += "\nSmallest changes found (fewest facts first; then those that meet the goal clearly, then smallest moves):\n"
            for (i, a) in r.answers.enumerated() {
                let what = a.changes.map { "\($0.fact): \($0.from) → \($0.to)" }.joined(separator: "; ")
                out += "  \(i + 1). \(what)\n"
                let shown =
                    a.risk.map { v in
                        Format.fixed(v, 2) == Format.fixed((v * 100).rounded(.down) / 100, 2)
                            ? Format.fixed(v, 2) : "just under \(Format.fixed(v, 2))"
                    } ?? "n/a"
                out +=
                    "     gives risk \(shown) (\(a.band ?? "-")), rank \(a.rank.map(String.init) ?? "-")  [\(a.exact ? "EXACT" : "approximate"): \(method(a.method))]\n"
                if !a.tiedWith.isEmpty {
                    out += "     " + tieText(a) + "\n"
                } else if let m = a.margin {
                    out +=
                        m < WhatIfAnswer.thinMargin
                        ? "     a thin margin: \(Format.fixed(m, 2)) points of risk to spare, so a small revision of any input could undo it\n"
                        : "     \(Format.fixed(m, 2)) points of risk to spare\n"
                }
            }
        }
        if !r.leftOutByConstraint.isEmpty, !r.answers.isEmpty || r.alreadyMet {
            out +=
                "\nLeft out because they break the policy's constraints: "
                + r.leftOutByConstraint.map { "\($0.count) state\($0.count == 1 ? "" : "s") breaking \($0.constraint)" }.joined(
                    separator: ", ") + "\n"
        }
        if !r.weightBounds.isEmpty {
            out +=
                "\nWeight stability (each weight alone, others as declared): the range over which \(r.candidate)'s rank and band stay the same\n"
            var rows = [["Criterion", "Weight", "Can go down to", "Can go up to"]]
            for b in r.weightBounds {
                rows.append([
                    b.criterion, Format.number(b.weight),
                    b.low.map { Format.fixed($0, 2) } ?? "1% of it (no change found)",
                    b.high.map { Format.fixed($0, 2) } ?? "10 times it (no change found)",
                ])
            }
            out += TextTable.render(rows, rightAligned: [1, 2, 3]).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
            out += "  (scanned in 32 steps each way and refined by bisection: a change inside a step can be missed)\n"
        }
        return out
    }

    /// The answers as Markdown.
    public static func markdown(_ r: WhatIfResult) -> String {
        let md = Escaping.markdown
        var out =
            "### What would it take: \(md(r.name)) → \(md(r.goal.description))\n\n"
            + (r.overrides.isEmpty ? "" : "**\(md(ScoreRenderer.overridesText(r.overrides)))**\n\n")
            + "Now: risk \(risk(r.current.risk)) (\(r.current.band ?? "–")).\n\n"
        if r.alreadyMet { return out + "Already met.\n" }
        if r.answers.isEmpty { return out + "Unreachable: " + r.blocked.map { md(blocker($0, r)) }.joined(separator: "; ") + "\n" }
        out += "| Changes | Risk | Band | Rank | Exact? |\n|---|---:|---|---:|---|\n"
        for a in r.answers {
            out +=
                "| \(md(a.changes.map { "\($0.fact): \($0.from) → \($0.to)" }.joined(separator: "; "))) | \(risk(a.risk)) | \(a.band ?? "–") | \(a.rank.map(String.init) ?? "–") | \(a.exact ? "exact" : "approximate")\(a.tiedWith.isEmpty ? "" : "; level with \(md(a.tiedWith.joined(separator: ", "))), ahead on the tie-break only")\(a.tiedWith.isEmpty ? a.margin.map { m in m < WhatIfAnswer.thinMargin ? "; thin margin (\(Format.fixed(m, 2)))" : "; \(Format.fixed(m, 2)) to spare" } ?? "" : "") |\n"
        }
        return out
    }

    /// How an answer was found, in words.
    static func method(_ m: SearchMethod) -> String {
        switch m {
        case .everyValueTried: "every value tried"
        case .bisectionExact: "breakpoints and bisection; exact, as the rules are piecewise linear in this fact"
        case .bisectionApproximate: "breakpoints and bisection; approximate, as the fact enters arithmetic"
        case let .pairExact(enumerated, searched):
            "every value of \(enumerated) tried, \(searched) searched exactly; no single change suffices"
        case .pairOfNumbers: "both numbers searched over breakpoints (approximate)"
        case .pairApproximate: "approximate: a search over breakpoints, or a single-fact search that was not exact"
        }
    }

    /// What stands in the way, in words.
    static func blocker(_ b: Blocker, _ r: WhatIfResult) -> String {
        switch b {
        case let .unchangeableGate(gate, facts):
            return
                "gate \(gate) excludes \(r.candidate) and reads only facts the policy marks unchangeable: \(facts.joined(separator: ", "))"
        case let .excludingGate(gate, reason):
            return "gate \(gate) excludes \(r.candidate): \(reason)"
        case let .constraint(id, condition, reason, count):
            let verb = count == 1 ? "breaks" : "break"
            return "\(count) change\(count == 1 ? "" : "s") that would reach the goal \(verb) constraint \(id) (\(condition)): \(reason)"
        case let .noChangeSuffices(maxChanges):
            return "no change to \(maxChanges == 1 ? "one fact" : "up to \(maxChanges) facts") among the changeable ones reaches the goal"
        }
    }
}
