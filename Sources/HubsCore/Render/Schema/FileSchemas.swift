/// JSON Schemas (draft 2020-12) for hubs's three file kinds, for editors that validate YAML as
/// they type (yaml-language-server reads a `# yaml-language-server: $schema=…` line). Every key
/// has a description. They describe the shape; `hubs check` still judges what a schema cannot
/// (names that must exist, expressions, weights, dates against the evidence).
public enum FileSchemas {
    /// The kinds of file a schema exists for.
    public enum Kind: String, Sendable, CaseIterable { case policy, scenario, tests }

    /// The schema for a kind of file.
    public static func schema(_ kind: Kind) -> JSON {
        switch kind {
        case .policy: policy
        case .scenario: scenario
        case .tests: tests
        }
    }

    // MARK: building blocks

    static func object(_ description: String, _ properties: [(String, JSON)], required: [String] = [], extra: [(String, JSON)] = []) -> JSON
    {
        var o: [(String, JSON)] = [("type", .string("object")), ("description", .string(description))]
        o += extra
        o.append(("properties", .object(properties)))
        if !required.isEmpty { o.append(("required", .array(required.map { .string($0) }))) }
        o.append(("additionalProperties", .bool(false)))
        return .object(o)
    }

    /// A mapping from ids to values of one schema.
    static func map(_ description: String, key: String = idPattern, _ value: JSON) -> JSON {
        .object([
            ("type", .string("object")), ("description", .string(description)),
            ("propertyNames", .object([("pattern", .string(key))])), ("additionalProperties", value),
        ])
    }

    static func typed(_ type: String, _ description: String, _ more: [(String, JSON)] = []) -> JSON {
        .object([("type", .string(type)), ("description", .string(description))] + more)
    }
    static func text(_ d: String) -> JSON { typed("string", d) }
    static func number(_ d: String, min: Double? = nil, max: Double? = nil) -> JSON {
        typed("number", d, (min.map { [("minimum", JSON.number($0))] } ?? []) + (max.map { [("maximum", JSON.number($0))] } ?? []))
    }
    static func oneOfWords(_ d: String, _ words: [String]) -> JSON {
        .object([("description", .string(d)), ("enum", .array(words.map { .string($0) }))])
    }
    static func anyOf(_ d: String, _ options: [JSON]) -> JSON { .object([("description", .string(d)), ("anyOf", .array(options))]) }
    static func list(_ d: String, _ item: JSON) -> JSON {
        .object([("type", .string("array")), ("description", .string(d)), ("items", item)])
    }
    static func ref(_ name: String, _ d: String) -> JSON { .object([("$ref", .string("#/$defs/\(name)")), ("description", .string(d))]) }
    static func document(_ kind: Kind, _ title: String, _ body: JSON, defs: [(String, JSON)]) -> JSON {
        guard case let .object(fields) = body else { return body }
        return .object(
            [
                ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
                ("$id", .string("https://hubs.invalid/schemas/\(kind.rawValue).schema.json")), ("title", .string(title)),
            ] + fields + [("$defs", .object(defs))])
    }

    static let idPattern = "^[a-z][a-z0-9_-]{0,63}$"
    static let factNamePattern = "^[a-z][a-z0-9_]{0,63}$"
    static let scalar: [JSON] = [typed("string", "text, a word or a date"), typed("number", "a number"), typed("boolean", "true or false")]
    static func date(_ d: String) -> JSON {
        anyOf(
            d + " (YYYY-MM-DD; YYYY-MM or YYYY where a month or year is all that is known)", [text("a date"), typed("integer", "a year")])
    }
    static let cite = anyOf(
        "The source id, or ids, this judgement rests on (defined under 'sources').",
        [text("one source id"), list("several source ids", text("a source id"))])
    static let rationale = text("Why: the reasoning behind this judgement, shown by explain and the report.")
    static let sourceEntry = object(
        "One source of evidence.",
        [
            ("title", text("The source's title.")), ("publisher", text("Who published it.")),
            ("date", date("When it was published")), ("url", text("Where to read it.")),
            ("no_address", text("Why there is no web address, when there is none (a print bulletin, a text supplied without one).")),
        ], required: ["title"])
    static let sources = map("Sources of evidence, by id (cited by facts and rationales).", key: "^[A-Za-z][A-Za-z0-9_-]*$", sourceEntry)
}
