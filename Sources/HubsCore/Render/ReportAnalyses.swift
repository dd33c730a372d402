/// The report's analysis sections: robustness (from a sensitivity result), what changed (from an
/// outcome diff) and what it would take (from what-if results). Each is drawn from the result
/// values the `sensitivity`, `diff` and `whatif` commands print; none computes anything again.
enum ReportAnalyses {
    static func h(_ s: String) -> String { ReportHTML.h(s) }

    /// One sentence per candidate about how firm its rank is.
    static func robustnessSentence(_ c: CandidateSensitivity, _ r: SensitivityResult) -> String {
        var s = c.name
        if let nominal = c.nominalRank, let low = c.rankLow, let high = c.rankHigh {
            s +=
                low == high
                ? " keeps rank \(nominal) in 90% of the runs" : " ranks \(nominal); between \(low) and \(high) in 90% of the runs"
        } else {
            s += " is not ranked as the inputs stand"
        }
        s += "; in the top \(r.top) in \(Format.percent(c.topK))"
        if c.excluded > 0 { s += "; excluded in \(Format.percent(c.excluded))" }
        if let main = c.riskIndices.first { s += "; its risk depends most on \(main.input)" }
        return s + "."
    }

    static func robustness(_ r: SensitivityResult?, note: String?) -> String {
        var out = "<section id=\"robustness\">\n<h2>Robustness</h2>\n"
        guard let r else { return out + "<p>\(h(note ?? "Not computed."))</p>\n</section>\n" }
        out += "<p>\(r.samples) Monte Carlo runs (seed \(r.seed)) over \(r.inputs.count) uncertain inputs: "
        out += "\(h(SensitivityRenderer.inputsLine(r))).</p>\n"
        let n = max(1, r.candidates.count)
        let width = 760.0
        let left = 230.0
        let step = (width - left - 40) / Double(max(1, n - 1))
        let height = 30 + 22 * Double(r.candidates.count) + 10
        var svg =
            "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760 \(Format.fixed(height, 0))\" role=\"img\" "
        svg +=
            "aria-labelledby=\"rob-title\">\n<title id=\"rob-title\">Rank of each candidate across the runs; the table below gives the same "
        svg += "figures as text</title>\n"
        for k in 1...n {
            let x = left + Double(k - 1) * step
            svg += "<text x=\"\(Format.fixed(x, 1))\" y=\"14\" class=\"tick\">\(k)</text>"
            svg +=
                "<line x1=\"\(Format.fixed(x, 1))\" y1=\"20\" x2=\"\(Format.fixed(x, 1))\" y2=\"\(Format.fixed(height - 8, 0))\" class=\"grid\"/>\n"
        }
        for (i, c) in r.candidates.enumerated() {
            let y = 34 + 22 * Double(i)
            svg +=
                "<text x=\"\(Format.fixed(left - 10, 0))\" y=\"\(Format.fixed(y + 4, 0))\" class=\"name\">\(ReportChart.label(c.name))</text>\n"
            guard let low = c.rankLow, let high = c.rankHigh else { continue }
            func xv(_ rank: Double) -> Double { left + (rank - 1) * step }
            func x(_ rank: Double) -> String { Format.fixed(xv(rank), 1) }
            svg +=
                "<line x1=\"\(x(Double(low)))\" y1=\"\(Format.fixed(y, 0))\" x2=\"\(x(Double(high)))\" y2=\"\(Format.fixed(y, 0))\" class=\"range\"/>"
            if let m = c.medianRank { svg += "<circle cx=\"\(x(m))\" cy=\"\(Format.fixed(y, 0))\" r=\"5\" class=\"median\"/>" }
            if let nominal = c.nominalRank {
                svg +=
                    "<rect x=\"\(Format.fixed(xv(Double(nominal)) - 4, 1))\" y=\"\(Format.fixed(y - 4, 0))\" width=\"8\" height=\"8\" class=\"nominal\"/>"
            }
            svg += "\n"
        }
        svg += "</svg>\n<figcaption>Rank in 90% of the runs (line, 5th to 95th percentile), the median rank (dot) and the rank "
        svg += "as the inputs stand (square).</figcaption>\n</figure>\n"
        out +=
            svg
            + "<table class=\"bands\">\n<thead><tr><th>Candidate</th><th>Band probabilities</th><th>Risk, 90% of runs</th></tr></thead>\n<tbody>\n"
        for c in r.candidates {
            let cells = c.bands.filter { $0.probability > 0 }.map { "\(h($0.name)) \(Format.percent($0.probability))" }.joined(
                separator: ", ")
            out +=
                "<tr><td>\(h(c.name))</td><td>\(cells)</td><td class=\"num\">\(Format.fixed(c.riskLow, 1))–\(Format.fixed(c.riskHigh, 1))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n<ul>\n" + r.candidates.map { "<li>\(h(robustnessSentence($0, r)))</li>\n" }.joined() + "</ul>\n"
        if !r.rankShiftIndices.isEmpty {
            out += "<h3>The inputs that matter most</h3>\n<table>\n<thead><tr><th>Input</th><th>First-order index</th><th>Total index</th>"
            out += "</tr></thead>\n<tbody>\n"
            for i in r.rankShiftIndices.prefix(5) {
                out +=
                    "<tr><td>\(h(i.input))</td><td class=\"num\">\(Format.fixed(i.first, 2))</td><td class=\"num\">\(Format.fixed(i.total, 2))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n<p>Sobol indices on the mean absolute rank shift: the share of its variance each input explains "
            out += "alone (first-order) and with its interactions (total).</p>\n"
        }
        return out + "</section>\n"
    }

    static func changes(_ d: OutcomeDiff) -> String {
        var out = "<section id=\"changes\">\n<h2>What changed</h2>\n"
        out += "<p>Before: \(h(DiffRenderer.side(d.before))). After: \(h(DiffRenderer.side(d.after))).</p>\n"
        let both = d.candidates.filter { $0.before?.rank != nil || $0.after?.rank != nil }
        let n = max(2, max(both.compactMap { $0.before?.rank }.max() ?? 1, both.compactMap { $0.after?.rank }.max() ?? 1))
        let height = 30 + 24 * Double(n)
        var svg =
            "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760 \(Format.fixed(height, 0))\" role=\"img\" "
        svg +=
            "aria-labelledby=\"slope-title\">\n<title id=\"slope-title\">Ranks before and after; the list below gives each change</title>\n<text x=\"250\" y=\"14\" class=\"tick\">before</text><text x=\"490\" y=\"14\" class=\"tick\">after</text>\n"
        for c in both {
            let y0 = c.before?.rank.map { 30 + 24 * Double($0 - 1) }
            let y1 = c.after?.rank.map { 30 + 24 * Double($0 - 1) }
            if let y0 {
                svg +=
                    "<text x=\"240\" y=\"\(Format.fixed(y0 + 4, 0))\" class=\"name\">\(c.before?.rank ?? 0). \(ReportChart.label(c.name))</text>"
            }
            if let y1 {
                svg += "<text x=\"510\" y=\"\(Format.fixed(y1 + 4, 0))\">\(c.after?.rank ?? 0). \(ReportChart.label(c.name))</text>"
            }
            if let y0, let y1 {
                svg +=
                    "<line x1=\"250\" y1=\"\(Format.fixed(y0, 0))\" x2=\"500\" y2=\"\(Format.fixed(y1, 0))\" class=\"\(y0 == y1 ? "same" : "moved")\"/>"
            }
            svg += "\n"
        }
        out +=
            svg
            + "</svg>\n<figcaption>Ranks before and after; a candidate on one side only was ranked on that side only.</figcaption>\n</figure>\n"
        let changed = d.changed.filter { !$0.parts.isEmpty || !$0.facts.isEmpty || $0.statusChanged }
        if changed.isEmpty { return out + "<p>No candidate's outcome changed.</p>\n</section>\n" }
        out += "<ul>\n"
        for c in changed {
            out += "<li><strong>\(h(c.name))</strong>\(c.riskDelta.map { ": risk \(DiffRenderer.signed($0))" } ?? "")"
            if !c.parts.isEmpty { out += "; by criterion: \(h(c.parts.map(DiffRenderer.titledPart).joined(separator: ", ")))" }
            for f in c.facts {
                out += "; \(h(f.fact)) \(h(f.before)) → \(h(f.after))\(DiffRenderer.evidence(f).map { " [\(h($0))]" } ?? "")"
                out += f.noteAfter.map { " (\(h($0)))" } ?? ""
            }
            out += "</li>\n"
        }
        if !d.policyChanges.isEmpty {
            out += "<li>Policy changes: \(h(d.policyChanges.map(DiffRenderer.detail).joined(separator: "; ")))</li>\n"
        }
        return out + "</ul>\n</section>\n"
    }

    static func whatifs(_ results: [WhatIfResult]) -> String {
        var out = "<section id=\"whatif\">\n<h2>What would it take</h2>\n"
        for r in results {
            out += "<h3>\(h(r.name)): \(h(r.goal.description))</h3>\n"
            if r.alreadyMet {
                out += "<p>Already met.</p>\n"
                continue
            }
            if r.answers.isEmpty {
                out +=
                    "<p>Not reachable by changing up to \(r.maxChanges) facts: \(h(r.blocked.map { WhatIfRenderer.blocker($0, r) }.joined(separator: "; "))).</p>\n"
                continue
            }
            out += "<table>\n<thead><tr><th>Changes</th><th>Risk</th><th>Band</th><th>Rank</th><th>Found</th></tr></thead>\n<tbody>\n"
            for a in r.answers {
                let changes = a.changes.map { "\($0.fact): \($0.from) → \($0.to)" }.joined(separator: "; ")
                out +=
                    "<tr><td>\(h(changes))</td><td class=\"num\">\(a.risk.map { Format.fixed($0, 2) } ?? "n/a")</td><td>\(h(a.band ?? "–"))</td>"
                out += "<td class=\"num\">\(a.rank.map(String.init) ?? "–")</td><td>\(a.exact ? "exact" : "approximate")</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        return out + "</section>\n"
    }
}
