/// The JSON form of `hubs gaps` (its text and Markdown forms are in Render/Text).
extension GapsRenderer {
    public static let schema = "hubs.gaps/1"

    /// The list as JSON (schema `hubs.gaps/1`).
    public static func json(_ r: GapsResult) -> JSON {
        .object([
            ("schema", .string(schema)), ("policy", .string(r.policy)), ("scenario", .string(r.scenario)),
            ("overrides", AssessmentJSON.overridesJSON(r.overrides)), ("top_k", .number(Double(r.top))),
            ("first_place", .array(r.firstPlace.map { .string($0) })), ("evaluations", .number(Double(r.evaluations))),
            ("entries", .array(r.entries.map { entry($0, top: r.top) })),
            (
                "not_tried",
                .array(
                    r.notTried.map { n in
                        .object([
                            ("candidate", .string(n.candidate)), ("facts", .array(n.facts.map { .string($0) })),
                            ("reason", .string(notTriedText(n))),
                        ])
                    })
            ),
        ])
    }

    static func entry(_ e: GapEntry, top: Int) -> JSON {
        func int(_ v: Int?) -> JSON { v.map { .number(Double($0)) } ?? .null }
        return .object([
            ("candidate", .string(e.candidate)), ("name", .string(e.candidateName)),
            ("facts", .array(zip(e.facts, e.states).map { .object([("name", .string($0)), ("state", .string($1.rawValue))]) })),
            (
                "now",
                .object([
                    ("rank", int(e.nominalRank)), ("risk", .num(e.nominalRisk)), ("band", .str(e.nominalBand)),
                    ("status", .string(e.nominalStatus.id)),
                ])
            ),
            ("rank_range", e.rankLow.map { .array([.number(Double($0)), .number(Double(e.rankHigh ?? $0))]) } ?? .null),
            ("risk_range", e.riskLow.map { .array([.number($0), .number(e.riskHigh ?? $0)]) } ?? .null),
            ("could_change_first_place", .bool(e.couldChangeFirstPlace)), ("could_change_top_k", .bool(e.couldChangeTop(top))),
            ("could_change_status", .bool(e.couldChangeStatus)), ("could_exclude", .bool(e.couldExclude)),
            ("could_change_band", .bool(e.couldChangeBand)), ("coverage_gain", .number(e.coverageGain)),
            ("expected_risk_change", .num(e.expectedRiskChange)), ("gridded", .bool(e.gridded)),
            ("ruled_out_by_constraints", .number(Double(e.ruledOut))),
            (
                "outcomes",
                .array(
                    e.outcomes.map { o in
                        .object([
                            ("values", .array(o.values.map { .string($0) })), ("rank", int(o.rank)), ("risk", .num(o.risk)),
                            ("band", .str(o.band)), ("status", .string(o.status.id)), ("changes_first_place", .bool(o.changesFirstPlace)),
                            ("probability", .num(o.probability)),
                        ])
                    })
            ),
        ])
    }
}
