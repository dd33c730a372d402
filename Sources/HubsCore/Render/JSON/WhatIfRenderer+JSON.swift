/// The JSON form of `WhatIfRenderer`'s output (its text and Markdown forms are in Render/Text).
extension WhatIfRenderer {
    /// The answers as JSON (schema `hubs.whatif/1`).
    public static func json(_ r: WhatIfResult) -> JSON {
        func changes(_ cs: [FactChangeProposal]) -> JSON {
            .array(cs.map { .object([("fact", .string($0.fact)), ("from", .string($0.from)), ("to", .string($0.to))]) })
        }
        let head: [(String, JSON)] = [
            ("schema", .string("hubs.whatif/1")),
            ("candidate", .string(r.candidate)), ("goal", .string(r.goal.description)),
            ("policy", .string(r.policy)), ("scenario", .string(r.scenario)),
            ("overrides", AssessmentJSON.overridesJSON(r.overrides)),
        ]
        return .object(
            head + [
                (
                    "current",
                    .object([
                        ("risk", .num(r.current.risk)), ("band", .str(r.current.band)),
                        ("rank", r.current.rank.map { .number(Double($0)) } ?? .null),
                        ("excluded_by", .array(r.current.excluded.map { .string($0) })),
                    ])
                ),
                ("already_met", .bool(r.alreadyMet)),
                (
                    "answers",
                    .array(
                        r.answers.map { a in
                            .object([
                                ("changes", changes(a.changes)), ("risk", .num(a.risk)), ("band", .str(a.band)),
                                ("rank", a.rank.map { .number(Double($0)) } ?? .null), ("exact", .bool(a.exact)),
                                ("tied_with", .array(a.tiedWith.map { .string($0) })),
                                ("margin", .num(a.margin)), ("clear", .bool(a.clear)),
                                ("method", .string(method(a.method))),
                            ])
                        })
                ),
                ("blocked", .array(r.blocked.map { .string(blocker($0, r)) })),
                (
                    "best_found",
                    r.bestFound.map { b in .object([("risk", .num(b.risk)), ("band", .str(b.band)), ("changes", changes(b.changes))]) }
                        ?? .null
                ),
                (
                    "weight_bounds",
                    .array(
                        r.weightBounds.map { b in
                            .object([
                                ("criterion", .string(b.criterion)), ("weight", .number(b.weight)), ("low", .num(b.low)),
                                ("high", .num(b.high)),
                            ])
                        })
                ),
                ("changeable", .array(r.changeable.map { .string($0) })),
                ("fixed", .array(r.fixed.map { .string($0) })),
                ("only", r.only.map { .array($0.map { .string($0) }) } ?? .null),
                (
                    "left_out_by_constraint",
                    .array(
                        r.leftOutByConstraint.map {
                            .object([("constraint", .string($0.constraint)), ("count", .number(Double($0.count)))])
                        })
                ),
                ("evaluations", .number(Double(r.evaluations))),
            ])
    }
}
