/// The JSON form of `DiffRenderer`'s output (its text and Markdown forms are in Render/Text).
extension DiffRenderer {
    /// The diff as JSON (schema `hubs.diff/1`).
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
                (
                    "overrides", AssessmentJSON.overridesJSON(a.overrides)
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
                            ("kind", .string(c.kind.rawValue)), ("subject", .string(c.subject)), ("detail", .string(detail(c))),
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
                                .array(c.facts.map(factJSON))
                            ),
                        ])
                    })
            ),
        ])
    }

    /// One fact that changed, with what changed in its evidence.
    static func factJSON(_ f: FactChange) -> JSON {
        .object([
            ("fact", .string(f.fact)), ("before", .string(f.before)), ("after", .string(f.after)),
            ("source_before", .str(f.sourceBefore)), ("source_after", .str(f.sourceAfter)), ("value_changed", .bool(f.valueChanged)),
            (
                "provenance",
                .array(
                    f.provenance.map { p in .object([("field", .string(p.field)), ("before", .str(p.before)), ("after", .str(p.after))]) })
            ),
        ])
    }
}
