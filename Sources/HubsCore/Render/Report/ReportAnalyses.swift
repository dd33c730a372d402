/// The report's analysis sections: robustness (from a sensitivity result), what changed (from an
/// outcome diff) and what it would take (from what-if results). Each is drawn from the result
/// values the `sensitivity`, `diff` and `whatif` commands print; none computes anything again.
enum ReportAnalyses {

    /// One sentence per candidate about how firm its rank is.
    static func robustnessSentence(_ c: CandidateSensitivity, _ r: SensitivityResult) -> String {
        var s = RobustnessText.candidate(c, r)
        if let main = c.riskIndices.first {
            s += "; its risk depends most on \(main.input)"
        } else if let main = c.mainInput {
            s +=
                main.share >= 0.1
                ? "; its risk depends most on \(main.input), which alone explains about \(Format.percent(main.share)) of its variance in the runs"
                : "; no single input explains much of its risk's variance in the runs"
        }
        return s + "."
    }

    struct Robustness {
        var note: String?
        var result: RobustnessResult?
    }
    struct RobustnessResult {
        var samples, seed, inputCount, inputs, unknowns, chart: String
        var rows: [BandRow]
        var sentences: [String]
        var indices: [IndexRow]
        var hasIndices: Bool
    }
    struct BandRow { var name, bar, bands, low, high: String }
    struct IndexRow { var input, first, total: String }

    static func robustness(_ r: SensitivityResult?, note: String?) -> String {
        let result = r.map { r in
            RobustnessResult(
                samples: String(r.samples), seed: String(r.seed), inputCount: String(r.inputs.count),
                inputs: SensitivityRenderer.readerInputs(r), unknowns: SensitivityRenderer.unknownsLine(r), chart: rankIntervals(r),
                rows: r.candidates.map { c in
                    let text = bandShares(c)
                    return BandRow(
                        name: c.name, bar: bandBar(c.bands.map { ($0.name, $0.probability) }, label: text), bands: text,
                        low: Format.fixed(c.riskLow, 1), high: Format.fixed(c.riskHigh, 1))
                },
                // A candidate never ranked in any run has nothing to say beyond its row above.
                sentences: r.candidates.filter { $0.rankLow != nil || $0.nominalRank != nil }.map { robustnessSentence($0, r) },
                indices: r.rankShiftIndices.prefix(5).map {
                    IndexRow(input: $0.input, first: Format.fixed($0.first, 2), total: Format.fixed($0.total, 2))
                },
                hasIndices: !r.rankShiftIndices.isEmpty)
        }
        return ReportTemplates.render(Robustness(note: r == nil ? note ?? "Not computed." : nil, result: result), .robustness)
    }

    /// The bands a candidate fell in across the runs, with their shares: "moderate 49%, high 51%".
    static func bandShares(_ c: CandidateSensitivity) -> String {
        c.bands.filter { $0.probability > 0 }.map { "\($0.name) \(Format.percent($0.probability))" }.joined(separator: ", ")
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
        // Only candidates ranked in some runs have a row; the others are named under the chart.
        let rows = r.candidates.filter { $0.rankLow != nil }
        let unranked = r.candidates.filter { $0.rankLow == nil }.map(\.name)
        let n = max(2, rows.compactMap(\.rankHigh).max() ?? 2, rows.compactMap(\.nominalRank).max() ?? 2)
        let ranks = LinearScale(domain: 1...Double(n), range: 230...720)
        let height = 30 + 22 * Double(rows.count) + 10
        var svg = SVG()
        ChartAxis.ranks(ranks, y: 14, gridTo: height - 8, count: 10, into: &svg)
        for (i, c) in rows.enumerated() {
            let y = 34 + 22 * Double(i)
            svg.text(c.name, x: 220, y: y + 4, class: "name", limit: 32)
            guard let low = c.rankLow, let high = c.rankHigh else { continue }
            svg.line(x1: ranks(Double(low)), y1: y, x2: ranks(Double(high)), y2: y, class: "range")
            // The square under the dot, larger, so a median on the nominal rank stays visible.
            if let nominal = c.nominalRank {
                svg.rect(
                    x: ranks(Double(nominal)) - 6, y: y - 6, width: 12, height: 12, class: "nominal",
                    title: "rank \(nominal) as the inputs stand")
            }
            if let m = c.medianRank { svg.circle(cx: ranks(m), cy: y, r: 4, class: "median", title: "median rank \(Format.number(m))") }
        }
        return svg.figure(
            id: "rob", width: 760, height: height, title: "Rank of each candidate across the runs",
            description:
                "For each candidate, the range of ranks in 90% of the runs, the median rank and the rank as the inputs stand; the table below gives the same figures as text.",
            caption:
                "Rank in 90% of the runs (line, 5th to 95th percentile), the median rank (dot) and the rank as the inputs stand (square)."
                + (unranked.isEmpty ? "" : " Not ranked in any run: \(unranked.joined(separator: ", "))."))
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

    struct Changes {
        var before, after, chart: String
        var changed: [Changed]
        var policyChanges: String?
        var hasList: Bool
    }
    struct Changed {
        var name: String
        var delta, parts, bar: String?
        var facts: [FactChange]
    }
    struct FactChange {
        var fact, before, after: String
        var evidence, note: String?
    }

    static func changes(_ d: OutcomeDiff) -> String {
        let changed = d.changed.filter { !$0.parts.isEmpty || !$0.facts.isEmpty || $0.statusChanged }
        let largest = changed.flatMap { $0.parts.map { abs($0.delta) } }.max() ?? 0
        let view = Changes(
            before: DiffRenderer.side(d.before), after: DiffRenderer.side(d.after), chart: slope(d),
            changed: changed.map { c in
                Changed(
                    name: c.name, delta: c.riskDelta.map(DiffRenderer.signed),
                    parts: c.parts.isEmpty ? nil : c.parts.map(DiffRenderer.titledPart).joined(separator: ", "),
                    bar: c.parts.isEmpty || largest == 0 ? nil : splitBar(c.parts, largest: largest, name: c.name),
                    facts: c.facts.map {
                        FactChange(
                            fact: $0.fact, before: $0.before, after: $0.after, evidence: DiffRenderer.evidence($0), note: $0.noteAfter)
                    })
            },
            policyChanges: d.policyChanges.isEmpty ? nil : d.policyChanges.map(DiffRenderer.detail).joined(separator: "; "),
            hasList: !changed.isEmpty)
        return ReportTemplates.render(view, .changes)
    }

    /// A candidate's change in risk split by criterion, as one small diverging bar: decreases to
    /// the left in blue, increases to the right in orange (and their titles), on a common scale.
    static func splitBar(_ parts: [CriterionPart], largest: Double, name: String) -> String {
        let scale = LinearScale(domain: 0...largest, range: 0...70)
        var svg = SVG()
        var left = 80.0
        var right = 80.0
        for p in parts where p.delta != 0 {
            let w = scale(abs(p.delta))
            let title = DiffRenderer.titledPart(p)
            if p.delta < 0 {
                left -= w
                svg.rect(x: left, y: 1, width: w, height: 10, fill: "#0072B2", class: "bandpart", title: title)
            } else {
                svg.rect(x: right, y: 1, width: w, height: 10, fill: "#D55E00", class: "bandpart", title: title)
                right += w
            }
        }
        svg.line(x1: 80, y1: 0, x2: 80, y2: 12, class: "axis")
        return svg.inline(width: 160, height: 12, label: "change in risk of \(name) by criterion")
    }

    struct WhatIfs { var goals: [Goal] }
    struct Goal {
        var name, goal: String
        var met: Bool
        var blocked: String?
        var answers: [Answer]
        var hasAnswers: Bool
    }
    struct Answer {
        var changes, risk, band, rank: String
        var exact: Bool
        /// The margin in words: points to spare, thin, or a tie-break.
        var spare: String
    }

    static func whatifs(_ results: [WhatIfResult]) -> String {
        let goals = results.map { r in
            Goal(
                name: r.name, goal: r.goal.description, met: r.alreadyMet,
                blocked: !r.alreadyMet && r.answers.isEmpty
                    ? "Not reachable by changing up to \(r.maxChanges) facts: \(r.blocked.map { WhatIfRenderer.blocker($0, r) }.joined(separator: "; "))."
                    : nil,
                answers: r.alreadyMet
                    ? []
                    : r.answers.map { a in
                        Answer(
                            changes: a.changes.map { "\($0.fact): \($0.from) → \($0.to)" }.joined(separator: "; "),
                            risk: a.risk.map { Format.fixed($0, 2) } ?? "n/a", band: a.band ?? "–", rank: a.rank.map(String.init) ?? "–",
                            exact: a.exact,
                            spare: !a.tiedWith.isEmpty
                                ? "tie-break only"
                                : a.margin.map { m in Format.fixed(m, 2) + (m < WhatIfAnswer.thinMargin ? " (thin)" : "") } ?? "–")
                    },
                hasAnswers: !r.alreadyMet && !r.answers.isEmpty)
        }
        return ReportTemplates.render(WhatIfs(goals: goals), .whatifs)
    }

    struct GapRows {
        var intro: String
        var rows: [GapRow]
        var hasRows: Bool
        var more: String?
    }
    struct GapRow { var candidate, fact, now, over, could, coverage: String }

    /// The candidates' names by id.
    static func names(_ a: Assessment) -> [String: String] {
        Dictionary(a.scenario.candidates.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// Most entries the report lists; `hubs gaps` lists them all.
    static let gapsShown = 5

    static func gaps(_ g: GapsResult, names: [String: String]) -> String {
        let shown = g.entries.prefix(gapsShown)
        let intro =
            g.entries.isEmpty
            ? "No assumption rests on a missing fact: nothing is left to find out."
            : "The missing facts whose answer could change the outcome most, each tried at every value it can take (hubs gaps lists all \(g.entries.count))."
        return ReportTemplates.render(
            GapRows(
                intro: intro,
                rows: shown.map { e in
                    GapRow(
                        candidate: e.candidateName, fact: GapsRenderer.factsText(e), now: GapsRenderer.nowText(e),
                        over: GapsRenderer.overText(e), could: GapsRenderer.couldText(e, top: g.top), coverage: GapsRenderer.coverageText(e)
                    )
                },
                hasRows: !shown.isEmpty, more: g.entries.count > shown.count ? "\(g.entries.count - shown.count) more in hubs gaps." : nil),
            .gaps)
    }
}
