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
        out += "\n## Summary\n\n" + ReportSummary.sentences(a).map { md($0) }.joined(separator: " ") + "\n\n"
        out +=
            "| # | Candidate | Risk | Band | Status | Coverage | From evidence | From assumptions |\n|---:|---|---:|---|---|---:|---:|---:|\n"
        for r in a.results {
            let (ev, asm) = ScoreRenderer.split(r)
            out +=
                "| \(r.rank.map(String.init) ?? "–") | \(md(r.name)) | \(ScoreRenderer.riskText(r.risk, policy: p)) | \(md(r.band ?? "–")) | \(md(ScoreRenderer.statusText(r))) | \(Format.percent(r.coverage)) | \(ev) | \(asm) |\n"
        }
        out += "\n## Candidates\n\n"
        for r in a.results {
            // Each candidate's explanation, one heading level down, without its own sources list.
            let explained = MemoMarkdown.explain(r, in: a, withSources: false)
            out += "#" + explained + "\n"
        }
        out += "## Method\n\n| Criterion | Rule | Weight | Of total | Why |\n|---|---|---:|---:|---|\n"
        let w = PolicyTreeRenderer.weights(p)
        for (i, c) in p.criteria.enumerated() {
            let rule = PolicyTreeRenderer.ruleText(c)
            let why = PolicyTreeRenderer.whyText(c)
            let name = String(repeating: "&nbsp;&nbsp;", count: c.depth) + md(c.title)
            out += "| \(name) | \(md(rule)) | \(Format.number(c.weight)) | \(Format.percent(w[i].effective)) | \(md(why)) |\n"
        }
        out +=
            "\n## Sources\n" + MemoMarkdown.sourcesSection(a, candidates: a.results).replacingOccurrences(of: "\n**Sources**\n", with: "")
        return out
    }
}
