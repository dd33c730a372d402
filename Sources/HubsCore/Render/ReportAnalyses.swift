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
        out += rankIntervals(r)
        out +=
            "<table class=\"bands\">\n<thead><tr><th>Candidate</th><th>Band probabilities</th><th>Risk, 90% of runs</th></tr></thead>\n<tbody>\n"
        for c in r.candidates {
            let shown = c.bands.filter { $0.probability > 0 }
            let text = shown.map { "\($0.name) \(Format.percent($0.probability))" }.joined(separator: ", ")
            let cells = bandBar(c.bands.map { ($0.name, $0.probability) }, label: text) + " " + h(text)
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

    /// Shades for bands, lightest (least concern) to darkest, with white or black stripes
    /// between them, so that neighbouring bands differ in more than colour.
    static let bandShades = ["#deebf7", "#9ecae1", "#4292c6", "#08519c", "#08306b"]

    /// Band probabilities as one small stacked bar (160 px for 100%), each part titled.
    static func bandBar(_ bands: [(name: String, probability: Double)], label: String) -> String {
        var svg = SVG()
        var x = 0.0
        for (i, b) in bands.enumerated() where b.probability > 0 {
            let w = 160 * b.probability
            let shade = bandShades[min(bandShades.count - 1, i * bandShades.count / max(1, bands.count))]
            svg.rect(x: x, y: 0, width: w, height: 12, fill: shade, class: "bandpart", title: "\(b.name): \(Format.percent(b.probability))")
            x += w
        }
        return svg.inline(width: 160, height: 12, label: label)
    }

    /// Rank intervals as a dot-and-range chart: 5th–95th percentile (line), median (dot) and the
    /// rank as the inputs stand (square), on a rank axis.
    static func rankIntervals(_ r: SensitivityResult) -> String {
        let n = max(2, r.candidates.count)
        let ranks = LinearScale(domain: 1...Double(n), range: 230...720)
        let height = 30 + 22 * Double(r.candidates.count) + 10
        var svg = SVG()
        ChartAxis.ranks(ranks, y: 14, gridTo: height - 8, count: 10, into: &svg)
        for (i, c) in r.candidates.enumerated() {
            let y = 34 + 22 * Double(i)
            svg.text(c.name, x: 220, y: y + 4, class: "name", limit: 32)
            guard let low = c.rankLow, let high = c.rankHigh else { continue }
            svg.line(x1: ranks(Double(low)), y1: y, x2: ranks(Double(high)), y2: y, class: "range")
            if let m = c.medianRank { svg.circle(cx: ranks(m), cy: y, r: 5, class: "median", title: "median rank \(Format.number(m))") }
            if let nominal = c.nominalRank {
                svg.rect(
                    x: ranks(Double(nominal)) - 4, y: y - 4, width: 8, height: 8, class: "nominal",
                    title: "rank \(nominal) as the inputs stand")
            }
        }
        return svg.figure(
            id: "rob", width: 760, height: height, title: "Rank of each candidate across the runs",
            description:
                "For each candidate, the range of ranks in 90% of the runs, the median rank and the rank as the inputs stand; the table below gives the same figures as text.",
            caption:
                "Rank in 90% of the runs (line, 5th to 95th percentile), the median rank (dot) and the rank as the inputs stand (square).")
    }

    /// Ranks before and after as a slope chart; names on each side are moved apart where ranks tie.
    static func slope(_ d: OutcomeDiff) -> String {
        let both = d.candidates.filter { $0.before?.rank != nil || $0.after?.rank != nil }
        let n = max(2, max(both.compactMap { $0.before?.rank }.max() ?? 1, both.compactMap { $0.after?.rank }.max() ?? 1))
        let ranks = LinearScale(domain: 1...Double(n), range: 30...(30 + 24 * Double(n - 1)))
        let height = 30 + 24 * Double(n)
        var svg = SVG()
        svg.text("before", x: 250, y: 14, class: "tick")
        svg.text("after", x: 500, y: 14, class: "tick")
        let before = both.filter { $0.before?.rank != nil }
        let after = both.filter { $0.after?.rank != nil }
        let left = ChartLabels.spread(before.map { ranks(Double($0.before?.rank ?? 1)) }, size: 16, within: 24...(height - 4))
        let right = ChartLabels.spread(after.map { ranks(Double($0.after?.rank ?? 1)) }, size: 16, within: 24...(height - 4))
        for (i, c) in before.enumerated() {
            svg.text("\(c.before?.rank ?? 0). \(c.name)", x: 240, y: left[i] + 4, class: "name", limit: 32)
        }
        for (i, c) in after.enumerated() { svg.text("\(c.after?.rank ?? 0). \(c.name)", x: 510, y: right[i] + 4, limit: 32) }
        for c in both {
            guard let b = c.before?.rank, let a = c.after?.rank else { continue }
            svg.line(x1: 250, y1: ranks(Double(b)), x2: 500, y2: ranks(Double(a)), class: b == a ? "same" : "moved")
        }
        return svg.figure(
            id: "slope", width: 760, height: height, title: "Ranks before and after",
            description:
                "One line per candidate ranked on both sides, from its rank before to its rank after; the list below gives each change.",
            caption: "Ranks before and after; a candidate on one side only was ranked on that side only.")
    }

    static func changes(_ d: OutcomeDiff) -> String {
        var out = "<section id=\"changes\">\n<h2>What changed</h2>\n"
        out += "<p>Before: \(h(DiffRenderer.side(d.before))). After: \(h(DiffRenderer.side(d.after))).</p>\n"
        out += slope(d)
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
