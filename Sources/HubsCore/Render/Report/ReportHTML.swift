/// `hubs report` as one self-contained HTML file: CSS and SVG inline, no script, nothing fetched
/// (a Content-Security-Policy forbids it), system fonts, a print stylesheet for A4. Built only from
/// the assessment's result values; every piece of input text is escaped for HTML (and its control
/// characters shown as visible escapes), so nothing in a file can add markup to the report.
public enum ReportHTML {
    /// What a report is made from.
    public struct Input: Sendable {
        public var assessment: Assessment
        public var version: String
        /// The date the report was made, shown only when asked for (`--stamp`): without it the
        /// same inputs give the same bytes.
        public var stamp: String?
        /// The sensitivity analysis for the robustness section, or why there is none.
        public var sensitivity: SensitivityResult?
        public var sensitivityNote: String?
        /// What changed since an earlier assessment (`--compare`, `--rev`).
        public var changes: OutcomeDiff?
        /// What would it take (`--whatif`).
        public var whatifs: [WhatIfResult] = []
        /// What to find out next (`hubs gaps`).
        public var gaps: GapsResult?
        /// How the criteria move together on this scenario, for the method section.
        public var coherence: CoherenceReport?
        /// The full dossier: every candidate's card and every judgement's reason. Without it,
        /// the brief (summary, chart, robustness, what to find out next, what changed, method).
        public var dossier = false
        /// A report of this assessment by this version of hubs.
        public init(assessment: Assessment, version: String, stamp: String? = nil) {
            self.assessment = assessment
            self.version = version
            self.stamp = stamp
        }
    }

    /// The ranking chart alone (an SVG figure with its caption), as the report draws it: for
    /// pages that show the ranking live (`hubs serve`). Style it with `chartStyle`.
    public static func rankingFigure(_ a: Assessment) -> String { ReportChart.figure(a) }

    /// The report's stylesheet, for a page that shows the report's charts.
    public static var chartStyle: String { css }

    /// The whole report: the page template over the values of `ReportPage`, with the charts
    /// and analysis sections drawn by the chart module.
    public static func render(_ input: Input) -> String {
        let a = input.assessment
        var analyses = ""
        if input.sensitivity != nil || input.sensitivityNote != nil {
            analyses += ReportAnalyses.robustness(input.sensitivity, note: input.sensitivityNote)
        }
        if let g = input.gaps { analyses += ReportAnalyses.gaps(g, names: ReportAnalyses.names(a)) }
        if let d = input.changes { analyses += ReportAnalyses.changes(d) }
        if !input.whatifs.isEmpty { analyses += ReportAnalyses.whatifs(input.whatifs) }
        let page = ReportPage.Page(
            title: "\(a.policy.policy.title): \(a.scenario.title)", css: css, header: ReportPage.header(input),
            summary: ReportPage.summary(a, robustness: input.sensitivity, linked: input.dossier), chart: ReportChart.ranking(a),
            analyses: analyses,
            cards: input.dossier ? a.results.map { ReportPage.card($0, in: a) } : [],
            method: ReportPage.method(a.policy, coherence: input.coherence, full: input.dossier),
            sources: ReportPage.sources(a, citedFor: input.dossier),
            dossier: input.dossier)
        return ReportTemplates.render(page, .page)
    }
}
