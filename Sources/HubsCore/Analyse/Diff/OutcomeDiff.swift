/// What counts as a difference for the exit code of `hubs diff`.
public enum DiffTrigger: String, Sendable, CaseIterable {
    case any, rank, band, status
}

/// A fact whose value (or state) differs between the two sides, for one candidate.
public struct FactChange: Sendable, Equatable {
    public var fact: String
    public var before: String
    public var after: String
    public var sourceBefore: String?
    public var sourceAfter: String?
    /// The analyst's note on the new value (HYPOTHETICAL, say), if any.
    public var noteAfter: String?
    /// Whether the new value was typed on the command line (`--set`) rather than read from a file.
    public var setOnCommandLine = false
    /// What changed in the fact's evidence besides its value: confidence, source, date, note,
    /// interval, alternatives (a fact may change here alone, its value as it was).
    public var provenance: [ProvenanceChange] = []
    /// Whether the value (or its state: unknown, not given) changed.
    public var valueChanged: Bool { before != after }
}

/// One part of a fact's evidence that changed: `field` is confidence, source, as_of, note,
/// interval or alternatives, as a scenario writes them.
public struct ProvenanceChange: Sendable, Equatable {
    public var field: String
    public var before: String?
    public var after: String?
}

/// One criterion's part of a candidate's risk change: the change in its contribution.
public struct CriterionPart: Sendable, Equatable {
    public var criterion: String
    public var title: String
    public var before: Double
    public var after: Double
    /// Whether the contribution rested on a missing-data rule before / after (an assumption, not evidence).
    public var assumedBefore = false
    public var assumedAfter = false
    public var delta: Double { after - before }
    public var assumed: Bool { assumedBefore || assumedAfter }
}

/// One candidate on both sides: whether it was added, removed, changed or not, and why.
public struct CandidateChange: Sendable {
    /// How a candidate differs between the sides.
    public enum Kind: String, Sendable { case added, removed, changed, unchanged }
    public var id: String
    public var name: String
    public var kind: Kind
    public var before: CandidateResult?
    public var after: CandidateResult?
    /// Leaf criteria whose contribution changed, largest change first. For every candidate
    /// scored on both sides, these add up to the change in risk.
    public var parts: [CriterionPart]
    /// Facts read by either policy whose value differs.
    public var facts: [FactChange]

    public var riskDelta: Double? {
        guard let a = before?.risk, let b = after?.risk else { return nil }
        return b - a
    }
    public var rankChanged: Bool { before?.rank != after?.rank }
    public var bandChanged: Bool { before?.band != after?.band }
    public var statusChanged: Bool {
        before?.status != after?.status || before?.excludingGates.map(\.id) != after?.excludingGates.map(\.id)
    }
}

/// The outcome of two assessments compared candidate by candidate, with the policy changes
/// between them.
public struct OutcomeDiff: Sendable {
    public var before: Assessment
    public var after: Assessment
    public var policyChanges: [PolicyChange]
    /// After's order first, then candidates only the before side has.
    public var candidates: [CandidateChange]

    public var changed: [CandidateChange] { candidates.filter { $0.kind != .unchanged } }

    /// Whether the outcomes differ in the way `trigger` asks about.
    public func differs(on trigger: DiffTrigger) -> Bool {
        candidates.contains { c in
            switch (trigger, c.kind) {
            case (_, .unchanged): false
            case (.any, _), (.rank, .added), (.rank, .removed), (.status, .added), (.status, .removed): true
            case (.band, .added), (.band, .removed): true
            case (.rank, .changed): c.rankChanged
            case (.band, .changed): c.bandChanged
            case (.status, .changed): c.statusChanged
            }
        }
    }

    /// Compares two assessments candidate by candidate (and their policies, when they differ).
    public static func compare(_ a: Assessment, _ b: Assessment) -> OutcomeDiff {
        let policyChanges = PolicyDiff.compare(a.policy, b.policy)
        var out: [CandidateChange] = []
        let ids = b.results.map(\.id) + a.results.map(\.id).filter { id in !b.results.contains { $0.id == id } }
        for id in ids {
            let x = a.result(for: id)
            let y = b.result(for: id)
            let kind: CandidateChange.Kind
            switch (x, y) {
            case (nil, _): kind = .added
            case (_, nil): kind = .removed
            case let (x?, y?):
                let riskSame = x.risk == y.risk || (x.risk.flatMap { a in y.risk.map { RiskComparison.ties(a, $0) } } ?? false)
                let same =
                    riskSame && x.rank == y.rank && x.band == y.band && x.status == y.status
                    && x.excludingGates.map(\.id) == y.excludingGates.map(\.id)
                kind = same ? .unchanged : .changed
            }
            out.append(
                CandidateChange(
                    id: id, name: y?.name ?? x?.name ?? id, kind: kind, before: x, after: y,
                    parts: parts(x, y), facts: facts(id, a, b)))
        }
        return OutcomeDiff(before: a, after: b, policyChanges: policyChanges, candidates: out)
    }

    /// Leaf contributions on each side; their differences add up to the change in risk, since each
    /// side's contributions add up to its risk.
    static func parts(_ x: CandidateResult?, _ y: CandidateResult?) -> [CriterionPart] {
        guard let x, let y else { return [] }
        var result: [CriterionPart] = []
        let leavesX = x.criteria.filter(\.isLeaf)
        let leavesY = y.criteria.filter(\.isLeaf)
        let beforeByID = Dictionary(leavesX.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let idsY = Set(leavesY.map(\.id))
        for l in leavesY {
            let b = beforeByID[l.id]
            result.append(
                CriterionPart(
                    criterion: l.id, title: l.title, before: b?.contribution ?? 0, after: l.contribution,
                    assumedBefore: b?.assumed ?? false, assumedAfter: l.assumed))
        }
        for l in leavesX where !idsY.contains(l.id) {
            result.append(CriterionPart(criterion: l.id, title: l.title, before: l.contribution, after: 0, assumedBefore: l.assumed))
        }
        return result.filter { Swift.abs($0.delta) > 1e-12 }
            .sorted { (Swift.abs($0.delta), $1.criterion) > (Swift.abs($1.delta), $0.criterion) }
    }

    /// Facts either policy reads whose value, state or evidence (confidence, source, date, note,
    /// interval, alternatives) differs for this candidate.
    static func facts(_ id: String, _ a: Assessment, _ b: Assessment) -> [FactChange] {
        guard let ca = a.scenario.candidate(id), let cb = b.scenario.candidate(id) else { return [] }
        var names: [String] = []
        for f in a.policy.facts + b.policy.facts where !names.contains(f.name) { names.append(f.name) }
        var out: [FactChange] = []
        for name in names {
            let fa = ca.fact(name)
            let fb = cb.fact(name)
            let va = show(fa)
            let vb = show(fb)
            let provenance = provenanceChanges(fa, fb)
            if va != vb || !provenance.isEmpty {
                out.append(
                    FactChange(
                        fact: name, before: va, after: vb, sourceBefore: fa?.source, sourceAfter: fb?.source, noteAfter: fb?.note,
                        setOnCommandLine: fb?.location.isCommandLine == true, provenance: provenance))
            }
        }
        return out
    }

    /// The parts of two versions of a fact's evidence that differ (none when either is absent).
    static func provenanceChanges(_ a: Fact?, _ b: Fact?) -> [ProvenanceChange] {
        guard let a, let b else { return [] }
        func interval(_ f: Fact) -> String? { f.interval.map { "[\(Format.number($0.low)), \(Format.number($0.high))]" } }
        func alternatives(_ f: Fact) -> String? { f.alternatives.map { $0.map(\.text).joined(separator: ", ") } }
        let fields: [(String, String?, String?)] = [
            ("confidence", a.confidence?.rawValue, b.confidence?.rawValue), ("source", a.source, b.source),
            ("as_of", a.asOf?.description, b.asOf?.description), ("note", a.note, b.note),
            ("interval", interval(a), interval(b)), ("alternatives", alternatives(a), alternatives(b)),
        ]
        return fields.filter { $0.1 != $0.2 }.map { ProvenanceChange(field: $0.0, before: $0.1, after: $0.2) }
    }

    static func show(_ f: Fact?) -> String {
        guard let f else { return "not given" }
        switch f.state {
        case .unknown: return "unknown"
        case let .given(s): return s.text
        }
    }
}
