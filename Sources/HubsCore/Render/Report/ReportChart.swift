/// The report's ranking chart as inline SVG: one bar per candidate, stacked by leaf criterion and
/// coloured by top-level group, assumed contributions hatched, band bounds as dashed lines,
/// excluded candidates apart with their gate, and a risk axis. Drawn with the chart module
/// (`SVG`, `LinearScale`, `ChartAxis`, `ChartLabels`).
enum ReportChart {
    /// The Okabe-Ito palette: told apart with the common kinds of colour blindness.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
    static let width = 760.0
    static let plotLeft = 230.0
    static let row = 24.0
    /// Risk 0–100 across the plot.
    static let risk = LinearScale(domain: 0...100, range: plotLeft...(plotLeft + 460))

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
        "<section id=\"chart\">\n<h2>Ranking</h2>\n" + figure(a) + "</section>\n"
    }

    /// The chart as a figure (SVG and caption), for a page of its own (the workbench).
    static func figure(_ a: Assessment) -> String {
        let p = a.policy
        let group = groups(p)
        let tops = p.criteria.indices.filter { p.criteria[$0].depth == 0 }
        let paletteIndex = Dictionary(uniqueKeysWithValues: tops.enumerated().map { ($1, $0 % palette.count) })
        let color = paletteIndex.mapValues { palette[$0] }
        let main = a.results.filter { $0.status != .excluded }
        let apart = a.results.filter { $0.status == .excluded }
        var svg = SVG()
        svg.open("defs")
        for t in tops { svg.hatch(id: "hatch\(t)", color: color[t] ?? "#999") }
        svg.close("defs")
        // The axis and its grid first, under the bars.
        let bottom = 30 + row * Double(main.count) + (apart.isEmpty ? 0 : row * Double(apart.count + 1))
        ChartAxis.horizontal(
            risk, y: bottom + 6, gridFrom: 22, gridTo: bottom, count: 5, caption: "risk: 0 no concern, 100 severe", into: &svg)
        var y = 30.0
        for r in main {
            bar(r, y: y, group: group, color: color, note: r.status == .ranked ? nil : "not ranked", into: &svg)
            y += row
        }
        if !apart.isEmpty {
            svg.text("Excluded by a gate (scored for information)", x: 0, y: y + 16, class: "apart")
            y += row
            for r in apart {
                bar(r, y: y, group: group, color: color, note: r.excludingGates.map(\.id).joined(separator: ", "), into: &svg)
                y += row
            }
        }
        bands(p, top: 22, bottom: y, into: &svg)
        var caption = tops.map {
            "<span class=\"key g\(paletteIndex[$0] ?? 0)\"></span>\(Escaping.html(p.criteria[$0].title))"
        }
        .joined(separator: " ")
        caption += " <span class=\"key hatched\"></span>assumed (a missing-data rule, not evidence)"
        let figure = svg.figure(
            id: "chart", width: width, height: y + 44, title: "Risk of each candidate, stacked by criterion",
            description:
                "One bar per candidate; each segment is one criterion's contribution, coloured by its group and hatched where it rests on a missing-data rule. The ranking table above gives the same risks.",
            caption: caption)
        return figure
    }

    /// Band bounds as dashed lines, labelled at the top; labels of close bounds are moved apart.
    static func bands(_ p: CompiledPolicy, top: Double, bottom: Double, into svg: inout SVG) {
        let bounds = p.bands.compactMap { b in b.below.map { (name: b.name, below: $0) } }
        let labels = bounds.map { "\($0.name) < \(Format.number($0.below))" }
        let widest = labels.map { ChartLabels.estimatedWidth($0, fontSize: 11) }.max() ?? 0
        // Each label ends just left of its line; spread by the widest label so none overlaps.
        let ends = ChartLabels.spread(
            bounds.map { risk($0.below) - 3 }, size: widest + 6, within: (plotLeft + widest)...(width - 2))
        for (i, b) in bounds.enumerated() {
            let x = risk(b.below)
            svg.line(x1: x, y1: top, x2: x, y2: bottom, class: "band")
            svg.text(labels[i], x: ends[i], y: 16, class: "bandlabel")
        }
    }

    static func bar(_ r: CandidateResult, y: Double, group: [Int], color: [Int: String], note: String?, into svg: inout SVG) {
        svg.text("\(r.rank.map { "\($0). " } ?? "")\(r.name)", x: plotLeft - 8, y: y + 15, class: "name", limit: 32)
        var x = plotLeft
        let unit = risk(1) - risk(0)
        for c in r.criteria where c.isLeaf && c.contribution > 0 {
            let w = c.contribution * unit
            let fill = c.assumed ? "url(#hatch\(group[c.index]))" : color[group[c.index]] ?? "#999"
            svg.rect(
                x: x, y: y + 3, width: w, height: 16, fill: fill,
                title: "\(c.title): \(Format.fixed(c.contribution, 2))\(c.assumed ? " (assumed)" : "")")
            x += w
        }
        let tail = (r.risk.map { Format.fixed($0, 1) } ?? "n/a") + (note.map { " · \($0)" } ?? "")
        svg.text(tail, x: x + 5, y: y + 15, class: "risk")
    }
}
