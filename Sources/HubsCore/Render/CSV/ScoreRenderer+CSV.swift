/// The CSV form of `hubs score` (its text and Markdown forms are in Render/Text).
extension ScoreRenderer {
    /// CSV, one row per candidate, each row ended by `newline` (CRLF, as RFC 4180 and
    /// spreadsheets expect, unless `--lf` asks for LF). Text cells that a spreadsheet would run as a formula are
    /// prefixed with `'` unless `protectFormulas` is false (for machine consumers).
    public static func csv(_ a: Assessment, results: Explanations, protectFormulas: Bool = true, newline: String = "\r\n") -> String {
        var out = ""
        csv(a, results: results, protectFormulas: protectFormulas, newline: newline) { out += $0 }
        return out
    }

    /// The same CSV handed to `flush` in pieces of about `flushAt` bytes, whole rows each: with
    /// results explained a block at a time (`Explanations`), memory holds one block of them
    /// whatever the number of candidates.
    public static func csv(
        _ a: Assessment, results: Explanations, protectFormulas: Bool = true, newline: String = "\r\n", flushAt: Int = 1 << 16,
        flush: (String) -> Void
    ) {
        func field(_ s: String) -> String { Escaping.csv(s, protectFormulas: protectFormulas) }
        let bases = a.scenario.candidates.map(\.basis)
        let hasBasis = bases.contains { $0 != nil }
        var out =
            "position,rank,candidate_id,candidate,risk,band,status,excluded_by,coverage,drivers,risk_from_evidence,risk_from_assumptions,assumed_drivers,overrides"
            + (a.assumptionSpreads.isEmpty ? "" : ",assumption_rank_range,robust_to_assumptions,moved_by")
            + (hasBasis ? ",basis" : "") + newline
        let overrides = a.overrides.map { "\($0.option.dropFirst(2)):\($0.argument)" }.joined(separator: "; ")
        for r in results {
            let rank: String = r.rank.map(String.init) ?? ""
            let risk: String = r.risk.map { Format.fixed($0, 4) } ?? ""
            let status: String = r.status.id
            let gates: String = r.excludingGates.map(\.id).joined(separator: ";")
            let drivers: String = r.drivers().map { "\($0.id)=\(Format.fixed($0.contribution, 4))" }.joined(separator: ";")
            var fields: [String] = [String(r.position), rank, r.id, r.name, risk]
            fields += [r.band ?? "", status, gates, Format.fixed(r.coverage, 4), drivers]
            fields += [
                r.riskFromEvidence.map { Format.fixed($0, 4) } ?? "", r.riskFromAssumptions.map { Format.fixed($0, 4) } ?? "",
                r.drivers().filter(\.assumed).map(\.id).joined(separator: ";"), overrides,
            ]
            if !a.assumptionSpreads.isEmpty {
                let s = a.spread(of: r)
                fields += [
                    s.flatMap { s in s.rankLow.map { "\($0)-\(s.rankHigh ?? $0)" } } ?? "", s.map { $0.robust ? "true" : "false" } ?? "",
                    s?.movers.joined(separator: ";") ?? "",
                ]
            }
            if hasBasis {
                fields.append(bases[r.candidateIndex].map { b in b.kind.rawValue + (b.source.map { ":" + $0 } ?? "") } ?? "")
            }
            out += fields.map(field).joined(separator: ",") + newline
            if out.utf8.count >= flushAt {
                flush(out)
                out = ""
            }
        }
        if !out.isEmpty { flush(out) }
    }
}
