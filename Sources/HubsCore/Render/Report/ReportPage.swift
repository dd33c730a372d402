/// What the report's templates show, as plain values made from an assessment: words and numbers
/// already formatted, text not yet escaped (the templates escape it). Nothing here is computed
/// again; each value is read from the results `score`, `explain` and the analyses produce.
enum ReportPage {
    struct Page {
        var title: String
        var css: String
        var header: Header
        var summary: Summary
        /// The chart module's figures and the analysis sections (markup escaped where it is made).
        var chart: String
        var analyses: String
        var cards: [Card]
        var method: Method
        var sources: [Source]
        /// The full dossier (every candidate's card, every judgement's reason) rather than the brief.
        var dossier: Bool
    }

    struct Header {
        var policyTitle, scenarioTitle, policyID, policyVersion, scenarioID, version: String
        var asOf, stamp, overrides: String?
        var inputs: [InputRow]
    }
    struct InputRow { var role, path, sha256: String }

    struct Summary {
        var sentences: [String]
        var rows: [RankRow]
    }
    struct RankRow {
        var rank, id, name, risk, band, status, coverage, evidence, assumed: String
        /// Whether the name links to the candidate's card (the dossier has them).
        var linked: Bool
    }

    struct Card {
        var id, name, risk, band, status, coverage: String
        var rank, like: String?
        var leaves: [Leaf]
        var facts: [FactRow]
        var gates: [GateRow]
        var assumptions: [String]
        var warnings: [String]
        // Stored, not computed: the templates see stored properties only.
        var hasFacts, hasGates, hasAssumptions, hasWarnings: Bool

        init(
            id: String, name: String, risk: String, band: String, status: String, coverage: String, rank: String?, like: String?,
            leaves: [Leaf], facts: [FactRow], gates: [GateRow], assumptions: [String], warnings: [String]
        ) {
            (self.id, self.name, self.risk, self.band, self.status, self.coverage) = (id, name, risk, band, status, coverage)
            (self.rank, self.like, self.leaves, self.facts, self.gates) = (rank, like, leaves, facts, gates)
            (self.assumptions, self.warnings) = (assumptions, warnings)
            (hasFacts, hasGates, hasAssumptions, hasWarnings) = (!facts.isEmpty, !gates.isEmpty, !assumptions.isEmpty, !warnings.isEmpty)
        }
    }
    struct Leaf {
        var title, risk, width, contribution: String
        var label: String?
        /// The policy's reason for the risk this leaf got (see `why(_:in:)`).
        var why: String?
        var assumed: Bool
    }
    struct FactRow {
        var name, value, date, confidence: String
        var source, note, inherited: String?
        var stale: Bool
        var hasNote: Bool
    }
    struct GateRow {
        var id, reason, outcome: String
        var excludes: Bool
    }

    struct Method {
        var description: String?
        var aggregate, minCoverage: String
        var rows: [TreeRow]
        var gates: [MethodGate]
        var bands: [MethodBand]
        /// How the criteria move together on this scenario (correlated pairs, alphas).
        var coherence: String?
        /// Whether each criterion's reason is shown (the dossier; the brief leaves it to `--dossier`).
        var full: Bool = true
    }
    struct TreeRow { var depth, title, rule, weight, share, why: String }
    struct MethodGate {
        var id, condition, reason: String
        var why: String?
    }
    struct MethodBand {
        var name: String
        var below, why: String?
    }

    struct Source {
        var id, title, date: String
        /// What the source is cited for (the dossier; the brief lists sources alone).
        var citedFor: String?
        var publisher, link, address: String?
    }

    static func header(_ input: ReportHTML.Input) -> Header {
        let a = input.assessment
        return Header(
            policyTitle: a.policy.policy.title, scenarioTitle: a.scenario.title, policyID: a.policy.id,
            policyVersion: a.policy.policy.version, scenarioID: a.scenario.id, version: input.version,
            asOf: a.scenario.asOf?.description, stamp: input.stamp,
            overrides: a.overrides.isEmpty ? nil : ScoreRenderer.overridesText(a.overrides),
            inputs: a.inputs.map { InputRow(role: $0.role.rawValue, path: $0.path, sha256: $0.sha256) })
    }

    static func summary(_ a: Assessment, robustness: SensitivityResult?, linked: Bool = true) -> Summary {
        let digits = ScoreRenderer.rankDigits(a)
        return Summary(
            sentences: ReportSummary.sentences(a) + ReportSummary.robustness(robustness),
            rows: a.results.map { r in
                let (ev, asm) = ScoreRenderer.split(r)
                return RankRow(
                    rank: r.rank.map(String.init) ?? "–", id: r.id, name: r.name,
                    risk: ScoreRenderer.riskText(r.risk, policy: a.policy, digits: digits),
                    band: r.band ?? "–", status: ScoreRenderer.statusText(r), coverage: Format.percent(r.coverage), evidence: ev,
                    assumed: asm, linked: linked)
            })
    }

    static func card(_ r: CandidateResult, in a: Assessment) -> Card {
        let leaves = r.criteria.filter(\.isLeaf).map { c in
            Leaf(
                title: c.title, risk: c.risk.map { Format.fixed($0, 0) } ?? "skipped", width: Format.fixed(c.risk ?? 0, 0),
                contribution: Format.fixed(c.contribution, 2), label: c.firedLabel, why: why(c, in: a.policy), assumed: c.assumed)
        }
        let found = a.table.warningsByCandidate[r.id] ?? []
        let stale = Set(found.filter { $0.code == .staleFact }.compactMap(\.location))
        let facts = FactText.distinctReads(r).map { f in
            let note = FactText.setOnCommandLine(f) ? FactText.commandLineNote : f.note
            return FactRow(
                name: f.name, value: FactText.value(f), date: f.sourceDate?.description ?? "–",
                confidence: f.confidence?.rawValue ?? "–", source: f.source, note: note, inherited: f.inheritedFrom,
                stale: f.location.map { stale.contains($0) } ?? false, hasNote: note != nil || f.inheritedFrom != nil)
        }
        let gates = r.gates.map { g in
            let outcome =
                switch g.outcome {
                case .passed: "passed"
                case .excluded: "excludes"
                case .undecided: g.excludedWhenUndecided ? "undecided, treated as excluding" : "undecided, treated as passed"
                }
            return GateRow(id: g.id, reason: g.reason, outcome: outcome, excludes: g.outcome == .excluded)
        }
        return Card(
            id: r.id, name: r.name, risk: r.risk.map { Format.fixed($0, 2) } ?? "n/a", band: r.band ?? "no band",
            status: ScoreRenderer.statusText(r), coverage: Format.percent(r.coverage), rank: r.rank.map(String.init),
            like: a.scenario.candidate(r.id)?.like, leaves: leaves, facts: facts, gates: gates,
            assumptions: r.assumptions.map(AssumptionText.text), warnings: found.filter { $0.severity == .warning }.map(\.message))
    }

    /// The rationale the policy gives for the risk a leaf got: the missing-data rule's when it
    /// applied, the fired case's for `cases`, else the rule's; the criterion's own when the rule
    /// gives none.
    static func why(_ c: CriterionResult, in p: CompiledPolicy) -> String? {
        guard p.criteria.indices.contains(c.index) else { return nil }
        let info = p.criteria[c.index]
        let specific: Rationale? =
            if c.missingRule != nil {
                info.missingRationale
            } else if let fired = c.firedCase, info.caseRationales.indices.contains(fired) {
                info.caseRationales[fired] ?? info.ruleRationale
            } else {
                info.ruleRationale
            }
        return specific?.text ?? info.rationale?.text
    }

    static func method(_ p: CompiledPolicy, coherence: CoherenceReport? = nil, full: Bool = true) -> Method {
        // The brief shows the groups; the dossier every criterion with its reason.
        let w = PolicyTreeRenderer.weights(p)
        return Method(
            description: p.policy.description, aggregate: p.policy.aggregate.rawValue, minCoverage: Format.percent(p.minimumCoverage),
            rows: p.criteria.enumerated().filter { _, c in full || c.depth == 0 }.map { i, c in
                TreeRow(
                    depth: String(c.depth), title: c.title, rule: PolicyTreeRenderer.ruleText(c), weight: Format.number(c.weight),
                    share: Format.percent(w[i].effective), why: PolicyTreeRenderer.whyText(c))
            },
            gates: p.gates.map { MethodGate(id: $0.id, condition: $0.condition, reason: $0.reason, why: $0.rationale?.text) },
            bands: p.bands.map { MethodBand(name: $0.name, below: $0.below.map(Format.number), why: $0.rationale?.text) },
            coherence: coherence.map(CoherenceRenderer.sentences), full: full)
    }

    static func sources(_ a: Assessment, citedFor: Bool = true) -> [Source] {
        Citations.of(a.results).compactMap { c in
            guard let s = a.scenario.source(c.id) else { return nil }
            let link = s.url.flatMap(Citations.webLink)
            return Source(
                id: c.id, title: s.title, date: s.date?.description ?? "undated",
                citedFor: citedFor ? Citations.citedFor(c.uses, candidates: a.results.count).joined(separator: "; ") : nil,
                publisher: s.publisher,
                link: link, address: link == nil ? (s.url ?? s.noAddress.map { "no web address: \($0)" }) : nil)
        }
    }
}
