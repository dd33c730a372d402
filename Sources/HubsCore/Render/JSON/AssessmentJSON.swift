/// The JSON shape of `hubs score --format json` and `hubs explain --format json`
/// (schema "hubs.assessment/1", documented in docs/json.md). Add fields; never rename or remove.
/// Written straight to bytes by a `JSONWriter`, a block of candidates at a time.
public enum AssessmentJSON {
    public static let schema = "hubs.assessment/1"

    /// The command-line overrides a result was made under: each argument as typed, the value the
    /// file gave before (null when it gave none), and the argument's `<command line>` location.
    public static func overridesJSON(_ overrides: [AppliedOverride]) -> JSON {
        .array(
            overrides.map {
                .object([
                    ("option", .string($0.option)), ("argument", .string($0.argument)), ("previous", .str($0.previous)),
                    ("location", .string($0.location.description)),
                ])
            })
    }

    /// The whole assessment, or only `candidates` of it (for `explain`), as one JSON document,
    /// with the results as the assessment keeps them (a full one holds every fact read).
    public static func document(_ a: Assessment, candidates: [CandidateResult]? = nil) -> JSONText {
        document(a, results: .asKept(a, of: candidates))
    }

    /// The assessment with these explained results, as one JSON document.
    public static func document(_ a: Assessment, results: Explanations) -> JSONText {
        JSONText { w in write(a, results: results, to: &w, flush: nil) }
    }

    /// The same document as `document(a)`, byte for byte, handed to `flush` in pieces of about
    /// `flushAt` bytes (or a part of a block of candidates, if larger): a block of candidates is
    /// written at a time, its parts side by side, so the output's size does not set the memory
    /// used.
    public static func stream(
        _ a: Assessment, results: Explanations, flushAt: Int = 1 << 16, flush: (UnsafeRawBufferPointer) -> Void
    ) {
        var w = JSONWriter()
        withoutActuallyEscaping(flush) { sink in write(a, results: results, to: &w, flush: (flushAt, sink)) }
        w.out.withBytes(flush)
    }

    static func write(
        _ a: Assessment, results: Explanations, to w: inout JSONWriter, flush: (Int, (UnsafeRawBufferPointer) -> Void)?
    ) {
        let p = a.policy
        w.beginObject()
        w.member("schema", .string(schema))
        w.member(
            "policy",
            .object([
                ("id", .string(p.id)), ("title", .string(p.policy.title)), ("version", .string(p.policy.version)),
                ("file", .string(p.policy.file.path)), ("sha256", .string(p.policy.file.sha256)),
            ]))
        w.member(
            "scenario",
            .object([
                ("id", .string(a.scenario.id)), ("title", .string(a.scenario.title)),
                ("as_of", .str(a.scenario.asOf?.description)),
                ("lineage", .array(a.scenario.lineage.map { .string($0) })),
            ]))
        w.member(
            "inputs",
            .array(
                a.inputs.map {
                    .object([("role", .string($0.role.rawValue)), ("path", .string($0.path)), ("sha256", .string($0.sha256))])
                }))
        w.member("overrides", overridesJSON(a.overrides))
        w.member("min_coverage", .number(p.minimumCoverage))
        w.member("bands", .array(p.bands.map { .object([("name", .string($0.name)), ("below", .num($0.below))]) }))
        w.key("candidates")
        w.beginArray()
        // The output always holds every fact read; memory holds one block of explained results
        // when the assessment keeps less.
        // Candidates are written a block at a time, the block's parts side by side (each part
        // by a writer that continues where the document stands), and joined in order.
        let bases = a.scenario.candidates.map(\.basis)
        var block: [CandidateResult] = []
        block.reserveCapacity(writeBlock)
        var buffers: [ByteBuffer?] = Array(repeating: nil, count: writeBlock / writePart)
        func writeOut() {
            let parts = (block.count + writePart - 1) / writePart
            if parts <= 1 {
                for r in block { candidate(r, policy: p, spread: a.spread(of: r), basis: bases[r.candidateIndex], to: &w) }
            } else {
                let written = Slots<JSONWriter>(count: parts)
                for k in 0..<parts { written.items[k] = w.continuation(after: k * writePart, buffer: buffers[k]) }
                let all = block
                let spreadList = a.assumptionSpreads
                @Sendable func spreads(_ r: CandidateResult) -> AssumptionSpread? {
                    r.candidateIndex < spreadList.count ? spreadList[r.candidateIndex] : nil
                }
                concurrentStride(parts, threads: parts) { k in
                    guard var part = written.take(k) else { return }
                    for r in all[(k * writePart)..<Swift.min(all.count, (k + 1) * writePart)] {
                        candidate(r, policy: p, spread: spreads(r), basis: bases[r.candidateIndex], to: &part)
                    }
                    written.items[k] = part
                }
                for k in 0..<parts { if let part = written.take(k) { buffers[k] = w.append(part, passingTo: flush?.1) } }
            }
            block.removeAll(keepingCapacity: true)
            if let (threshold, sink) = flush { w.flush(ifAtLeast: threshold, to: sink) }
        }
        for r in results {
            block.append(r)
            if block.count == writeBlock { writeOut() }
        }
        writeOut()
        w.endArray()
        w.member("warnings", .array(a.warnings.filter { $0.severity != .note }.map(\.json)))
        w.endObject()
    }

    /// Candidates written per block (the most held as bytes at once) and per part of a block.
    static let writeBlock = 16
    static let writePart = 2

    static func candidate(
        _ r: CandidateResult, policy: CompiledPolicy, spread: AssumptionSpread? = nil, basis: CandidateBasis? = nil, to w: inout JSONWriter
    ) {
        w.beginObject()
        w.field("id", r.id)
        w.field("name", r.name)
        w.field("position", r.position)
        w.field("rank", r.rank.map(Double.init))
        w.field("status", r.status.id)
        w.field("risk", r.risk)
        w.field("band", r.band)
        w.field("coverage", r.coverage)
        if let s = spread { w.member("assumption_spread", spreadJSON(s)) }
        if let b = basis {
            w.member("basis", .object([("kind", .string(b.kind.rawValue)), ("source", .str(b.source)), ("note", .str(b.note))]))
        }
        w.field("risk_from_evidence", r.riskFromEvidence)
        w.field("risk_from_assumptions", r.riskFromAssumptions)
        w.objects("coverage_gaps", r.coverageGaps) { w, g in
            w.field("fact", g.fact)
            w.field("state", g.state.rawValue)
            w.field("share", g.share)
        }
        w.objects("excluded_by", r.excludingGates) { w, g in
            w.field("gate", g.id)
            w.field("reason", g.reason)
        }
        w.objects("drivers", r.drivers()) { w, d in
            w.field("criterion", d.id)
            w.field("contribution", d.contribution)
            w.field("assumed", d.assumed)
        }
        w.objects("gates", r.gates) { w, g in
            w.field("id", g.id)
            w.field("outcome", g.outcome.rawValue)
            w.field("condition", g.condition)
            w.field("reason", g.reason)
            readings(g.reads, to: &w)
        }
        w.array("criteria", r.criteria.indices) { w, i in criterion(i, of: r, policy: policy, to: &w) }
        w.array("assumptions", r.assumptions) { w, x in w.string(AssumptionText.text(x)) }
        w.endObject()
    }

    /// Criterion `i` of `r`. Fields are read in place: a copy of the criterion (or of the
    /// policy's entry for it) would retain its strings and arrays, for every criterion of every
    /// candidate written.
    static func criterion(_ i: Int, of r: CandidateResult, policy: CompiledPolicy, to w: inout JSONWriter) {
        let ci = r.criteria[i].index
        w.beginObject()
        w.field("id", r.criteria[i].id)
        w.field("title", r.criteria[i].title)
        w.field("parent", policy.criteria[ci].parent.map { policy.criteria[$0].id })
        w.field("depth", r.criteria[i].depth)
        switch policy.criteria[ci].kind {
        case let .group(agg):
            w.field("kind", "group")
            w.field("aggregate", agg.rawValue)
        case let .leaf(rule, _):
            w.field("kind", "leaf")
            w.field("rule", rule.rawValue)
        }
        w.field("weight", r.criteria[i].weight)
        w.field("normalized_weight", r.criteria[i].normalizedWeight)
        w.field("effective_weight", r.criteria[i].effectiveWeight)
        w.field("risk", r.criteria[i].risk)
        w.field("contribution", r.criteria[i].contribution)
        w.field("skipped", r.criteria[i].skipped)
        w.field("assumed", r.criteria[i].assumed)
        if r.criteria[i].isLeaf {
            w.field("raw_value", r.criteria[i].rawValue)
            w.key("missing_rule")
            switch r.criteria[i].missingRule {
            case .worst?: w.string("worst")
            case .skip?: w.string("skip")
            case let .assume(v)?:
                w.beginObject()
                w.field("assume", v)
                w.endObject()
            case nil: w.null()
            }
            w.key("case")
            if let index = r.criteria[i].firedCase {
                w.beginObject()
                w.field("index", index)
                w.field("label", r.criteria[i].firedLabel)
                w.endObject()
            } else {
                w.null()
            }
            readings(r.criteria[i].reads, to: &w)
        }
        w.endObject()
    }

    /// `"reads": [READ]`, the facts a criterion or gate read.
    static func readings(_ reads: [FactReading], to w: inout JSONWriter) {
        // By index: a `for` over the readings would copy each, retaining all its strings.
        w.objects("reads", reads.indices) { w, i in
            w.field("fact", reads[i].name)
            w.field("state", reads[i].state.rawValue)
            w.field("value", reads[i].value)
            w.key("source")
            if let id = reads[i].source {
                w.beginObject()
                w.field("id", id)
                w.field("title", reads[i].sourceTitle)
                w.field("publisher", reads[i].sourcePublisher)
                w.field("date", reads[i].sourceDate?.description)
                w.field("url", reads[i].sourceURL)
                w.endObject()
            } else {
                w.null()
            }
            w.field("as_of", reads[i].asOf?.description)
            w.field("confidence", reads[i].confidence?.rawValue)
            w.field("note", reads[i].note)
            w.field("location", reads[i].location)
            if let from = reads[i].inheritedFrom { w.field("inherited_from", from) }
        }
    }

    /// A candidate's spread over its assumptions (`AssumptionSpread`).
    static func spreadJSON(_ s: AssumptionSpread) -> JSON {
        .object([
            ("robust", .bool(s.robust)),
            ("rank_range", s.rankLow.map { .array([.number(Double($0)), .number(Double(s.rankHigh ?? $0))]) } ?? .null),
            ("bands", .array(s.bands.map { .string($0) })), ("statuses", .array(s.statuses.map { .string($0.id) })),
            ("moved_by", .array(s.movers.map { .string($0) })), ("joint", .bool(s.joint)),
        ])
    }
}
