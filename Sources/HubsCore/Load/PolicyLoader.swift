/// Loads a policy file into the model, collecting every shape error with its location.
/// Names and types inside expressions are checked later, by the check stage.
public struct PolicyLoader {
    public var limits: InputLimits
    public var files: any FileSource
    /// A loader reading through `files` under `limits`.
    public init(limits: InputLimits = .standard, files: any FileSource = DiskFiles()) {
        self.limits = limits
        self.files = files
    }

    static let topKeys = [
        "policy", "title", "version", "description", "max_fact_age", "min_coverage", "sources", "facts", "constraints", "gates",
        "aggregate", "criteria", "bands", "sensitivity",
    ]
    static let criterionKeys = [
        "title", "description", "weight", "aggregate", "criteria", "expr", "cases", "else", "map", "scale", "missing",
    ]

    /// Reads and loads the policy at `path`.
    public func load(path: String) -> Result<Policy, DiagnosticsError> {
        YAMLDocument.read(path, from: files, limits: limits).flatMap { load($0.root, file: $0.file) }
    }

    /// Loads a policy from its YAML tree.
    public func load(_ root: YAML, file: SourceFile) -> Result<Policy, DiagnosticsError> {
        var diags: [Diagnostic] = []
        guard var m = MappingReader(root, what: "a policy", diags: &diags) else { return .failure(DiagnosticsError(diags)) }
        if !m.has("policy") && m.has("scenario") {
            return .failure(
                DiagnosticsError([
                    .wrongKind(
                        "this is a scenario file, not a policy", at: root.location,
                        hint: "pass it with --scenario")
                ]))
        }
        let idScalar = m.scalar("policy", required: true)
        if let s = idScalar, !Scalars.isValidID(s.text) {
            diags.append(
                .invalidID(
                    "policy id '\(s.text)' is not a valid id", at: s.location,
                    hint: "use lower-case letters, digits, '_' or '-', starting with a letter", length: s.text.count))
        }
        let title = m.string("title") ?? idScalar?.text ?? "?"
        let version = m.string("version") ?? "unversioned"
        let description = m.string("description")
        var maxAge: FactAge?
        if let s = m.scalar("max_fact_age") {
            maxAge = FactAge.parse(s.text)
            if maxAge == nil {
                diags.append(
                    .invalidValue(
                        "max_fact_age must be a count and a unit, like 3y, 18m, 6w or 90d; found '\(s.text)'",
                        at: s.location, length: s.text.count))
            }
        }
        var minCoverage: Double?
        if let (v, s) = m.number("min_coverage") {
            if v < 0 || v > 100 {
                diags.append(
                    .invalidValue(
                        "min_coverage is a percentage from 0 to 100, found \(s.text)", at: s.location,
                        hint: "for example 'min_coverage: 50' ranks only candidates with half the weight on known facts",
                        length: s.text.count))
            } else {
                minCoverage = v / 100
            }
        }
        let aggregate = readAggregation(&m, diags: &diags) ?? .mean
        let facts = m.node("facts").map { readFacts($0, file: file, diags: &diags) } ?? []
        if !m.has("facts") {
            diags.append(
                .missingKey(
                    "a policy has no 'facts' schema", at: root.location,
                    hint: "declare the facts the policy reads under 'facts:'"))
        }
        let gates = m.node("gates").map { readGates($0, file: file, diags: &diags) } ?? []
        let constraints = m.node("constraints").map { readConstraints($0, file: file, diags: &diags) } ?? []
        var criteria: [Criterion] = []
        if let c = m.required("criteria", hint: "add 'criteria:' with at least one criterion") {
            criteria = readCriteria(c, file: file, depth: 1, diags: &diags)
        }
        let bands = m.node("bands").map { readBands($0, diags: &diags) } ?? Self.defaultBands(file.path)
        let sensitivity = m.node("sensitivity").map { Self.readSensitivity($0, file: file, diags: &diags) }
        let sources =
            m.node("sources").map { ScenarioLoader(limits: limits, files: files).readSources($0, existing: [], diags: &diags) } ?? []
        diags += m.finish(allowed: Self.topKeys)
        if diags.contains(where: { $0.severity == .error }) { return .failure(DiagnosticsError(diags)) }
        return .success(
            Policy(
                id: idScalar?.text ?? "?", title: title, version: version, description: description,
                maxFactAge: maxAge, minCoverage: minCoverage, facts: facts, gates: gates, constraints: constraints,
                aggregate: aggregate, criteria: criteria,
                bands: bands, sensitivity: sensitivity, sources: sources, file: file, location: root.location))
    }

    /// `sensitivity: {weights: {perturbation: 20} | {dirichlet: 50}, facts: {confidence: [low]},
    ///  alternatives: [{group: security, aggregate: [max, mean]}]}`
    static func readSensitivity(_ node: YAML, file: SourceFile, diags: inout [Diagnostic]) -> SensitivitySpec {
        var spec = SensitivitySpec()
        guard var m = MappingReader(node, what: "'sensitivity'", diags: &diags) else { return spec }
        if let w = m.node("weights"), var wm = MappingReader(w, what: "'weights'", diags: &diags) {
            if let p = wm.number("perturbation") {
                if p.0 > 0 && p.0 < 100 {
                    spec.weights = .perturbation(percent: p.0)
                } else {
                    diags.append(.invalidValue("perturbation is a percentage above 0 and below 100", at: p.1.location))
                }
            } else if let d = wm.number("dirichlet") {
                if d.0 > 0 && d.0 <= 1e6 {
                    spec.weights = .dirichlet(concentration: d.0)
                } else {
                    diags.append(.invalidValue("dirichlet concentration must be above 0", at: d.1.location))
                }
            } else {
                diags.append(.missingKey("'weights' needs 'perturbation: PERCENT' or 'dirichlet: CONCENTRATION'", at: w.location))
            }
            diags += wm.finish(allowed: ["perturbation", "dirichlet"])
        }
        if let f = m.node("facts"), var fm = MappingReader(f, what: "'facts'", diags: &diags) {
            if let c = fm.node("confidence") {
                let items: [YAML] = if case let .sequence(list, _) = c { list } else { [c] }
                for item in items {
                    if case let .scalar(s) = item, let conf = Confidence(rawValue: s.text) {
                        spec.factConfidence.append(conf)
                    } else {
                        diags.append(.invalidValue("confidence must be high, medium or low", at: item.location))
                    }
                }
            }
            diags += fm.finish(allowed: ["confidence"])
        }
        if let a = m.node("alternatives") {
            if case let .sequence(items, _) = a {
                for item in items {
                    guard var am = MappingReader(item, what: "an alternative", diags: &diags) else { continue }
                    if am.has("criterion") {
                        if let c = readCaseAlternative(&am, file: file, diags: &diags) { spec.caseAlternatives.append(c) }
                    } else if let g = readAggregationAlternative(&am, at: item.location, diags: &diags) {
                        spec.alternatives.append(g)
                    }
                }
            } else {
                diags.append(.wrongKind("'alternatives' must be a list", at: a.location))
            }
        }
        diags += m.finish(allowed: ["weights", "facts", "alternatives"])
        return spec
    }

    /// `{criterion: ID, case: N, when: ['condition', ...]}`: other conditions for one case.
    static func readCaseAlternative(_ am: inout MappingReader, file: SourceFile, diags: inout [Diagnostic]) -> CaseAlternative? {
        let crit = am.scalar("criterion", required: true)
        let number = am.integer("case", in: 1...10_000, required: true)
        var conditions: [ExpressionSource] = []
        if let w = am.required("when", hint: "list the alternative conditions: when: ['x >= 80', 'x >= 120']") {
            if case let .sequence(list, _) = w, !list.isEmpty {
                for x in list {
                    if case let .scalar(s) = x, !s.isNull {
                        conditions.append(ExpressionSource(s, file: file))
                    } else {
                        diags.append(.invalidValue("an alternative condition is an expression", at: x.location))
                    }
                }
            } else {
                diags.append(.invalidValue("'when' must list at least one alternative condition", at: w.location))
            }
        }
        diags += am.finish(allowed: ["criterion", "case", "when"])
        guard let crit, let number, !conditions.isEmpty else { return nil }
        return CaseAlternative(criterion: crit.text, caseNumber: number.0, conditions: conditions, location: crit.location)
    }

    /// `{group: ID, aggregate: [mean, max]}`: aggregation methods to choose among.
    static func readAggregationAlternative(
        _ am: inout MappingReader, at location: SourceLocation, diags: inout [Diagnostic]
    ) -> (group: String, methods: [Aggregation], location: SourceLocation)? {
        let g = am.scalar("group", required: true)
        var methods: [Aggregation] = []
        if let agg = am.required("aggregate"), case let .sequence(list, _) = agg {
            for x in list {
                if case let .scalar(s) = x, let v = Aggregation(rawValue: s.text) {
                    methods.append(v)
                } else {
                    diags.append(.invalidValue("aggregate alternatives are mean, geometric or max", at: x.location))
                }
            }
        }
        diags += am.finish(allowed: ["group", "aggregate"])
        guard let g else { return nil }
        guard methods.count >= 2 else {
            diags.append(.invalidValue("list at least two aggregate methods to choose among", at: location))
            return nil
        }
        return (g.text, methods, g.location)
    }

    /// low < 25 ≤ moderate < 50 ≤ high < 75 ≤ severe, used when a policy states no bands.
    static func defaultBands(_ file: String) -> [Band] {
        let at = SourceLocation(file: file, line: 1, column: 1)
        return [
            Band(name: "low", below: 25, location: at), Band(name: "moderate", below: 50, location: at),
            Band(name: "high", below: 75, location: at), Band(name: "severe", below: nil, location: at),
        ]
    }

    func readAggregation(_ m: inout MappingReader, diags: inout [Diagnostic]) -> Aggregation? {
        guard let s = m.scalar("aggregate") else { return nil }
        guard let a = Aggregation(rawValue: s.text) else {
            diags.append(
                .invalidValue(
                    "aggregate must be mean, geometric or max; found '\(s.text)'", at: s.location,
                    hint: Suggest.hint(for: s.text, in: Aggregation.allCases.map(\.rawValue)), length: s.text.count))
            return nil
        }
        return a
    }

    /// The `facts:` schema: each fact's name, type (with its range or values), whether what-if may
    /// change it, and how old its evidence may be.
    func readFacts(_ node: YAML, file: SourceFile, diags: inout [Diagnostic]) -> [FactDeclaration] {
        guard var m = MappingReader(node, what: "'facts'", diags: &diags) else { return [] }
        var out: [FactDeclaration] = []
        for p in m.everyPair() {
            let name = p.key.text
            if !Scalars.isValidFactName(name) || Parser.keywords.contains(name) || Functions.names.contains(name) {
                diags.append(
                    .invalidID(
                        "fact name '\(name)' cannot be used", at: p.key.location,
                        hint: "use lower-case letters, digits and '_', starting with a letter, and not a keyword or function name",
                        length: name.count))
                continue
            }
            guard var fm = MappingReader(p.value, what: "fact '\(name)'", diags: &diags) else { continue }
            let desc = fm.string("description") ?? ""
            let type = readFactType(&fm, diags: &diags)
            let changeable = readChangeable(&fm, diags: &diags)
            let maxAge = readMaxAge(&fm, diags: &diags)
            var allowed = ["type", "description", "changeable", "max_age"]
            var step: Double?
            if case .number = type {
                allowed += ["range", "unit", "step"]
                step = readStep(&fm, diags: &diags)
            }
            if case .enumeration = type { allowed += ["values"] }
            allowed.append("prior")
            let prior = fm.node("prior").flatMap { readPrior($0, type: type, fact: name, diags: &diags) }
            diags += fm.finish(allowed: allowed)
            out.append(
                FactDeclaration(
                    name: name, type: type, description: desc, changeable: changeable, maxAge: maxAge, location: p.key.location, step: step,
                    prior: prior))
        }
        diags += m.finish(allowed: [])
        return out
    }

    /// `prior: {probabilities: {VALUE: P, ...}, rationale: ...}` for a bool or an enum (values not
    /// named get 0; the probabilities add up to 1), or `prior: {interval: [LOW, HIGH], rationale:
    /// ...}` for a number, inside its declared range.
    func readPrior(_ node: YAML, type: FactType, fact: String, diags: inout [Diagnostic]) -> FactPrior? {
        guard var pm = MappingReader(node, what: "the prior of '\(fact)'", diags: &diags) else { return nil }
        let rationale = pm.string("rationale")
        var result: FactPrior.Distribution?
        switch type {
        case .bool, .enumeration:
            let values: [String] = if case let .enumeration(v) = type { v } else { ["false", "true"] }
            if let given = pm.required("probabilities", hint: "give each value's probability: probabilities: {\(values[0]): 0.5, ...}") {
                result = readProbabilities(given, values: values, fact: fact, diags: &diags)
            }
            diags += pm.finish(allowed: ["probabilities", "rationale"])
        case let .number(lo, hi, _):
            if let given = pm.required("interval", hint: "give the interval the value lies in: interval: [LOW, HIGH]") {
                result = readPriorInterval(given, lo: lo, hi: hi, diags: &diags)
            }
            diags += pm.finish(allowed: ["interval", "rationale"])
        case .date:
            diags.append(
                .invalidValue(
                    "a date fact takes no prior", at: node.location,
                    hint: "remove 'prior:'; an unknown date keeps its missing-data rule"))
            return nil
        }
        return result.map { FactPrior(distribution: $0, rationale: rationale, location: node.location) }
    }

    func readProbabilities(_ node: YAML, values: [String], fact: String, diags: inout [Diagnostic]) -> FactPrior.Distribution? {
        guard case let .mapping(pairs, at) = node, !pairs.isEmpty else {
            diags.append(.invalidValue("probabilities must map values to numbers", at: node.location))
            return nil
        }
        var p = [Double](repeating: 0, count: values.count)
        var ok = true
        for pair in pairs {
            guard let i = values.firstIndex(of: pair.key.text) else {
                diags.append(
                    .unknownEnumValue(
                        "'\(pair.key.text)' is not a value of fact '\(fact)' (\(values.joined(separator: ", ")))",
                        at: pair.key.location, hint: Suggest.hint(for: pair.key.text, in: values), length: pair.key.text.count))
                ok = false
                continue
            }
            guard case let .scalar(v) = pair.value, let x = Scalars.number(v), x >= 0, x <= 1 else {
                diags.append(.invalidValue("a probability is a number from 0 to 1", at: pair.value.location))
                ok = false
                continue
            }
            p[i] = x
        }
        let sum = p.reduce(0, +)
        if ok && Swift.abs(sum - 1) > 1e-6 {
            diags.append(
                .invalidValue(
                    "the probabilities of '\(fact)' add up to \(Format.number(sum)), not 1", at: at,
                    hint: "values not named count as 0"))
            ok = false
        }
        return ok ? .probabilities(p) : nil
    }

    func readPriorInterval(_ node: YAML, lo: Double?, hi: Double?, diags: inout [Diagnostic]) -> FactPrior.Distribution? {
        guard case let .sequence(items, _) = node, items.count == 2, case let .scalar(a) = items[0], case let .scalar(b) = items[1],
            let low = Scalars.number(a), let high = Scalars.number(b), low < high
        else {
            diags.append(.invalidRange("a prior interval is [LOW, HIGH], two numbers with LOW below HIGH", at: node.location))
            return nil
        }
        if (lo.map { low < $0 } ?? false) || (hi.map { high > $0 } ?? false) {
            diags.append(.invalidRange("the prior interval leaves the fact's declared range", at: node.location))
            return nil
        }
        return .interval(low, high)
    }

    func readFactType(_ fm: inout MappingReader, diags: inout [Diagnostic]) -> FactType {
        guard let t = fm.scalar("type", required: true) else { return .bool }
        switch t.text {
        case "bool": return .bool
        case "date": return .date
        case "number":
            let (lo, hi) = readRange(&fm, diags: &diags)
            return .number(min: lo, max: hi, unit: fm.string("unit"))
        case "enum": return .enumeration(readEnumValues(&fm, diags: &diags))
        default:
            diags.append(
                .invalidValue(
                    "fact type must be number, bool, enum or date; found '\(t.text)'", at: t.location,
                    hint: Suggest.hint(for: t.text, in: ["number", "bool", "enum", "date"]), length: t.text.count))
            return .bool
        }
    }

    /// `step: N`, a positive number: the resolution a numeric fact is published in.
    func readStep(_ fm: inout MappingReader, diags: inout [Diagnostic]) -> Double? {
        guard let t = fm.scalar("step") else { return nil }
        guard let v = Double(t.text), v.isFinite, v > 0 else {
            diags.append(
                .invalidValue(
                    "step must be a positive number, found '\(t.text)'", at: t.location,
                    hint: "the resolution the value is published in, such as 1 for whole points or 0.1", length: t.text.count))
            return nil
        }
        return v
    }

    /// `range: [MIN, MAX]`, `~` for an open end.
    func readRange(_ fm: inout MappingReader, diags: inout [Diagnostic]) -> (Double?, Double?) {
        var lo: Double?
        var hi: Double?
        if let r = fm.node("range") {
            if case let .sequence(items, _) = r, items.count == 2,
                case let .scalar(a) = items[0], case let .scalar(b) = items[1]
            {
                lo = a.isNull ? nil : Scalars.number(a)
                hi = b.isNull ? nil : Scalars.number(b)
                if (!a.isNull && lo == nil) || (!b.isNull && hi == nil) {
                    diags.append(
                        .invalidRange("range must be [MIN, MAX] with numbers (~ for no bound)", at: r.location))
                } else if let l = lo, let h = hi, l >= h {
                    diags.append(
                        .invalidRange(
                            "range [\(Format.number(l)), \(Format.number(h))] is empty: MIN must be below MAX",
                            at: r.location))
                }
            } else {
                diags.append(.invalidRange("range must be a list of two numbers, [MIN, MAX]", at: r.location))
            }
        }
        return (lo, hi)
    }

    /// An enum's `values`: lower-case words, no duplicates, never `unknown`.
    func readEnumValues(_ fm: inout MappingReader, diags: inout [Diagnostic]) -> [String] {
        var values: [String] = []
        if let v = fm.required("values", hint: "list the allowed values: values: [a, b, c]") {
            if case let .sequence(items, _) = v, !items.isEmpty {
                for item in items {
                    guard case let .scalar(s) = item, Scalars.isValidFactName(s.text) else {
                        diags.append(
                            .invalidValue(
                                "an enum value must be a lower-case word", at: item.location,
                                hint: "use letters, digits and '_'"))
                        continue
                    }
                    if s.text == "unknown" {
                        diags.append(
                            .invalidValue(
                                "'unknown' cannot be an enum value: it is how a scenario says a fact is not known",
                                at: s.location, hint: "leave it out; write 'unknown' in the scenario instead", length: 7))
                    } else if values.contains(s.text) {
                        diags.append(
                            .duplicateID("enum value '\(s.text)' is listed twice", at: s.location, length: s.text.count)
                        )
                    } else {
                        values.append(s.text)
                    }
                }
            } else {
                diags.append(.invalidValue("'values' must be a non-empty list", at: v.location))
            }
        }
        return values
    }

    func readChangeable(_ fm: inout MappingReader, diags: inout [Diagnostic]) -> Bool {
        guard let c = fm.scalar("changeable") else { return true }
        if let b = Scalars.bool(c) { return b }
        diags.append(.invalidValue("'changeable' must be true or false", at: c.location))
        return true
    }

    func readMaxAge(_ fm: inout MappingReader, diags: inout [Diagnostic]) -> MaxAge {
        guard let a = fm.scalar("max_age") else { return .policyDefault }
        if a.text == "none" { return .none }
        if let age = FactAge.parse(a.text) { return .age(age) }
        diags.append(
            .invalidValue(
                "max_age must be 'none' or a count and a unit, like 3y, 18m, 6w or 90d; found '\(a.text)'",
                at: a.location, length: a.text.count))
        return .policyDefault
    }

    func readGates(_ node: YAML, file: SourceFile, diags: inout [Diagnostic]) -> [Gate] {
        guard var m = MappingReader(node, what: "'gates'", diags: &diags) else { return [] }
        var out: [Gate] = []
        for p in m.everyPair() {
            guard checkID(p.key, what: "gate", diags: &diags), var gm = MappingReader(p.value, what: "gate '\(p.key.text)'", diags: &diags)
            else { continue }
            let cond = gm.scalar("exclude_if", required: true)
            let reason = gm.string("reason", required: true) ?? ""
            var onMissing = Gate.OnMissing.pass
            if let s = gm.scalar("missing") {
                if let v = Gate.OnMissing(rawValue: s.text) {
                    onMissing = v
                } else {
                    diags.append(
                        .invalidValue(
                            "a gate's 'missing' must be pass or exclude; found '\(s.text)'", at: s.location,
                            length: s.text.count))
                }
            }
            let rationale = Self.readRationale(&gm, diags: &diags)
            diags += gm.finish(allowed: ["exclude_if", "reason", "missing"] + Self.rationaleKeys)
            if let cond {
                out.append(
                    Gate(
                        id: p.key.text, condition: ExpressionSource(cond, file: file), reason: reason,
                        onMissing: onMissing, location: p.key.location, rationale: rationale))
            }
        }
        diags += m.finish(allowed: [])
        return out
    }

    /// `constraints: {ID: {when: EXPR, require: EXPR, reason: TEXT}}` (`when` optional).
    func readConstraints(_ node: YAML, file: SourceFile, diags: inout [Diagnostic]) -> [FactConstraint] {
        guard var m = MappingReader(node, what: "'constraints'", diags: &diags) else { return [] }
        var out: [FactConstraint] = []
        for p in m.everyPair() {
            guard checkID(p.key, what: "constraint", diags: &diags),
                var cm = MappingReader(p.value, what: "constraint '\(p.key.text)'", diags: &diags)
            else { continue }
            let when = cm.scalar("when")
            let require = cm.scalar("require", required: true)
            let reason = cm.string("reason", required: true) ?? ""
            diags += cm.finish(allowed: ["when", "require", "reason"])
            if let require {
                out.append(
                    FactConstraint(
                        id: p.key.text, when: when.map { ExpressionSource($0, file: file) },
                        require: ExpressionSource(require, file: file), reason: reason, location: p.key.location))
            }
        }
        diags += m.finish(allowed: [])
        return out
    }

    /// The keys every judgement may carry.
    static let rationaleKeys = ["rationale", "cite"]

    /// `rationale: TEXT` and `cite: ID` or `cite: [ID, ...]` from a mapping, if either is there.
    static func readRationale(_ m: inout MappingReader, diags: inout [Diagnostic]) -> Rationale? {
        let text = m.string("rationale")
        var cite: [Citation] = []
        if let c = m.node("cite") {
            switch c {
            case let .scalar(s) where !s.isNull: cite = [Citation(id: s.text, location: s.location)]
            case let .sequence(items, _):
                for x in items {
                    if case let .scalar(s) = x, !s.isNull {
                        cite.append(Citation(id: s.text, location: s.location))
                    } else {
                        diags.append(.invalidValue("'cite' lists source ids, like [S1, S49]", at: x.location))
                    }
                }
            default: diags.append(.invalidValue("'cite' is a source id or a list of them, like [S1, S49]", at: c.location))
            }
        }
        guard text != nil || !cite.isEmpty else { return nil }
        return Rationale(text: text, cite: cite, location: m.location)
    }

    func checkID(_ key: YAMLScalar, what: String, diags: inout [Diagnostic]) -> Bool {
        if Scalars.isValidID(key.text) { return true }
        diags.append(
            .invalidID(
                "\(what) id '\(key.text)' is not a valid id", at: key.location,
                hint: "use lower-case letters, digits, '_' or '-', starting with a letter", length: key.text.count))
        return false
    }

    func readCriteria(_ node: YAML, file: SourceFile, depth: Int, diags: inout [Diagnostic]) -> [Criterion] {
        guard var m = MappingReader(node, what: "'criteria'", diags: &diags) else { return [] }
        if m.pairs.isEmpty {
            diags.append(.missingKey("'criteria' is empty", at: node.location, hint: "add at least one criterion"))
        }
        var out: [Criterion] = []
        for p in m.everyPair() {
            guard checkID(p.key, what: "criterion", diags: &diags) else { continue }
            if let c = readCriterion(p.key, p.value, file: file, depth: depth, diags: &diags) { out.append(c) }
        }
        diags += m.finish(allowed: [])
        return out
    }

    /// A criterion's `weight`: a number above 0 and not absurdly large (1 when not given).
    func readWeight(_ m: inout MappingReader, id: String, diags: inout [Diagnostic]) -> (Double, SourceLocation?) {
        var weight = 1.0
        var weightLocation: SourceLocation?
        if let w = m.node("weight") {
            weightLocation = w.location
            if case let .scalar(s) = w, let v = Scalars.number(s) {
                if v <= 0 {
                    diags.append(
                        .invalidWeight(
                            "weight of '\(id)' must be above 0, found \(s.text)", at: s.location,
                            hint: "weights are relative within their group; to drop a criterion, delete it", length: s.text.count))
                } else if v > 1e6 {
                    diags.append(
                        .invalidWeight(
                            "weight of '\(id)' is absurdly large (\(s.text))", at: s.location,
                            hint: "weights are relative: use small numbers such as 1 to 100", length: s.text.count))
                }
                weight = v
            } else {
                let shown: String = if case let .scalar(s) = w { "'\(s.text)'" } else { w.kindName }
                diags.append(
                    .invalidWeight(
                        "weight of '\(id)' must be a number, found \(shown)", at: w.location,
                        hint: "write a positive number such as 2"))
            }
        }
        return (weight, weightLocation)
    }

    func readCriterion(_ key: YAMLScalar, _ node: YAML, file: SourceFile, depth: Int, diags: inout [Diagnostic]) -> Criterion? {
        let id = key.text
        guard var m = MappingReader(node, what: "criterion '\(id)'", diags: &diags) else { return nil }
        let title = m.string("title") ?? id
        let description = m.string("description")
        let rationale = Self.readRationale(&m, diags: &diags)
        var ruleRationale: Rationale?
        var missingRationale: Rationale?
        var missingRange: ClosedRange<Double>?
        let (weight, weightLocation) = readWeight(&m, id: id, diags: &diags)
        let kinds = ["criteria", "expr", "cases", "map", "scale"].filter { m.has($0) }
        if kinds.count != 1 {
            diags.append(
                kinds.isEmpty
                    ? .missingKey(
                        "criterion '\(id)' has no scoring rule", at: key.location,
                        hint: "give it exactly one of: criteria (a group), expr, cases, map, scale", length: id.count)
                    : .invalidValue(
                        "criterion '\(id)' has more than one scoring rule (\(kinds.joined(separator: ", ")))",
                        at: key.location,
                        hint: "give it exactly one of: criteria (a group), expr, cases, map, scale", length: id.count))
            _ = m.finish(allowed: Self.criterionKeys + Self.rationaleKeys)
            return nil
        }
        let body: Criterion.Body
        if let children = m.node("criteria") {
            if depth >= limits.maxCriteriaDepth {
                diags.append(
                    .nestingTooDeep("criteria are nested deeper than \(limits.maxCriteriaDepth) levels", at: key.location))
                return nil
            }
            let agg = readAggregation(&m, diags: &diags) ?? .mean
            body = .group(agg, readCriteria(children, file: file, depth: depth + 1, diags: &diags))
            diags += m.finish(allowed: ["title", "description", "weight", "aggregate", "criteria"] + Self.rationaleKeys)
        } else {
            let missing = readMissing(&m, rationale: &missingRationale, range: &missingRange, diags: &diags)
            var rule: ScoringRule?
            let common = ["title", "description", "weight", "missing"] + Self.rationaleKeys
            if let e = m.scalar("expr") {
                rule = .expression(ExpressionSource(e, file: file))
                diags += m.finish(allowed: common + ["expr"])
            } else if let c = m.node("cases") {
                rule = readCases(c, &m, id: id, key: key, file: file, elseRationale: &ruleRationale, diags: &diags)
                diags += m.finish(allowed: common + ["cases", "else"])
            } else if let mp = m.node("map") {
                rule = readMap(mp, id: id, rationale: &ruleRationale, diags: &diags)
                diags += m.finish(allowed: common + ["map"])
            } else if let sc = m.node("scale") {
                rule = readScale(sc, id: id, file: file, rationale: &ruleRationale, diags: &diags)
                diags += m.finish(allowed: common + ["scale"])
            }
            guard let rule else { return nil }
            body = .leaf(rule, missing)
        }
        return Criterion(
            id: id, title: title, description: description, weight: weight, weightLocation: weightLocation,
            location: key.location, body: body, rationale: rationale, ruleRationale: ruleRationale,
            missingRationale: missingRationale, missingLocation: m.node("missing")?.location, missingRange: missingRange)
    }

    func readRisk(_ node: YAML, what: String, diags: inout [Diagnostic]) -> Double? {
        guard case let .scalar(s) = node, let v = Scalars.number(s) else {
            diags.append(.invalidValue("\(what) must be a risk from 0 to 100", at: node.location))
            return nil
        }
        guard (0...100).contains(v) else {
            diags.append(
                .invalidValue(
                    "\(what) must be a risk from 0 to 100, found \(s.text)", at: s.location,
                    hint: "risk runs from 0 (no concern) to 100 (severe concern)", length: s.text.count))
            return nil
        }
        return v
    }

    func readMissing(
        _ m: inout MappingReader, rationale: inout Rationale?, range: inout ClosedRange<Double>?, diags: inout [Diagnostic]
    ) -> MissingRule {
        guard let n = m.node("missing") else { return .worst }
        switch n {
        case let .scalar(s) where s.text == "worst": return .worst
        case let .scalar(s) where s.text == "skip": return .skip
        case .mapping:
            guard var mm = MappingReader(n, what: "'missing'", diags: &diags) else { return .worst }
            var rule = MissingRule.worst
            if let named = mm.scalar("rule") {
                // `{rule: skip|worst, rationale: ...}`: the same rules as the bare words, with why.
                switch named.text {
                case "skip": rule = .skip
                case "worst": rule = .worst
                default:
                    diags.append(
                        .invalidValue(
                            "'rule' must be worst or skip; found \(named.text)", at: named.location,
                            hint: Suggest.hint(for: named.text, in: ["worst", "skip"]) ?? "for an assumed risk write {assume: RISK}",
                            length: named.text.count))
                }
            } else if let a = mm.required(
                "assume", hint: "write 'missing: {assume: RISK}', or {rule: skip} or {rule: worst}, with a rationale")
            {
                if let r = readRisk(a, what: "the assumed risk", diags: &diags) { rule = .assume(r) }
                if let rn = mm.node("range") { range = readAssumedRange(rn, around: rule, diags: &diags) }
            }
            rationale = Self.readRationale(&mm, diags: &diags)
            diags += mm.finish(allowed: ["assume", "rule", "range"] + Self.rationaleKeys)
            return rule
        default:
            let shown: String = if case let .scalar(s) = n { s.text } else { n.kindName }
            diags.append(
                .invalidValue(
                    "'missing' must be worst, skip or {assume: RISK}; found \(shown)", at: n.location,
                    hint: Suggest.hint(for: shown, in: ["worst", "skip", "assume"])))
            return .worst
        }
    }

    /// `range: [LOW, HIGH]` of an assumed risk: two risks around it.
    func readAssumedRange(_ node: YAML, around rule: MissingRule, diags: inout [Diagnostic]) -> ClosedRange<Double>? {
        guard case let .sequence(items, _) = node, items.count == 2,
            let lo = readRisk(items[0], what: "the low end of the range", diags: &diags),
            let hi = readRisk(items[1], what: "the high end of the range", diags: &diags), lo < hi
        else {
            diags.append(.invalidRange("an assumed risk's range is [LOW, HIGH], two risks with LOW below HIGH", at: node.location))
            return nil
        }
        if case let .assume(r) = rule, !(lo...hi).contains(r) {
            diags.append(
                .invalidRange(
                    "the range [\(Format.number(lo)), \(Format.number(hi))] leaves out the assumed risk \(Format.number(r))",
                    at: node.location))
            return nil
        }
        return lo...hi
    }

    func readCases(
        _ node: YAML, _ m: inout MappingReader, id: String, key: YAMLScalar, file: SourceFile,
        elseRationale: inout Rationale?, diags: inout [Diagnostic]
    ) -> ScoringRule? {
        guard case let .sequence(items, _) = node, !items.isEmpty else {
            diags.append(.wrongKind("'cases' must be a non-empty list of {when, risk, label}", at: node.location))
            return nil
        }
        var cases: [ScoringCase] = []
        for item in items {
            guard var cm = MappingReader(item, what: "a case of '\(id)'", diags: &diags) else { continue }
            let when = cm.scalar("when", required: true)
            let risk = cm.required("risk").flatMap { readRisk($0, what: "a case's risk", diags: &diags) }
            let label = cm.string("label", required: true)
            let rationale = Self.readRationale(&cm, diags: &diags)
            diags += cm.finish(allowed: ["when", "risk", "label"] + Self.rationaleKeys)
            if let when, let risk, let label {
                cases.append(
                    ScoringCase(
                        when: ExpressionSource(when, file: file), risk: risk, label: label, location: item.location,
                        rationale: rationale))
            }
        }
        guard let e = m.required("else", hint: "add 'else: {risk: N, label: \"...\"}' for candidates no case matches") else { return nil }
        guard var em = MappingReader(e, what: "'else' of '\(id)'", diags: &diags) else { return nil }
        let risk = em.required("risk").flatMap { readRisk($0, what: "the else risk", diags: &diags) }
        let label = em.string("label") ?? "otherwise"
        elseRationale = Self.readRationale(&em, diags: &diags)
        diags += em.finish(allowed: ["risk", "label"] + Self.rationaleKeys)
        guard let risk else { return nil }
        return .cases(cases, otherwise: (risk, label, e.location))
    }

    func readMap(_ node: YAML, id: String, rationale: inout Rationale?, diags: inout [Diagnostic]) -> ScoringRule? {
        guard var mm = MappingReader(node, what: "'map' of '\(id)'", diags: &diags) else { return nil }
        let fact = mm.scalar("fact", required: true)
        var entries: [MapEntry] = []
        if let r = mm.required("risk", hint: "add 'risk: {VALUE: RISK, ...}'") {
            if var rm = MappingReader(r, what: "'risk' of '\(id)'", diags: &diags) {
                for p in rm.everyPair() {
                    if let v = readRisk(p.value, what: "the risk for '\(p.key.text)'", diags: &diags) {
                        entries.append(MapEntry(key: p.key, risk: v, location: p.key.location))
                    }
                }
                diags += rm.finish(allowed: [])
            }
        }
        let otherwise = mm.node("else").flatMap { readRisk($0, what: "the else risk", diags: &diags) }
        rationale = Self.readRationale(&mm, diags: &diags)
        diags += mm.finish(allowed: ["fact", "risk", "else"] + Self.rationaleKeys)
        guard let fact else { return nil }
        return .map(fact: fact, entries: entries, otherwise: otherwise)
    }

    func readScale(_ node: YAML, id: String, file: SourceFile, rationale: inout Rationale?, diags: inout [Diagnostic]) -> ScoringRule? {
        guard var sm = MappingReader(node, what: "'scale' of '\(id)'", diags: &diags) else { return nil }
        let input = sm.scalar("of", required: true)
        let best = sm.number("best", required: true)
        let worst = sm.number("worst", required: true)
        var transform = ScaleTransform.none
        if let t = sm.scalar("transform") {
            if let tr = ScaleTransform(rawValue: t.text) {
                transform = tr
            } else {
                diags.append(
                    .invalidValue(
                        "transform must be none, log, log10 or sqrt; found '\(t.text)'", at: t.location,
                        hint: Suggest.hint(for: t.text, in: ScaleTransform.allCases.map(\.rawValue)), length: t.text.count))
            }
        }
        rationale = Self.readRationale(&sm, diags: &diags)
        diags += sm.finish(allowed: ["of", "best", "worst", "transform"] + Self.rationaleKeys)
        guard let input, let best, let worst else { return nil }
        if best.0 == worst.0 {
            diags.append(
                .invalidScale(
                    "'best' and 'worst' of '\(id)' are equal, so the scale has no length", at: worst.1.location,
                    hint: "best is the value with risk 0, worst the value with risk 100"))
            return nil
        }
        if transform == .log || transform == .log10, best.0 <= 0 || worst.0 <= 0 {
            diags.append(.invalidScale("a \(transform.rawValue) scale needs best and worst above 0", at: node.location))
            return nil
        }
        if transform == .sqrt, best.0 < 0 || worst.0 < 0 {
            diags.append(.invalidScale("a sqrt scale needs best and worst of at least 0", at: node.location))
            return nil
        }
        return .scale(
            input: ExpressionSource(input, file: file), best: best.0, worst: worst.0, transform: transform,
            location: node.location)
    }

    func readBands(_ node: YAML, diags: inout [Diagnostic]) -> [Band] {
        guard case let .sequence(items, _) = node, !items.isEmpty else {
            diags.append(
                .invalidBands(
                    "'bands' must be a list such as [{name: low, below: 25}, ..., {name: severe}]",
                    at: node.location))
            return []
        }
        var out: [Band] = []
        for (i, item) in items.enumerated() {
            guard var bm = MappingReader(item, what: "a band", diags: &diags) else { continue }
            let name = bm.scalar("name", required: true)
            let below = bm.number("below")
            let rationale = Self.readRationale(&bm, diags: &diags)
            diags += bm.finish(allowed: ["name", "below"] + Self.rationaleKeys)
            guard let name else { continue }
            if out.contains(where: { $0.name == name.text }) {
                diags.append(.duplicateID("band '\(name.text)' is listed twice", at: name.location, length: name.text.count))
            }
            let last = i == items.count - 1
            if last, let below {
                diags.append(
                    .invalidBands(
                        "the last band takes every risk above the others, so it has no 'below'",
                        at: below.1.location, hint: "remove 'below' from band '\(name.text)'"))
            } else if !last && below == nil {
                diags.append(.invalidBands("band '\(name.text)' needs 'below' (only the last band has none)", at: name.location))
            }
            if let (b, at) = below, let prev = out.last?.below, b <= prev {
                diags.append(
                    .invalidBands(
                        "bands must rise: '\(name.text)' is below \(Format.number(b)), not above \(Format.number(prev))",
                        at: at.location))
            }
            if let (b, at) = below, b <= 0 || b > 100 {
                diags.append(.invalidBands("a band bound must be within (0, 100], found \(Format.number(b))", at: at.location))
            }
            out.append(Band(name: name.text, below: below?.0, location: name.location, rationale: rationale))
        }
        return out
    }
}
