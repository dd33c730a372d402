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
        /// A report of this assessment by this version of hubs.
        public init(assessment: Assessment, version: String, stamp: String? = nil) {
            self.assessment = assessment
            self.version = version
            self.stamp = stamp
        }
    }

    /// Text for HTML: control characters made visible, then `& < > " '` escaped.
    static func h(_ s: String) -> String {
        var out = ""
        for ch in Escaping.terminal(s) {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// An http(s) address as a link; anything else as text.
    static func link(_ url: String) -> String { Citations.webLink(url).map { "<a href=\"\(h($0))\">\(h($0))</a>" } ?? h(url) }

    /// The whole report.
    public static func render(_ input: Input) -> String {
        let a = input.assessment
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(h(a.policy.policy.title)): \(h(a.scenario.title))</title>\n<style>\n\(css)</style>\n</head>\n<body>\n"
        out += titleBlock(input)
        out += summary(a)
        out += ReportChart.ranking(a)
        if input.sensitivity != nil || input.sensitivityNote != nil {
            out += ReportAnalyses.robustness(input.sensitivity, note: input.sensitivityNote)
        }
        if let d = input.changes { out += ReportAnalyses.changes(d) }
        if !input.whatifs.isEmpty { out += ReportAnalyses.whatifs(input.whatifs) }
        out += "<section id=\"candidates\">\n<h2>Candidates</h2>\n"
        for r in a.results { out += ReportCards.card(r, in: a) }
        out += "</section>\n"
        out += method(a.policy)
        out += sources(a)
        out += "</body>\n</html>\n"
        return out
    }

    static func titleBlock(_ input: Input) -> String {
        let a = input.assessment
        let p = a.policy.policy
        var out = "<header>\n<h1>\(h(p.title))</h1>\n<p class=\"sub\">\(h(a.scenario.title))</p>\n<dl class=\"meta\">\n"
        out += "<dt>Policy</dt><dd><code>\(h(a.policy.id))</code> version \(h(p.version))</dd>\n"
        out +=
            "<dt>Scenario</dt><dd><code>\(h(a.scenario.id))</code>\(a.scenario.asOf.map { ", facts as of \($0)" } ?? ", no as-of date")</dd>\n"
        out += "<dt>Made with</dt><dd>hubs \(h(input.version))\(input.stamp.map { ", on \(h($0))" } ?? "")</dd>\n"
        if !a.overrides.isEmpty { out += "<dt>Overrides</dt><dd class=\"warn\">\(h(ScoreRenderer.overridesText(a.overrides)))</dd>\n" }
        out += "</dl>\n<table class=\"inputs\">\n<thead><tr><th>Input</th><th>File</th><th>SHA-256</th></tr></thead>\n<tbody>\n"
        for f in a.inputs {
            out += "<tr><td>\(f.role.rawValue)</td><td><code>\(h(f.path))</code></td><td><code>\(f.sha256)</code></td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</header>\n"
    }

    static func summary(_ a: Assessment) -> String {
        var out = "<section id=\"summary\">\n<h2>Summary</h2>\n"
        out += ReportSummary.sentences(a).map { "<p>\(h($0))</p>\n" }.joined()
        out += "<table class=\"ranking\">\n<thead><tr><th>#</th><th>Candidate</th><th>Risk</th><th>Band</th><th>Status</th>"
        out += "<th>Coverage</th><th>From evidence</th><th>From assumptions</th></tr></thead>\n<tbody>\n"
        for r in a.results {
            let (ev, asm) = ScoreRenderer.split(r)
            out += "<tr><td>\(r.rank.map(String.init) ?? "–")</td><td><a href=\"#c-\(h(r.id))\">\(h(r.name))</a></td>"
            out += "<td class=\"num\">\(ScoreRenderer.riskText(r.risk, policy: a.policy))</td><td>\(h(r.band ?? "–"))</td>"
            out += "<td>\(h(ScoreRenderer.statusText(r)))</td><td class=\"num\">\(Format.percent(r.coverage))</td>"
            out += "<td class=\"num\">\(ev)</td><td class=\"num\">\(asm)</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    static func method(_ p: CompiledPolicy) -> String {
        var out = "<section id=\"method\">\n<h2>Method</h2>\n"
        if let d = p.policy.description { out += "<p>\(h(d))</p>\n" }
        out += "<p>Risk runs from 0 (no concern) to 100 (severe concern). The top-level criteria combine by "
        out += "\(p.policy.aggregate.rawValue); candidates with less than \(Format.percent(p.minimumCoverage)) of the weight on known "
        out += "facts are not ranked; a contribution that rests on a missing-data rule is an assumption and is drawn hatched.</p>\n"
        out +=
            "<table class=\"tree\">\n<thead><tr><th>Criterion</th><th>Rule</th><th>Weight</th><th>Of total</th><th>Why</th></tr></thead>\n<tbody>\n"
        let w = PolicyTreeRenderer.weights(p)
        for (i, c) in p.criteria.enumerated() {
            let rule = PolicyTreeRenderer.ruleText(c)
            let why = PolicyTreeRenderer.whyText(c)
            out += "<tr><td class=\"d\(c.depth)\">\(h(c.title))</td><td>\(h(rule))</td><td class=\"num\">\(Format.number(c.weight))</td>"
            out += "<td class=\"num\">\(Format.percent(w[i].effective))</td><td>\(h(why))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n<h3>Gates</h3>\n<ul>\n"
        for g in p.gates {
            out += "<li><strong>\(h(g.id))</strong>: excludes when <code>\(h(g.condition))</code>. \(h(g.reason))"
            out += g.rationale?.text.map { " <em>Why:</em> \(h($0))" } ?? ""
            out += "</li>\n"
        }
        out += "</ul>\n<h3>Bands</h3>\n<ul>\n"
        for b in p.bands {
            out += "<li><strong>\(h(b.name))</strong>\(b.below.map { ": below \(Format.number($0))" } ?? ": the rest")"
            out += b.rationale?.text.map { ". \(h($0))" } ?? ""
            out += "</li>\n"
        }
        return out + "</ul>\n</section>\n"
    }

    static func sources(_ a: Assessment) -> String {
        var out = "<section id=\"sources\">\n<h2>Sources</h2>\n<ol class=\"sources\">\n"
        for c in Citations.of(a.results) {
            guard let s = a.scenario.source(c.id) else { continue }
            out += "<li id=\"s-\(h(c.id))\"><strong>\(h(c.id))</strong>: \(h(s.title))"
            out += s.publisher.map { ". \(h($0))" } ?? ""
            out += s.date.map { ", \($0)" } ?? ", undated"
            out += s.url.map { ". \(link($0))" } ?? ""
            out +=
                "<br><small>Cited for \(h(Citations.citedFor(c.uses, candidates: a.results.count).joined(separator: "; ")))</small></li>\n"
        }
        return out + "</ol>\n</section>\n"
    }
}
