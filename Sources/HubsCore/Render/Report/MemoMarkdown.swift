/// Markdown for memos: `explain --format markdown`, the sources section of `score --format
/// markdown`. Tables are GitHub- and pandoc-compatible pipe tables; every piece of data is escaped
/// (`Escaping.markdown`), and only http(s) links become links.
public enum MemoMarkdown {
    static func md(_ s: String) -> String { Escaping.markdown(s) }

    /// A link for an http(s) address (`<https://…>`), the address as escaped text otherwise.
    static func link(_ url: String) -> String { Citations.webLink(url).map { "<\($0)>" } ?? md(url) }

    /// One source as a list item: id, title, publisher, date and link.
    static func sourceItem(_ s: EvidenceSource, citedBy: [String] = []) -> String {
        var line = "- **\(md(s.id))**: \(md(s.title))"
        if let p = s.publisher { line += ". \(md(p))" }
        line += s.date.map { ", \($0)" } ?? ", undated"
        if let u = s.url { line += ". \(link(u))" }
        if let n = s.noAddress { line += " (no web address: \(Escaping.markdown(n)))" }
        if !citedBy.isEmpty { line += "; cited for \(md(citedBy.joined(separator: "; ")))" }
        return line + "\n"
    }

    /// Every source the results' facts cite, in order of first use, with the facts that cite it.
    public static func sourcesSection(_ a: Assessment, candidates: [CandidateResult]) -> String {
        let cited = Citations.of(candidates)
        guard !cited.isEmpty else { return "" }
        var out = "\n#### Sources\n\n"
        for c in cited {
            guard let s = a.scenario.source(c.id) else { continue }
            out += sourceItem(s, citedBy: Citations.citedFor(c.uses, candidates: candidates.count))
        }
        return out
    }

    /// One candidate's explanation as Markdown; `withSources: false` leaves out its sources list
    /// (the report lists every source once).
    public static func explain(_ r: CandidateResult, in a: Assessment, withSources: Bool = true) -> String {
        let p = a.policy
        var out = "### \(md(r.name))\n\n"
        out += "Policy `\(md(p.id))` \(md(p.policy.version)), scenario `\(md(a.scenario.id))`"
        out += (a.scenario.asOf.map { " (as of \($0))" } ?? "") + ".\n\n"
        if let like = a.scenario.candidate(r.id)?.like {
            out += "A variant of `\(md(like))`: facts marked *inherited* come from it.\n\n"
        }
        if !a.overrides.isEmpty { out += "**\(md(ScoreRenderer.overridesText(a.overrides)))**\n\n" }
        out += "**Risk \(r.risk.map { Format.fixed($0, 2) } ?? "n/a")** (\(md(r.band ?? "no band"))), \(md(ScoreRenderer.statusText(r)))"
        out += r.rank.map { ", rank \($0)" } ?? ""
        out += ", coverage \(Format.percent(r.coverage)).\n"
        if !r.gates.isEmpty {
            out += "\n#### Gates\n\n| Gate | Outcome | Condition | Reason |\n|---|---|---|---|\n"
            for g in r.gates {
                let outcome =
                    switch g.outcome {
                    case .passed: "passed"
                    case .excluded: "**excludes**"
                    case .undecided: g.excludedWhenUndecided ? "undecided (treated as excluding)" : "undecided (treated as passed)"
                    }
                out +=
                    "| \(md(g.id)) | \(outcome) | `\(g.condition.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "|", with: "\\|"))` | \(md(g.reason)) |\n"
            }
        }
        out += criteriaTable(r, p)
        out += factsTable(r)
        if !r.assumptions.isEmpty {
            out += "\n#### Assumptions for missing data\n\n" + r.assumptions.map { "- \(md(AssumptionText.text($0)))\n" }.joined()
        }
        return withSources ? out + sourcesSection(a, candidates: [r]) : out
    }

    static func criteriaTable(_ r: CandidateResult, _ p: CompiledPolicy) -> String {
        var out = "\n#### Criteria (risk 0–100; share: effective weight; contribution: part of the total)\n\n"
        out += "| Criterion | Rule | Risk | Weight | Share | Contribution |\n|---|---|---:|---:|---:|---:|\n"
        for c in r.criteria {
            let rule: String =
                switch p.criteria[c.index].kind {
                case let .group(agg): "group, \(agg.rawValue)"
                case let .leaf(kind, _): kind.rawValue
                }
            let name = String(repeating: "  ", count: c.depth).replacingOccurrences(of: " ", with: "&nbsp;") + md(c.title)
            let label = c.firedLabel.map { " (\(md($0)))" } ?? ""
            out +=
                "| \(c.isLeaf ? name : "**\(name)**") | \(rule)\(label) | \(c.risk.map { Format.fixed($0, 1) } ?? "skipped") | \(Format.number(c.weight)) | \(Format.percent(c.effectiveWeight)) | \(Format.fixed(c.contribution, 2))\(c.assumed ? " *assumed*" : "") |\n"
        }
        return out + "| **Total** | | **\(r.risk.map { Format.fixed($0, 2) } ?? "n/a")** | | | |\n"
    }

    static func factsTable(_ r: CandidateResult) -> String {
        var rows = ""
        for f in FactText.distinctReads(r) {
            let value = FactText.value(f)
            var note = FactText.setOnCommandLine(f) ? FactText.commandLineNote : f.note.map(md) ?? ""
            if let from = f.inheritedFrom { note += (note.isEmpty ? "" : "; ") + "*inherited from \(md(from))*" }
            rows +=
                "| \(md(f.name)) | \(md(value)) | \(f.source.map(md) ?? "–") | \(f.sourceDate?.description ?? "–") | \(f.asOf?.description ?? "–") | \(f.confidence?.rawValue ?? "–") | \(note) |\n"
        }
        guard !rows.isEmpty else { return "" }
        return "\n#### Facts read\n\n| Fact | Value | Source | Source date | As of | Confidence | Note |\n|---|---|---|---|---|---|---|\n"
            + rows
    }
}
