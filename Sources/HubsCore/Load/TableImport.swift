import CSV
import Foundation

/// Facts read from a spreadsheet table (CSV, read with CSV.swift), in long or wide layout, every
/// cell located as `file.csv:ROW:COLUMN` (ROW counts records from 1, the header included, so a
/// line break inside a quoted cell does not shift it; COLUMN counts fields from 1).
///
/// - **Long**: a header with `candidate`, `fact` and `value`, and any of `name`, `source`,
///   `as_of`, `confidence`, `note`, `interval` (`LOW;HIGH`) and `alternatives` (`a;b`); one row
///   per fact. `hubs export` writes this layout.
/// - **Wide**: a header with `candidate`, optionally `name`, then one column per fact; one row per
///   candidate. Rows starting `#source`, `#as_of`, `#confidence` or `#note` right after the header
///   give each column's provenance (the options `--source` and so on give it for every column). An
///   empty cell says nothing: that fact is not imported. `unknown` states it unknown.
///
/// A cell that a spreadsheet export protected with a leading `'` (before `=`, `+`, `-`, `@`, a tab
/// or a carriage return) is read without it, so `hubs export` then `hubs import` is lossless.
public struct TableImport: Sendable {
    /// Provenance for every fact of a wide table that its provenance rows do not give.
    public struct Defaults: Sendable {
        public var source: String?
        public var asOf: String?
        public var confidence: String?
        public var note: String?
        /// No defaults.
        public init(source: String? = nil, asOf: String? = nil, confidence: String? = nil, note: String? = nil) {
            self.source = source
            self.asOf = asOf
            self.confidence = confidence
            self.note = note
        }
    }

    /// How the table is laid out.
    public enum Layout: String, Sendable { case long, wide }

    /// One fact of one candidate, as read.
    public struct Entry: Sendable {
        public var candidate: YAMLScalar
        public var name: YAMLScalar?
        public var fact: Fact
    }

    public var path: String
    public var layout: Layout
    public var entries: [Entry]

    static let longColumns = ["candidate", "name", "fact", "value", "source", "as_of", "confidence", "note", "interval", "alternatives"]

    /// Reads a table; every problem is a located error, and nothing is returned unless all is well.
    public static func read(path: String, bytes: [UInt8], defaults: Defaults = Defaults()) -> Result<TableImport, DiagnosticsError> {
        // Bytes that are not UTF-8 are located as in any input file (CSV.swift would only say
        // "unicodeDecoding").
        if let bad = SourceFile.firstInvalidUTF8(bytes) {
            let (line, column) = SourceFile.lineColumn(bytes, upTo: bad)
            return .failure(
                DiagnosticsError([
                    .notUTF8(
                        "the table is not valid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)))",
                        at: SourceLocation(file: path, line: line, column: column),
                        hint: "save it from the spreadsheet as 'CSV UTF-8 (comma delimited)'")
                ]))
        }
        let records: [[String]]
        do {
            let reader = try CSVReader(stream: InputStream(data: Data(bytes)), codecType: UTF8.self, hasHeaderRow: false)
            var rows: [[String]] = []
            while let row = reader.next() { rows.append(row) }
            if let e = reader.error { throw e }
            records = rows
        } catch {
            return .failure(
                DiagnosticsError([
                    .invalidValue(
                        "cannot read the table as CSV (\(error))", at: .wholeFile(path),
                        hint: "save it from the spreadsheet as 'CSV UTF-8 (comma delimited)'")
                ]))
        }
        if let unclosed = unclosedQuote(bytes, records: records, path: path) { return .failure(DiagnosticsError([unclosed])) }
        guard let header = records.first, !header.isEmpty else {
            return .failure(DiagnosticsError([.emptyFile("the table has no header row", at: .wholeFile(path))]))
        }
        let names = header.map { $0.trimmingSpace().lowercased() }
        var diags: [Diagnostic] = []
        let reader = TableCells(path: path, records: records)
        let entries: [Entry]
        let layout: Layout
        if names.contains("fact") && names.contains("value") {
            layout = .long
            entries = reader.long(names, diags: &diags)
        } else {
            layout = .wide
            entries = reader.wide(names, defaults: defaults, diags: &diags)
        }
        var seen: [String: SourceLocation] = [:]
        for e in entries {
            let key = e.candidate.text + "." + e.fact.name
            if let first = seen[key] {
                diags.append(
                    .duplicateKey(
                        "fact '\(e.fact.name)' of \(e.candidate.text) is given twice", at: e.fact.valueLocation,
                        hint: "first given at \(first); keep one row"))
            } else {
                seen[key] = e.fact.valueLocation
            }
        }
        if entries.isEmpty && diags.isEmpty {
            diags.append(
                .emptyFile(
                    "the table holds no facts", at: .wholeFile(path), hint: "add a row per candidate (wide) or per fact (long)")
            )
        }
        return diags.isEmpty ? .success(TableImport(path: path, layout: layout, entries: entries)) : .failure(DiagnosticsError(diags))
    }
}

/// The cells of a table, read into facts.
struct TableCells {
    var path: String
    var records: [[String]]
    /// The table's first cell: every cell's location is made from it, in the same file.
    private let origin: SourceLocation

    init(path: String, records: [[String]]) {
        self.path = path
        self.records = records
        origin = SourceLocation(file: path, line: 1, column: 1)
    }

    func at(_ row: Int, _ column: Int) -> SourceLocation { origin.moved(line: row + 1, column: column + 1) }

    /// A cell's text, without surrounding blanks and without a formula guard's leading `'`.
    func cell(_ row: Int, _ column: Int) -> String { unguarded(raw(row, column).trimmingSpace()) }

    /// A cell's text as written (for notes and names, whose spacing is kept), without a formula guard.
    func raw(_ row: Int, _ column: Int) -> String {
        records[row].indices.contains(column) ? unguarded(records[row][column]) : ""
    }

    func unguarded(_ t: String) -> String {
        if t.count > 1, t.first == "'", let second = t.dropFirst().first, "=+-@\t\r".contains(second) { return String(t.dropFirst()) }
        return t
    }

    func scalar(_ row: Int, _ column: Int) -> YAMLScalar { YAMLScalar(text: cell(row, column), style: .plain, location: at(row, column)) }

    func long(_ names: [String], diags: inout [Diagnostic]) -> [TableImport.Entry] {
        for (c, n) in names.enumerated() where !TableImport.longColumns.contains(n) {
            diags.append(
                .unknownKey(
                    "unknown column '\(n)' in a long table", at: at(0, c),
                    hint: Suggest.hint(for: n, in: TableImport.longColumns)
                        ?? "columns: \(TableImport.longColumns.joined(separator: ", "))"))
        }
        // A repeated column would be read from its first copy only: refused, naming both.
        var firstColumn: [String: Int] = [:]
        for (c, n) in names.enumerated() where TableImport.longColumns.contains(n) {
            if let first = firstColumn[n] {
                diags.append(
                    .duplicateKey(
                        "column '\(n)' appears twice (columns \(first + 1) and \(c + 1))", at: at(0, c),
                        hint: "keep one '\(n)' column"))
            } else {
                firstColumn[n] = c
            }
        }
        for required in ["candidate", "fact", "value"] where !names.contains(required) {
            diags.append(.missingKey("a long table needs a '\(required)' column", at: at(0, 0)))
        }
        guard diags.isEmpty else { return [] }
        func col(_ n: String) -> Int? { names.firstIndex(of: n) }
        var out: [TableImport.Entry] = []
        for r in 1..<records.count where !isBlank(r) {
            guard let c = col("candidate"), let f = col("fact"), let v = col("value") else { break }
            let provenance = Provenance(
                source: col("source").map { scalar(r, $0) }, asOf: col("as_of").map { scalar(r, $0) },
                confidence: col("confidence").map { scalar(r, $0) }, note: col("note").map { scalar(r, $0) },
                interval: col("interval").map { scalar(r, $0) }, alternatives: col("alternatives").map { scalar(r, $0) })
            if let e = entry(
                candidate: scalar(r, c), name: col("name").map { scalar(r, $0) }, fact: scalar(r, f), value: scalar(r, v), provenance,
                diags: &diags)
            {
                out.append(e)
            }
        }
        return out
    }

    func wide(_ names: [String], defaults: TableImport.Defaults, diags: inout [Diagnostic]) -> [TableImport.Entry] {
        guard names.first == "candidate" else {
            diags.append(
                .missingKey(
                    "the table's first column must be 'candidate' (a wide table) or it needs 'candidate', 'fact' and 'value' columns (a long table)",
                    at: at(0, 0), hint: "see hubs import --help for the two layouts"))
            return []
        }
        let nameColumn = names.count > 1 && names[1] == "name" ? 1 : nil
        let firstFact = nameColumn == nil ? 1 : 2
        for c in firstFact..<max(firstFact, names.count) where !Scalars.isValidFactName(names[c]) {
            diags.append(
                .invalidID(
                    "column '\(records[0][c])' is not a fact name", at: at(0, c),
                    hint: "name each fact column as the policy does: lower-case letters, digits and '_'"))
        }
        // Provenance rows: #source, #as_of, #confidence, #note.
        var provenanceRows: [String: Int] = [:]
        var r = 1
        while r < records.count, cell(r, 0).hasPrefix("#") {
            let key = String(cell(r, 0).dropFirst())
            if ["source", "as_of", "confidence", "note"].contains(key) {
                provenanceRows[key] = r
            } else {
                diags.append(
                    .unknownKey("unknown provenance row '#\(key)'", at: at(r, 0), hint: "use #source, #as_of, #confidence or #note")
                )
            }
            r += 1
        }
        guard diags.isEmpty else { return [] }
        func given(_ key: String, _ c: Int, _ fallback: String?) -> YAMLScalar? {
            if let pr = provenanceRows[key], !cell(pr, c).isEmpty { return scalar(pr, c) }
            return fallback.map { YAMLScalar(text: $0, style: .plain, location: at(0, c)) }
        }
        var out: [TableImport.Entry] = []
        for row in r..<records.count where !isBlank(row) {
            for c in firstFact..<names.count where !cell(row, c).isEmpty {
                let provenance = Provenance(
                    source: given("source", c, defaults.source), asOf: given("as_of", c, defaults.asOf),
                    confidence: given("confidence", c, defaults.confidence), note: given("note", c, defaults.note), interval: nil,
                    alternatives: nil)
                let fact = YAMLScalar(text: names[c], style: .plain, location: at(0, c))
                if let e = entry(
                    candidate: scalar(row, 0), name: nameColumn.map { scalar(row, $0) }, fact: fact, value: scalar(row, c), provenance,
                    diags: &diags)
                {
                    out.append(e)
                }
            }
        }
        return out
    }

    func isBlank(_ row: Int) -> Bool { records[row].allSatisfy { $0.trimmingSpace().isEmpty } }

    struct Provenance {
        var source, asOf, confidence, note, interval, alternatives: YAMLScalar?
    }

    func entry(
        candidate: YAMLScalar, name: YAMLScalar?, fact: YAMLScalar, value: YAMLScalar, _ p: Provenance, diags: inout [Diagnostic]
    ) -> TableImport.Entry? {
        let before = diags.count
        if !Scalars.isValidID(candidate.text) {
            diags.append(
                .invalidID(
                    "candidate id '\(candidate.text)' is not a valid id", at: candidate.location,
                    hint: "use lower-case letters, digits, '_' or '-', starting with a letter (the id, not the display name)"))
        }
        if !Scalars.isValidFactName(fact.text) {
            diags.append(
                .invalidID(
                    "fact name '\(fact.text)' is not a valid name", at: fact.location,
                    hint: "use lower-case letters, digits and '_'"))
        }
        if value.text.isEmpty {
            diags.append(
                .invalidValue(
                    "fact '\(fact.text)' of \(candidate.text) has no value", at: value.location,
                    hint: "write a value, or unknown if nobody knows it"))
        }
        var f = Fact(
            name: fact.text, state: value.text == "unknown" ? .unknown : .given(value), location: value.location,
            valueLocation: value.location)
        if let s = p.source, !s.text.isEmpty {
            f.source = s.text
            f.sourceLocation = s.location
        }
        if let d = p.asOf, !d.text.isEmpty {
            if let day = Day.parse(d.text, allowPartial: true) {
                f.asOf = day
            } else {
                diags.append(
                    .invalidDate("as_of '\(d.text)' is not a date", at: d.location, hint: "write YYYY-MM-DD, YYYY-MM or YYYY"))
            }
        }
        if let c = p.confidence, !c.text.isEmpty {
            if let level = Confidence(rawValue: c.text) {
                f.confidence = level
            } else {
                diags.append(.invalidValue("confidence must be high, medium or low, found '\(c.text)'", at: c.location))
            }
        }
        if let n = p.note, !n.text.isEmpty { f.note = raw(n.location.line - 1, n.location.column - 1) }
        if let iv = p.interval, !iv.text.isEmpty {
            let parts = iv.text.split(separator: ";").map { Double($0.trimmingSpace()) }
            if parts.count == 2, let lo = parts[0], let hi = parts[1], lo <= hi {
                f.interval = (lo, hi)
                f.intervalLocation = iv.location
            } else {
                diags.append(
                    .invalidRange("interval must be LOW;HIGH with LOW not above HIGH", at: iv.location, hint: "for example 30;40"))
            }
        }
        if let alt = p.alternatives, !alt.text.isEmpty {
            f.alternatives = alt.text.split(separator: ";").map {
                YAMLScalar(text: $0.trimmingSpace(), style: .plain, location: alt.location)
            }
        }
        let nameScalar = name.flatMap {
            $0.text.isEmpty
                ? nil : YAMLScalar(text: raw($0.location.line - 1, $0.location.column - 1), style: .doubleQuoted, location: $0.location)
        }
        return diags.count == before ? TableImport.Entry(candidate: candidate, name: nameScalar, fact: f) : nil
    }
}

extension TableImport {
    /// A quoted cell that is never closed: CSV.swift reads the rest of the file into it without
    /// complaint. Every closed quoted cell holds an even number of `"` (open, close, and doubled
    /// quotes inside), so an odd count means one is open; it is the cell holding a line break in
    /// the last record read.
    static func unclosedQuote(_ bytes: [UInt8], records: [[String]], path: String) -> Diagnostic? {
        guard bytes.lazy.filter({ $0 == UInt8(ascii: "\"") }).count % 2 == 1, let last = records.last else { return nil }
        let column = last.lastIndex { $0.contains("\n") || $0.contains("\r") } ?? max(0, last.count - 1)
        return .invalidValue(
            "a quoted cell is not closed: everything after its opening quote was read as one cell",
            at: SourceLocation(file: path, line: records.count, column: column + 1),
            hint: "close the quote, and write a quote inside a quoted cell as two (\"\")")
    }

    /// The candidates of the table, in the order they first appear, each with its facts.
    public var byCandidate: [(id: String, name: YAMLScalar?, location: SourceLocation, facts: [Fact])] {
        var order: [String] = []
        var groups: [String: (name: YAMLScalar?, location: SourceLocation, facts: [Fact])] = [:]
        for e in entries {
            if groups[e.candidate.text] == nil {
                order.append(e.candidate.text)
                groups[e.candidate.text] = (e.name, e.candidate.location, [])
            }
            groups[e.candidate.text]?.facts.append(e.fact)
            if groups[e.candidate.text]?.name == nil { groups[e.candidate.text]?.name = e.name }
        }
        return order.compactMap { id in groups[id].map { (id, $0.name, $0.location, $0.facts) } }
    }

    /// The scenario the import makes: `base` with the table's facts set (a fact the table gives
    /// replaces the base's, with its provenance), or, without a base, a scenario of the table's
    /// candidates alone. `sources` are the source entries the new scenario defines itself. A fact
    /// citing a source neither defines, or a new candidate without a name, is a located error.
    public func scenario(id: String, title: String, base: Scenario?, sources: [EvidenceSource]) -> Result<Scenario, DiagnosticsError> {
        var diags: [Diagnostic] = []
        let allSources = (base?.sources ?? []) + sources
        let known = Set(allSources.map(\.id))
        var candidates = base?.candidates ?? []
        // Candidates found by id through a dictionary: linear in the table's rows.
        var index: [String: Int] = [:]
        for (i, c) in candidates.enumerated() where index[c.id] == nil { index[c.id] = i }
        for group in byCandidate {
            for f in group.facts {
                if let s = f.source, !known.contains(s) {
                    diags.append(
                        .unknownSource(
                            "fact '\(f.name)' of \(group.id) cites source '\(s)', which is not defined",
                            at: f.sourceLocation ?? f.valueLocation,
                            hint: Suggest.hint(for: s, in: known)
                                ?? "define it in the scenario the import extends, or copy it with --sources-from SCENARIO"))
                }
            }
            if let i = index[group.id] {
                for f in group.facts {
                    if let j = candidates[i].facts.firstIndex(where: { $0.name == f.name }) {
                        candidates[i].facts[j] = f
                    } else {
                        candidates[i].facts.append(f)
                    }
                }
                if let n = group.name { candidates[i].name = n.text }
            } else if let n = group.name {
                index[group.id] = candidates.count
                candidates.append(Candidate(id: group.id, name: n.text, facts: group.facts, location: group.location))
            } else {
                diags.append(
                    .unknownCandidate(
                        base.map { "candidate '\(group.id)' is not in scenario '\($0.id)', and the table gives no name for it" }
                            ?? "candidate '\(group.id)' has no name: the table has no 'name' column",
                        at: group.location,
                        hint: base.flatMap { b in Suggest.hint(for: group.id, in: b.candidates.map(\.id)) }
                            ?? "add a 'name' column to add a new candidate\(base == nil ? ", or import with --extends SCENARIO" : "")"))
            }
        }
        guard diags.isEmpty else { return .failure(DiagnosticsError(diags)) }
        return .success(
            Scenario(
                id: id, title: title, asOf: base?.asOf, sources: allSources, candidates: candidates,
                lineage: [id] + (base?.lineage ?? []), files: base?.files ?? [], location: .wholeFile(path)))
    }
}
