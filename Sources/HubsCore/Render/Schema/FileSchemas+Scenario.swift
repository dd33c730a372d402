extension FileSchemas {
    // MARK: scenario

    static let factValue = anyOf(
        "A fact's value: a number, true or false, an enum value, a date, or unknown; or a mapping with its provenance.",
        scalar + [
            object(
                "A value with its evidence.",
                [
                    ("value", anyOf("The value, or unknown.", scalar)), ("source", text("The id of the source it comes from.")),
                    ("as_of", date("When it was true")),
                    ("confidence", oneOfWords("How far the analyst trusts it.", ["high", "medium", "low"])),
                    ("note", text("Anything a reader should know about it.")),
                    (
                        "interval",
                        list("For numbers: the range of plausible values [LOW, HIGH], for sensitivity.", typed("number", "a bound"))
                    ),
                    ("alternatives", list("For bools and enums: other plausible values, for sensitivity.", anyOf("a value", scalar))),
                ], required: ["value"])
        ])

    static let facts = map("The candidate's facts, by name.", key: factNamePattern, factValue)

    static let scenario = document(
        .scenario, "hubs scenario",
        object(
            "A hubs scenario: the candidates and what is known about them, with sources.",
            [
                ("scenario", typed("string", "The scenario's id.", [("pattern", .string(idPattern))])),
                ("title", text("The scenario's title.")), ("description", text("What the scenario is.")),
                ("as_of", date("The date the facts describe")),
                ("extends", text("A scenario this one builds on, relative to this file, without '.yaml' (like baseline).")),
                ("sources", sources),
                (
                    "candidates",
                    map(
                        "The candidates, by id.",
                        object(
                            "A candidate.",
                            [
                                ("name", text("The candidate's name as shown.")),
                                ("like", text("Another candidate's id: this one has all of its facts except those it gives itself.")),
                                (
                                    "basis",
                                    object(
                                        "Why it is a candidate: named by a report, a historical reference, or a comparison case no report names.",
                                        [
                                            ("kind", oneOfWords("The kind of basis.", ["named", "historical", "comparison"])),
                                            ("source", text("The source id that names it, or that the reference rests on.")),
                                            ("note", text("In a sentence, for the reader.")),
                                        ], required: ["kind"])
                                ),
                                ("facts", facts),
                            ], required: ["name"]))
                ),
                (
                    "changes",
                    map(
                        "Changes to the candidates of the scenario this one extends.",
                        anyOf(
                            "remove, or the changes to make.",
                            [
                                oneOfWords("Drop the candidate.", ["remove"]),
                                object(
                                    "Changes to one candidate.",
                                    [
                                        ("name", text("A new name.")), ("set", facts),
                                        ("unknown", list("Facts that become unknown.", text("a fact name"))),
                                    ]),
                            ]))
                ),
            ], required: ["scenario"]),
        defs: [])

    // MARK: tests

    static let expectation = object(
        "What must hold, for one candidate ('candidate'), for every candidate whose facts make an expression true ('each'), or for an order ('order').",
        [
            ("candidate", text("The candidate's id.")), ("each", text("An expression over facts choosing the candidates.")),
            ("order", list("Candidate ids, best first: each ranks above the next.", text("a candidate id"))),
            ("status", oneOfWords("The status it must have.", ["ranked", "excluded", "not_assessable", "insufficient_evidence"])),
            ("gate", text("With status excluded: the gate that must exclude it.")), ("band", text("The band it must be in.")),
            ("band_not", anyOf("A band, or bands, it must not be in.", [text("a band"), list("bands", text("a band"))])),
            (
                "risk",
                anyOf(
                    "The risk it must have, or the range it must lie in.",
                    [
                        number("The exact risk."),
                        object("A range.", [("min", number("The lowest risk allowed.")), ("max", number("The highest risk allowed."))]),
                    ])
            ),
            ("rank", typed("integer", "The rank it must have.", [("minimum", .number(1))])),
            ("rank_at_most", typed("integer", "The worst rank it may have.", [("minimum", .number(1))])),
            ("coverage_at_least", number("The least coverage it may have, as a share from 0 to 1.", min: 0, max: 1)),
            ("criterion", text("With risk or skipped: the criterion the expectation is about.")),
            ("skipped", typed("boolean", "Whether that criterion must be skipped for missing data.")),
            (
                "robust_to_assumptions",
                typed("boolean", "Whether its rank, band and status must hold whatever its missing facts turn out to be (see hubs gaps).")
            ),
        ])

    /// A scenario named by a test file: a path, or a scenario written in place.
    static func scenarioPlace(_ description: String) -> JSON {
        anyOf(description, [text("a scenario file"), typed("object", "a scenario written inline")])
    }

    static let tests = document(
        .tests, "hubs expectation file",
        object(
            "What a policy must always conclude, checked by hubs test.",
            [
                ("policy", text("The policy file, relative to this file.")),
                ("scenario", scenarioPlace("The scenario: a file relative to this one, or a scenario written here.")),
                ("description", text("What these tests are about.")),
                (
                    "tests",
                    list(
                        "The tests.",
                        object(
                            "A test: a name and its expectations.",
                            [
                                ("name", text("What the test checks, in a sentence.")),
                                ("scenario", scenarioPlace("A scenario for this test only.")),
                                ("expect", list("The expectations.", expectation)),
                            ], required: ["name", "expect"]))
                ),
            ], required: ["policy", "tests"]),
        defs: [])
}
