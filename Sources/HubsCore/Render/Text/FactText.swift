/// How a fact as read is shown in tables of every format: its value, and the plain facts about it
/// (typed on the command line, inherited by a variant) that a note column carries. Each renderer
/// escapes and marks these up for its own sink.
enum FactText {
    /// Every fact the candidate's gates and criteria read, once each, in the order first read.
    static func distinctReads(_ r: CandidateResult) -> [FactReading] {
        var seen = Set<String>()
        return (r.gates.flatMap(\.reads) + r.criteria.flatMap(\.reads)).filter { seen.insert($0.name).inserted }
    }

    /// The value, or what stands in for one.
    static func value(_ f: FactReading) -> String {
        switch f.state {
        case .known: f.value ?? "?"
        case .unknown: "unknown"
        case .notGiven: "not given"
        }
    }

    /// Whether the value was typed on the command line (`--set`) for this run.
    static func setOnCommandLine(_ f: FactReading) -> Bool { f.location?.isCommandLine == true }

    /// The words that replace the note of a fact typed on the command line.
    static let commandLineNote = "set on the command line for this run, not evidence"
}
