import Foundation

/// One uncertain input of a sensitivity analysis.
public struct UncertainInput: Sendable {
    /// What varies: a weight, a group's weights, a fact, an aggregation, or a case condition.
    public enum Kind: Sendable {
        /// One weight, uniform within ±percent of its declared value.
        case weight(edge: Int, percent: Double)
        /// A group's weights together, Dirichlet around their shares.
        case groupWeights(group: Int, edges: [Int], alphas: [Double])
        /// One fact of one candidate.
        case fact(candidate: Int, slot: Int, domain: FactDomain)
        /// How one group aggregates, chosen uniformly among `methods`.
        case aggregation(group: Int, methods: [Aggregation])
        /// Which condition one case uses (0 = as written), chosen uniformly among `options`.
        case caseCondition(alternative: Int, options: Int)
        /// The risk a leaf assumes for missing data, uniform in the policy's stated range (for
        /// every candidate whose facts leave it to the rule in that run).
        case assumedRisk(leaf: Int, low: Double, high: Double)
    }
    /// How a fact is drawn.
    public enum FactDomain: Sendable {
        /// Uniform between the two ends (numbers).
        case interval(Double, Double)
        /// The stated value with probability `keep`, otherwise one of the other `count − 1` values
        /// uniformly (bools and enums, by their confidence).
        case categorical(stated: Int, count: Int, keep: Double)
        /// Uniformly one of these values (the stated one and the fact's `alternatives:`; every
        /// value of an unknown bool or enum).
        case choices([Double])
        /// Value i (a bool as 0/1, an enum value by position) with probability `p[i]`: a
        /// policy's `prior:` for an unknown fact.
        case weighted([Double])
    }
    /// What kind of uncertainty an input is: a judgement of the policy's authors (weights,
    /// methods, case conditions), the evidence's own uncertainty (a stated fact's interval,
    /// alternatives or confidence), or what nobody knows (an unknown or not-given fact, drawn over
    /// its domain or its prior).
    public enum Family: String, Sendable, CaseIterable {
        case judgement, evidence, unknown
    }
    public var name: String
    public var kind: Kind
    public var family: Family = .judgement
    /// For a fact input, the fact's name (so a reader's summary groups inputs by fact without
    /// reading it back out of `name`).
    public var fact: String? = nil

    var dimension: Int {
        if case let .groupWeights(_, edges, _) = kind { return edges.count }
        return 1
    }
}

/// What to vary and how to sample (the command line over the policy's `sensitivity:`).
public struct SensitivityOptions: Sendable {
    public var samples = 1_000
    public var seed: UInt64 = 1
    public var threads = 1
    public var top = 3
    public var weights: SensitivitySpec.Weights?
    public var factConfidence: [Confidence] = []
    /// Group ids (or "root") with the methods to choose among.
    /// Group ids (or "root") with the methods to choose among, and where the policy declares them
    /// (nil when they come from the command line).
    public var alternatives: [(group: String, methods: [Aggregation], location: SourceLocation?)] = []
    /// Alternative conditions for cases (from the policy's `sensitivity:` section).
    public var caseAlternatives: [CaseAlternative] = []
    public var bootstrap = 200
    /// Sobol indices (Saltelli design, N × (inputs + 2) runs, bootstrap intervals) on request;
    /// by default a plain Monte Carlo run of N draws gives the intervals and probabilities only.
    public var sobol = false
    /// Whether unknown and not-given facts are drawn over their domains (the default) or held
    /// at their missing-data rules, as before (`--unknowns fixed`).
    public var unknowns: UnknownFacts = .draw
    /// How unknown facts enter an analysis.
    public enum UnknownFacts: String, Sendable, CaseIterable {
        /// Each unknown or not-given fact a rule reads is an uncertain input: drawn from the
        /// policy's `prior:` for it, else uniformly over its domain (both booleans, every enum
        /// value, a number's declared range or the goalposts of the scales that read it).
        case draw
        /// Unknown facts stay unknown: their criteria take their missing-data rules in every run.
        case fixed
    }
    /// Most policy variants (combinations of case alternatives) compiled for one run.
    public static let maxVariants = 64
    /// The defaults: 1,000 samples, seed 1, one thread, top 3.
    public init() {}

    /// The uncertainties a policy declares in its `sensitivity:` section (weights, facts by
    /// confidence, contested aggregations and cases); the other options at their defaults.
    public init(declaredBy spec: SensitivitySpec?) {
        weights = spec?.weights
        factConfidence = spec?.factConfidence ?? []
        alternatives = (spec?.alternatives ?? []).map { ($0.group, $0.methods, $0.location) }
        caseAlternatives = spec?.caseAlternatives ?? []
    }

    /// Most samples accepted, and most candidate evaluations in one run.
    public static let maxSamples = 200_000
    public static let maxEvaluations = 400_000_000
    /// The default memory budget of one analysis (see `SensitivityAnalysis.memoryEstimate`):
    /// 2 GiB. A run whose estimate exceeds `memoryBudget` is refused before it starts.
    public static let defaultMemoryBudget = 2 << 30
    /// The memory budget in bytes (`--memory-budget`).
    public var memoryBudget = SensitivityOptions.defaultMemoryBudget

    /// How many runs a design of `samples` over `inputs` takes.
    public func runs(inputs: Int) -> Int { sobol ? samples * (inputs + 2 + familyMatrices) : samples }

    /// With Sobol indices and unknowns drawn, one more matrix per family of inputs (AB_F: A with
    /// every input of family F from B), for the families' own indices: how much of the variance
    /// is ignorance, judgement or the evidence's own uncertainty. `--unknowns fixed` keeps the
    /// design as it was.
    public var familyMatrices: Int { sobol && unknowns == .draw ? UncertainInput.Family.allCases.count : 0 }
}

/// The input that alone explains most of a candidate's variance over plain Monte Carlo runs: a
/// given-data estimate of its first-order index (the correlation ratio: runs sorted by the
/// input's value, cut into bins of equal count, the variance of the bin means over the variance).
/// It has a small upward bias, about (bins − 1) / N, and no interval: a pointer, not a Sobol index.
public struct MainInput: Sendable, Equatable {
    public var input: String
    /// Share (0–1) of the candidate's risk variance explained by the input alone.
    public var share: Double
}

/// First-order and total Sobol indices of one input, with bootstrap 95% intervals.
public struct SobolIndex: Sendable {
    public var input: String
    public var first: Double, firstLow: Double, firstHigh: Double
    public var total: Double, totalLow: Double, totalHigh: Double
}

/// One candidate's distribution over the runs: ranks, risks, bands, top-k and exclusion.
public struct CandidateSensitivity: Sendable {
    public var id: String
    public var name: String
    public var nominalRank: Int?
    public var nominalRisk: Double?
    public var medianRank: Double?
    public var rankLow: Int?, rankHigh: Int?
    public var riskLow: Double, riskHigh: Double
    public var topK: Double
    public var bands: [(name: String, probability: Double)]
    public var excluded: Double
    /// The inputs that matter most for this candidate's risk, by total index.
    public var riskIndices: [SobolIndex]
    /// Without Sobol indices: the input that alone explains most of its risk's variance in the runs.
    public var mainInput: MainInput? = nil
    /// How much P(top k) moved between the first N/2 runs and all N (the convergence check
    /// without Sobol indices).
    public var topKHalfChange: Double = 0
    /// The share of runs in which it ranks first.
    public var firstPlace: Double = 0
    /// The share of runs in which it has its nominal rank (nil when it has none).
    public var keepsNominalRank: Double? = nil
    /// With Sobol indices and unknowns drawn: each family's indices on this candidate's risk.
    public var familyIndices: [SobolIndex] = []
}

/// One candidate's counts over the N runs of A: ranks (small integers, counted), risks (kept for
/// the quantiles), exclusions, bands by index, and top-k placings in the first half.
struct CandidateTally {
    var rankCounts: [Int]
    var risks: [Double] = []
    var excluded = 0
    var bands: [Int]
    var topFirstHalf = 0
    var top = 0

    /// The tallies of a block of candidates, read run by run (a few adjacent cells each), counted
    /// in flat buffers (an array of tallies of arrays costs a uniqueness check per cell).
    static func count(_ block: Range<Int>, results: RunStore, samples n: Int, top: Int, policy: CompiledPolicy) -> [CandidateTally] {
        let cands = results.candidates
        let width = block.count
        let bandCount = policy.bands.count
        var rankCounts = [Int](repeating: 0, count: width * (cands + 1))
        var bands = [Int](repeating: 0, count: width * Swift.max(1, bandCount))
        var risks = [Double](repeating: 0, count: width * n)
        var riskCount = [Int](repeating: 0, count: width)
        var excluded = [Int](repeating: 0, count: width)
        var tops = [Int](repeating: 0, count: width)
        var topsFirstHalf = [Int](repeating: 0, count: width)
        let half = n / 2
        for run in 0..<n {
            for k in 0..<width {
                let c = block.lowerBound + k
                let rank = Swift.min(Swift.max(results.rank(run, c), 0), cands)
                rankCounts[k * (cands + 1) + rank] += 1
                if rank >= 1 && rank <= top {
                    tops[k] += 1
                    if run < half { topsFirstHalf[k] += 1 }
                }
                if results.excluded(run, c) { excluded[k] += 1 }
                let risk = results.risk(run, c)
                if !risk.isNaN {
                    risks[k * n + riskCount[k]] = risk
                    riskCount[k] += 1
                    if let b = policy.bandIndex(key: RiskComparison.key(risk)) { bands[k * bandCount + b] += 1 }
                }
            }
        }
        return (0..<width).map { k in
            var t = CandidateTally(
                rankCounts: Array(rankCounts[(k * (cands + 1))..<((k + 1) * (cands + 1))]),
                risks: Array(risks[(k * n)..<(k * n + riskCount[k])]), excluded: excluded[k],
                bands: Array(bands[(k * bandCount)..<((k + 1) * bandCount)]))
            t.top = tops[k]
            t.topFirstHalf = topsFirstHalf[k]
            return t
        }
    }

    func topKHalfChange(samples n: Int) -> Double {
        let half = n / 2
        guard half > 0 else { return 0 }
        return Swift.abs(Double(topFirstHalf) / Double(half) - Double(top) / Double(n))
    }
}

/// The whole analysis: inputs, per-candidate results and the indices for the ranking.
public struct SensitivityResult: Sendable {
    public var policy: String
    public var scenario: String
    public var samples: Int
    public var seed: UInt64
    public var top: Int
    public var inputs: [UncertainInput]
    public var candidates: [CandidateSensitivity]
    /// Indices of each input on the mean absolute rank shift, largest total first.
    public var rankShiftIndices: [SobolIndex]
    public var rankShiftVariance: Double
    /// Largest change of a total index between the first half of the samples and all of them.
    public var convergence: Double
    public var evaluations: Int
    /// Draws that broke a constraint of the policy for some candidate: that candidate kept its
    /// stated facts in that run (counted per candidate and run).
    public var constraintRestores: Int = 0
    /// Whether Sobol indices were computed (the Saltelli design) or not (plain Monte Carlo).
    public var sobol: Bool = true
    /// Runs made: N × (inputs + 2) with Sobol indices, N without.
    public var runs: Int = 0
    /// Changes made on the command line for this run (`--set`, `--weight`, `--policy-set`).
    public var overrides: [AppliedOverride] = []
    /// How unknown facts entered the run.
    public var unknowns: SensitivityOptions.UnknownFacts = .draw
    /// Unknown facts a rule reads that could not be drawn (a date, or a number with neither a
    /// declared range nor a scale's goalposts): they keep their missing-data rules in every run.
    public var heldUnknowns: [String] = []
    /// With Sobol indices and unknowns drawn: the indices of each family of inputs taken together
    /// on the mean absolute rank shift (unknowns, judgements, evidence), in that order.
    public var familyIndices: [SobolIndex] = []
}

/// Monte Carlo uncertainty and Sobol sensitivity analysis of a ranking.
public enum SensitivityAnalysis {
    /// How far a number without an `interval` may move, by confidence: this share of its declared
    /// range's width on either side (of its own size, or 1, when the range is open), clamped to
    /// the range.
    public static func numberSpread(_ c: Confidence) -> Double {
        switch c {
        case .low: 0.2
        case .medium: 0.1
        case .high: 0.05
        }
    }

    /// How likely a bool or enum fact without `alternatives` keeps its stated value, by confidence;
    /// otherwise another value is drawn uniformly.
    public static func keepProbability(_ c: Confidence) -> Double {
        switch c {
        case .low: 0.75
        case .medium: 0.9
        case .high: 0.97
        }
    }

    /// A fact's sampling domain: its `interval` or `alternatives` when stated, else the defaults
    /// of its confidence (an unstated confidence counts as high).
    static func factDomain(
        _ decl: FactDeclaration, _ f: Fact, value v: Double, candidate: String,
        _ diags: inout [Diagnostic]
    ) -> UncertainInput.FactDomain? {
        let confidence = f.confidence ?? .high
        if let alts = f.alternatives {
            var values = [v]
            for a in alts {
                if let x = ScenarioChecker.value(a, decl, candidate: candidate, &diags), !values.contains(x) { values.append(x) }
            }
            return values.count > 1 ? .choices(values) : nil
        }
        switch decl.type {
        case let .number(lo, hi, _):
            if let iv = f.interval { return .interval(iv.low, iv.high) }
            let width = lo.flatMap { l in hi.map { $0 - l } } ?? Swift.max(Swift.abs(v), 1)
            let d = numberSpread(confidence) * width
            return .interval(Swift.max(v - d, lo ?? -.infinity), Swift.min(v + d, hi ?? .infinity))
        case .bool: return .categorical(stated: Int(v), count: 2, keep: keepProbability(confidence))
        case let .enumeration(values):
            return values.count > 1 ? .categorical(stated: Int(v), count: values.count, keep: keepProbability(confidence)) : nil
        case .date: return nil
        }
    }

    /// The uncertain inputs these options declare, checked against the policy and scenario.
    public static func inputs(_ policy: CompiledPolicy, _ table: FactTable, _ o: SensitivityOptions, assumed: [[Int]] = []) -> Result<
        [UncertainInput], DiagnosticsError
    > {
        var out: [UncertainInput] = []
        var diags: [Diagnostic] = []
        func edgeName(_ e: Int) -> String { "weight \(policy.criteria[policy.edgeCriterion[e]].id)" }
        switch o.weights {
        case let .perturbation(p)?:
            for e in policy.nominalWeights.indices where policy.edges(ofGroup: groupOf(edge: e, policy)).count > 1 {
                out.append(UncertainInput(name: edgeName(e), kind: .weight(edge: e, percent: p)))
            }
        case let .dirichlet(c)?:
            for g in 0..<policy.groupCount {
                let edges = Array(policy.edges(ofGroup: g))
                guard edges.count > 1 else { continue }
                let total = edges.reduce(0.0) { $0 + policy.nominalWeights[$1] }
                let name =
                    g == policy.groupCount - 1
                    ? "root" : policy.criteria.first { !$0.isLeaf && $0.valueIndex - policy.leafCount == g }?.id ?? "group \(g)"
                out.append(
                    UncertainInput(
                        name: "weights in \(name)",
                        kind: .groupWeights(group: g, edges: edges, alphas: edges.map { c * policy.nominalWeights[$0] / total })))
            }
        case nil: break
        }
        // Facts with a stated interval or alternatives, or with a confidence the options name.
        for (c, cand) in table.scenario.candidates.enumerated() {
            for (s, decl) in policy.facts.enumerated() {
                guard let f = table.fact(c, s), !f.isUnknown else { continue }
                let uncertain = f.interval != nil || f.alternatives != nil || (f.confidence.map { o.factConfidence.contains($0) } ?? false)
                guard uncertain else { continue }
                let v = table.values[c * table.slotCount + s]
                if let domain = factDomain(decl, f, value: v, candidate: cand.id, &diags) {
                    out.append(
                        UncertainInput(
                            name: "\(decl.name) of \(cand.id)", kind: .fact(candidate: c, slot: s, domain: domain), family: .evidence,
                            fact: decl.name))
                }
            }
        }
        for alt in o.alternatives {
            guard let g = policy.groupIndex(of: alt.group) else {
                diags.append(
                    .unknownCriterion(
                        "no group '\(alt.group)' to vary the aggregation of", at: alt.location,
                        hint: Suggest.hint(for: alt.group, in: policy.groupIDs) ?? "groups: \(policy.groupIDs.joined(separator: ", "))"))
                continue
            }
            out.append(
                UncertainInput(
                    name: "aggregation of \(alt.group) (\(alt.methods.map(\.rawValue).joined(separator: "|")))",
                    kind: .aggregation(group: g, methods: alt.methods)))
        }
        for (k, alt) in o.caseAlternatives.enumerated() {
            out.append(
                UncertainInput(
                    name: "case \(alt.caseNumber) of \(alt.criterion) (\(alt.conditions.count + 1) conditions)",
                    kind: .caseCondition(alternative: k, options: alt.conditions.count + 1)))
        }
        // Unknown facts last, so every other input keeps its place (and its draws) whether or
        // not they are drawn.
        if o.unknowns == .draw {
            out += unknownInputs(policy, table, assumed: assumed).inputs
            out += rangedAssumptions(policy, table)
        }
        if !diags.isEmpty { return .failure(DiagnosticsError(diags)) }
        return .success(out)
    }

    /// The facts each candidate's assumptions rest on, but for assumptions with a stated range,
    /// which are drawn in it instead (`Assessment.assumedFactSlots`).
    public static func assumedFacts(_ a: Assessment) -> [[Int]] { a.assumedFactSlots(besidesRangedAssumptions: true) }

    /// One input per leaf whose assumed risk has a stated range and that some candidate's facts
    /// leave to its rule (in the table as it stands).
    static func rangedAssumptions(_ policy: CompiledPolicy, _ table: FactTable) -> [UncertainInput] {
        policy.criteria.compactMap { c -> UncertainInput? in
            guard let leaf = c.leaf, let range = c.missingRange else { return nil }
            let uses = table.scenario.candidates.indices.contains { k in
                c.slots.contains { table.values[k * table.slotCount + $0].isNaN }
            }
            guard uses else { return nil }
            return UncertainInput(
                name: "assumed risk of \(c.id) in [\(Format.number(range.lowerBound)), \(Format.number(range.upperBound))]",
                kind: .assumedRisk(leaf: leaf, low: range.lowerBound, high: range.upperBound), family: .unknown)
        }
    }

    /// Each fact an assumption of a candidate rests on (`assumed`, by candidate index), as an
    /// input drawn over its domain (`unknownDomain`); and those that cannot be drawn, by name.
    public static func unknownInputs(_ policy: CompiledPolicy, _ table: FactTable, assumed: [[Int]]) -> (
        inputs: [UncertainInput], held: [String]
    ) {
        var inputs: [UncertainInput] = []
        var held: [String] = []
        for (c, cand) in table.scenario.candidates.enumerated() where c < assumed.count {
            for s in assumed[c] {
                guard table.values[c * table.slotCount + s].isNaN else { continue }
                let decl = policy.facts[s]
                let how = table.fact(c, s) == nil ? "not given" : "unknown"
                let name = "\(decl.name) of \(cand.id) (\(how))"
                if let domain = unknownDomain(decl, policy.factUses[s]) {
                    inputs.append(
                        UncertainInput(name: name, kind: .fact(candidate: c, slot: s, domain: domain), family: .unknown, fact: decl.name))
                } else {
                    held.append(name)
                }
            }
        }
        return (inputs, held)
    }

    /// Where an unknown fact is drawn (`UnknownDomain`): a prior's probabilities, values alike,
    /// or uniformly in an interval.
    public static func unknownDomain(_ decl: FactDeclaration, _ use: FactUse) -> UncertainInput.FactDomain? {
        switch UnknownDomain(decl, use) {
        case let .values(_, p?)?: .weighted(p)
        case let .values(v, nil)?: .choices(v)
        case let .interval(lo, hi, _)?: .interval(lo, hi)
        case nil: nil
        }
    }

    /// Every combination of case alternatives, compiled: variant v takes, for alternative k,
    /// digit (v / Π_{j<k} m_j) mod m_k of its options (0 = the condition as written).
    static func variants(_ base: CompiledPolicy, _ alts: [CaseAlternative]) -> Result<[CompiledPolicy], DiagnosticsError> {
        if alts.isEmpty { return .success([base]) }
        let radix = alts.map { $0.conditions.count + 1 }
        let total = radix.reduce(1, *)
        if total > SensitivityOptions.maxVariants {
            return .failure(
                DiagnosticsError([
                    .invalidValue(
                        "the case alternatives combine into \(total) policy variants, more than \(SensitivityOptions.maxVariants)",
                        at: alts[0].location, hint: "list fewer alternative conditions")
                ]))
        }
        // Check that each alternative names a case that exists.
        func find(_ cs: [Criterion], _ id: String) -> Criterion? {
            for c in cs {
                if c.id == id { return c }
                if case let .group(_, kids) = c.body, let f = find(kids, id) { return f }
            }
            return nil
        }
        for alt in alts {
            guard let c = find(base.policy.criteria, alt.criterion), case let .leaf(.cases(cases, _), _) = c.body else {
                return .failure(
                    DiagnosticsError([
                        .unknownCriterion(
                            "no 'cases' criterion '\(alt.criterion)' for these alternative conditions",
                            at: alt.location, hint: Suggest.hint(for: alt.criterion, in: base.criteria.map(\.id)))
                    ]))
            }
            if alt.caseNumber > cases.count {
                return .failure(
                    DiagnosticsError([
                        .invalidValue("'\(alt.criterion)' has \(cases.count) case(s), not \(alt.caseNumber)", at: alt.location)
                    ]))
            }
        }
        func replace(_ cs: [Criterion], _ alt: CaseAlternative, _ when: ExpressionSource) -> [Criterion] {
            cs.map { c in
                var c = c
                switch c.body {
                case let .group(agg, kids): c.body = .group(agg, replace(kids, alt, when))
                case let .leaf(.cases(cases, otherwise), missing) where c.id == alt.criterion:
                    var cases = cases
                    cases[alt.caseNumber - 1].when = when
                    c.body = .leaf(.cases(cases, otherwise: otherwise), missing)
                default: break
                }
                return c
            }
        }
        var out: [CompiledPolicy] = []
        var diags: [Diagnostic] = []
        for v in 0..<total {
            var policy = base.policy
            var rest = v
            for (k, alt) in alts.enumerated() {
                let digit = rest % radix[k]
                rest /= radix[k]
                if digit > 0 { policy.criteria = replace(policy.criteria, alt, alt.conditions[digit - 1]) }
            }
            switch PolicyCompiler.compile(policy) {
            case let .success(p): out.append(p)
            case let .failure(e): diags += e.diagnostics.filter { $0.severity == .error }
            }
        }
        if !diags.isEmpty {
            var seen = Set<Diagnostic>()
            return .failure(DiagnosticsError(diags.filter { seen.insert($0).inserted }))
        }
        return .success(out)
    }

    static func groupOf(edge e: Int, _ p: CompiledPolicy) -> Int {
        (0..<p.groupCount).first { p.edges(ofGroup: $0).contains(e) } ?? p.groupCount - 1
    }

    /// Runs the analysis. `progress` is called now and then with the share done (from one thread).
    /// Its steps: the uncertain inputs, the budget check, the policy variants, the sampling design,
    /// the parallel runs, then the Sobol indices and per-candidate summaries.
    public static func run(
        _ a: Assessment, table: FactTable, options o: SensitivityOptions,
        progress: (@Sendable (Double) -> Void)? = nil
    ) -> Result<SensitivityResult, DiagnosticsError> {
        plan(a, table: table, options: o).map { p in
            let results = p.runner.run(threads: o.threads, progress: progress)
            progress?(1)
            return summarize(a, table: table, design: p.design, results: results, options: o)
        }
    }

    /// The located error when the sample count is out of bounds, nothing is uncertain, or the run
    /// would exceed the evaluation budget; nil when the run may start.
    /// The memory an analysis will take, by part, in bytes (Double, so no count from a file can
    /// overflow it): the sample matrices (A, and B with Sobol: samples × the inputs' draw width
    /// × 8 bytes each), the stored runs (13 bytes per candidate and run, 4 per run), the tallies
    /// (each candidate's risk in each of the N runs, 8 bytes), and with Sobol the bootstrap
    /// resamples (8 bytes per sample and resample), the terms of the series summed at once (one
    /// per thread: samples × (inputs + 2, rounded up to 8) × 8 bytes) and the series themselves
    /// (8 bytes per run); without Sobol, each input's samples in order (8 bytes per sample and
    /// input, for the main inputs); and 64 MiB for the process itself (the policy, the scenario, the code).
    /// Documented in docs/analysis.md.
    public static func memoryEstimate(inputs: [UncertainInput], options o: SensitivityOptions, candidates: Int) -> (
        total: Double, parts: [(what: String, bytes: Double)]
    ) {
        let n = Double(o.samples)
        let k = Double(inputs.count + o.familyMatrices)
        let width = Double(inputs.reduce(0) { $0 + $1.dimension })
        let runs = o.sobol ? n * (k + 2) : n
        let c = Double(candidates)
        var parts: [(String, Double)] = [
            ("sample matrices", (o.sobol ? 2 : 1) * n * width * 8),
            ("stored runs", runs * c * 13 + runs * 4),
            ("tallies", n * c * 8),
            ("the process itself", 64 * 1_048_576),
        ]
        if o.sobol {
            let threads = Double(Swift.max(1, o.threads))
            parts.append(("bootstrap resamples", Double(o.bootstrap) * n * 8))
            parts.append(("Sobol terms", threads * n * ((k + 2 + 7) / 8).rounded(.down) * 8 * 8 + runs * 8))
        } else {
            // Each input's samples in order of its value, for the main input of each candidate.
            parts.append(("input orderings", k * n * 8 + k * 50 * 16))
        }
        return (parts.reduce(0) { $0 + $1.1 }, parts)
    }

    static func budgetProblem(_ policy: CompiledPolicy, inputs: [UncertainInput], options o: SensitivityOptions, candidates: Int)
        -> Diagnostic?
    {
        let n = o.samples
        if n < 2 || n > SensitivityOptions.maxSamples {
            return .invalidValue(
                "the sample count must be from 2 to \(SensitivityOptions.maxSamples); got \(n)", at: nil,
                hint: "10,000 samples are plenty for most policies")
        }
        if inputs.isEmpty {
            return .missingKey(
                "no uncertain inputs: nothing to vary", at: policy.policy.location,
                hint: "declare 'sensitivity:' in the policy, or pass --weights 20, --facts low or --aggregate GROUP=mean,max")
        }
        let runs = o.runs(inputs: inputs.count)
        let estimate = memoryEstimate(inputs: inputs, options: o, candidates: candidates)
        if estimate.total > Double(o.memoryBudget) {
            let parts = estimate.parts.filter { $0.bytes >= 1_048_576 }.map { "\($0.what) \(Format.bytes($0.bytes))" }
            return .invalidValue(
                "\(n) samples over \(inputs.count) inputs and \(candidates) candidates would need about \(Format.bytes(estimate.total)) of memory (\(parts.joined(separator: ", "))), more than the budget of \(Format.bytes(Double(o.memoryBudget)))",
                at: nil,
                hint: o.sobol
                    ? "use fewer samples (memory grows with samples × (inputs + 2) × candidates), fewer uncertain inputs, or leave out --sobol; or raise the budget with --memory-budget"
                    : "use fewer samples (memory grows with samples × (inputs + candidates)) or fewer uncertain inputs; or raise the budget with --memory-budget"
            )
        }
        if runs * candidates > SensitivityOptions.maxEvaluations {
            return .invalidValue(
                "\(n) samples over \(inputs.count) inputs and \(candidates) candidates would need \(runs * candidates) evaluations, more than the limit of \(SensitivityOptions.maxEvaluations)",
                at: nil, hint: "use fewer samples or fewer uncertain inputs")
        }
        return nil
    }

    /// Sobol indices of the ranking and per-candidate statistics, from the runs.
    static func summarize(
        _ a: Assessment, table: FactTable, design: SamplingDesign, results: RunStore, options o: SensitivityOptions
    ) -> SensitivityResult {
        let policy = a.policy
        let n = design.samples
        let cands = table.candidateCount
        let runs = design.runs
        // Nominal ranks, from the assessment.
        let byID = Dictionary(a.results.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let nominalRank: [Int] = table.scenario.candidates.map { c in byID[c.id]?.rank ?? 0 }
        let yShift = rankShifts(results, nominalRank: nominalRank, runs: runs, threads: o.threads)
        // Each candidate's summary on its own, spread over the threads (each writes its own slot).
        // Candidates go in blocks of 8, so that each run's results are read a cache line at a time.
        let summaries = Slots<CandidateSensitivity>(count: cands)
        concurrentStride((cands + 7) / 8, threads: o.threads) { b in
            let block = (b * 8)..<Swift.min(cands, b * 8 + 8)
            let tallies = CandidateTally.count(block, results: results, samples: n, top: o.top, policy: policy)
            for (k, c) in block.enumerated() {
                summaries.items[c] = candidateSummary(
                    a, c: c, nominal: byID[table.scenario.candidates[c].id], tally: tallies[k], design: design, options: o)
            }
        }
        var candidates = summaries.items.compactMap { $0 }
        let rankIdx: [SobolIndex]
        let rankVar: Double
        let conv: Double
        var familyIdx: [SobolIndex] = []
        // The columns of the Sobol series: every input, then (unknowns drawn) each family.
        let columns =
            design.inputs
            + design.families.map { f in UncertainInput(name: familyName(f), kind: .caseCondition(alternative: -1, options: 1), family: f) }
        if design.sobol {
            let found = sobolIndices(design: design, results: results, yShift: yShift, columns: columns, options: o)
            for c in 0..<cands {
                candidates[c].riskIndices = found.candidates[c].risk
                candidates[c].familyIndices = found.candidates[c].families
            }
            (rankIdx, rankVar, conv, familyIdx) = (found.ranking, found.variance, found.convergence, found.families)
        } else {
            rankIdx = []
            // The input each candidate's risk depends on most, from the same runs (no more runs).
            let main = mainInputs(design: design, results: results, candidates: cands, threads: o.threads)
            for c in 0..<cands { candidates[c].mainInput = main[c] }
            let mean = yShift.reduce(0, +) / Double(n)
            rankVar = yShift.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
            conv = summaries.items.reduce(0.0) { Swift.max($0, $1?.topKHalfChange ?? 0) }
        }
        // In the order of the nominal ranking, as `hubs score` lists them.
        candidates.sort { (byID[$0.id]?.position ?? 0) < (byID[$1.id]?.position ?? 0) }
        return SensitivityResult(
            policy: policy.id, scenario: table.scenario.id, samples: n, seed: o.seed, top: o.top,
            inputs: design.inputs, candidates: candidates,
            rankShiftIndices: rankIdx.sorted { ($0.total, $1.input) > ($1.total, $0.input) },
            rankShiftVariance: rankVar, convergence: conv, evaluations: runs * cands,
            constraintRestores: results.totalRestores, sobol: design.sobol, runs: runs, overrides: a.overrides,
            unknowns: o.unknowns, heldUnknowns: o.unknowns == .draw ? unknownInputs(policy, table, assumed: assumedFacts(a)).held : [],
            familyIndices: familyIdx)
    }

    /// The Sobol indices of every series (each candidate's risk, then the ranking's rank shift)
    /// over `columns` (the inputs, then the families): per candidate its five largest inputs and
    /// its families; for the ranking every input, its families, its variance and the convergence.
    static func sobolIndices(
        design: SamplingDesign, results: RunStore, yShift: [Double], columns: [UncertainInput], options o: SensitivityOptions
    ) -> (
        candidates: [(risk: [SobolIndex], families: [SobolIndex])], ranking: [SobolIndex], families: [SobolIndex], variance: Double,
        convergence: Double
    ) {
        let n = design.samples
        let cands = results.candidates
        let runs = design.runs
        // The ranking's indices and each candidate's. The sums over the samples (most of the
        // work) in two tasks per series, side by side: the full sample, its half and the
        // first half of the resamples, then the other half (one task per series left a core
        // idle for the last series of an odd count).
        let series = Slots<([SobolIndex], Double, Double)>(count: cands + 1)
        // One set of bootstrap resamples, drawn once and shared by every series.
        let resamples = bootstrapResamples(n: n, count: o.bootstrap, seed: o.seed, threads: o.threads)
        let split = resamples.count / 2
        let parts = Slots<[(variance: Double, sums: [Double])]>(count: 2 * (cands + 1))
        concurrentStride(2 * (cands + 1), threads: o.threads) { t in
            let k = t / 2
            let y = k == cands ? yShift : results.riskSeries(k, runs: runs)
            let samples =
                t % 2 == 0 ? [Array(0..<n), Array(0..<(n / 2))] + resamples[..<split] : Array(resamples[split...])
            parts.items[t] = SobolTerms(y, n: n, k: columns.count).sums(samples)
        }
        concurrentStride(cands + 1, threads: o.threads) { k in
            series.items[k] = sobol(
                sums: (parts.items[2 * k] ?? []) + (parts.items[2 * k + 1] ?? []), n: n, inputs: columns, resamples: resamples,
                realInputs: design.inputs.count)
        }
        let real = design.inputs.count
        let perCandidate = (0..<cands).map { c -> (risk: [SobolIndex], families: [SobolIndex]) in
            let idx = series.items[c]?.0 ?? []
            return (Array(idx.prefix(real).sorted { ($0.total, $1.input) > ($1.total, $0.input) }.prefix(5)), Array(idx.dropFirst(real)))
        }
        let ranking = series.items[cands] ?? ([], 0, 0)
        return (perCandidate, Array(ranking.0.prefix(real)), Array(ranking.0.dropFirst(real)), ranking.1, ranking.2)
    }

    /// One candidate's rank and risk intervals, band and top-k probabilities, and the inputs that
    /// matter most for its risk.
    static func candidateSummary(
        _ a: Assessment, c: Int, nominal r: CandidateResult?, tally: CandidateTally, design: SamplingDesign,
        options o: SensitivityOptions
    ) -> CandidateSensitivity {
        let n = design.samples
        let cand = a.table.scenario.candidates[c]
        let cands = a.table.candidateCount
        let rankCounts = tally.rankCounts
        var risks = tally.risks
        let ranked = n - rankCounts[0]
        /// The rank at position `i` of the ranked runs sorted by rank.
        func rankAt(_ i: Int) -> Int {
            var seen = 0
            for r in 1...Swift.max(1, cands) {
                seen += rankCounts[r]
                if seen > i { return r }
            }
            return cands
        }
        let excluded = Double(tally.excluded) / Double(n)
        let topK = Double((1...Swift.max(1, Swift.min(o.top, cands))).reduce(0) { $0 + rankCounts[$1] }) / Double(n)
        let bands: [(String, Double)] = a.policy.bands.enumerated().map { ($1.name, Double(tally.bands[$0]) / Double(n)) }
        let medianRank: Double? =
            ranked == 0 ? nil : (ranked % 2 == 1 ? Double(rankAt(ranked / 2)) : Double(rankAt(ranked / 2 - 1) + rankAt(ranked / 2)) / 2)
        let idx: [SobolIndex] = []  // filled in by `summarize` with --sobol
        return CandidateSensitivity(
            id: cand.id, name: cand.name, nominalRank: r?.rank, nominalRisk: r?.risk,
            medianRank: medianRank,
            rankLow: ranked == 0 ? nil : rankAt(quantileIndex(0.05, ranked)),
            rankHigh: ranked == 0 ? nil : rankAt(quantileIndex(0.95, ranked)),
            riskLow: risks.isEmpty ? .nan : select(&risks, quantileIndex(0.05, risks.count)),
            riskHigh: risks.isEmpty ? .nan : select(&risks, quantileIndex(0.95, risks.count)),
            topK: topK, bands: bands, excluded: excluded,
            riskIndices: Array(idx.sorted { ($0.total, $1.input) > ($1.total, $0.input) }.prefix(5)),
            topKHalfChange: tally.topKHalfChange(samples: n),
            firstPlace: Double(rankCounts.count > 1 ? rankCounts[1] : 0) / Double(n),
            keepsNominalRank: r?.rank.map { Double($0 < rankCounts.count ? rankCounts[$0] : 0) / Double(n) })
    }

    /// Each candidate's main input over the plain Monte Carlo runs (see `MainInput`).
    static func mainInputs(design: SamplingDesign, results: RunStore, candidates: Int, threads: Int) -> [MainInput?] {
        let n = design.samples
        let main = Slots<MainInput>(count: candidates)
        let bins = inputBins(design)
        concurrentStride(candidates, threads: threads) { c in
            main.items[c] = mainInput(results.riskSeries(c, runs: n), bins: bins, inputs: design.inputs)
        }
        return (0..<candidates).map { main.take($0) }
    }

    /// For each input, the samples of matrix A sorted by its value and cut into bins of equal
    /// count (about √N, at most 50), never splitting samples with the same value (a categorical
    /// input gets one bin per value): computed once, shared by every candidate.
    static func inputBins(_ design: SamplingDesign) -> [(order: [Int], bins: [Range<Int>])] {
        let n = design.samples
        let size = Swift.max(1, n / Swift.min(50, Swift.max(2, Int(Double(n).squareRoot()))))
        return design.inputs.indices.map { i in
            let x = (0..<n).map { design.value(i, sample: $0, from: -1) }
            let order = x.indices.sorted { (x[$0], $0) < (x[$1], $1) }
            var bins: [Range<Int>] = []
            var start = 0
            while start < n {
                var end = Swift.min(n, start + size)
                while end < n, x[order[end]] == x[order[end - 1]] { end += 1 }
                bins.append(start..<end)
                start = end
            }
            return (order, bins)
        }
    }

    /// The input whose value alone explains most of the variance of `y` (one value per sample of
    /// matrix A), by the correlation ratio over `inputBins`; nil when `y` does not vary.
    static func mainInput(_ y: [Double], bins: [(order: [Int], bins: [Range<Int>])], inputs: [UncertainInput]) -> MainInput? {
        let n = y.count
        guard n >= 4 else { return nil }
        let mean = y.reduce(0, +) / Double(n)
        let total = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        guard total > 1e-12 * Double(n) else { return nil }
        var best: MainInput?
        for (i, input) in bins.enumerated() {
            var between = 0.0
            for bin in input.bins {
                var sum = 0.0
                for k in bin { sum += y[input.order[k]] }
                let m = sum / Double(bin.count)
                between += Double(bin.count) * (m - mean) * (m - mean)
            }
            let share = between / total
            if best.map({ share > $0.share }) ?? true { best = MainInput(input: inputs[i].name, share: share) }
        }
        return best
    }

    /// Each run's mean absolute rank shift from the nominal ranks (an unranked candidate counts as
    /// ranked one past the last), side by side in blocks of runs, each block writing its own slot.
    static func rankShifts(_ results: RunStore, nominalRank: [Int], runs: Int, threads: Int) -> [Double] {
        let cands = nominalRank.count
        let block = 4_096
        let shifts = Slots<[Double]>(count: (runs + block - 1) / block)
        concurrentStride(shifts.items.count, threads: threads) { b in
            shifts.items[b] = ((b * block)..<Swift.min(runs, (b + 1) * block)).map { run in
                var s = 0.0
                for c in 0..<cands {
                    let x = results.rank(run, c)
                    let y = nominalRank[c]
                    s += Double(Swift.abs((x == 0 ? cands + 1 : x) - (y == 0 ? cands + 1 : y)))
                }
                return s / Double(cands)
            }
        }
        return (0..<shifts.items.count).flatMap { shifts.take($0) ?? [] }
    }

    /// `count` bootstrap resamples of the samples 0..<n (with replacement), from their own
    /// generator: the same for every series of one analysis, so they are drawn once.
    /// Resample r takes draws r·n ..< (r+1)·n of the one stream; the resamples are drawn side by
    /// side, each from the stream skipped to its start (the same numbers as one after another).
    static func bootstrapResamples(n: Int, count: Int, seed: UInt64, threads: Int = 1) -> [[Int]] {
        let stream = SplitMix64(seed: mix(seed, 7, 7, 7))
        let slots = Slots<[Int]>(count: count)
        concurrentStride(count, threads: threads) { r in
            var rng = stream.skipping(r * n)
            // A draw in 0..<n by multiply-high (Lemire), not `%`, which cost a division per draw.
            slots.items[r] = [Int](unsafeUninitializedCapacity: n) { out, initialized in
                for j in 0..<n { out[j] = Int(rng.next().multipliedFullWidth(by: UInt64(n)).high) }
                initialized = n
            }
        }
        return (0..<count).map { slots.take($0) ?? [] }
    }

    /// First-order (Saltelli 2010) and total (Jansen 1999) indices with bootstrap 95% intervals,
    /// the output variance, and the largest change of a total index between N/2 and N samples,
    /// from the sums of the Sobol terms over the full sample, its first half and every resample,
    /// in that order (`SobolTerms.sums`).
    /// A family of inputs, named as the output names it.
    public static func familyName(_ f: UncertainInput.Family) -> String {
        switch f {
        case .unknown: "all unknown facts (ignorance)"
        case .judgement: "all judgements (weights, methods, cases)"
        case .evidence: "all stated facts' uncertainty (evidence)"
        }
    }

    static func sobol(
        sums: [(variance: Double, sums: [Double])], n: Int, inputs: [UncertainInput], resamples: [[Int]], realInputs: Int? = nil
    ) -> ([SobolIndex], Double, Double) {
        let k = inputs.count
        func estimate(_ e: (variance: Double, sums: [Double]), count: Int) -> (v: Double, s: [Double], st: [Double]) {
            var s = [Double](repeating: .nan, count: k)
            var st = s
            let v = e.variance
            guard v > 1e-15 else { return (v, s, st) }
            for i in 0..<k {
                s[i] = e.sums[i] / Double(count) / v
                st[i] = e.sums[k + i] / Double(count) / (2 * v)
            }
            return (v, s, st)
        }
        let full = estimate(sums[0], count: n)
        let half = estimate(sums[1], count: n / 2)
        var bs: [[Double]] = Array(repeating: [], count: inputs.count)
        var bst = bs
        for (r, sample) in resamples.enumerated() {
            let e = estimate(sums[2 + r], count: sample.count)
            for i in inputs.indices {
                bs[i].append(e.s[i])
                bst[i].append(e.st[i])
            }
        }
        func ci(_ v: [Double]) -> (Double, Double) {
            let s = v.filter { !$0.isNaN }.sorted()
            guard !s.isEmpty else { return (.nan, .nan) }
            return (s[quantileIndex(0.025, s.count)], s[quantileIndex(0.975, s.count)])
        }
        var conv = 0.0
        for i in 0..<(realInputs ?? k) where !full.st[i].isNaN && !half.st[i].isNaN {
            conv = Swift.max(conv, Swift.abs(full.st[i] - half.st[i]))
        }
        let idx = inputs.indices.map { i in
            let (fl, fh) = ci(bs[i])
            let (tl, th) = ci(bst[i])
            return SobolIndex(
                input: inputs[i].name, first: full.s[i], firstLow: fl, firstHigh: fh, total: full.st[i], totalLow: tl, totalHigh: th)
        }
        return (idx, full.v, conv)
    }

    /// The element that would stand at index `k` if `v` were sorted (Hoare's selection; `v` is
    /// reordered). Linear on average, where sorting would be n log n.
    static func select(_ v: inout [Double], _ k: Int) -> Double {
        var lo = 0
        var hi = v.count - 1
        while lo < hi {
            let pivot = v[lo + (hi - lo) / 2]
            var i = lo
            var j = hi
            while i <= j {
                while v[i] < pivot { i += 1 }
                while v[j] > pivot { j -= 1 }
                if i <= j {
                    v.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                hi = j
            } else if k >= i {
                lo = i
            } else {
                return v[k]
            }
        }
        return v[k]
    }

    static func quantileIndex(_ p: Double, _ count: Int) -> Int {
        Swift.min(count - 1, Swift.max(0, Int((p * Double(count)).rounded(.up)) - 1))
    }
    static func median(_ s: [Double]) -> Double {
        s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func mix(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> UInt64 {
        var r = SplitMix64(seed: a ^ 0x5851_F42D_4C95_7F2D)
        var x = r.next() ^ b &* 0x9E37_79B9_7F4A_7C15
        r = SplitMix64(seed: x)
        x = r.next() ^ c &* 0xC2B2_AE3D_27D4_EB4F
        r = SplitMix64(seed: x)
        x = r.next() ^ d &* 0x1656_67B1_9E37_79F9
        r = SplitMix64(seed: x)
        return r.next()
    }

    /// Uniform in [0, 1) from 53 random bits.
    static func unit(_ rng: inout SplitMix64) -> Double { Double(rng.next() >> 11) * 0x1p-53 }

    /// Gamma(alpha, 1) by Marsaglia and Tsang, with Box-Muller normals.
    static func gamma(_ alpha: Double, _ rng: inout SplitMix64) -> Double {
        if alpha < 1 { return gamma(alpha + 1, &rng) * Foundation.pow(Swift.max(unit(&rng), 1e-300), 1 / alpha) }
        let d = alpha - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0
            var v = 0.0
            repeat {
                let u1 = Swift.max(unit(&rng), 1e-300)
                let u2 = unit(&rng)
                x = (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * .pi * u2)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = unit(&rng)
            if u < 1 - 0.0331 * x * x * x * x || Foundation.log(Swift.max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + Foundation.log(v)) {
                return d * v
            }
        }
    }
}

/// Results of runs `firstRun ..< firstRun + runs` (all of them, or one shard's), written by many
/// threads at disjoint indices.
final class RunStore: @unchecked Sendable {
    let candidates: Int
    let risks: UnsafeMutablePointer<Double>
    let ranks: UnsafeMutablePointer<Int32>
    let excludedFlags: UnsafeMutablePointer<UInt8>
    /// Per run: how many candidates kept their stated facts because the draw broke a constraint.
    let restores: UnsafeMutablePointer<Int32>
    let runs: Int
    let firstRun: Int

    init(runs: Int, candidates: Int, firstRun: Int = 0) {
        self.candidates = candidates
        self.runs = runs
        self.firstRun = firstRun
        risks = .allocate(capacity: Swift.max(1, runs * candidates))
        ranks = .allocate(capacity: Swift.max(1, runs * candidates))
        excludedFlags = .allocate(capacity: Swift.max(1, runs * candidates))
        restores = .allocate(capacity: Swift.max(1, runs))
        restores.initialize(repeating: 0, count: Swift.max(1, runs))
    }
    deinit {
        risks.deallocate()
        ranks.deallocate()
        excludedFlags.deallocate()
        restores.deallocate()
    }
    var totalRestores: Int { (0..<runs).reduce(0) { $0 + Int(restores[$1]) } }

    func risk(_ run: Int, _ c: Int) -> Double { risks[(run - firstRun) * candidates + c] }
    /// Candidate `c`'s risk in the first `count` runs, 0 where it had none (the series the
    /// variance-based measures read).
    func riskSeries(_ c: Int, runs count: Int) -> [Double] {
        (0..<count).map { run in
            let v = risk(run, c)
            return v.isNaN ? 0 : v
        }
    }
    func rank(_ run: Int, _ c: Int) -> Int { Int(ranks[(run - firstRun) * candidates + c]) }
    func excluded(_ run: Int, _ c: Int) -> Bool { excludedFlags[(run - firstRun) * candidates + c] != 0 }
    func addRestore(run: Int) { restores[run - firstRun] += 1 }

    /// Ranks in `RankOrder`, by each thread's own `sorter`.
    func record(run: Int, outcomes: UnsafeBufferPointer<Outcome>, sorter: inout RankSorter, minCoverage: Double) {
        let base = (run - firstRun) * candidates
        for c in 0..<candidates {
            risks[base + c] = outcomes[c].risk
            excludedFlags[base + c] = outcomes[c].excluded ? 1 : 0
        }
        sorter.rank(outcomes, minCoverage: minCoverage, into: ranks + base)
    }
}
