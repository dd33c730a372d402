/// How serious a diagnostic is. Errors stop scoring; warnings are reported alongside results.
public enum Severity: String, Sendable, Comparable, Codable {
    case error
    case warning
    case note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    /// Errors before warnings before notes.
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// Stable diagnostic codes. The raw value is part of the JSON output and the documentation:
/// never rename one, only add.
public enum DiagnosticCode: String, Sendable, CaseIterable, Codable {
    // Reading files
    case fileNotFound = "file_not_found"
    case notAFile = "not_a_file"
    case fileTooLarge = "file_too_large"
    case notUTF8 = "not_utf8"
    case emptyFile = "empty_file"
    case yamlSyntax = "yaml_syntax"
    case nestingTooDeep = "nesting_too_deep"
    case tooManyNodes = "too_many_nodes"
    case multipleDocuments = "multiple_documents"
    // Shape of documents
    case wrongKind = "wrong_kind"
    case missingKey = "missing_key"
    case unknownKey = "unknown_key"
    case duplicateKey = "duplicate_key"
    case duplicateID = "duplicate_id"
    case invalidValue = "invalid_value"
    case invalidID = "invalid_id"
    case invalidDate = "invalid_date"
    // Expressions
    case exprSyntax = "expr_syntax"
    case exprTooDeep = "expr_too_deep"
    case unknownFact = "unknown_fact"
    case unknownFunction = "unknown_function"
    case typeMismatch = "type_mismatch"
    /// A criterion or gate whose arithmetic fails for a candidate while scoring (a division by
    /// zero, a logarithm of a negative number, an overflow): not a type error of the policy.
    case arithmeticFault = "arithmetic_fault"
    case unknownEnumValue = "unknown_enum_value"
    // Policy structure
    case invalidWeight = "invalid_weight"
    case invalidRange = "invalid_range"
    case invalidBands = "invalid_bands"
    case incompleteMap = "incomplete_map"
    case unusedFact = "unused_fact"
    case invalidScale = "invalid_scale"
    case mixedLevel = "mixed_level"
    case constraintBroken = "constraint_broken"
    case missingRationale = "missing_rationale"
    /// Two criteria that count one thing twice: they read facts a constraint links, or their
    /// risks move (almost) in step across a scenario's candidates.
    case doubleCounted = "double_counted"
    // Scenarios
    case unknownSource = "unknown_source"
    case unknownCandidate = "unknown_candidate"
    case unknownCriterion = "unknown_criterion"
    case missingParent = "missing_parent"
    case extendsCycle = "extends_cycle"
    case valueOutOfRange = "value_out_of_range"
    case undeclaredFact = "undeclared_fact"
    case misspeltFact = "misspelt_fact"
    case staleFact = "stale_fact"
    case undatedFact = "undated_fact"
    case factAfterAsOf = "fact_after_as_of"
    case unusedSource = "unused_source"
    case tooManyDiagnostics = "too_many_diagnostics"
    case shardMismatch = "shard_mismatch"
}

/// One finding about the inputs: what is wrong, where, and what to do about it.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible, Error {
    public var code: DiagnosticCode
    public var severity: Severity
    public var message: String
    public var location: SourceLocation?
    public var hint: String?
    /// Number of source columns the problem spans (for the caret line); at least 1.
    public var length: Int
    /// The source line at `location`, as the file held it when it was read (`Quoting.attach`):
    /// what a renderer shows under the message, so that rendering reads no file. Not part of a
    /// diagnostic's identity.
    public var quote: String?
    /// The name a did-you-mean proposes in place of the `length` columns at `location`, for an
    /// editor's quick fix (the hint says the same in words). Not part of a diagnostic's identity.
    public var replacement: String?

    /// A diagnostic of `severity` with a stable `code`, at `location`, with an optional hint;
    /// `length` columns are underlined. Stages use the constructor of their code (Catalog.swift).
    init(
        _ severity: Severity, _ code: DiagnosticCode, _ message: String,
        at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.hint = hint
        self.length = max(1, length)
    }

    /// Equal when code, severity, message, location, hint and length are (the quote is not
    /// compared: it is the same file's line).
    public static func == (a: Diagnostic, b: Diagnostic) -> Bool {
        a.code == b.code && a.severity == b.severity && a.message == b.message && a.location == b.location && a.hint == b.hint
            && a.length == b.length
    }

    /// Hashes what `==` compares.
    public func hash(into h: inout Hasher) {
        h.combine(code)
        h.combine(severity)
        h.combine(message)
        h.combine(location)
        h.combine(hint)
        h.combine(length)
    }

    public var description: String {
        var s = ""
        if let location { s += "\(location): " }
        s += "\(severity.rawValue): \(message) [\(code.rawValue)]"
        if let hint { s += " (hint: \(hint))" }
        return s
    }
}

extension Diagnostic {
    /// Sort order: by file, line, column, then severity, then message, so output is stable.
    public static func ordered(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        switch (a.location, b.location) {
        case let (la?, lb?) where la != lb: return la < lb
        case (nil, _?): return false
        case (_?, nil): return true
        default: break
        }
        if a.severity != b.severity { return a.severity < b.severity }
        if a.code != b.code { return a.code.rawValue < b.code.rawValue }
        return a.message < b.message
    }
}

/// Collects diagnostics from every stage; sorted, de-duplicated and capped when read.
public struct DiagnosticBag: Sendable {
    public private(set) var all: [Diagnostic] = []
    /// The most diagnostics reported; past that a single note says how many were left out.
    public static let cap = 200

    /// An empty bag.
    public init() {}

    /// Adds one diagnostic.
    public mutating func add(_ d: Diagnostic) { all.append(d) }
    /// Adds several.
    public mutating func add(contentsOf ds: [Diagnostic]) { all.append(contentsOf: ds) }
    public var hasErrors: Bool { all.contains { $0.severity == .error } }
    public var errorCount: Int { all.filter { $0.severity == .error }.count }

    /// Sorted by location, duplicates removed, at most `cap` entries plus a closing note.
    public var sorted: [Diagnostic] {
        var seen = Set<Diagnostic>()
        var out: [Diagnostic] = []
        for d in all.sorted(by: Diagnostic.ordered) where seen.insert(d).inserted {
            out.append(d)
        }
        if out.count > Self.cap {
            let left = out.count - Self.cap
            out = Array(out.prefix(Self.cap))
            out.append(
                Diagnostic(
                    .note, .tooManyDiagnostics,
                    "\(left) more diagnostic(s) not shown", at: nil,
                    hint: "fix the ones above and run again"))
        }
        return out
    }
}

/// Thrown by a stage that cannot go on; carries everything collected so far.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    /// Wraps a list of diagnostics as an error value.
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
