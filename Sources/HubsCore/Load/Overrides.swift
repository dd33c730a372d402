import Foundation

/// Changes given on the command line instead of in a file: `--set CANDIDATE.FACT=VALUE` (or
/// `=unknown`), `--weight CRITERION=N` and `--policy-set PATH=VALUE`. They are read as if they were
/// written in a file called `<command line>`, one argument per line (`--set serbia.x=false` on line
/// 1, and so on), so a bad value or an unknown name gets the same diagnostic, located at the
/// argument, as it would in a file. Policy changes are made to the policy's YAML tree before it is
/// loaded; fact changes to the scenario after its `extends` chain. Every change applied is recorded
/// in the model (`Policy.overrides`, `Scenario.overrides`), so every output can state it.
public struct Overrides: Sendable {
    /// One argument, parsed.
    public struct Item: Sendable {
        /// What the argument changes.
        public enum Target: Sendable {
            /// A candidate's fact (`--set`).
            case fact(candidate: YAMLScalar, fact: YAMLScalar)
            /// A value in the policy file: keys from the top, or from a criterion found by its id.
            case policy(path: [YAMLScalar])
        }
        public var option: String
        public var argument: String
        public var target: Target
        public var value: YAML
        public var location: SourceLocation

        /// What the argument names, as typed before `=`.
        var name: String {
            switch target {
            case let .fact(candidate, fact): candidate.text + "." + fact.text
            case let .policy(path): option == "--weight" ? (path.first?.text ?? "") : path.map(\.text).joined(separator: ".")
            }
        }

        /// The value it changes: the same for `--weight X=…` and `--policy-set X.weight=…`.
        var key: String {
            switch target {
            case let .fact(candidate, fact): "fact\u{0}" + candidate.text + "\u{0}" + fact.text
            case let .policy(path): "policy\u{0}" + path.map(\.text).joined(separator: "\u{0}")
            }
        }
    }

    /// The name every override's location carries.
    public static let fileName = "<command line>"
    public var items: [Item]
    /// A minimum coverage (0–1) given with `--min-coverage`, replacing the policy's.
    public var minCoverage: Double?
    /// The arguments as a file, one per line, for diagnostics to quote.
    public var file: SourceFile

    /// No overrides.
    public static let none = Overrides(items: [], file: SourceFile(path: fileName, text: ""))
    public var isEmpty: Bool { items.isEmpty }
    public var policyItems: [Item] { items.filter { if case .policy = $0.target { true } else { false } } }
    public var factItems: [Item] { items.filter { if case .fact = $0.target { true } else { false } } }

    /// Reads the arguments; every malformed one is a located error.
    public static func parse(set: [String], weight: [String], policySet: [String], limits: InputLimits = .standard) -> Result<
        Overrides, DiagnosticsError
    > {
        let given = arguments(set: set, weight: weight, policySet: policySet)
        let file = commandLine(set: set, weight: weight, policySet: policySet)
        var items: [Item] = []
        var diags: [Diagnostic] = []
        // Two arguments that change the same value would leave one silently unused: refused,
        // naming both (a dictionary, so 5,000 arguments are checked in linear time).
        var first: [String: Item] = [:]
        for (index, (option, argument)) in given.enumerated() {
            switch parseOne(option: option, argument: argument, line: index + 1, limits: limits) {
            case let .success(item):
                if let earlier = first[item.key] {
                    diags.append(
                        .duplicateKey(
                            "\(option) \(item.name) changes what '\(earlier.option) \(earlier.argument)' (line \(earlier.location.line)) already changes",
                            at: item.location, hint: "give each value once", length: item.name.unicodeScalars.count))
                } else {
                    first[item.key] = item
                }
                items.append(item)
            case let .failure(e): diags += e.diagnostics
            }
        }
        return diags.isEmpty ? .success(Overrides(items: items, file: file)) : .failure(DiagnosticsError(diags))
    }

    static func arguments(set: [String], weight: [String], policySet: [String]) -> [(String, String)] {
        set.map { ("--set", $0) } + weight.map { ("--weight", $0) } + policySet.map { ("--policy-set", $0) }
    }

    /// The arguments as the `<command line>` file diagnostics quote: one per line, option first.
    public static func commandLine(set: [String], weight: [String], policySet: [String]) -> SourceFile {
        SourceFile(
            path: fileName,
            text: arguments(set: set, weight: weight, policySet: policySet).map { "\($0.0) \($0.1)" }.joined(separator: "\n"))
    }

    static let usage = [
        "--set": "write it as CANDIDATE.FACT=VALUE, for example serbia.russia_visa_free=false, or =unknown",
        "--weight": "write it as CRITERION=NUMBER, for example security=45",
        "--policy-set": "write it as PATH=VALUE, for example corruption.scale.worst=30 or russian_visa_free.map.risk.true=80",
    ]

    static func parseOne(option: String, argument: String, line: Int, limits: InputLimits) -> Result<Item, DiagnosticsError> {
        let start = SourceLocation(file: fileName, line: line, column: option.unicodeScalars.count + 2)
        let scalars = Array(argument.unicodeScalars)
        guard let eq = scalars.firstIndex(of: "="), eq > 0 else {
            return .failure(
                DiagnosticsError([
                    .invalidValue(
                        "\(option) needs NAME=VALUE, found '\(argument)'", at: start, hint: usage[option],
                        length: max(1, scalars.count))
                ]))
        }
        let name = String(String.UnicodeScalarView(scalars[..<eq]))
        let valueText = String(String.UnicodeScalarView(scalars[(eq + 1)...]))
        // The value is read by the YAML reader at its own place on its line, so its location and
        // any syntax error point into the argument.
        let valueAt = start.advanced(by: eq + 1)
        let padded = String(repeating: "\n", count: line - 1) + String(repeating: " ", count: valueAt.column - 1) + valueText
        let value: YAML
        switch YAMLReader.parse(SourceFile(path: fileName, text: padded), limits: limits) {
        case let .success(v): value = v
        case let .failure(e):
            // An error found at the end of the value is reported at the value's last character.
            let end = start.advanced(by: max(0, scalars.count - 1))
            return .failure(
                DiagnosticsError(
                    e.diagnostics.map { d in
                        var d = d
                        if let at = d.location, at.line != line || at.column > end.column { d.location = end }
                        return d
                    }))
        }
        var parts: [YAMLScalar] = []
        var column = 0
        for part in name.split(separator: ".", omittingEmptySubsequences: false) {
            parts.append(YAMLScalar(text: String(part), style: .plain, location: start.advanced(by: column)))
            column += part.unicodeScalars.count + 1
        }
        if let empty = parts.first(where: { $0.text.isEmpty }) {
            return .failure(
                DiagnosticsError([
                    .invalidValue("\(option) names an empty key in '\(name)'", at: empty.location, hint: usage[option])
                ]))
        }
        let target: Item.Target
        switch option {
        case "--set":
            guard parts.count == 2 else {
                return .failure(
                    DiagnosticsError([
                        .invalidValue(
                            "--set names a candidate and a fact, found '\(name)'", at: start, hint: usage[option],
                            length: name.unicodeScalars.count)
                    ]))
            }
            target = .fact(candidate: parts[0], fact: parts[1])
        case "--weight":
            guard parts.count == 1 else {
                return .failure(
                    DiagnosticsError([
                        .invalidValue(
                            "--weight names one criterion by its id, found '\(name)'", at: start,
                            hint: usage[option], length: name.unicodeScalars.count)
                    ]))
            }
            target = .policy(path: parts + [YAMLScalar(text: "weight", style: .plain, location: start)])
        default:
            target = .policy(path: parts)
        }
        return .success(Item(option: option, argument: argument, target: target, value: value, location: start))
    }
}

extension SourceLocation {
    /// Whether this is a place in the command line's overrides rather than in a file.
    public var isCommandLine: Bool { file == Overrides.fileName }
}

extension Overrides {
    /// Applies `--weight` and `--policy-set` to a policy's YAML tree, before it is loaded, so the
    /// loader and checker judge the new values exactly as they judge a file's.
    public func applyToPolicy(_ root: YAML) -> Result<(YAML, [AppliedOverride]), DiagnosticsError> {
        var tree = root
        var applied: [AppliedOverride] = []
        var diags: [Diagnostic] = []
        for item in policyItems {
            guard case let .policy(path) = item.target else { continue }
            let keys: [YAMLScalar]
            switch Self.resolve(path, in: tree) {
            case let .success(k): keys = k
            case let .failure(d):
                diags.append(d)
                continue
            }
            switch Self.replace(in: tree, keys: keys[...], with: item.value, walked: []) {
            case let .success((newTree, previous)):
                tree = newTree
                applied.append(AppliedOverride(option: item.option, argument: item.argument, previous: previous, location: item.location))
            case let .failure(d): diags.append(d)
            }
        }
        return diags.isEmpty ? .success((tree, applied)) : .failure(DiagnosticsError(diags))
    }

    /// The key path from the top of the policy: as given when its first key is a top-level key,
    /// otherwise from the criterion with that id, wherever it sits in the tree.
    static func resolve(_ path: [YAMLScalar], in root: YAML) -> Result<[YAMLScalar], Diagnostic> {
        guard let first = path.first, case let .mapping(pairs, _) = root else { return .success(path) }
        if pairs.contains(where: { $0.key.text == first.text }) || PolicyLoader.topKeys.contains(first.text) { return .success(path) }
        // Breadth first over criteria groups, with an explicit queue: no recursion on the file's depth.
        var queue: [([String], YAML)] = []
        if let c = pairs.first(where: { $0.key.text == "criteria" }) { queue.append((["criteria"], c.value)) }
        var ids: [String] = []
        var head = 0
        while head < queue.count {
            let (at, node) = queue[head]
            head += 1
            guard case let .mapping(children, _) = node else { continue }
            for child in children {
                ids.append(child.key.text)
                if child.key.text == first.text {
                    let prefix = (at + [child.key.text]).map { YAMLScalar(text: $0, style: .plain, location: first.location) }
                    return .success(prefix + path.dropFirst())
                }
                if case let .mapping(inner, _) = child.value, let sub = inner.first(where: { $0.key.text == "criteria" }) {
                    queue.append((at + [child.key.text, "criteria"], sub.value))
                }
            }
        }
        return .failure(
            .unknownCriterion(
                "the policy has no criterion and no top-level key '\(first.text)'", at: first.location,
                hint: Suggest.hint(for: first.text, in: ids + PolicyLoader.topKeys)
                    ?? "name a criterion by its id (\(ids.prefix(6).joined(separator: ", "))…) or a path from the top (criteria.legal.weight)",
                length: first.text.unicodeScalars.count))
    }

    /// The tree with the value at `keys` replaced (or added, when only the last key is missing),
    /// and the text that stood there. The recursion is as deep as the path typed on the command line.
    static func replace(in node: YAML, keys: ArraySlice<YAMLScalar>, with value: YAML, walked: [String]) -> Result<
        (YAML, String?), Diagnostic
    > {
        guard let key = keys.first else { return .success((value, describe(node))) }
        let here = walked.isEmpty ? "the policy" : "'\(walked.joined(separator: "."))'"
        switch node {
        case let .mapping(pairs, location):
            var pairs = pairs
            if let i = pairs.firstIndex(where: { $0.key.text == key.text }) {
                return replace(in: pairs[i].value, keys: keys.dropFirst(), with: value, walked: walked + [key.text]).map { inner in
                    pairs[i].value = inner.0
                    return (.mapping(pairs, location), inner.1)
                }
            }
            guard keys.count == 1 else {
                return .failure(
                    .unknownKey(
                        "\(here) has no key '\(key.text)'", at: key.location,
                        hint: Suggest.hint(for: key.text, in: pairs.map(\.key.text))
                            ?? "keys there: \(pairs.map(\.key.text).joined(separator: ", "))", length: key.text.unicodeScalars.count))
            }
            pairs.append(YAMLPair(key: key, value: value))
            return .success((.mapping(pairs, location), nil))
        case let .sequence(items, location):
            guard let i = Int(key.text), items.indices.contains(i) else {
                return .failure(
                    .invalidValue(
                        "\(here) is a list of \(items.count); '\(key.text)' is not a position in it", at: key.location,
                        hint: "count from 0: \(walked.joined(separator: ".")).0 is the first entry", length: key.text.unicodeScalars.count))
            }
            var items = items
            return replace(in: items[i], keys: keys.dropFirst(), with: value, walked: walked + [key.text]).map { inner in
                items[i] = inner.0
                return (.sequence(items, location), inner.1)
            }
        case .scalar:
            return .failure(
                .invalidValue(
                    "\(here) is a single value; it has no key '\(key.text)'", at: key.location,
                    hint: "end the path at \(here)", length: key.text.unicodeScalars.count))
        }
    }

    static func describe(_ node: YAML) -> String {
        if case let .scalar(s) = node { return s.text }
        return node.kindName
    }

    /// Applies `--set` to a loaded scenario (its `extends` chain already applied). A fact set to
    /// `unknown` becomes stated-unknown; any other value is typed later against the policy's schema,
    /// located at the argument.
    public func applyToScenario(_ scenario: Scenario) -> Result<Scenario, DiagnosticsError> {
        var s = scenario
        var diags: [Diagnostic] = []
        for item in factItems {
            guard case let .fact(candidateID, factName) = item.target else { continue }
            guard let c = s.candidates.firstIndex(where: { $0.id == candidateID.text }) else {
                diags.append(
                    .unknownCandidate(
                        "scenario '\(s.id)' has no candidate '\(candidateID.text)'", at: candidateID.location,
                        hint: Suggest.hint(for: candidateID.text, in: s.candidates.map(\.id))
                            ?? "candidates: \(s.candidates.map(\.id).joined(separator: ", "))",
                        length: candidateID.text.unicodeScalars.count))
                continue
            }
            guard case let .scalar(value) = item.value, !value.isNull else {
                diags.append(
                    .invalidValue(
                        "--set needs one value, found \(item.value.kindName)", at: item.value.location,
                        hint: "give a number, true or false, a word, a date (YYYY-MM-DD), or unknown"))
                continue
            }
            let state: Fact.State = value.style == .plain && value.text == "unknown" ? .unknown : .given(value)
            let fact = Fact(name: factName.text, state: state, location: factName.location, valueLocation: value.location)
            var previous: String?
            if let f = s.candidates[c].facts.firstIndex(where: { $0.name == factName.text }) {
                let old = s.candidates[c].facts[f]
                if case let .given(v) = old.state { previous = v.text } else { previous = "unknown" }
                s.candidates[c].facts[f] = fact
            } else {
                s.candidates[c].facts.append(fact)
            }
            s.overrides.append(AppliedOverride(option: item.option, argument: item.argument, previous: previous, location: item.location))
        }
        return diags.isEmpty ? .success(s) : .failure(DiagnosticsError(diags))
    }
}
