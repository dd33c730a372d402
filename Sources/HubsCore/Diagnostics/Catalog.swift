/// The one place where diagnostics are made: a constructor per code, which fixes the code and
/// its severity. Stages call these (`.unknownFact("...", at: ...)`); nothing outside this folder
/// builds a `Diagnostic` from a code and a severity itself (ArchitectureTests holds it). The
/// list of codes, with what each means, is in docs/language.md.
extension Diagnostic {
    /// `fileNotFound`, an error by default: A named file, revision or path does not exist.
    public static func fileNotFound(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .fileNotFound, message, at: location, hint: hint, length: length)
    }

    /// `notAFile`, an error by default: The path names a directory, a pipe or a device, or cannot be opened for reading.
    public static func notAFile(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .notAFile, message, at: location, hint: hint, length: length)
    }

    /// `fileTooLarge`, an error by default: A file is larger than the byte limit (`--max-file-bytes`).
    public static func fileTooLarge(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .fileTooLarge, message, at: location, hint: hint, length: length)
    }

    /// `notUTF8`, an error by default: A file is not UTF-8; the message gives the offset of the first bad byte.
    public static func notUTF8(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .notUTF8, message, at: location, hint: hint, length: length)
    }

    /// `emptyFile`, an error by default: A file holds no document.
    public static func emptyFile(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .emptyFile, message, at: location, hint: hint, length: length)
    }

    /// `yamlSyntax`, an error by default: The YAML cannot be parsed.
    public static func yamlSyntax(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .yamlSyntax, message, at: location, hint: hint, length: length)
    }

    /// `nestingTooDeep`, an error by default: The document nests deeper than the limit.
    public static func nestingTooDeep(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .nestingTooDeep, message, at: location, hint: hint, length: length)
    }

    /// `tooManyNodes`, an error by default: The document, with its aliases counted, has more nodes than the limit (`--max-nodes`).
    public static func tooManyNodes(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .tooManyNodes, message, at: location, hint: hint, length: length)
    }

    /// `multipleDocuments`, an error by default: A file holds more than one YAML document.
    public static func multipleDocuments(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .multipleDocuments, message, at: location, hint: hint, length: length)
    }

    /// `wrongKind`, an error by default: A value has the wrong shape: a list where a mapping belongs, a policy where a scenario belongs.
    public static func wrongKind(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .wrongKind, message, at: location, hint: hint, length: length)
    }

    /// `missingKey`, an error by default: A required key, column or part is missing.
    public static func missingKey(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .missingKey, message, at: location, hint: hint, length: length)
    }

    /// `unknownKey`, an error by default: A key, column or override path that the format does not have.
    public static func unknownKey(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .unknownKey, message, at: location, hint: hint, length: length)
    }

    /// `duplicateKey`, an error by default: A key, column, cell or override is given twice.
    public static func duplicateKey(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .duplicateKey, message, at: location, hint: hint, length: length)
    }

    /// `duplicateID`, an error by default: An id (fact, criterion, band, enum value, source, candidate) is declared twice.
    public static func duplicateID(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .duplicateID, message, at: location, hint: hint, length: length)
    }

    /// `invalidValue`, an error by default: A value outside what its key accepts, or an option outside its allowed values.
    public static func invalidValue(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .invalidValue, message, at: location, hint: hint, length: length)
    }

    /// `invalidID`, an error by default: An id that is not a lower-case word, or a name that cannot be an id.
    public static func invalidID(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .invalidID, message, at: location, hint: hint, length: length)
    }

    /// `invalidDate`, an error by default: A date that is not a real YYYY-MM-DD date.
    public static func invalidDate(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .invalidDate, message, at: location, hint: hint, length: length)
    }

    /// `exprSyntax`, an error by default: An expression that cannot be parsed.
    public static func exprSyntax(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .exprSyntax, message, at: location, hint: hint, length: length)
    }

    /// `exprTooDeep`, an error by default: An expression nested deeper than the limit.
    public static func exprTooDeep(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .exprTooDeep, message, at: location, hint: hint, length: length)
    }

    /// `unknownFact`, an error by default: An expression names a fact the policy does not declare.
    public static func unknownFact(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .unknownFact, message, at: location, hint: hint, length: length)
    }

    /// `unknownFunction`, an error by default: An expression calls a function the language does not have.
    public static func unknownFunction(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .unknownFunction, message, at: location, hint: hint, length: length)
    }

    /// `typeMismatch`, an error by default: An expression, map or scale applied to a fact of the wrong type.
    public static func typeMismatch(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .typeMismatch, message, at: location, hint: hint, length: length)
    }

    /// `arithmeticFault`, an error by default: A criterion or gate whose arithmetic fails for a candidate while scoring (a division by zero, a logarithm of a negative number, an overflow): not a type error of the policy.
    public static func arithmeticFault(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .arithmeticFault, message, at: location, hint: hint, length: length)
    }

    /// `unknownEnumValue`, an error by default: A value that the enum fact does not list.
    public static func unknownEnumValue(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .unknownEnumValue, message, at: location, hint: hint, length: length)
    }

    /// `invalidWeight`, an error by default: A weight that is not a positive number, or weights that do not add up.
    public static func invalidWeight(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .invalidWeight, message, at: location, hint: hint, length: length)
    }

    /// `invalidRange`, an error by default: A range, interval or prior interval that is empty or malformed.
    public static func invalidRange(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .invalidRange, message, at: location, hint: hint, length: length)
    }

    /// `invalidBands`, an error by default: Bands that do not cover the risk scale in order.
    public static func invalidBands(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .invalidBands, message, at: location, hint: hint, length: length)
    }

    /// `incompleteMap`, an error by default: A `map` that gives no risk for some value of its fact.
    public static func incompleteMap(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .incompleteMap, message, at: location, hint: hint, length: length)
    }

    /// `unusedFact`, a warning by default: A declared fact that no criterion, gate or constraint reads.
    public static func unusedFact(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.warning, .unusedFact, message, at: location, hint: hint, length: length)
    }

    /// `invalidScale`, an error by default: A `scale` whose points are not a usable piecewise-linear mapping.
    public static func invalidScale(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .invalidScale, message, at: location, hint: hint, length: length)
    }

    /// `mixedLevel`, a warning by default: A criterion group that mixes leaves and groups, or criteria at different levels.
    public static func mixedLevel(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.warning, .mixedLevel, message, at: location, hint: hint, length: length)
    }

    /// `constraintBroken`, a warning by default: A candidate whose facts break a constraint of the policy.
    public static func constraintBroken(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.warning, .constraintBroken, message, at: location, hint: hint, length: length)
    }

    /// `missingRationale`, a note by default: A judgement (a case, band, assumed risk or missing-data rule) with no rationale; an error under `check --strict`.
    public static func missingRationale(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.note, .missingRationale, message, at: location, hint: hint, length: length)
    }

    /// `doubleCounted`, a warning by default: Two criteria that count one thing twice: they read facts a constraint links, or their risks move (almost) in step across a scenario's candidates.
    public static func doubleCounted(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.warning, .doubleCounted, message, at: location, hint: hint, length: length)
    }

    /// `unknownSource`, an error by default: A citation of a source that is not declared.
    public static func unknownSource(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .unknownSource, message, at: location, hint: hint, length: length)
    }

    /// `unknownCandidate`, an error by default: A candidate the scenario does not have.
    public static func unknownCandidate(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .unknownCandidate, message, at: location, hint: hint, length: length)
    }

    /// `unknownCriterion`, an error by default: A criterion the policy does not have.
    public static func unknownCriterion(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .unknownCriterion, message, at: location, hint: hint, length: length)
    }

    /// `missingParent`, an error by default: The scenario an `extends` names cannot be found.
    public static func missingParent(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .missingParent, message, at: location, hint: hint, length: length)
    }

    /// `extendsCycle`, an error by default: Scenarios that extend each other in a circle.
    public static func extendsCycle(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .extendsCycle, message, at: location, hint: hint, length: length)
    }

    /// `valueOutOfRange`, an error by default: A fact value outside the range its declaration allows.
    public static func valueOutOfRange(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .valueOutOfRange, message, at: location, hint: hint, length: length)
    }

    /// `undeclaredFact`, an error by default: A scenario sets a fact the policy does not declare: an error in `changes`, where it changes nothing, a warning elsewhere.
    public static func undeclaredFact(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1, severity: Severity = .error
    ) -> Diagnostic {
        Diagnostic(severity, .undeclaredFact, message, at: location, hint: hint, length: length)
    }

    /// `misspeltFact`, an error by default: A fact name close to a declared one: most likely a typo.
    public static func misspeltFact(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .misspeltFact, message, at: location, hint: hint, length: length)
    }

    /// `staleFact`, a warning by default: A fact older than the policy allows (a note when it is already held at medium or low confidence), or a scenario without `as_of`.
    public static func staleFact(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1, severity: Severity = .warning
    ) -> Diagnostic {
        Diagnostic(severity, .staleFact, message, at: location, hint: hint, length: length)
    }

    /// `undatedFact`, a note by default: A fact with no date, where the policy limits the age of facts.
    public static func undatedFact(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.note, .undatedFact, message, at: location, hint: hint, length: length)
    }

    /// `factAfterAsOf`, a warning by default: A fact dated after the scenario's `as_of`.
    public static func factAfterAsOf(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.warning, .factAfterAsOf, message, at: location, hint: hint, length: length)
    }

    /// `unusedSource`, a warning by default: A declared source that no fact cites.
    public static func unusedSource(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.warning, .unusedSource, message, at: location, hint: hint, length: length)
    }

    /// `tooManyDiagnostics`, a note by default: The cap on reported diagnostics was reached; says how many were left out.
    public static func tooManyDiagnostics(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.note, .tooManyDiagnostics, message, at: location, hint: hint, length: length)
    }

    /// `shardMismatch`, an error by default: Sensitivity shards that do not belong together, or a shard whose content does not match its seal.
    public static func shardMismatch(
        _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(.error, .shardMismatch, message, at: location, hint: hint, length: length)
    }
}

extension Diagnostic {
    /// The same diagnostic proposing `name` in place of what it underlines (nil: none).
    public func replacing(with name: String?) -> Diagnostic {
        var d = self
        d.replacement = name
        return d
    }
}

extension DiagnosticCode {
    /// The severity a diagnostic of this code has when a stage passes on a code it was given
    /// (an expression error, a refused file).
    public var defaultSeverity: Severity {
        switch self {
        case .unusedFact, .mixedLevel, .constraintBroken, .doubleCounted, .staleFact, .factAfterAsOf, .unusedSource: .warning
        case .missingRationale, .undatedFact, .tooManyDiagnostics: .note
        default: .error
        }
    }
}

extension Diagnostic {
    /// A diagnostic whose code a lower layer chose (an expression error, a refused file), at
    /// that code's default severity.
    static func coded(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation?, hint: String? = nil, length: Int = 1
    ) -> Diagnostic {
        Diagnostic(code.defaultSeverity, code, message, at: location, hint: hint, length: length)
    }
}
