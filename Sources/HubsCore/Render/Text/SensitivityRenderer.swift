/// Renders a sensitivity analysis. Nothing here depends on the number of threads used, so the
/// output is the same bytes for the same seed.
public enum SensitivityRenderer {
    /// The sampling design of a run, in words.
    static func sampler(_ r: SensitivityResult) -> String {
        r.sobol
            ? "Saltelli design (matrices A, B and AB_i, N runs each; first order: Saltelli 2010, total: Jansen 1999), independent draws from SplitMix64 seeded per (seed, matrix, sample, input); bootstrap 95% intervals"
            : "plain Monte Carlo (N runs of independent draws from SplitMix64 seeded per (seed, sample, input), the A matrix of the Saltelli design); no Sobol indices (pass --sobol)"
    }

    static func pct(_ p: Double) -> String { Format.fixed(100 * p, 1) + "%" }
    static func idx(_ v: Double) -> String { v.isNaN ? "n/a" : Format.fixed(v, 3) }

    static func inputsLine(_ r: SensitivityResult) -> String {
        r.inputs.map { i -> String in
            switch i.kind {
            case let .weight(_, p): "\(i.name) ±\(Format.number(p))%"
            case .groupWeights: "\(i.name) (Dirichlet)"
            case let .fact(_, _, domain):
                switch domain {
                case let .interval(lo, hi): "\(i.name) in [\(Format.number(lo)), \(Format.number(hi))]"
                case let .categorical(_, k, keep): "\(i.name) (as stated with p = \(Format.number(keep)), else one of the other \(k - 1))"
                case let .choices(values): "\(i.name) (one of \(values.count) values)"
                case let .weighted(p): "\(i.name) (one of \(p.count) values, by the policy's prior)"
                }
            case .aggregation, .caseCondition, .assumedRisk: i.name
            }
        }.joined(separator: "; ")
    }

    /// The uncertain inputs for a reader, grouped: "the 17 weights, each ±25%; how the security
    /// group combines (mean or max); 3 facts of low confidence; 15 unknown facts (host_stance of 6
    /// candidates, …)". The full list is in the sensitivity command's output and JSON.
    public static func readerInputs(_ r: SensitivityResult) -> String {
        var parts: [String] = []
        var percents: [Double] = []
        var dirichlet = 0
        var evidence: [String] = []
        var unknown: [String: Int] = [:]
        var unknownOrder: [String] = []
        var others: [String] = []
        for i in r.inputs {
            switch i.kind {
            case let .weight(_, p): percents.append(p)
            case .groupWeights: dirichlet += 1
            case .fact:
                let fact = i.fact ?? i.name
                if i.family == .unknown {
                    if unknown[fact] == nil { unknownOrder.append(fact) }
                    unknown[fact, default: 0] += 1
                } else {
                    evidence.append(i.name)
                }
            case .aggregation, .caseCondition, .assumedRisk: others.append(i.name)
            }
        }
        if !percents.isEmpty {
            let same = Set(percents).count == 1
            parts.append(
                "the \(percents.count) weights, each "
                    + (same ? "±\(Format.number(percents[0]))%" : "within its own band"))
        }
        if dirichlet > 0 { parts.append("the weights of \(dirichlet) groups, drawn together (Dirichlet)") }
        parts += others
        if !evidence.isEmpty {
            parts.append(
                "\(evidence.count) stated fact\(evidence.count == 1 ? "" : "s") of uncertain value (\(evidence.joined(separator: "; ")))")
        }
        if !unknown.isEmpty {
            let total = unknown.values.reduce(0, +)
            let named = unknownOrder.map { f in unknown[f] == 1 ? f : "\(f) of \(unknown[f] ?? 0) candidates" }
            parts.append("\(total) unknown fact\(total == 1 ? "" : "s") (\(named.joined(separator: ", ")))")
        }
        return parts.joined(separator: "; ")
    }

    /// What the run did with unknown facts, in one sentence.
    static func unknownsLine(_ r: SensitivityResult) -> String {
        switch r.unknowns {
        case .fixed:
            return
                "Unknown facts: held at their missing-data rules in every run (--unknowns fixed), so what nobody knows is not in these figures."
        case .draw:
            let n = r.inputs.filter { $0.family == .unknown }.count
            var s =
                n == 0
                ? "Unknown facts: none that a rule reads."
                : "Unknown facts: \(n) drawn over their values (or the policy's prior) in each run, instead of their missing-data rules; a draw that breaks a constraint keeps the candidate's facts as stated."
            if !r.heldUnknowns.isEmpty {
                s += " Held at their missing-data rules (no range to draw from): \(r.heldUnknowns.joined(separator: "; "))."
            }
            return s
        }
    }

    /// The analysis as terminal text: per-candidate intervals and probabilities, then the inputs that matter most.
    public static func table(_ r: SensitivityResult) -> String {
        var out = "Sensitivity of policy \(r.policy) on scenario \(r.scenario): \(r.samples) samples, seed \(r.seed)\n"
        if !r.overrides.isEmpty { out += ScoreRenderer.overridesText(r.overrides) + "\n" }
        out += "Sampler: \(sampler(r)).\n"
        out += "Uncertain inputs (\(r.inputs.count)): \(inputsLine(r))\n"
        out += unknownsLine(r) + "\n\n"
        var head = ["Candidate", "Nominal", "Median", "Rank 5-95%", "Risk 5-95%", "P(top \(r.top))"]
        head += (r.candidates.first?.bands.map { "P(\($0.name))" } ?? []) + ["P(excluded)"]
        if r.sobol { head.append("Most influential on its risk") }
        var rows = [head]
        for c in r.candidates {
            var row = [
                c.name, c.nominalRank.map(String.init) ?? "excl.", c.medianRank.map { Format.number($0) } ?? "-",
                c.rankLow.map { "\($0)-\(c.rankHigh ?? $0)" } ?? "-",
                c.riskLow.isNaN ? "-" : "\(Format.fixed(c.riskLow, 1))-\(Format.fixed(c.riskHigh, 1))", pct(c.topK),
            ]
            row += c.bands.map { pct($0.probability) } + [pct(c.excluded)]
            if r.sobol { row.append(c.riskIndices.first.map { "\($0.input) (\(idx($0.total)))" } ?? "-") }
            rows.append(row)
        }
        out += TextTable.render(rows, rightAligned: Set(1..<(head.count - (r.sobol ? 1 : 0))))
        out += r.sobol ? sobolSection(r) : monteCarloSection(r)
        if r.constraintRestores > 0 {
            out +=
                "Draws that broke a constraint of the policy: \(r.constraintRestores) (candidate, run) pairs kept their stated facts instead.\n"
        }
        out += "Ranks count ranked candidates only; P(excluded) is the share of samples in which a gate excluded the candidate.\n"
        return out
    }

    static func monteCarloSection(_ r: SensitivityResult) -> String {
        var out = "\nWhich inputs matter: not computed (pass --sobol for first-order and total Sobol indices).\n"
        out +=
            "Convergence: the largest change of a candidate's P(top \(r.top)) between \(r.samples / 2) and \(r.samples) samples is \(Format.fixed(r.convergence, 4))"
        out += r.convergence < 0.02 ? " (stable).\n" : " (NOT yet stable: use more samples).\n"
        out += "Runs: \(r.runs) runs, \(r.evaluations) candidate evaluations.\n"
        return out
    }

    static func sobolSection(_ r: SensitivityResult) -> String {
        var out =
            "\nInputs that matter most for the ranking (mean absolute rank shift; variance \(Format.fixed(r.rankShiftVariance, 4))):\n"
        if r.rankShiftVariance <= 1e-15 {
            out += "  the ranking never changed in any sample, so no input matters for it\n"
        } else {
            var t = [["Input", "First order [95% CI]", "Total [95% CI]"]]
            for i in r.rankShiftIndices.prefix(10) {
                t.append([
                    i.input, "\(idx(i.first)) [\(idx(i.firstLow)), \(idx(i.firstHigh))]",
                    "\(idx(i.total)) [\(idx(i.totalLow)), \(idx(i.totalHigh))]",
                ])
            }
            out += TextTable.render(t).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
            if r.rankShiftIndices.count > 10 { out += "  (\(r.rankShiftIndices.count - 10) more in --format json)\n" }
        }
        if !r.familyIndices.isEmpty { out += familySection(r) }
        out +=
            "\nConvergence: the largest change of a total index between \(r.samples / 2) and \(r.samples) samples is \(Format.fixed(r.convergence, 4))"
        out += r.convergence < 0.05 ? " (stable).\n" : " (NOT yet stable: use more samples).\n"
        out +=
            r.familyIndices.isEmpty
            ? "Runs: \(r.samples) x (\(r.inputs.count) inputs + 2) = \(r.runs) runs, \(r.evaluations) candidate evaluations.\n"
            : "Runs: \(r.samples) x (\(r.inputs.count) inputs + 2 + \(r.familyIndices.count) families) = \(r.runs) runs, \(r.evaluations) candidate evaluations.\n"
        return out
    }

    /// How much of the variance each family of inputs accounts for, taken together: of the
    /// ranking's rank shifts, and of each candidate's risk.
    static func familySection(_ r: SensitivityResult) -> String {
        var out =
            "\nWhat the spread comes from, by family (each family's inputs varied together; first order: that family alone; total: with its interactions):\n"
        var t = [["", "Ignorance (unknown facts)", "Judgement (weights, methods, cases)", "Evidence (stated facts)"]]
        func cells(_ v: [SobolIndex]) -> [String] {
            [UncertainInput.Family.unknown, .judgement, .evidence].map { f in
                guard let i = v.first(where: { $0.input == SensitivityAnalysis.familyName(f) }) else { return "-" }
                return "\(idx(i.first)) / \(idx(i.total))"
            }
        }
        t.append(["the ranking"] + cells(r.familyIndices))
        for c in r.candidates where !c.familyIndices.isEmpty { t.append([c.name] + cells(c.familyIndices)) }
        out += TextTable.render(t).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        out += "  (first order / total; 95% intervals in --format json)\n"
        return out
    }

    /// The analysis as Markdown.
    public static func markdown(_ r: SensitivityResult) -> String {
        var out =
            "### Sensitivity: `\(r.policy)` on `\(r.scenario)`\n\n\(r.samples) samples, seed \(r.seed). Uncertain inputs: \(inputsLine(r)).\n\n"
            + "\(Escaping.markdown(unknownsLine(r)))\n\n"
            + (r.overrides.isEmpty ? "" : "**\(Escaping.markdown(ScoreRenderer.overridesText(r.overrides)))**\n\n")
        out +=
            "| Candidate | Nominal | Median | Rank 5-95% | Risk 5-95% | P(top \(r.top)) | P(excluded) |\n|---|---:|---:|---:|---:|---:|---:|\n"
        for c in r.candidates {
            out +=
                "| \(Escaping.markdown(c.name)) | \(c.nominalRank.map(String.init) ?? "excl.") | \(c.medianRank.map { Format.number($0) } ?? "–") | \(c.rankLow.map { "\($0)–\(c.rankHigh ?? $0)" } ?? "–") | \(c.riskLow.isNaN ? "–" : "\(Format.fixed(c.riskLow, 1))–\(Format.fixed(c.riskHigh, 1))") | \(pct(c.topK)) | \(pct(c.excluded)) |\n"
        }
        guard r.sobol else {
            out += "\nWhich inputs matter was not computed (Sobol indices take `--sobol`).\n"
            return out
        }
        out += "\n#### Inputs that matter most for the ranking (total Sobol index, 95% CI)\n\n"
        for i in r.rankShiftIndices.prefix(5) {
            out += "- \(Escaping.markdown(i.input)): \(idx(i.total)) [\(idx(i.totalLow)), \(idx(i.totalHigh))]\n"
        }
        return out
    }
}
