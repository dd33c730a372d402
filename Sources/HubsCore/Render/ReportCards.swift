/// The report's candidate cards: status, the criteria breakdown as small bars, the facts read with
/// their evidence, the gates, the assumptions and any warnings about the evidence.
enum ReportCards {
    static func h(_ s: String) -> String { ReportHTML.h(s) }

    static func card(_ r: CandidateResult, in a: Assessment) -> String {
        var out = "<article class=\"card\" id=\"c-\(h(r.id))\">\n<h3>\(h(r.name))</h3>\n"
        out += "<p class=\"status\"><strong>Risk \(r.risk.map { Format.fixed($0, 2) } ?? "n/a")</strong> (\(h(r.band ?? "no band"))), "
        out += "\(h(ScoreRenderer.statusText(r)))\(r.rank.map { ", rank \($0)" } ?? ""), coverage \(Format.percent(r.coverage)).</p>\n"
        if let like = a.scenario.candidate(r.id)?.like {
            out += "<p>A variant of <code>\(h(like))</code>: facts marked <em>inherited</em> come from it.</p>\n"
        }
        out += "<table class=\"leaves\">\n<thead><tr><th>Criterion</th><th>Risk</th><th></th><th>Contribution</th></tr></thead>\n<tbody>\n"
        for c in r.criteria where c.isLeaf {
            let risk = c.risk ?? 0
            out += "<tr><td>\(h(c.title))\(c.firedLabel.map { " <small>(\(h($0)))</small>" } ?? "")</td>"
            out += "<td class=\"num\">\(c.risk.map { Format.fixed($0, 0) } ?? "skipped")</td>"
            out +=
                "<td class=\"barcell\"><span class=\"minibar\(c.assumed ? " assumed" : "")\" style=\"width:\(Format.fixed(risk, 0))%\"></span></td>"
            out += "<td class=\"num\">\(Format.fixed(c.contribution, 2))\(c.assumed ? " <em>assumed</em>" : "")</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        let stale = Set((a.table.warningsByCandidate[r.id] ?? []).filter { $0.code == .staleFact }.compactMap(\.location))
        out += facts(r, stale: stale)
        let gates = r.gates.map { g -> String in
            let outcome =
                switch g.outcome {
                case .passed: "passed"
                case .excluded: "<strong>excludes</strong>: \(h(g.reason))"
                case .undecided: g.excludedWhenUndecided ? "undecided, treated as excluding" : "undecided, treated as passed"
                }
            return "<li>\(h(g.id)): \(outcome)</li>"
        }
        if !gates.isEmpty { out += "<h4>Gates</h4>\n<ul>\(gates.joined())</ul>\n" }
        if !r.assumptions.isEmpty {
            out += "<h4>Assumptions</h4>\n<ul>" + r.assumptions.map { "<li>\(h(AssumptionText.text($0)))</li>" }.joined() + "</ul>\n"
        }
        let warnings = (a.table.warningsByCandidate[r.id] ?? []).filter { $0.severity == .warning }
        if !warnings.isEmpty {
            out += "<h4>About the evidence</h4>\n<ul>" + warnings.map { "<li>\(h($0.message))</li>" }.joined() + "</ul>\n"
        }
        return out + "</article>\n"
    }

    static func facts(_ r: CandidateResult, stale: Set<SourceLocation>) -> String {
        var rows = ""
        for f in FactText.distinctReads(r) {
            let value = FactText.value(f)
            var note = FactText.setOnCommandLine(f) ? FactText.commandLineNote : f.note.map(h) ?? ""
            if let from = f.inheritedFrom { note += (note.isEmpty ? "" : "; ") + "<em>inherited from \(h(from))</em>" }
            if let at = f.location, stale.contains(at) {
                note = "<strong class=\"stale\">stale</strong>" + (note.isEmpty ? "" : "; ") + note
            }
            let source = f.source.map { "<a href=\"#s-\(h($0))\">\(h($0))</a>" } ?? "–"
            rows += "<tr><td>\(h(f.name))</td><td>\(h(value))</td><td>\(source)</td><td>\(f.sourceDate?.description ?? "–")</td>"
            rows += "<td>\(f.confidence?.rawValue ?? "–")</td><td>\(note)</td></tr>\n"
        }
        guard !rows.isEmpty else { return "" }
        return
            "<table class=\"facts\">\n<thead><tr><th>Fact</th><th>Value</th><th>Source</th><th>Date</th><th>Confidence</th><th>Note</th></tr></thead>\n<tbody>\n"
            + rows + "</tbody>\n</table>\n"
    }
}
