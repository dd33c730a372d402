/// Renders an `OutcomeDiff`: terminal table (unchanged candidates folded), Markdown, JSON.
public enum DiffRenderer {
    static func side(_ a: Assessment) -> String {
        "policy \(a.policy.id) \(a.policy.policy.version), scenario \(a.scenario.id)"
    }

    static func risk(_ r: CandidateResult?) -> String { r?.risk.map { Format.fixed($0, 2) } ?? "n/a" }
    static func rank(_ r: CandidateResult?) -> String { r?.rank.map(String.init) ?? "-" }
    static func status(_ r: CandidateResult?) -> String {
        guard let r else { return "absent" }
        switch r.status {
        case .ranked: return "ranked"
        case .insufficientEvidence: return "insufficient evidence"
        case .excluded: return "excluded (\(r.excludingGates.map(\.id).joined(separator: ", ")))"
        case .notAssessable: return "not assessable"
        }
    }
    /// "echr −12.00", or "host_willingness +9.00 (assumed)" when either side rests on a missing-data rule.
    static func part(_ p: CriterionPart) -> String {
        let mark =
            p.assumedBefore && p.assumedAfter ? " (assumed)" : p.assumedBefore ? " (was assumed)" : p.assumedAfter ? " (now assumed)" : ""
        return "\(p.criterion) \(signed(p.delta))\(mark)"
    }
    static func signed(_ v: Double) -> String { (v > 0 ? "+" : v < 0 ? "−" : "±") + Format.fixed(Swift.abs(v), 2) }
    static func arrow(_ a: String, _ b: String) -> String { a == b ? a : "\(a) → \(b)" }

    public static func table(_ d: OutcomeDiff) -> String {
        var out = "Before: \(side(d.before))\nAfter:  \(side(d.after))\n"
        if d.changed.isEmpty && d.policyChanges.isEmpty {
            return out + "\nNo change: every candidate has the same rank, risk, band and status.\n"
        }
        if !d.policyChanges.isEmpty {
            out += "\nPolicy changes (\(d.policyChanges.count)):\n"
            for c in d.policyChanges {
                let locs = [c.before.map { "was \($0)" }, c.after.map { "now \($0)" }].compactMap { $0 }.joined(separator: ", ")
                out += "  \(c.detail)\(locs.isEmpty ? "" : "  [\(locs)]")\n"
            }
        }
        let changed = d.changed
        if changed.isEmpty {
            out += "\nNo candidate's outcome changed.\n"
            return out
        }
        out += "\nCandidates whose outcome changed (\(changed.count)):\n"
        var rows: [[String]] = [["Candidate", "Rank", "Risk", "Change", "Band", "Status"]]
        for c in changed {
            switch c.kind {
            case .added:
                rows.append([c.name, "new: " + rank(c.after), risk(c.after), "", c.after?.band ?? "-", "added: " + status(c.after)])
            case .removed: rows.append([c.name, rank(c.before) + " → gone", risk(c.before), "", c.before?.band ?? "-", "removed"])
            default:
                rows.append([
                    c.name, arrow(rank(c.before), rank(c.after)), "\(risk(c.before)) → \(risk(c.after))",
                    c.riskDelta.map(signed) ?? "", arrow(c.before?.band ?? "-", c.after?.band ?? "-"),
                    arrow(status(c.before), status(c.after)),
                ])
            }
        }
        out += TextTable.render(rows, rightAligned: [3]).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        for c in changed where c.kind == .changed && (!c.parts.isEmpty || !c.facts.isEmpty || c.statusChanged) {
            out += "\n  \(c.name)"
            if let delta = c.riskDelta { out += ": risk \(signed(delta))" }
            out += "\n"
            if !c.parts.isEmpty {
                out += "    by criterion: " + c.parts.map(part).joined(separator: ", ") + "\n"
            }
            for f in c.facts {
                out += "    fact \(f.fact): \(f.before) → \(f.after)\(f.sourceAfter.map { " [\($0)]" } ?? "")\n"
            }
            if c.statusChanged {
                let newly = c.after?.excludingGates.filter { g in !(c.before?.excludingGates.contains { $0.id == g.id } ?? false) } ?? []
                let lifted = c.before?.excludingGates.filter { g in !(c.after?.excludingGates.contains { $0.id == g.id } ?? false) } ?? []
                for g in newly { out += "    newly excluded by \(g.id): \(g.reason)\n" }
                for g in lifted { out += "    no longer excluded by \(g.id)\n" }
            }
        }
        let unchanged = d.candidates.filter { $0.kind == .unchanged }
        if !unchanged.isEmpty {
            out += "\n\(unchanged.count) unchanged: \(unchanged.map(\.id).joined(separator: ", "))\n"
        }
        return out
    }

    public static func markdown(_ d: OutcomeDiff) -> String {
        func cell(_ s: String) -> String { Escaping.markdown(s) }
        var out = "### hubs diff\n\n- Before: \(side(d.before))\n- After: \(side(d.after))\n"
        if d.changed.isEmpty && d.policyChanges.isEmpty { return out + "\nNo change.\n" }
        if !d.policyChanges.isEmpty {
            out += "\n**Policy changes**\n\n"
            for c in d.policyChanges {
                out += "- \(cell(c.detail))" + (c.after.map { " (`\($0)`)" } ?? c.before.map { " (`\($0)`)" } ?? "") + "\n"
            }
        }
        let changed = d.changed
        if !changed.isEmpty {
            out += "\n| Candidate | Rank | Risk | Change | Band | Status | By criterion |\n|---|---|---:|---:|---|---|---|\n"
            for c in changed {
                let parts = c.parts.prefix(4).map(part).joined(separator: ", ")
                out +=
                    "| \(cell(c.name)) | \(arrow(rank(c.before), rank(c.after))) | \(risk(c.before)) → \(risk(c.after)) | \(c.riskDelta.map(signed) ?? c.kind.rawValue) | \(arrow(c.before?.band ?? "–", c.after?.band ?? "–")) | \(cell(arrow(status(c.before), status(c.after)))) | \(parts) |\n"
            }
            let facts = changed.flatMap { c in c.facts.map { "\(c.name): \($0.fact) \($0.before) → \($0.after)" } }
            if !facts.isEmpty { out += "\n**Facts that changed**\n\n" + facts.map { "- \(cell($0))\n" }.joined() }
        }
        let unchanged = d.candidates.filter { $0.kind == .unchanged }
        if !unchanged.isEmpty { out += "\n\(unchanged.count) unchanged: \(unchanged.map(\.id).joined(separator: ", ")).\n" }
        return out
    }

    public static func json(_ d: OutcomeDiff) -> JSON {
        func sideJSON(_ a: Assessment) -> JSON {
            .object([
                ("policy", .string(a.policy.id)), ("policy_version", .string(a.policy.policy.version)),
                ("scenario", .string(a.scenario.id)),
                (
                    "inputs",
                    .array(
                        a.inputs.map {
                            .object([("role", .string($0.role.rawValue)), ("path", .string($0.path)), ("sha256", .string($0.sha256))])
                        })
                ),
            ])
        }
        func result(_ r: CandidateResult?) -> JSON {
            guard let r else { return .null }
            return .object([
                ("rank", r.rank.map { .number(Double($0)) } ?? .null), ("risk", .num(r.risk)), ("band", .str(r.band)),
                ("status", .string(r.status.id)),
                ("excluded_by", .array(r.excludingGates.map { .string($0.id) })), ("coverage", .number(r.coverage)),
                ("risk_from_evidence", .num(r.riskFromEvidence)), ("risk_from_assumptions", .num(r.riskFromAssumptions)),
            ])
        }
        return .object([
            ("schema", .string("hubs.diff/1")),
            ("before", sideJSON(d.before)),
            ("after", sideJSON(d.after)),
            ("identical", .bool(!d.differs(on: .any))),
            (
                "policy_changes",
                .array(
                    d.policyChanges.map { c in
                        .object([
                            ("kind", .string(c.kind.rawValue)), ("subject", .string(c.subject)), ("detail", .string(c.detail)),
                            ("before", .str(c.before?.description)), ("after", .str(c.after?.description)),
                        ])
                    })
            ),
            (
                "candidates",
                .array(
                    d.candidates.map { c in
                        .object([
                            ("id", .string(c.id)), ("name", .string(c.name)), ("change", .string(c.kind.rawValue)),
                            ("before", result(c.before)), ("after", result(c.after)),
                            ("risk_delta", .num(c.riskDelta)),
                            (
                                "parts",
                                .array(
                                    c.parts.map {
                                        .object([
                                            ("criterion", .string($0.criterion)), ("before", .number($0.before)),
                                            ("after", .number($0.after)), ("delta", .number($0.delta)),
                                            ("assumed_before", .bool($0.assumedBefore)), ("assumed_after", .bool($0.assumedAfter)),
                                        ])
                                    })
                            ),
                            (
                                "facts",
                                .array(
                                    c.facts.map {
                                        .object([
                                            ("fact", .string($0.fact)), ("before", .string($0.before)), ("after", .string($0.after)),
                                            ("source_before", .str($0.sourceBefore)), ("source_after", .str($0.sourceAfter)),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
        ])
    }
}
