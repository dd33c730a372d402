import Mustache

/// The report's HTML as Mustache templates, rendered by swift-mustache over the view values of
/// `ReportPage`. Escaping is in one place: every `{{value}}` goes through `Escaping.html` (the
/// templates' content type, `HUBS_HTML`), so text from a YAML file is always text; `{{{value}}}`
/// is only ever markup made by the chart module (`SVG`), which escapes its own text the same way.
enum ReportTemplates {
    /// HTML text as the report escapes it: control characters made visible, then `& < > " '`.
    struct HTMLText: MustacheContentType {
        func escapeText(_ text: String) -> String { Escaping.html(text) }
    }

    /// The report's templates, by name: a name that is not one of these cannot be written.
    enum Template: String, CaseIterable {
        case page, header, summary, card, method, sources, robustness, gaps, changes, whatifs

        var text: String {
            switch self {
            case .page: ReportTemplates.page
            case .header: ReportTemplates.header
            case .summary: ReportTemplates.summary
            case .card: ReportTemplates.card
            case .method: ReportTemplates.method
            case .sources: ReportTemplates.sources
            case .robustness: ReportTemplates.robustness
            case .changes: ReportTemplates.changes
            case .gaps: ReportTemplates.gaps
            case .whatifs: ReportTemplates.whatifs
            }
        }
    }

    /// The templates, parsed once. They are constants of this file: one that does not parse is
    /// a bug caught by the tests (`everyReportTemplateParses`), never an input error.
    static let library: MustacheLibrary = {
        MustacheContentTypes.register(HTMLText(), named: "HUBS_HTML")
        var library = MustacheLibrary()
        for template in Template.allCases {
            do {
                try library.register("{{% CONTENT_TYPE: HUBS_HTML}}" + template.text, named: template.rawValue)
            } catch {
                preconditionFailure("the report template '\(template.rawValue)' does not parse: \(error)")
            }
        }
        return library
    }()

    /// Renders `value` with `template`. Every template is registered in `library`, so there is
    /// always an output.
    static func render(_ value: Any, _ template: Template) -> String {
        guard let out = library.render(value, withTemplate: template.rawValue) else {
            preconditionFailure("the report template '\(template.rawValue)' is not registered")
        }
        return out
    }

    static let robustness = """
        <section id="robustness">
        <h2>Robustness</h2>
        {{#note}}
        <p>{{.}}</p>
        {{/note}}
        {{#result}}
        <p>{{samples}} Monte Carlo runs (seed {{seed}}) over {{inputCount}} uncertain inputs: {{inputs}}.</p>
        <p>{{unknowns}}</p>
        {{{chart}}}<table class="bands">
        <thead><tr><th>Candidate</th><th>Band probabilities</th><th>Risk, 90% of runs</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr><td>{{name}}</td><td>{{{bar}}} {{bands}}</td><td class="num">{{low}}–{{high}}</td></tr>
        {{/rows}}
        </tbody>
        </table>
        <ul>
        {{#sentences}}
        <li>{{.}}</li>
        {{/sentences}}
        </ul>
        {{#hasIndices}}
        <h3>The inputs that matter most</h3>
        <table>
        <thead><tr><th>Input</th><th>First-order index</th><th>Total index</th></tr></thead>
        <tbody>
        {{#indices}}
        <tr><td>{{input}}</td><td class="num">{{first}}</td><td class="num">{{total}}</td></tr>
        {{/indices}}
        </tbody>
        </table>
        <p>Sobol indices on the mean absolute rank shift: the share of its variance each input explains alone (first-order) and with its interactions (total).</p>
        {{/hasIndices}}
        {{/result}}
        </section>

        """

    static let changes = """
        <section id="changes">
        <h2>What changed</h2>
        <p>Before: {{before}}. After: {{after}}.</p>
        {{{chart}}}{{^hasList}}
        <p>No candidate's outcome changed.</p>
        {{/hasList}}
        {{#hasList}}
        <ul>
        {{#changed}}
        <li><strong>{{name}}</strong>{{#delta}}: risk {{.}}{{/delta}}{{#parts}}; by criterion: {{.}}{{/parts}}{{#bar}} {{{.}}}{{/bar}}{{#facts}}; {{fact}} {{before}} → {{after}}{{#evidence}} [{{.}}]{{/evidence}}{{#note}} ({{.}}){{/note}}{{/facts}}</li>
        {{/changed}}
        {{#policyChanges}}
        <li>Policy changes: {{.}}</li>
        {{/policyChanges}}
        </ul>
        {{/hasList}}
        </section>

        """

    static let gaps = """
        <section id="gaps">
        <h2>What to find out next</h2>
        <p>{{intro}}</p>
        {{#hasRows}}
        <table>
        <thead><tr><th>Candidate</th><th>Missing fact</th><th>Now</th><th>Over its values</th><th>Could change</th><th>Coverage</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr><td>{{candidate}}</td><td>{{fact}}</td><td>{{now}}</td><td>{{over}}</td><td>{{could}}</td><td class="num">{{coverage}}</td></tr>
        {{/rows}}
        </tbody>
        </table>
        {{/hasRows}}
        {{#more}}
        <p>{{.}}</p>
        {{/more}}
        </section>

        """

    static let whatifs = """
        <section id="whatif">
        <h2>What would it take</h2>
        {{#goals}}
        <h3>{{name}}: {{goal}}</h3>
        {{#met}}
        <p>Already met.</p>
        {{/met}}
        {{#blocked}}
        <p>{{.}}</p>
        {{/blocked}}
        {{#hasAnswers}}
        <table>
        <thead><tr><th>Changes</th><th>Risk</th><th>Band</th><th>Rank</th><th>To spare</th><th>Found</th></tr></thead>
        <tbody>
        {{#answers}}
        <tr><td>{{changes}}</td><td class="num">{{risk}}</td><td>{{band}}</td><td class="num">{{rank}}</td><td class="num">{{spare}}</td><td>{{#exact}}exact{{/exact}}{{^exact}}approximate{{/exact}}</td></tr>
        {{/answers}}
        </tbody>
        </table>
        {{/hasAnswers}}
        {{/goals}}
        </section>

        """

    static let page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <style>
        {{{css}}}</style>
        </head>
        <body>
        {{#header}}{{> header}}{{/header}}
        {{#summary}}{{> summary}}{{/summary}}
        {{{chart}}}{{{analyses}}}{{#dossier}}<section id="candidates">
        <h2>Candidates</h2>
        {{#cards}}
        {{> card}}
        {{/cards}}
        </section>
        {{/dossier}}{{^dossier}}<p class="note">Each candidate's full explanation (facts, sources, every criterion's contribution) is in the dossier: <code>hubs report --dossier</code>, or <code>hubs explain CANDIDATE</code>.</p>
        {{/dossier}}{{#method}}{{> method}}{{/method}}
        {{> sources}}
        </body>
        </html>

        """

    static let header = """
        <header>
        <h1>{{policyTitle}}</h1>
        <p class="sub">{{scenarioTitle}}</p>
        <dl class="meta">
        <dt>Policy</dt><dd><code>{{policyID}}</code> version {{policyVersion}}</dd>
        <dt>Scenario</dt><dd><code>{{scenarioID}}</code>{{#asOf}}, facts as of {{.}}{{/asOf}}{{^asOf}}, no as-of date{{/asOf}}</dd>
        <dt>Made with</dt><dd>hubs {{version}}{{#stamp}}, on {{.}}{{/stamp}}</dd>
        {{#overrides}}
        <dt>Overrides</dt><dd class="warn">{{.}}</dd>
        {{/overrides}}
        </dl>
        <table class="inputs">
        <thead><tr><th>Input</th><th>File</th><th>SHA-256</th></tr></thead>
        <tbody>
        {{#inputs}}
        <tr><td>{{role}}</td><td><code>{{path}}</code></td><td><code>{{sha256}}</code></td></tr>
        {{/inputs}}
        </tbody>
        </table>
        </header>
        """

    static let summary = """
        <section id="summary">
        <h2>Summary</h2>
        {{#sentences}}
        <p>{{.}}</p>
        {{/sentences}}
        <table class="ranking">
        <thead><tr><th>#</th><th>Candidate</th><th>Risk</th><th>Band</th><th>Status</th><th>Coverage</th><th>From evidence</th><th>From assumptions</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr><td>{{rank}}</td><td>{{#linked}}<a href="#c-{{id}}">{{name}}</a>{{/linked}}{{^linked}}{{name}}{{/linked}}</td><td class="num">{{risk}}</td><td>{{band}}</td><td>{{status}}</td><td class="num">{{coverage}}</td><td class="num">{{evidence}}</td><td class="num">{{assumed}}</td></tr>
        {{/rows}}
        </tbody>
        </table>
        </section>
        """

    static let card = """
        <article class="card" id="c-{{id}}">
        <h3>{{name}}</h3>
        <p class="status"><strong>Risk {{risk}}</strong> ({{band}}), {{status}}{{#rank}}, rank {{.}}{{/rank}}, coverage {{coverage}}.</p>
        {{#like}}
        <p>A variant of <code>{{.}}</code>: facts marked <em>inherited</em> come from it.</p>
        {{/like}}
        <table class="leaves">
        <thead><tr><th>Criterion</th><th>Risk</th><th></th><th>Contribution</th></tr></thead>
        <tbody>
        {{#leaves}}
        <tr><td>{{title}}{{#label}} <small>({{.}})</small>{{/label}}{{#why}}<br><small class="why">{{.}}</small>{{/why}}</td><td class="num">{{risk}}</td><td class="barcell"><span class="minibar{{#assumed}} assumed{{/assumed}}" style="width:{{width}}%"></span></td><td class="num">{{contribution}}{{#assumed}} <em>assumed</em>{{/assumed}}</td></tr>
        {{/leaves}}
        </tbody>
        </table>
        {{#hasFacts}}
        <table class="facts">
        <thead><tr><th>Fact</th><th>Value</th><th>Source</th><th>Date</th><th>Confidence</th><th>Note</th></tr></thead>
        <tbody>
        {{#facts}}
        <tr><td>{{name}}</td><td>{{value}}</td><td>{{#source}}<a href="#s-{{.}}">{{.}}</a>{{/source}}{{^source}}–{{/source}}</td><td>{{date}}</td><td>{{confidence}}</td><td>{{#stale}}<strong class="stale">stale</strong>{{#hasNote}}; {{/hasNote}}{{/stale}}{{note}}{{#inherited}}{{#note}}; {{/note}}<em>inherited from {{.}}</em>{{/inherited}}</td></tr>
        {{/facts}}
        </tbody>
        </table>
        {{/hasFacts}}
        {{#hasGates}}
        <h4>Gates</h4>
        <ul>{{#gates}}<li>{{id}}: {{#excludes}}<strong>excludes</strong>: {{reason}}{{/excludes}}{{^excludes}}{{outcome}}{{/excludes}}</li>{{/gates}}</ul>
        {{/hasGates}}
        {{#hasAssumptions}}
        <h4>Assumptions</h4>
        <ul>{{#assumptions}}<li>{{.}}</li>{{/assumptions}}</ul>
        {{/hasAssumptions}}
        {{#hasWarnings}}
        <h4>About the evidence</h4>
        <ul>{{#warnings}}<li>{{.}}</li>{{/warnings}}</ul>
        {{/hasWarnings}}
        </article>
        """

    static let method = """
        <section id="method">
        <h2>Method</h2>
        {{#description}}
        <p>{{.}}</p>
        {{/description}}
        <p>Risk runs from 0 (no concern) to 100 (severe concern). The top-level criteria combine by {{aggregate}}; candidates with less than {{minCoverage}} of the weight on known facts are not ranked; a contribution that rests on a missing-data rule is an assumption and is drawn hatched.</p>
        <table class="tree">
        <thead><tr><th>Criterion</th><th>Rule</th><th>Weight</th><th>Of total</th>{{#full}}<th>Why</th>{{/full}}</tr></thead>
        <tbody>
        {{#rows}}
        <tr><td class="d{{depth}}">{{title}}</td><td>{{rule}}</td><td class="num">{{weight}}</td><td class="num">{{share}}</td>{{#full}}<td>{{why}}</td>{{/full}}</tr>
        {{/rows}}
        </tbody>
        </table>
        {{#coherence}}
        <p>{{.}}</p>
        {{/coherence}}
        <h3>Gates</h3>
        <ul>
        {{#gates}}
        <li><strong>{{id}}</strong>: excludes when <code>{{condition}}</code>. {{reason}}{{#why}} <em>Why:</em> {{.}}{{/why}}</li>
        {{/gates}}
        </ul>
        <h3>Bands</h3>
        <ul>
        {{#bands}}
        <li><strong>{{name}}</strong>{{#below}}: below {{.}}{{/below}}{{^below}}: the rest{{/below}}{{#why}}. {{.}}{{/why}}</li>
        {{/bands}}
        </ul>
        </section>
        """

    static let sources = """
        <section id="sources">
        <h2>Sources</h2>
        {{^dossier}}
        <p class="compact">{{#sources}}<span id="s-{{id}}"><strong>{{id}}</strong> {{title}}{{#publisher}}, {{.}}{{/publisher}}, {{date}}. </span>{{/sources}}</p>
        <p class="note">Addresses, and what each source is cited for, are in the dossier (<code>hubs report --dossier</code>).</p>
        {{/dossier}}
        {{#dossier}}
        <ol class="sources">
        {{#sources}}
        <li id="s-{{id}}"><strong>{{id}}</strong>: {{title}}{{#publisher}}. {{.}}{{/publisher}}, {{date}}{{#link}}. <a href="{{.}}">{{.}}</a>{{/link}}{{#address}}. {{.}}{{/address}}{{#citedFor}}<br><small>Cited for {{.}}</small>{{/citedFor}}</li>
        {{/sources}}
        </ol>
        {{/dossier}}
        </section>
        """
}
