/// The JSON form of `SensitivityRenderer`'s output (its text and Markdown forms are in Render/Text).
extension SensitivityRenderer {
    /// The analysis as JSON (schema `hubs.sensitivity/1`).
    public static func json(_ r: SensitivityResult) -> JSON {
        func index(_ i: SobolIndex) -> JSON {
            .object([
                ("input", .string(i.input)), ("first", .num(i.first)), ("first_ci", .array([.num(i.firstLow), .num(i.firstHigh)])),
                ("total", .num(i.total)), ("total_ci", .array([.num(i.totalLow), .num(i.totalHigh)])),
            ])
        }
        return .object([
            ("schema", .string("hubs.sensitivity/1")),
            ("policy", .string(r.policy)), ("scenario", .string(r.scenario)),
            ("overrides", AssessmentJSON.overridesJSON(r.overrides)),
            ("samples", .number(Double(r.samples))), ("seed", .number(Double(r.seed))), ("sampler", .string(sampler(r))),
            ("method", .string(r.sobol ? "sobol" : "monte_carlo")),
            ("runs", .number(Double(r.runs))), ("evaluations", .number(Double(r.evaluations))),
            ("constraint_restores", .number(Double(r.constraintRestores))),
            ("inputs", .array(r.inputs.map { .string($0.name) })),
            ("input_families", .array(r.inputs.map { .string($0.family.rawValue) })),
            ("unknowns", .string(r.unknowns.rawValue)),
            ("held_unknowns", .array(r.heldUnknowns.map { .string($0) })),
            ("family_indices", .array(r.familyIndices.map(index))),
            (
                "candidates",
                .array(
                    r.candidates.map { c in
                        .object([
                            ("id", .string(c.id)), ("name", .string(c.name)),
                            ("nominal_rank", c.nominalRank.map { .number(Double($0)) } ?? .null), ("nominal_risk", .num(c.nominalRisk)),
                            ("median_rank", .num(c.medianRank)),
                            ("rank_interval", c.rankLow.map { .array([.number(Double($0)), .number(Double(c.rankHigh ?? $0))]) } ?? .null),
                            ("risk_interval", .array([.num(c.riskLow), .num(c.riskHigh)])),
                            ("p_top_k", .number(c.topK)), ("top_k", .number(Double(r.top))),
                            ("p_rank_1", .number(c.firstPlace)), ("p_nominal_rank", c.keepsNominalRank.map { .number($0) } ?? .null),
                            ("p_band", .object(c.bands.map { ($0.name, .number($0.probability)) })),
                            ("p_excluded", .number(c.excluded)),
                            ("risk_indices", .array(c.riskIndices.map(index))),
                            ("family_indices", .array(c.familyIndices.map(index))),
                            (
                                "main_input",
                                c.mainInput.map { .object([("input", .string($0.input)), ("share", .number($0.share))]) } ?? .null
                            ),
                        ])
                    })
            ),
            ("rank_shift", .object([("variance", .number(r.rankShiftVariance)), ("indices", .array(r.rankShiftIndices.map(index)))])),
            (
                "convergence",
                .object(
                    r.sobol
                        ? [("max_total_index_change_half_to_full", .number(r.convergence)), ("stable", .bool(r.convergence < 0.05))]
                        : [
                            ("max_total_index_change_half_to_full", .null),
                            ("max_p_top_k_change_half_to_full", .number(r.convergence)), ("stable", .bool(r.convergence < 0.02)),
                        ])
            ),
        ])
    }
}
