/// The report's ranking chart as inline SVG: one bar per candidate, stacked by leaf criterion and
/// coloured by top-level group, assumed contributions hatched, band bounds as dashed lines,
/// excluded candidates apart with their gate.
enum ReportChart {
    /// The Okabe-Ito palette: told apart with the common kinds of colour blindness.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

    /// A label for a chart: names longer than `limit` characters are cut with an ellipsis, and the
    /// full name goes in the element's title (shown on hover, read by screen readers).
    static func label(_ name: String, limit: Int = 30) -> String {
        let full = ReportHTML.h(name)
        guard name.count > limit else { return full }
        return ReportHTML.h(String(name.prefix(limit - 1)) + "…") + "<title>\(full)</title>"
    }
    static let label = 230.0
    static let scale = 4.6
    static let row = 24.0

    /// The top-level group of each criterion, in pre-order (a top-level criterion is its own).
    static func groups(_ p: CompiledPolicy) -> [Int] {
        var out = [Int](repeating: 0, count: p.criteria.count)
        var top = 0
        for (i, c) in p.criteria.enumerated() {
            if c.depth == 0 { top = i }
            out[i] = top
        }
        return out
    }

    static func ranking(_ a: Assessment) -> String {
        let p = a.policy
        let group = groups(p)
        let tops = p.criteria.indices.filter { p.criteria[$0].depth == 0 }
        let color = Dictionary(uniqueKeysWithValues: tops.enumerated().map { ($1, palette[$0 % palette.count]) })
        let main = a.results.filter { $0.status != .excluded }
        let apart = a.results.filter { $0.status == .excluded }
        let height = 40 + row * Double(main.count + apart.count) + (apart.isEmpty ? 0 : row) + 30
        var svg =
            "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760 \(Format.fixed(height, 0))\" role=\"img\" "
        svg +=
            "aria-labelledby=\"chart-title chart-desc\">\n<title id=\"chart-title\">Risk of each candidate, stacked by criterion</title>\n"
        svg += "<desc id=\"chart-desc\">One bar per candidate; each segment is one criterion's contribution, coloured by its group and "
        svg += "hatched where it rests on a missing-data rule. The ranking table above gives the same risks.</desc>\n<defs>\n"
        for t in tops {
            svg += "<pattern id=\"hatch\(t)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            svg +=
                "<rect width=\"6\" height=\"6\" fill=\"#fff\"/><rect width=\"3\" height=\"6\" fill=\"\(color[t] ?? "#999")\"/></pattern>\n"
        }
        svg += "</defs>\n"
        var y = 30.0
        for r in main {
            svg += bar(r, y: y, group: group, color: color, note: r.status == .ranked ? nil : "not ranked")
            y += row
        }
        if !apart.isEmpty {
            svg += "<text x=\"0\" y=\"\(Format.fixed(y + 16, 0))\" class=\"apart\">Excluded by a gate (scored for information)</text>\n"
            y += row
            for r in apart {
                svg += bar(r, y: y, group: group, color: color, note: r.excludingGates.map(\.id).joined(separator: ", "))
                y += row
            }
        }
        for b in p.bands {
            guard let below = b.below else { continue }
            let x = label + below * scale
            svg += "<line x1=\"\(Format.fixed(x, 1))\" y1=\"22\" x2=\"\(Format.fixed(x, 1))\" y2=\"\(Format.fixed(y, 0))\" class=\"band\"/>"
            svg +=
                "<text x=\"\(Format.fixed(x - 3, 1))\" y=\"16\" class=\"bandlabel\">\(ReportHTML.h(b.name)) &lt; \(Format.number(below))</text>\n"
        }
        svg += "</svg>\n<figcaption>"
        svg += tops.map { "<span class=\"key\" style=\"background:\(color[$0] ?? "#999")\"></span>\(ReportHTML.h(p.criteria[$0].title))" }
            .joined(separator: " ")
        svg += " <span class=\"key hatched\"></span>assumed (a missing-data rule, not evidence)</figcaption>\n</figure>\n"
        return "<section id=\"chart\">\n<h2>Ranking</h2>\n" + svg + "</section>\n"
    }

    static func bar(_ r: CandidateResult, y: Double, group: [Int], color: [Int: String], note: String?) -> String {
        var out = "<text x=\"\(Format.fixed(label - 8, 0))\" y=\"\(Format.fixed(y + 15, 0))\" class=\"name\">"
        out += "\(r.rank.map { "\($0). " } ?? "")\(label(r.name))</text>\n"
        var x = label
        for c in r.criteria where c.isLeaf && c.contribution > 0 {
            let w = c.contribution * scale
            let fill = c.assumed ? "url(#hatch\(group[c.index]))" : color[group[c.index]] ?? "#999"
            out +=
                "<rect x=\"\(Format.fixed(x, 2))\" y=\"\(Format.fixed(y + 3, 0))\" width=\"\(Format.fixed(w, 2))\" height=\"16\" fill=\"\(fill)\">"
            out += "<title>\(ReportHTML.h(c.title)): \(Format.fixed(c.contribution, 2))\(c.assumed ? " (assumed)" : "")</title></rect>\n"
            x += w
        }
        let tail = (r.risk.map { Format.fixed($0, 1) } ?? "n/a") + (note.map { " · \(ReportHTML.h($0))" } ?? "")
        out += "<text x=\"\(Format.fixed(x + 5, 1))\" y=\"\(Format.fixed(y + 15, 0))\" class=\"risk\">\(tail)</text>\n"
        return out
    }
}
