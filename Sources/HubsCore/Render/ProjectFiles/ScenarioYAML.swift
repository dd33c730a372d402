import Foundation

/// Writes scenarios as YAML: what `hubs import` produces. Values keep their plain form (so a
/// number stays a number and an enum value a bare word); text is double-quoted with escapes.
public enum ScenarioYAML {
    /// The scenario an import makes: a header comment, `extends` (when it has a base) and the
    /// table's facts, under `changes:` for the base's candidates (only those that differ from the
    /// base's) and `candidates:` for new ones.
    /// `sources` are the source entries copied in (`--sources-from`).
    public static func imported(
        _ t: TableImport, id: String, title: String, asOf: Day? = nil, extends: String?, base: Scenario?, sources: [EvidenceSource],
        tableSHA256: String
    ) -> String {
        // The table's name is quoted as a YAML string would be, so no line break in it can end the
        // comment and start a key.
        var out = "# Written by hubs import from \(quoted(t.path)) (\(t.layout.rawValue) table, SHA-256 \(tableSHA256)).\n"
        out += "# Every fact below came from that table; edit freely, or import again.\n"
        out += "scenario: \(id)\ntitle: \(quoted(title))\n"
        if let extends { out += "extends: \(plainOrQuoted(extends))\n" }
        if let asOf { out += "as_of: \(asOf)\n" }
        if !sources.isEmpty {
            out += "sources:\n"
            for s in sources {
                var fields = ["title: \(quoted(s.title))"]
                if let p = s.publisher { fields.append("publisher: \(quoted(p))") }
                if let d = s.date { fields.append("date: \(d)") }
                if let u = s.url { fields.append("url: \(quoted(u))") }
                if let n = s.noAddress { fields.append("no_address: \(quoted(n))") }
                out += "  \(s.id): {\(fields.joined(separator: ", "))}\n"
            }
        }
        let groups = t.byCandidate
        let inBase = Set(base?.candidates.map(\.id) ?? [])
        let changed = groups.filter { inBase.contains($0.id) }
        let added = groups.filter { !inBase.contains($0.id) }
        if !added.isEmpty {
            out += "candidates:\n"
            for g in added {
                out += "  \(g.id):\n    name: \(quoted(g.name?.text ?? g.id))\n    facts:\n"
                for f in g.facts { out += "      \(f.name): \(fact(f))\n" }
            }
        }
        // Under `changes:`, only what differs from the base: a fact written exactly as the base
        // writes it (value and provenance) would change nothing, so it is left out and counted.
        var same = 0
        var changes = ""
        for g in changed {
            let baseCandidate = base?.candidate(g.id)
            let differing = g.facts.filter { f in baseCandidate?.fact(f.name).map(fact) != fact(f) }
            same += g.facts.count - differing.count
            let renamed = g.name.map { $0.text != baseCandidate?.name } ?? false
            guard !differing.isEmpty || renamed else { continue }
            changes += "  \(g.id):\n"
            if let n = g.name, renamed { changes += "    name: \(quoted(n.text))\n" }
            if !differing.isEmpty {
                changes += "    set:\n"
                for f in differing { changes += "      \(f.name): \(fact(f))\n" }
            }
        }
        if !changes.isEmpty { out += "changes:\n" + changes }
        if same > 0 {
            out +=
                "# \(same) fact\(same == 1 ? "" : "s") of the table \(same == 1 ? "is" : "are") written in the base exactly as here (value and provenance), so \(same == 1 ? "it is" : "they are") left out.\n"
        }
        return out
    }

    /// A fact: its bare value, or a flow mapping with its provenance.
    static func fact(_ f: Fact) -> String {
        let value: String
        switch f.state {
        case .unknown: value = "unknown"
        case let .given(s): value = plainOrQuoted(s.text)
        }
        var fields: [String] = []
        if let s = f.source { fields.append("source: \(plainOrQuoted(s))") }
        if let d = f.asOf { fields.append("as_of: \(d)") }
        if let c = f.confidence { fields.append("confidence: \(c.rawValue)") }
        if let n = f.note { fields.append("note: \(quoted(n))") }
        if let iv = f.interval { fields.append("interval: [\(Format.number(iv.low)), \(Format.number(iv.high))]") }
        if let alt = f.alternatives { fields.append("alternatives: [\(alt.map { plainOrQuoted($0.text) }.joined(separator: ", "))]") }
        return fields.isEmpty ? value : "{value: \(value), \(fields.joined(separator: ", "))}"
    }

    /// Plain when YAML would read the text back unchanged as a plain scalar, else double-quoted.
    static func plainOrQuoted(_ s: String) -> String {
        let safe = s.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_.+-/".unicodeScalars.contains($0)
        }
        let first = s.unicodeScalars.first
        let reserved = ["null", "Null", "NULL", "~", ""].contains(s)
        return safe && !reserved && first != "-" || (safe && Double(s) != nil) ? s : quoted(s)
    }

    /// A YAML double-quoted scalar: backslash, quote and every control character escaped.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029 {
                    out += String(format: "\\u%04X", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
