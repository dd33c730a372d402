/// The JSON form of `TestRenderer`'s output (its text and Markdown forms are in Render/Text).
extension TestRenderer {
    /// The report as JSON (schema `hubs.test/1`).
    public static func json(_ r: TestReport, coverageMin: Double?) -> JSON {
        .object([
            ("schema", .string("hubs.test/1")),
            ("passed", .number(Double(r.passed))),
            ("failed", .number(Double(r.failed))),
            ("tests", .array(r.results.map(testJSON))),
            (
                "coverage",
                .array(
                    r.coverage.map { c in
                        .object([
                            ("policy", .string(c.policy)), ("file", .string(c.file)), ("percent", .number(c.percent)),
                            ("below_minimum", .bool(coverageMin.map { c.percent < $0 } ?? false)),
                            (
                                "items",
                                .array(
                                    c.items.map {
                                        .object([
                                            ("kind", .string($0.kind.rawValue)), ("label", .string(label($0.target))),
                                            ("covered", .bool($0.covered)),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
        ])
    }

    static func testJSON(_ t: TestCaseResult) -> JSON {
        .object([
            ("file", .string(t.file)), ("name", .string(t.name)), ("location", .string(t.location.description)),
            ("policy", .string(t.policy)), ("scenario", .string(t.scenario)), ("passed", .bool(t.passed)),
            (
                "failures",
                .array(
                    t.failures.map { f in
                        let words = wording(f)
                        return .object([
                            ("location", .string(f.location.description)), ("expected", .string(words.expected)),
                            ("actual", .string(words.actual)), ("because", .array(words.because.map { .string($0) })),
                        ])
                    })
            ),
        ])
    }
}
