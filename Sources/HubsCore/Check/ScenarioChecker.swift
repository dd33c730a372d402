/// A scenario checked against a policy's fact schema: every declared fact's value typed (a
/// number, a boolean as 0/1, an enum value as its position, a date as days since 1970), in
/// dense rows with one column per declared fact, NaN when unknown or not given.
public struct CheckedScenario: Sendable {
    public let scenario: Scenario
    /// The policy's fact count: the width of a row.
    public let factCount: Int
    /// Candidate-major: `values[c * factCount + f]`.
    public let values: [Double]
    /// The index of fact f in candidate c's `facts`, or -1 when the candidate does not give it.
    public let factIndex: [Int32]
    /// Warnings and notes: the scenario's own, then typing, interval and age findings.
    public let warnings: [Diagnostic]
    /// Facts the policy does not declare (reported after the constraints, once per name).
    public let undeclaredWarnings: [Diagnostic]
    /// The warnings about each candidate's evidence (stale, late), by candidate id.
    public let warningsByCandidate: [String: [Diagnostic]]
}

/// The check stage for a scenario against a policy: types each declared fact's value, checks its
/// interval and its age, finds misspelt and undeclared facts. Every error is collected. (Whether
/// the facts break the policy's constraints is told by the bind stage, with the compiled
/// predicates.)
public enum ScenarioChecker {
    /// Checks `scenario` against `policy`'s facts. `declaredElsewhere` names facts other policies
    /// of the project declare (for `hubs check`): a scenario fact one of them reads is not reported
    /// as undeclared under this policy.
    public static func check(
        _ scenario: Scenario, against policy: Policy, declaredElsewhere: Set<String> = []
    ) -> Result<CheckedScenario, DiagnosticsError> {
        var diags: [Diagnostic] = scenario.warnings
        let n = policy.facts.count
        var values = [Double](repeating: .nan, count: n * scenario.candidates.count)
        var factIndex = [Int32](repeating: -1, count: n * scenario.candidates.count)
        // Fact name → column, once: each candidate's facts are then looked up in a single pass.
        var slotOf: [String: Int] = [:]
        for s in policy.facts.indices where slotOf[policy.facts[s].name] == nil { slotOf[policy.facts[s].name] = s }
        if policy.maxFactAge != nil && scenario.asOf == nil {
            diags.append(
                .staleFact(
                    "scenario '\(scenario.id)' has no 'as_of', so the age of its facts cannot be checked",
                    at: scenario.location, hint: "add 'as_of: YYYY-MM-DD'"))
        }
        var byCandidate: [String: [Diagnostic]] = [:]
        var undeclared = UndeclaredFacts(policy: policy, declaredElsewhere: declaredElsewhere)
        let candidates = scenario.candidates
        // Candidates are checked independently: a long list in chunks side by side, joined in
        // order (the same rows and diagnostics however the chunks run).
        let count = candidates.count
        let chunks = count < 512 ? 1 : Swift.min(16, count / 256)
        let parts = Slots<CheckedChunk>(count: chunks)
        let slots = slotOf
        concurrentStride(chunks, threads: chunks) { k in
            parts.items[k] = checkChunk(
                (count * k / chunks)..<(count * (k + 1) / chunks), of: scenario, to: policy, slotOf: slots,
                declaredElsewhere: declaredElsewhere)
        }
        for k in 0..<chunks {
            guard let part = parts.take(k) else { continue }
            let at = part.range.lowerBound * n
            values.replaceSubrange(at..<(at + part.values.count), with: part.values)
            factIndex.replaceSubrange(at..<(at + part.factIndex.count), with: part.factIndex)
            diags += part.diags
            for (id, found) in part.byCandidate { byCandidate[id, default: []] += found }
            undeclared.absorb(part.undeclared)
        }
        let late = undeclared.warnings()
        if diags.contains(where: { $0.severity == .error }) { return .failure(DiagnosticsError(diags + late)) }
        return .success(
            CheckedScenario(
                scenario: scenario, factCount: n, values: values, factIndex: factIndex, warnings: diags,
                undeclaredWarnings: late, warningsByCandidate: byCandidate))
    }

    /// What checking a run of candidates finds: their rows, diagnostics and undeclared facts.
    struct CheckedChunk {
        var range: Range<Int>
        var values: [Double]
        var factIndex: [Int32]
        var diags: [Diagnostic] = []
        var byCandidate: [(String, [Diagnostic])] = []
        var undeclared: UndeclaredFacts
    }

    /// Checks candidates `range` of `scenario`: types each declared fact's value, checks its
    /// interval and age, and finds misspelt and undeclared facts.
    static func checkChunk(
        _ range: Range<Int>, of scenario: Scenario, to policy: Policy, slotOf: [String: Int],
        declaredElsewhere: Set<String>
    ) -> CheckedChunk {
        let n = policy.facts.count
        let candidates = scenario.candidates
        var out = CheckedChunk(
            range: range, values: [Double](repeating: .nan, count: n * range.count),
            factIndex: [Int32](repeating: -1, count: n * range.count),
            undeclared: UndeclaredFacts(policy: policy, declaredElsewhere: declaredElsewhere))
        for c in range {
            let before = out.diags.count
            let row = (c - range.lowerBound) * n
            // The first fact of each name counts (a repeated name is the loader's error).
            var undeclaredHere = false
            for k in candidates[c].facts.indices {
                guard let s = slotOf[candidates[c].facts[k].name] else {
                    undeclaredHere = true
                    continue
                }
                if out.factIndex[row + s] < 0 { out.factIndex[row + s] = Int32(k) }
            }
            for s in 0..<n {
                let k = Int(out.factIndex[row + s])
                guard k >= 0, case let .given(scalar) = candidates[c].facts[k].state else { continue }
                guard let v = value(scalar, policy.facts[s], candidate: candidates[c].id, &out.diags) else { continue }
                out.values[row + s] = v
                if candidates[c].facts[k].interval != nil,
                    let d = intervalProblem(candidates[c].facts[k], policy.facts[s], value: v, candidate: candidates[c].id)
                {
                    out.diags.append(d)
                }
                if scenario.asOf != nil,
                    let d = ageFinding(
                        candidates[c].facts[k], policy.facts[s], candidate: candidates[c].id, scenario: scenario, policy: policy)
                {
                    out.diags.append(d)
                }
            }
            if undeclaredHere {
                let index = out.factIndex
                out.diags += out.undeclared.add(candidates[c]) { name in slotOf[name].map { index[row + $0] >= 0 } ?? false }
            }
            if out.diags.count > before {
                out.byCandidate.append((candidates[c].id, out.diags[before...].filter { $0.severity != .error }))
            }
        }
        return out
    }

    /// An interval must surround the value, stay in the declared range, and belong to a number.
    static func intervalProblem(_ f: Fact, _ decl: FactDeclaration, value v: Double, candidate: String) -> Diagnostic? {
        guard let iv = f.interval else { return nil }
        guard case let .number(lo, hi, _) = decl.type else {
            return .typeMismatch(
                "only number facts take an interval; '\(decl.name)' is \(decl.type.name)",
                at: f.intervalLocation, hint: "for a bool or enum fact, lower its confidence instead")
        }
        if iv.low > v || iv.high < v {
            return .valueOutOfRange(
                "the interval of '\(decl.name)' of \(candidate) does not contain its value \(Format.number(v))",
                at: f.intervalLocation, hint: "the value is the best estimate; the interval must surround it")
        }
        if (lo.map { iv.low < $0 } ?? false) || (hi.map { iv.high > $0 } ?? false) {
            return .valueOutOfRange(
                "the interval of '\(decl.name)' of \(candidate) leaves its declared range", at: f.intervalLocation)
        }
        return nil
    }

    /// Evidence dated after the scenario's as_of (a warning), older than its maximum age (a
    /// warning at high or unstated confidence; a note once the analyst has lowered the confidence,
    /// which acknowledges the age), or undated where age matters (a note).
    static func ageFinding(_ f: Fact, _ decl: FactDeclaration, candidate: String, scenario: Scenario, policy: Policy) -> Diagnostic? {
        let date = f.asOf ?? f.source.flatMap { scenario.source($0)?.date }
        let maxAge: FactAge? =
            switch decl.maxAge {
            case .policyDefault: policy.maxFactAge
            case .none: nil
            case let .age(a): a
            }
        guard let asOf = scenario.asOf else { return nil }
        if let date, date > asOf {
            return .factAfterAsOf(
                "fact '\(decl.name)' of \(candidate) is dated \(date), after the scenario's as_of \(asOf)",
                at: f.location, hint: "move it to a later what-if scenario, or date it as of \(asOf)", length: decl.name.count)
        }
        guard let maxAge else { return nil }
        guard let date else {
            return .undatedFact(
                "fact '\(decl.name)' of \(candidate) has no date, so its age is unknown",
                at: f.location, hint: "give it 'as_of:' or cite a dated source", length: decl.name.count)
        }
        guard date < maxAge.cutoff(before: asOf) else { return nil }
        let message =
            "fact '\(decl.name)' of \(candidate) dates from \(date)\(f.source.map { " (source \($0))" } ?? ""), older than the \(maxAge) allowed at \(asOf)"
        if let c = f.confidence, c == .medium || c == .low {
            return .staleFact(
                message + "; held at \(c.rawValue) confidence", at: f.location,
                hint: "find newer evidence when it is published", length: decl.name.count, severity: .note)
        }
        return .staleFact(message, at: f.location, hint: "find newer evidence, or lower its confidence", length: decl.name.count)
    }

    static func value(_ s: YAMLScalar, _ decl: FactDeclaration, candidate: String, _ diags: inout [Diagnostic]) -> Double? {
        let at = s.location
        // The underline's length, counted only when there is something to underline.
        func len() -> Int { s.text.count + (s.isQuoted ? 2 : 0) }
        switch decl.type {
        case let .number(lo, hi, unit):
            guard let v = Scalars.number(s) else {
                diags.append(
                    Scalars.notANumber(
                        s, what: "fact '\(decl.name)' of \(candidate)", code: .typeMismatch,
                        hint: "write a plain number\(unit.map { " (in \($0))" } ?? ""), or 'unknown'"))
                return nil
            }
            if let lo, v < lo {
                diags.append(outOfRange(decl, candidate, v, lo, hi, at, len()))
                return nil
            }
            if let hi, v > hi {
                diags.append(outOfRange(decl, candidate, v, lo, hi, at, len()))
                return nil
            }
            return v
        case .bool:
            guard let b = Scalars.bool(s) else {
                let lower = s.text.lowercased()
                let hint =
                    ["yes", "y", "on"].contains(lower)
                    ? "write true" : ["no", "n", "off"].contains(lower) ? "write false" : "write true, false or unknown"
                diags.append(
                    .typeMismatch(
                        "fact '\(decl.name)' of \(candidate) must be true or false, found '\(s.text)'", at: at,
                        hint: hint, length: len()))
                return nil
            }
            return b ? 1 : 0
        case let .enumeration(allowed):
            guard let i = allowed.firstIndex(of: s.text) else {
                diags.append(
                    .unknownEnumValue(
                        "'\(s.text)' is not a value of fact '\(decl.name)' (\(allowed.joined(separator: ", ")))", at: at,
                        hint: Suggest.hint(for: s.text, in: allowed) ?? "use one of the values the policy lists, or 'unknown'",
                        length: len()))
                return nil
            }
            return Double(i)
        case .date:
            guard let d = Day.parse(s.text) else {
                diags.append(
                    .invalidDate(
                        "fact '\(decl.name)' of \(candidate) must be a date written YYYY-MM-DD, found '\(s.text)'",
                        at: at, length: len()))
                return nil
            }
            return Double(d.daysSinceEpoch)
        }
    }

    static func outOfRange(
        _ d: FactDeclaration, _ c: String, _ v: Double, _ lo: Double?, _ hi: Double?,
        _ at: SourceLocation, _ len: Int
    ) -> Diagnostic {
        let range = "[\(lo.map(Format.number) ?? "-inf"), \(hi.map(Format.number) ?? "inf")]"
        return .valueOutOfRange(
            "fact '\(d.name)' of \(c) is \(Format.number(v)), outside its range \(range)", at: at,
            hint: "check the figure against its source; the policy declares the range at \(d.location)", length: len)
    }
}

/// Facts a scenario gives that the policy does not declare. One close to a declared fact the
/// candidate lacks is a misspelling: an error at once. Others are collected and reported once per
/// fact name, however many candidates give it.
struct UndeclaredFacts {
    let policy: Policy
    let declared: Set<String>
    let declaredElsewhere: Set<String>
    private var byName: [String: (location: SourceLocation, candidates: [String])] = [:]
    private var order: [String] = []

    init(policy: Policy, declaredElsewhere: Set<String>) {
        self.policy = policy
        declared = Set(policy.facts.map(\.name))
        self.declaredElsewhere = declaredElsewhere
    }

    /// Misspelling errors for this candidate; other undeclared facts are remembered. `gives` says
    /// whether the candidate gives a declared fact.
    mutating func add(_ cand: Candidate, gives: (String) -> Bool) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        let undeclaredHere = cand.facts.filter { !declared.contains($0.name) }
        guard !undeclaredHere.isEmpty else { return [] }
        let missing = policy.facts.map(\.name).filter { !gives($0) }
        for f in undeclaredHere {
            if f.location.isCommandLine {
                // Typed on the command line for this run: a name the policy does not read is a slip.
                errors.append(
                    .undeclaredFact(
                        "policy '\(policy.id)' declares no fact '\(f.name)', so setting it changes nothing",
                        at: f.location,
                        hint: Suggest.hint(for: f.name, in: policy.facts.map(\.name)) ?? "run hubs check --tree to see the facts it reads",
                        length: f.name.count))
            } else if let near = Suggest.closest(to: f.name, in: missing) {
                errors.append(
                    .misspeltFact(
                        "fact '\(f.name)' of \(cand.id) is not declared by policy '\(policy.id)', and \(cand.id) does not give '\(near)'",
                        at: f.location, hint: "did you mean '\(near)'?", length: f.name.count
                    ).replacing(with: near))
            } else if !declaredElsewhere.contains(f.name) {
                if byName[f.name] == nil { order.append(f.name) }
                byName[f.name, default: (f.location, [])].candidates.append(cand.id)
            }
        }
        return errors
    }

    /// Adds what `other` (the next run of candidates) found, after what this one found.
    mutating func absorb(_ other: UndeclaredFacts) {
        for name in other.order {
            guard let theirs = other.byName[name] else { continue }
            if byName[name] == nil {
                order.append(name)
                byName[name] = theirs
            } else {
                byName[name]?.candidates += theirs.candidates
            }
        }
    }

    /// One warning per undeclared fact name, at its first use.
    func warnings() -> [Diagnostic] {
        order.compactMap { name in
            guard let (at, who) = byName[name] else { return nil }
            let whom =
                who.count == 1 ? who[0] : "\(who.count) candidates (\(who.prefix(3).joined(separator: ", "))\(who.count > 3 ? ", …" : ""))"
            return .undeclaredFact(
                "fact '\(name)' of \(whom) is not declared by policy '\(policy.id)', so no rule reads it",
                at: at, hint: "declare it under 'facts:' if a criterion should use it, or remove it", length: name.count, severity: .warning
            )
        }
    }
}
