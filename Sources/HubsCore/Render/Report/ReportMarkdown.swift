/// `hubs report --format markdown`: the decision brief as a Markdown memo, from the same results as
/// the HTML report (title block with input hashes, summary, ranking, each candidate, method, sources).
public enum ReportMarkdown {
    static func md(_ s: String) -> String { Escaping.markdown(s) }

    /// The memo.
    public static func render(_ input: ReportHTML.Input) -> String {
        let a = input.assessment
        let p = a.policy
        var out = "# \(md(p.policy.title))\n\n\(md(a.scenario.title))\n\n"
        out += "- Policy: `\(md(p.id))` version \(md(p.policy.version))\n"
        out += "- Scenario: `\(md(a.scenario.id))`\(a.scenario.asOf.map { ", facts as of \($0)" } ?? ", no as-of date")\n"
        out += "- Made with hubs \(md(input.version))\(input.stamp.map { ", on \(md($0))" } ?? "")\n"
        for f in a.inputs { out += "- Input (\(f.role.rawValue)): `\(md(f.path))`, SHA-256 `\(f.sha256)`\n" }
        if !a.overrides.isEmpty { out += "- **\(md(ScoreRenderer.overridesText(a.overrides)))**\n" }
        out +=
            "\n## Summary\n\n"
            + (ReportSummary.sentences(a) + ReportSummary.robustness(input.sensitivity)).map { md($0) }.joined(separator: " ")
            + "\n\n"
        out +=
            "| # | Candidate | Risk | Band | Status | Coverage | From evidence | From assumptions |\n|---:|---|---:|---|---|---:|---:|---:|\n"
        for r in a.results {
            let (ev, asm) = ScoreRenderer.split(r)
            out +=
                "| \(r.rank.map(String.init) ?? "–") | \(md(r.name)) | \(ScoreRenderer.riskText(r.risk, policy: p)) | \(md(r.band ?? "–")) | \(md(ScoreRenderer.statusText(r))) | \(Format.percent(r.coverage)) | \(ev) | \(asm) |\n"
        }
        out += "\n"
        if let r = input.sensitivity {
            out += robustness(r)
        } else if let note = input.sensitivityNote {
            out += "## Robustness\n\n\(md(note))\n\n"
        }
        if let g = input.gaps { out += gaps(g, names: ReportAnalyses.names(a)) }
        if let d = input.changes { out += changes(d) }
        if !input.whatifs.isEmpty { out += whatifs(input.whatifs) }
        if input.dossier {
            out += "\n## Candidates\n\n"
            for r in a.results {
                // Each candidate's explanation (its heading is ###, one level below ## Candidates),
                // without its own sources list.
                out += MemoMarkdown.explain(r, in: a, withSources: false) + "\n"
            }
        } else {
            out += "\nEach candidate's full explanation is in the dossier (`hubs report --dossier`) or `hubs explain CANDIDATE`.\n\n"
        }
        out +=
            input.dossier
            ? "## Method\n\n| Criterion | Rule | Weight | Of total | Why |\n|---|---|---:|---:|---|\n"
            : "## Method\n\n| Criterion | Rule | Weight | Of total |\n|---|---|---:|---:|\n"
        let w = PolicyTreeRenderer.weights(p)
        for (i, c) in p.criteria.enumerated() {
            let rule = PolicyTreeRenderer.ruleText(c)
            let why = PolicyTreeRenderer.whyText(c)
            let name = String(repeating: "&nbsp;&nbsp;", count: c.depth) + md(c.title)
            out +=
                "| \(name) | \(md(rule)) | \(Format.number(c.weight)) | \(Format.percent(w[i].effective)) |"
                + (input.dossier ? " \(md(why)) |\n" : "\n")
        }
        if let c = input.coherence { out += "\n" + md(CoherenceRenderer.sentences(c)) + "\n" }
        out +=
            "\n## Sources\n" + MemoMarkdown.sourcesSection(a, candidates: a.results).replacingOccurrences(of: "\n#### Sources\n", with: "")
        // One blank line between blocks, never two (the sections are written independently).
        while out.contains("\n\n\n") { out = out.replacingOccurrences(of: "\n\n\n", with: "\n\n") }
        return out
    }

    /// Robustness as a table (the HTML report's dot-and-range chart and band bars, in numbers)
    /// and one sentence per candidate.
    static func robustness(_ r: SensitivityResult) -> String {
        var out = "## Robustness\n\n\(r.samples) Monte Carlo runs (seed \(r.seed)) over \(r.inputs.count) uncertain inputs: "
        out += md(SensitivityRenderer.readerInputs(r)) + ".\n\n" + md(SensitivityRenderer.unknownsLine(r)) + "\n\n"
        out +=
            "| Candidate | Rank | Rank, 90% of runs | Median rank | Band probabilities | Risk, 90% of runs |\n|---|---:|---:|---:|---|---:|\n"
        for c in r.candidates {
            let interval = c.rankLow.map { low in "\(low)–\(c.rankHigh ?? low)" } ?? "–"
            let bands = ReportAnalyses.bandShares(c)
            out += "| \(md(c.name)) | \(c.nominalRank.map(String.init) ?? "–") | \(interval) | \(c.medianRank.map(Format.number) ?? "–") | "
            out += "\(md(bands)) | \(Format.fixed(c.riskLow, 1))–\(Format.fixed(c.riskHigh, 1)) |\n"
        }
        out += "\n" + r.candidates.map { "- " + md(ReportAnalyses.robustnessSentence($0, r)) }.joined(separator: "\n") + "\n\n"
        if !r.rankShiftIndices.isEmpty {
            out += "| Input | First-order index | Total index |\n|---|---:|---:|\n"
            for i in r.rankShiftIndices.prefix(5) {
                out += "| \(md(i.input)) | \(Format.fixed(i.first, 2)) | \(Format.fixed(i.total, 2)) |\n"
            }
            out += "\nSobol indices on the mean absolute rank shift.\n\n"
        }
        return out
    }

    /// What changed as a table of ranks before and after (the slope chart) and each change split by criterion.
    static func changes(_ d: OutcomeDiff) -> String {
        var out = "## What changed\n\nBefore: \(md(DiffRenderer.side(d.before))). After: \(md(DiffRenderer.side(d.after))).\n\n"
        out += "| Candidate | Rank before | Rank after | Risk change | By criterion | Facts |\n|---|---:|---:|---:|---|---|\n"
        for c in d.candidates where c.before?.rank != nil || c.after?.rank != nil || d.changed.contains(where: { $0.id == c.id }) {
            let change = d.changed.first { $0.id == c.id }
            let facts = (change?.facts ?? []).map { f in
                "\(f.fact) \(f.before) → \(f.after)" + (DiffRenderer.evidence(f).map { " [\($0)]" } ?? "")
            }.joined(separator: "; ")
            out += "| \(md(c.name)) | \(c.before?.rank.map(String.init) ?? "–") | \(c.after?.rank.map(String.init) ?? "–") | "
            out += "\(change?.riskDelta.map(DiffRenderer.signed) ?? "–") | "
            out += "\(md((change?.parts ?? []).map(DiffRenderer.titledPart).joined(separator: ", "))) | \(md(facts)) |\n"
        }
        if !d.policyChanges.isEmpty {
            out += "\nPolicy changes: \(md(d.policyChanges.map(DiffRenderer.detail).joined(separator: "; "))).\n"
        }
        return out + "\n"
    }

    /// What would it take: per goal, the smallest changes found, exact or approximate.
    static func whatifs(_ results: [WhatIfResult]) -> String {
        var out = "## What would it take\n\n"
        for r in results {
            out += "### \(md(r.name)): \(md(r.goal.description))\n\n"
            if r.alreadyMet {
                out += "Already met.\n\n"
            } else if r.answers.isEmpty {
                out +=
                    "Not reachable by changing up to \(r.maxChanges) facts: \(md(r.blocked.map { WhatIfRenderer.blocker($0, r) }.joined(separator: "; "))).\n\n"
            } else {
                out += "| Changes | Risk | Band | Rank | Found |\n|---|---:|---|---:|---|\n"
                for a in r.answers {
                    let changes = a.changes.map { "\($0.fact): \($0.from) → \($0.to)" }.joined(separator: "; ")
                    out += "| \(md(changes)) | \(a.risk.map { Format.fixed($0, 2) } ?? "n/a") | \(md(a.band ?? "–")) | "
                    out += "\(a.rank.map(String.init) ?? "–") | \(a.exact ? "exact" : "approximate") |\n"
                }
                out += "\n"
            }
        }
        return out
    }

    /// What to find out next: the first entries of `hubs gaps`, as a table.
    static func gaps(_ g: GapsResult, names: [String: String]) -> String {
        var out = "## What to find out next\n\n"
        guard !g.entries.isEmpty else { return out + "No assumption rests on a missing fact: nothing is left to find out.\n\n" }
        let shown = g.entries.prefix(ReportAnalyses.gapsShown)
        out += "The missing facts whose answer could change the outcome most, each tried at every value it can take "
        out += "(`hubs gaps` lists all \(g.entries.count)).\n\n"
        out += "| Candidate | Missing fact | Now | Over its values | Could change | Coverage |\n|---|---|---|---|---|---:|\n"
        for e in shown {
            let cells = [
                e.candidateName, GapsRenderer.factsText(e), GapsRenderer.nowText(e), GapsRenderer.overText(e),
                GapsRenderer.couldText(e, top: g.top),
            ].map(md)
            out += "| " + cells.joined(separator: " | ") + " | \(GapsRenderer.coverageText(e)) |\n"
        }
        return out + "\n"
    }
}
