import Foundation

/// Scores every candidate of a bound scenario with full explanations, and ranks them.
///
/// Attribution. Each group splits its own contribution among its children: `mean` in proportion
/// to weight × risk (so a leaf's contribution is exactly effective weight × risk); `geometric` in
/// proportion to weight × −ln(1 − risk/100) (children at risk 100 share it all, by weight); `max`
/// gives it all to the worst child (the first in file order on ties). The root's contribution is
/// the total risk, so the leaves' contributions always add up to it.
///
/// Ranking (`RankOrder`). Lowest risk first; risks equal at the resolution of `RiskComparison`
/// share a rank and are listed by higher coverage, then by id. Candidates with too little
/// evidence follow, then excluded candidates, then those with no assessable risk.
public enum Assessor {

    /// Scores every candidate with explanations (`detail` says how much of them to keep) and
    /// ranks them; an arithmetic fault stops with located errors.
    public static func assess(
        _ table: FactTable, policy: CompiledPolicy, inputs: [InputFile] = [], detail: AssessmentDetail = .full
    ) -> Result<Assessment, DiagnosticsError> {
        // Candidates are independent: large scenarios are split into chunks scored side by side,
        // each with its own evaluator, each candidate writing its own slot (the same results, in
        // the same order, however the chunks run).
        let count = table.candidateCount
        // Up to one block of candidates, full results cost little memory and spare the writer
        // explaining each candidate twice.
        let detail = detail == .ranking && count <= rankingBlock ? .full : detail
        let slots = Slots<(result: CandidateResult, faults: [Diagnostic])>(count: count)
        inChunks(count, policy: policy) { c, evaluator in
            slots.items[c] = assessOne(c, table: table, policy: policy, evaluator: evaluator, detail: detail)
        }
        var results: [CandidateResult] = []
        results.reserveCapacity(count)
        var faults: [Diagnostic] = []
        for i in slots.items.indices {
            // Moved out of the slot, not copied (a copy retains every string of every criterion).
            guard let item = slots.take(i) else { continue }
            results.append(item.result)
            faults += item.faults
        }
        if !faults.isEmpty { return .failure(DiagnosticsError(faults)) }
        rank(&results)
        var warnings = policy.warnings + table.warnings
        warnings.sort(by: Diagnostic.ordered)
        return .success(
            Assessment(
                policy: policy, scenario: table.scenario, results: results, inputs: inputs, warnings: warnings,
                table: table, detail: detail))
    }

    /// Candidates explained again together by writers of a `ranking` assessment; scenarios of
    /// up to this many are assessed in full instead.
    public static let rankingBlock = 1_024

    /// These results of `a` with `detail` (full by default): as they are when `a` keeps that
    /// much, else each candidate explained again (the same arithmetic, so the same numbers) with
    /// its rank and position kept.
    public static func explained(
        _ results: ArraySlice<CandidateResult>, in a: Assessment, detail: AssessmentDetail = .full
    ) -> [CandidateResult] {
        guard !a.detail.covers(detail) else { return Array(results) }
        let count = results.count
        let start = results.startIndex
        let slots = Slots<CandidateResult>(count: count)
        inChunks(count, policy: a.policy) { i, evaluator in
            let brief = results[start + i]
            var full = assessOne(brief.candidateIndex, table: a.table, policy: a.policy, evaluator: evaluator, detail: detail).result
            full.rank = brief.rank
            full.position = brief.position
            slots.items[i] = full
        }
        return (0..<count).compactMap { slots.take($0) }
    }

    /// Runs `body` for each of `0..<count`, in chunks side by side for 128 or more (each chunk with
    /// its own evaluator of `policy`; each item must write only its own slot).
    static func inChunks(_ count: Int, policy: CompiledPolicy, _ body: @Sendable (Int, Evaluator) -> Void) {
        let chunks = count < 128 ? 1 : Swift.min(16, count / 64)
        concurrentStride(chunks, threads: chunks) { k in
            let evaluator = Evaluator(policy)
            for i in (count * k / chunks)..<(count * (k + 1) / chunks) { body(i, evaluator) }
        }
    }

    /// One candidate: traced, checked for faults, explained.
    static func assessOne(_ c: Int, table: FactTable, policy: CompiledPolicy, evaluator: Evaluator, detail: AssessmentDetail) -> (
        result: CandidateResult, faults: [Diagnostic]
    ) {
        let cand = table.scenario.candidates[c]
        var faults: [Diagnostic] = []
        let row = Array(table.row(c))
        let (outcome, rec) = row.withUnsafeBufferPointer { evaluator.trace($0.baseAddress ?? UnsafePointer(evaluator.registers)) }
        for (l, f) in rec.leafFaults.enumerated() {
            if let f {
                let info = policy.criteria[policy.leafCriterion[l]]
                faults.append(
                    .arithmeticFault(
                        "criterion '\(info.id)' cannot be computed for \(cand.id): \(f)",
                        at: info.location, hint: "guard the expression, e.g. 'if x == 0 then ... else ...'"))
            } else if let overflow = overflow(evaluator.leafRaw(l), reads: rec.leafReads[l], row: row) {
                let info = policy.criteria[policy.leafCriterion[l]]
                // Every fact it read is known, yet no number came out: an overflow, never missing data.
                faults.append(
                    .arithmeticFault(
                        "criterion '\(info.id)' cannot be computed for \(cand.id): \(overflow)",
                        at: info.location, hint: "keep the arithmetic within ±1.8e308, or scale the facts (e.g. use log)"))
            }
        }
        for (g, f) in rec.gateFaults.enumerated() {
            if let f {
                faults.append(
                    .arithmeticFault(
                        "gate '\(policy.gates[g].id)' cannot be computed for \(cand.id): \(f)",
                        at: policy.gates[g].location))
            }
        }
        if detail == .ranking {
            let total = evaluator.value(policy.leafCount + policy.groups.count - 1)
            let result = CandidateResult(
                candidateIndex: c, id: cand.id, name: cand.name, rank: nil, position: 0, risk: total.isNaN ? nil : total,
                band: policy.band(for: total), status: status(outcome, total: total, policy: policy), coverage: outcome.coverage,
                criteria: [], gates: [], assumptions: [])
            return (result, faults)
        }
        let result = explain(
            c, table: table, row: row, policy: policy, evaluator: evaluator, outcome: outcome, recorder: rec, detail: detail)
        return (result, faults)
    }

    /// Why a leaf's value is not a number although every fact it read is known (an arithmetic
    /// overflow such as 1e300 × 1e300 − 1e300 × 1e300), or nil.
    static func overflow(_ raw: Double, reads: [Int], row: [Double]) -> String? {
        if raw.isInfinite { return "the result overflows to \(raw > 0 ? "+" : "-")infinity" }
        guard raw.isNaN, reads.allSatisfy({ !row[$0].isNaN }) else { return nil }
        return "the arithmetic overflows (a step gives infinity, so the result is not a number)"
    }

    /// Orders results (ranked, then insufficient evidence, then excluded, then not assessable) and
    /// gives ranked candidates their rank; candidates whose risks tie share it (1, 2, 2, 4).
    static func rank(_ results: inout [CandidateResult]) {
        func group(_ r: CandidateResult) -> Int {
            switch r.status {
            case .ranked: 0
            case .insufficientEvidence: 1
            case .excluded: r.risk == nil ? 3 : 2
            case .notAssessable: 3
            }
        }
        results.sort { a, b in
            let ga = group(a)
            let gb = group(b)
            if ga != gb { return ga < gb }
            // Within a group both risks are present, or (not assessable) both absent.
            return RankOrder.precedes(a.risk ?? 0, a.coverage, a.id, b.risk ?? 0, b.coverage, b.id)
        }
        var count = 0
        var previous: (risk: Double, rank: Int)?
        for i in results.indices {
            results[i].position = i + 1
            guard results[i].status == .ranked, let risk = results[i].risk else { continue }
            count += 1
            if let p = previous, RiskComparison.ties(p.risk, risk) { results[i].rank = p.rank } else { results[i].rank = count }
            previous = (risk, results[i].rank ?? count)
        }
    }

    /// Fact `slot` of candidate `c` as read, with its evidence trail. Fields are read through the
    /// arrays, never by copying a whole Fact or declaration (this runs for every read of every
    /// candidate).
    static func reading(slot: Int, candidate c: Int, table: FactTable, row: [Double], policy: CompiledPolicy) -> FactReading {
        let k = Int(table.factIndex[c * table.slotCount + slot])
        guard k >= 0 else { return FactReading(name: policy.facts[slot].name, state: .notGiven) }
        let candidates = table.scenario.candidates
        let unknown = candidates[c].facts[k].isUnknown
        let source = candidates[c].facts[k].source
        let at = source.flatMap { table.sourceIndex[$0] }
        var r = FactReading(
            name: policy.facts[slot].name, state: unknown ? .unknown : .known, source: source,
            asOf: candidates[c].facts[k].asOf, confidence: candidates[c].facts[k].confidence,
            note: candidates[c].facts[k].note, location: candidates[c].facts[k].location)
        if let at {
            r.sourceTitle = table.scenario.sources[at].title
            r.sourcePublisher = table.scenario.sources[at].publisher
            r.sourceDate = table.scenario.sources[at].date
            r.sourceURL = table.scenario.sources[at].url
        }
        if !unknown { r.value = display(row[slot], policy.facts[slot].type) }
        r.inheritedFrom = candidates[c].facts[k].inheritedFrom
        return r
    }

    /// A fact value as the analyst wrote it.
    public static func display(_ v: Double, _ type: FactType) -> String {
        if v.isNaN { return "unknown" }
        switch type {
        case let .number(_, _, unit): return Format.number(v) + (unit.map { " \($0)" } ?? "")
        case .bool: return v == 1 ? "true" : "false"
        case let .enumeration(values): return values.indices.contains(Int(v)) ? values[Int(v)] : Format.number(v)
        case .date: return Day(daysSinceEpoch: Int(v)).description
        }
    }

    static func explain(
        _ c: Int, table: FactTable, row: [Double], policy: CompiledPolicy,
        evaluator: Evaluator, outcome: Outcome, recorder rec: Recorder, detail: AssessmentDetail
    ) -> CandidateResult {
        // A summary keeps the facts read only where they explain an assumption, a coverage gap or
        // a gate that did not pass.
        func readings(_ slots: [Int], needed: Bool = false) -> [FactReading] {
            guard needed || detail == .full else { return [] }
            return slots.map { reading(slot: $0, candidate: c, table: table, row: row, policy: policy) }
        }
        var assumptions: [Assumption] = []
        func lacking(_ reads: [FactReading]) -> [Assumption.MissingFact] {
            reads.filter { $0.state != .known }.map { Assumption.MissingFact(name: $0.name, state: $0.state) }
        }
        // Fields are read through the array (`policy.criteria[i].id`), never by copying a whole
        // CriterionInfo: a copy retains each of its strings and arrays, for every candidate.
        var criteria: [CriterionResult] = []
        criteria.reserveCapacity(policy.criteria.count)
        for i in policy.criteria.indices {
            let risk = evaluator.value(policy.criteria[i].valueIndex)
            var r = CriterionResult(
                index: i, id: policy.criteria[i].id, title: policy.criteria[i].title, depth: policy.criteria[i].depth,
                isLeaf: policy.criteria[i].leaf != nil, risk: risk.isNaN ? nil : risk, rawValue: nil,
                weight: policy.criteria[i].weight, normalizedWeight: 0, effectiveWeight: 0, contribution: 0, missingRule: nil,
                firedCase: nil, firedLabel: nil, reads: [])
            if let l = policy.criteria[i].leaf {
                let raw = evaluator.leafRaw(l)
                r.rawValue = raw.isNaN ? nil : raw
                r.reads = readings(rec.leafReads[l], needed: raw.isNaN)
                if raw.isNaN, case let .leaf(_, missing) = policy.criteria[i].kind {
                    r.missingRule = missing
                    assumptions.append(.missingRule(criterion: r.id, facts: lacking(r.reads), rule: missing))
                } else if rec.firedCase[l] >= 0, rec.firedCase[l] < policy.criteria[i].caseLabels.count {
                    r.firedCase = rec.firedCase[l]
                    r.firedLabel = policy.criteria[i].caseLabels[rec.firedCase[l]]
                }
            }
            criteria.append(r)
        }
        // Top-down: effective weights and contributions.
        let total = evaluator.value(policy.leafCount + policy.groups.count - 1)
        attribute(&criteria, total: total, policy: policy, evaluator: evaluator)

        var gates: [GateResult] = []
        for g in policy.gates.indices {
            let v = evaluator.gateValue(g)
            let o: GateResult.Outcome = v.isNaN ? .undecided : (v == 1 ? .excluded : .passed)
            let excluding = policy.gates[g].onMissing == .exclude
            let gr = GateResult(
                id: policy.gates[g].id, reason: policy.gates[g].reason, condition: policy.gates[g].condition, outcome: o,
                excludedWhenUndecided: excluding, reads: readings(rec.gateReads[g], needed: o != .passed))
            if o == .undecided {
                assumptions.append(.undecidedGate(gate: gr.id, facts: lacking(gr.reads), treatedAsExcluding: excluding))
            }
            gates.append(gr)
        }
        var result = CandidateResult(
            candidateIndex: c, id: table.scenario.candidates[c].id, name: table.scenario.candidates[c].name, rank: nil, position: 0,
            risk: total.isNaN ? nil : total,
            band: policy.band(for: total), status: status(outcome, total: total, policy: policy), coverage: outcome.coverage,
            criteria: criteria,
            gates: gates, assumptions: assumptions)
        result.coverageGaps = coverageGaps(criteria, policy: policy)
        return result
    }

    /// Where an outcome places its candidate.
    static func status(_ outcome: Outcome, total: Double, policy: CompiledPolicy) -> CandidateStatus {
        outcome.excluded ? .excluded : total.isNaN ? .notAssessable : policy.isRanked(outcome) ? .ranked : .insufficientEvidence
    }

    /// Shares the total out, top-down: each group splits its contribution among its children
    /// (see the type's description), and sets their normalised and effective weights.
    static func attribute(_ criteria: inout [CriterionResult], total: Double, policy: CompiledPolicy, evaluator: Evaluator) {
        func distribute(_ g: Int, contribution: Double, effective: Double) {
            let p = policy.groups[g]
            let range = Int(p.childStart)..<Int(p.childStart + p.childCount)
            let sw = evaluator.groupWeightSum(g)
            let risks = range.map { evaluator.value(Int(policy.childValues[$0])) }
            let w = range.map { policy.nominalWeights[$0] }
            let shares = groupShares(p.kind, risks: risks, weights: w, groupRisk: evaluator.value(policy.leafCount + g), weightSum: sw)
            for (k, e) in range.enumerated() {
                let ci = policy.edgeCriterion[e]
                let counted = !risks[k].isNaN
                criteria[ci].normalizedWeight = counted && sw > 0 ? w[k] / sw : 0
                criteria[ci].effectiveWeight = effective * criteria[ci].normalizedWeight
                criteria[ci].contribution = contribution.isNaN ? 0 : contribution * shares[k]
                if !criteria[ci].isLeaf {
                    distribute(
                        Int(policy.childValues[e]) - policy.leafCount, contribution: criteria[ci].contribution,
                        effective: criteria[ci].effectiveWeight)
                }
            }
        }
        distribute(policy.groups.count - 1, contribution: total, effective: 1)
        // A skipped leaf's weight goes to the criteria beside it: the part of their contributions
        // that rests on that extra weight is an assumption, like an assumed risk.
        guard criteria.contains(where: { $0.isLeaf && $0.skipped }) else { return }
        for i in criteria.indices {
            guard let leaf = policy.criteria[i].leaf, !criteria[i].skipped, criteria[i].missingRule == nil else { continue }
            let nominal = policy.leafNominalShare[leaf]
            let effective = criteria[i].effectiveWeight
            if effective > nominal * (1 + 1e-12), effective > 0 {
                criteria[i].fromSkippedWeight = criteria[i].contribution * (1 - nominal / effective)
            }
        }
    }

    /// Each child's share of its group's contribution: `mean` by weight × risk, `geometric` by
    /// weight × −ln(1 − risk/100) (children at risk 100 share it all, by weight), `max` all to the
    /// worst child (the first on ties). Skipped children (NaN) get nothing.
    static func groupShares(_ kind: GroupPlan.Kind, risks: [Double], weights w: [Double], groupRisk: Double, weightSum sw: Double)
        -> [Double]
    {
        var shares = [Double](repeating: 0, count: risks.count)
        switch kind {
        case .mean:
            if groupRisk > 0 { for k in risks.indices where !risks[k].isNaN { shares[k] = w[k] / sw * risks[k] / groupRisk } }
        case .geometric:
            let l = risks.map { $0.isNaN ? 0 : -Foundation.log1p(-$0 / 100) }
            if l.contains(where: \.isInfinite) {
                let wi = risks.indices.filter { l[$0].isInfinite }.reduce(0.0) { $0 + w[$1] }
                for k in risks.indices where l[k].isInfinite { shares[k] = w[k] / wi }
            } else {
                let s = risks.indices.reduce(0.0) { $0 + w[$1] * l[$1] }
                if s > 0 { for k in risks.indices { shares[k] = w[k] * l[k] / s } }
            }
        case .max:
            if let k = risks.indices.filter({ !risks[$0].isNaN }).max(by: { (risks[$0], $1) < (risks[$1], $0) }), groupRisk > 0 {
                shares[k] = 1
            }
        }
        return shares
    }

    /// For each fact that is unknown or not given, the nominal share of the total weight of the
    /// leaves that read it and could not be scored from evidence; largest first, then by name.
    static func coverageGaps(_ criteria: [CriterionResult], policy: CompiledPolicy) -> [CoverageGap] {
        var gaps: [String: CoverageGap] = [:]
        for (l, ci) in policy.leafCriterion.enumerated() where criteria[ci].rawValue == nil {
            for read in criteria[ci].reads where read.state != .known {
                gaps[read.name, default: CoverageGap(fact: read.name, state: read.state, share: 0)].share += policy.leafNominalShare[l]
            }
        }
        return gaps.values.sorted { ($0.share, $1.fact) > ($1.share, $0.fact) }
    }
}
