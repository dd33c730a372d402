/// A scenario's facts (its `extends` chain and `changes` applied) as a long CSV table, one row per
/// fact with its provenance: what `hubs export` writes and `hubs import` reads back.
public enum FactsCSV {
    /// The header: the columns of a long table (see `TableImport`).
    public static let header = "candidate,name,fact,value,source,as_of,confidence,note,interval,alternatives"

    /// The table. Text cells a spreadsheet would run as a formula get a leading `'` unless
    /// `protectFormulas` is false; `hubs import` removes it again.
    /// Each row ends with `newline`: CRLF by default (RFC 4180), LF on request.
    public static func long(_ s: Scenario, protectFormulas: Bool = true, newline: String = "\r\n") -> String {
        func field(_ t: String) -> String { Escaping.csv(t, protectFormulas: protectFormulas) }
        var out = header + newline
        for c in s.candidates {
            for f in c.facts {
                let value: String
                switch f.state {
                case .unknown: value = "unknown"
                case let .given(v): value = v.text
                }
                let row = [
                    c.id, c.name, f.name, value, f.source ?? "", f.asOf?.description ?? "", f.confidence?.rawValue ?? "", f.note ?? "",
                    f.interval.map { "\(Format.number($0.low));\(Format.number($0.high))" } ?? "",
                    f.alternatives?.map(\.text).joined(separator: ";") ?? "",
                ]
                out += row.map(field).joined(separator: ",") + newline
            }
        }
        return out
    }
}
