extension FileSchemas {
    // MARK: policy

    static let risk = number("A risk from 0 (no concern) to 100 (severe concern).", min: 0, max: 100)
    static let aggregate = oneOfWords(
        "How the criteria of a group combine: mean (weighted arithmetic), geometric (weighted geometric, so one high risk weighs more) or max (the worst).",
        ["mean", "geometric", "max"])
    static let missingRule = anyOf(
        "What a criterion's risk is when a fact it reads is unknown or not given (default worst).",
        [
            oneOfWords("worst: risk 100; skip: the criterion drops out and its weight is shared among its siblings.", ["worst", "skip"]),
            object(
                "Assume a risk, and say why.",
                [
                    ("assume", risk),
                    (
                        "range",
                        list("How uncertain the assumption is: [LOW, HIGH] around it; sensitivity draws the assumed risk in it.", risk)
                    ),
                    ("rationale", rationale), ("cite", cite),
                ], required: ["assume"]),
            object(
                "worst or skip, and say why.",
                [
                    ("rule", oneOfWords("The rule: worst (risk 100) or skip (left out, its weight shared).", ["worst", "skip"])),
                    ("rationale", rationale), ("cite", cite),
                ], required: ["rule"]),
        ])

    static let factDeclaration = object(
        "A fact the policy reads: its type and what values it may take.",
        [
            ("type", oneOfWords("The fact's type.", ["number", "bool", "enum", "date"])),
            ("description", text("What the fact means, for the analyst filling it in.")),
            (
                "range",
                list(
                    "For numbers: the lowest and highest possible values [LOW, HIGH]; ~ for no bound on that side.",
                    anyOf("a bound", [typed("number", "the bound"), typed("null", "no bound")]))
            ),
            ("unit", text("For numbers: the unit shown after the value (points, states, grants).")),
            (
                "step",
                number("For numbers: the resolution the value is published in (1 for whole points); whatif proposes only values on it.")
            ),
            ("values", list("For enums: the allowed values, as bare words.", text("a value"))),
            ("changeable", typed("boolean", "Whether whatif may propose changing it (default true).")),
            ("max_age", text("How old evidence for it may be before it is flagged: none, or a count and unit like 3y, 18m, 6w, 90d.")),
            (
                "prior",
                object(
                    "How likely each value is where the fact is unknown (for sensitivity and gaps); without it every value is alike.",
                    [
                        (
                            "probabilities",
                            map(
                                "For bools and enums: each value's probability (values not named count as 0; they add up to 1).",
                                key: ".*", number("A probability from 0 to 1.", min: 0, max: 1))
                        ),
                        (
                            "interval",
                            list("For numbers: the interval [LOW, HIGH] the value lies in, inside its range.", typed("number", "an end"))
                        ),
                        ("rationale", rationale),
                    ])
            ),
        ], required: ["type"])

    static let criterion = object(
        "A criterion: a group of criteria (with 'criteria') or a leaf scored by exactly one rule: expr, cases, map or scale.",
        [
            ("title", text("The criterion's name as shown.")), ("description", text("What it measures.")),
            ("weight", number("Its weight among its siblings (relative; above 0; default 1).")),
            ("aggregate", aggregate), ("criteria", map("The group's criteria, by id.", ref("criterion", "A criterion."))),
            ("expr", text("An expression over facts giving the risk (see docs/language.md).")),
            ("cases", list("Rules tried in order: the first whose 'when' holds gives the risk.", ref("case", "A case."))),
            (
                "else",
                object(
                    "The risk when no case holds.",
                    [("risk", risk), ("label", text("A short name for the outcome.")), ("rationale", rationale), ("cite", cite)],
                    required: ["risk"])
            ),
            (
                "map",
                object(
                    "A risk for each value of one fact.",
                    [
                        ("fact", text("The fact read.")),
                        (
                            "risk",
                            typed("object", "The risk for each value (true/false, or each enum value).", [("additionalProperties", risk)])
                        ),
                        ("else", risk), ("rationale", rationale), ("cite", cite),
                    ], required: ["fact", "risk"])
            ),
            (
                "scale",
                object(
                    "A number scaled linearly between goalposts: 'best' is risk 0, 'worst' is risk 100.",
                    [
                        ("of", text("The fact, or an expression, scaled.")), ("best", number("The value with risk 0.")),
                        ("worst", number("The value with risk 100.")),
                        ("transform", oneOfWords("Scale on a transformed value.", ["none", "log", "log10", "sqrt"])),
                        ("rationale", rationale), ("cite", cite),
                    ], required: ["of", "best", "worst"])
            ),
            ("missing", missingRule), ("rationale", rationale), ("cite", cite),
        ])

    static let caseRule = object(
        "One case: when its condition holds, the criterion has this risk.",
        [
            ("when", text("A condition over facts, like 'eu_status == \"member\"'.")), ("risk", risk),
            ("label", text("A short name for the outcome.")), ("rationale", rationale), ("cite", cite),
        ], required: ["when", "risk"])

    static let sensitivity = object(
        "What sensitivity analysis varies, besides what the facts' confidence implies.",
        [
            (
                "weights",
                object(
                    "How weights are varied.",
                    [
                        ("perturbation", number("Each weight varies uniformly by up to this percentage.", min: 0, max: 100)),
                        ("dirichlet", number("Weights are drawn from a Dirichlet with this concentration.", min: 0)),
                    ])
            ),
            (
                "facts",
                object(
                    "Which facts are varied.",
                    [
                        (
                            "confidence",
                            anyOf("Vary facts held at these confidence levels.", [text("a level"), list("levels", text("a level"))])
                        )
                    ])
            ),
            (
                "alternatives",
                list(
                    "Contested modelling choices to vary: another aggregation for a group, or another reading of a case.",
                    typed(
                        "object", "An alternative: {group, aggregate: [methods]} or {criterion, case, when: [conditions]}.",
                        [
                            (
                                "properties",
                                .object([
                                    ("group", text("The group whose aggregation is contested.")),
                                    ("aggregate", list("The methods to choose among.", aggregate)),
                                    ("criterion", text("The criterion whose case is contested.")),
                                    ("case", typed("integer", "The case's number, from 1.")),
                                    ("when", list("Other conditions for that case.", text("a condition"))),
                                ])
                            ), ("additionalProperties", .bool(false)),
                        ]))
            ),
        ])

    static let policy = document(
        .policy, "hubs policy",
        object(
            "A hubs policy: the facts it reads, the gates that exclude, the weighted criteria that score, and the bands.",
            [
                ("policy", typed("string", "The policy's id.", [("pattern", .string(idPattern))])), ("title", text("The policy's title.")),
                ("version", anyOf("The policy's version, shown with every result.", [text("a version"), typed("number", "a version")])),
                ("description", text("What the policy is for.")),
                (
                    "max_fact_age",
                    text("How old evidence may be at the scenario's as_of before it is flagged, like 3y (per fact: max_age).")
                ),
                (
                    "min_coverage",
                    number("Candidates with less of the weight on known facts (percent) are not ranked (default 50).", min: 0, max: 100)
                ),
                ("sources", sources), ("facts", map("The facts the policy reads, by name.", key: factNamePattern, factDeclaration)),
                (
                    "constraints",
                    map(
                        "Rules the facts obey together (checked on every scenario; what-if never breaks them).",
                        object(
                            "When 'when' holds, 'require' must hold too.",
                            [
                                ("when", text("A condition.")), ("require", text("What must then hold.")),
                                ("reason", text("Why, in a sentence.")),
                            ],
                            required: ["require"]))
                ),
                (
                    "gates",
                    map(
                        "Conditions that exclude a candidate whatever its score.",
                        object(
                            "A gate.",
                            [
                                ("exclude_if", text("The condition that excludes.")),
                                ("reason", text("The reason shown for an exclusion.")),
                                (
                                    "missing",
                                    oneOfWords("When a fact it reads is unknown: pass (flagged) or exclude.", ["pass", "exclude"])
                                ),
                                ("rationale", rationale), ("cite", cite),
                            ], required: ["exclude_if", "reason"]))
                ),
                ("aggregate", aggregate), ("criteria", map("The top-level criteria, by id.", ref("criterion", "A criterion."))),
                (
                    "bands",
                    list(
                        "Named ranges of risk, lowest first; the last has no 'below'.",
                        object(
                            "A band.", [("name", text("The band's name.")), ("below", risk), ("rationale", rationale), ("cite", cite)],
                            required: ["name"]))
                ),
                ("sensitivity", sensitivity),
            ], required: ["policy", "facts", "criteria", "bands"]),
        defs: [("criterion", criterion), ("case", caseRule)])
}
