/// The JSON shape of `hubs score --format json` and `hubs explain --format json`
/// (schema "hubs.assessment/1", documented in docs/json.md). Add fields; never rename or remove.
public enum AssessmentJSON {
    public static let schema = "hubs.assessment/1"

    /// The whole assessment, or only `candidates` of it (for `explain`), as one JSON document.
    public static func document(_ a: Assessment, candidates: [CandidateResult]? = nil) -> JSON {
        .object(members(a, candidates: .array((candidates ?? a.results).map { candidate($0, policy: a.policy) })))
    }

    /// The same document as `document(a)`, byte for byte, handed to `flush` in pieces: one
    /// candidate's JSON exists at a time, so the output's size does not set the memory used.
    public static func stream(_ a: Assessment, flush: ([UInt8]) -> Void) {
        JSON.stream(
            object: members(a, candidates: .null), streamed: "candidates", count: a.results.count,
            element: { candidate(a.results[$0], policy: a.policy) }, flush: flush)
    }

    static func members(_ a: Assessment, candidates: JSON) -> [(String, JSON)] {
        let p = a.policy
        return [
            ("schema", .string(schema)),
            (
                "policy",
                .object([
                    ("id", .string(p.id)), ("title", .string(p.policy.title)), ("version", .string(p.policy.version)),
                    ("file", .string(p.policy.file.path)), ("sha256", .string(p.policy.file.sha256)),
                ])
            ),
            (
                "scenario",
                .object([
                    ("id", .string(a.scenario.id)), ("title", .string(a.scenario.title)),
                    ("as_of", .str(a.scenario.asOf?.description)),
                    ("lineage", .array(a.scenario.lineage.map { .string($0) })),
                ])
            ),
            (
                "inputs",
                .array(
                    a.inputs.map {
                        .object([("role", .string($0.role.rawValue)), ("path", .string($0.path)), ("sha256", .string($0.sha256))])
                    })
            ),
            ("min_coverage", .number(p.minimumCoverage)),
            ("bands", .array(p.bands.map { .object([("name", .string($0.name)), ("below", .num($0.below))]) })),
            ("candidates", candidates),
            ("warnings", .array(a.warnings.filter { $0.severity != .note }.map(\.json))),
        ]
    }

    static func candidate(_ r: CandidateResult, policy: CompiledPolicy) -> JSON {
        .object([
            ("id", .string(r.id)),
            ("name", .string(r.name)),
            ("position", .number(Double(r.position))),
            ("rank", r.rank.map { .number(Double($0)) } ?? .null),
            ("status", .string(r.status.id)),
            ("risk", .num(r.risk)),
            ("band", .str(r.band)),
            ("coverage", .number(r.coverage)),
            ("risk_from_evidence", .num(r.riskFromEvidence)),
            ("risk_from_assumptions", .num(r.riskFromAssumptions)),
            (
                "coverage_gaps",
                .array(
                    r.coverageGaps.map {
                        .object([
                            ("fact", .string($0.fact)), ("state", .string($0.state.rawValue)),
                            ("share", .number($0.share)),
                        ])
                    })
            ),
            ("excluded_by", .array(r.excludingGates.map { .object([("gate", .string($0.id)), ("reason", .string($0.reason))]) })),
            (
                "drivers",
                .array(
                    r.drivers().map {
                        .object([
                            ("criterion", .string($0.id)), ("contribution", .number($0.contribution)),
                            ("assumed", .bool($0.assumed)),
                        ])
                    })
            ),
            (
                "gates",
                .array(
                    r.gates.map { g in
                        .object([
                            ("id", .string(g.id)), ("outcome", .string(g.outcome.rawValue)), ("condition", .string(g.condition)),
                            ("reason", .string(g.reason)), ("reads", .array(g.reads.map(reading))),
                        ])
                    })
            ),
            ("criteria", .array(r.criteria.map { criterion($0, policy: policy) })),
            ("assumptions", .array(r.assumptions.map { .string(AssumptionText.text($0)) })),
        ])
    }

    static func criterion(_ c: CriterionResult, policy: CompiledPolicy) -> JSON {
        let info = policy.criteria[c.index]
        var fields: [(String, JSON)] = [
            ("id", .string(c.id)),
            ("title", .string(c.title)),
            ("parent", .str(info.parent.map { policy.criteria[$0].id })),
            ("depth", .number(Double(c.depth))),
        ]
        switch info.kind {
        case let .group(agg):
            fields += [("kind", .string("group")), ("aggregate", .string(agg.rawValue))]
        case let .leaf(rule, _):
            fields += [("kind", .string("leaf")), ("rule", .string(rule.rawValue))]
        }
        fields += [
            ("weight", .number(c.weight)),
            ("normalized_weight", .number(c.normalizedWeight)),
            ("effective_weight", .number(c.effectiveWeight)),
            ("risk", .num(c.risk)),
            ("contribution", .number(c.contribution)),
            ("skipped", .bool(c.skipped)),
            ("assumed", .bool(c.assumed)),
        ]
        if c.isLeaf {
            fields += [
                ("raw_value", .num(c.rawValue)),
                (
                    "missing_rule",
                    c.missingRule.map { rule in
                        switch rule {
                        case .worst: .string("worst")
                        case .skip: .string("skip")
                        case let .assume(v): .object([("assume", .number(v))])
                        }
                    } ?? .null
                ),
                ("case", c.firedCase.map { .object([("index", .number(Double($0))), ("label", .str(c.firedLabel))]) } ?? .null),
                ("reads", .array(c.reads.map(reading))),
            ]
        }
        return .object(fields)
    }

    static func reading(_ f: FactReading) -> JSON {
        .object([
            ("fact", .string(f.name)),
            ("state", .string(f.state.rawValue)),
            ("value", .str(f.value)),
            (
                "source",
                f.source.map { id in
                    .object([
                        ("id", .string(id)), ("title", .str(f.sourceTitle)), ("publisher", .str(f.sourcePublisher)),
                        ("date", .str(f.sourceDate?.description)), ("url", .str(f.sourceURL)),
                    ])
                } ?? .null
            ),
            ("as_of", .str(f.asOf?.description)),
            ("confidence", .str(f.confidence?.rawValue)),
            ("note", .str(f.note)),
            ("location", .str(f.location?.description)),
        ])
    }
}
