import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// The diagnostics stage: each code's constructor, the order diagnostics are shown in, the cap,
/// and the did-you-mean hints.
@Suite struct DiagnosticsTests {
    static let at = SourceLocation(file: "p.yaml", line: 3, column: 5)

    /// A constructor fixes its code and its code's severity; the two codes with two severities
    /// take the other one when asked.
    @Test func constructorsFixCodeAndSeverity() {
        let e = Diagnostic.unknownFact("unknown fact 'x'", at: Self.at, hint: "declare it", length: 1)
        #expect(e.code == .unknownFact && e.severity == .error && e.hint == "declare it")
        #expect(Diagnostic.unusedSource("s", at: nil).severity == .warning)
        #expect(Diagnostic.missingRationale("r", at: nil).severity == .note)
        #expect(Diagnostic.staleFact("old", at: nil).severity == .warning)
        #expect(Diagnostic.staleFact("old", at: nil, severity: .note).severity == .note)
        #expect(Diagnostic.undeclaredFact("u", at: nil).severity == .error)
        #expect(Diagnostic.undeclaredFact("u", at: nil, severity: .warning).severity == .warning)
        #expect(Diagnostic.coded(.arithmeticFault, "x", at: nil).severity == .error)
        #expect(Diagnostic.coded(.unusedFact, "x", at: nil).severity == .warning)
        #expect(Diagnostic.invalidValue("v", at: nil, length: 0).length == 1, "at least one column is underlined")
    }

    /// Every code has a default severity, and warnings and notes are few and named.
    @Test func everyCodeHasADefaultSeverity() {
        let bySeverity = Dictionary(grouping: DiagnosticCode.allCases, by: \.defaultSeverity)
        #expect(
            Set(bySeverity[.note] ?? []) == [.missingRationale, .undatedFact, .tooManyDiagnostics])
        #expect(Set(bySeverity[.warning] ?? []).contains(.doubleCounted))
        #expect((bySeverity[.error] ?? []).count > 35)
    }

    /// Shown by file, line and column, then errors before warnings; a diagnostic without a
    /// place comes last; the same finding twice is shown once.
    @Test func theBagSortsAndRemovesDuplicates() {
        var bag = DiagnosticBag()
        bag.add(.unusedFact("late", at: SourceLocation(file: "p.yaml", line: 9, column: 1)))
        bag.add(.unknownCandidate("nowhere", at: nil))
        bag.add(.unusedFact("same place, a warning", at: Self.at))
        bag.add(.unknownFact("same place, an error", at: Self.at))
        bag.add(.unknownFact("same place, an error", at: Self.at))
        #expect(bag.sorted.map(\.message) == ["same place, an error", "same place, a warning", "late", "nowhere"])
        #expect(bag.errorCount == 3 && bag.hasErrors)
    }

    /// The description is one line a log can hold: place, severity, message, code, hint.
    @Test func theDescriptionIsOneLine() {
        let d = Diagnostic.unknownFact("unknown fact 'x'", at: Self.at, hint: "did you mean 'y'?")
        #expect(d.description == "p.yaml:3:5: error: unknown fact 'x' [unknown_fact] (hint: did you mean 'y'?)")
    }

    /// A did-you-mean names the closest candidate and nothing when none is close.
    @Test func didYouMeanNamesTheClosestName() {
        #expect(Suggest.hint(for: "echr_pary", in: ["echr_party", "coe_member"])?.contains("echr_party") == true)
        #expect(Suggest.hint(for: "zzzz", in: ["echr_party", "coe_member"]) == nil)
    }
}
