/// Which sources the facts read by some results cite, and for what: the sources sections of the
/// Markdown memos and of the HTML report are built from this one list.
enum Citations {
    /// One source and the facts that cite it, each with the candidates it was read for.
    struct Cited {
        var id: String
        var uses: [(fact: String, who: [String])]
    }

    /// The sources cited by the facts the results read, in order of first use.
    static func of(_ candidates: [CandidateResult]) -> [Cited] {
        var out: [Cited] = []
        var index: [String: Int] = [:]
        for r in candidates {
            for f in r.gates.flatMap(\.reads) + r.criteria.flatMap(\.reads) {
                guard let id = f.source else { continue }
                let k = index[id] ?? out.count
                if k == out.count {
                    index[id] = k
                    out.append(Cited(id: id, uses: []))
                }
                if let i = out[k].uses.firstIndex(where: { $0.fact == f.name }) {
                    if !out[k].uses[i].who.contains(r.name) { out[k].uses[i].who.append(r.name) }
                } else {
                    out[k].uses.append((f.name, [r.name]))
                }
            }
        }
        return out
    }

    /// What a source is cited for, as short phrases: the fact alone in a one-candidate document,
    /// else the fact and its candidates (named when one or two, counted otherwise).
    static func citedFor(_ uses: [(fact: String, who: [String])], candidates: Int) -> [String] {
        uses.map { u in
            candidates == 1 ? u.fact : "\(u.fact) (\(u.who.count <= 2 ? u.who.joined(separator: ", ") : "\(u.who.count) candidates"))"
        }
    }

    /// The address when it is an http(s) link of plain printable ASCII with nothing that could
    /// close the markup around it; nil otherwise (then it is shown as text, never as a link).
    static func webLink(_ url: String) -> String? {
        let lower = url.lowercased()
        let plain = url.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && !"<>\"'`\\|".unicodeScalars.contains($0) }
        return (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && plain ? url : nil
    }
}
