import Foundation
import HubsCore

/// The only place hubs writes to the terminal. Output is built whole and written once, so a
/// failed run never leaves half a result on stdout.
struct Console {
    var renderer: DiagnosticRenderer

    init() {
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        renderer = DiagnosticRenderer(color: isatty(STDERR_FILENO) == 1 && !noColor)
    }

    func out(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }

    func err(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }

    /// Prints diagnostics (sorted, capped) to stderr, with a closing count.
    mutating func report(_ diagnostics: [Diagnostic], showNotes: Bool = false) {
        var bag = DiagnosticBag()
        bag.add(contentsOf: diagnostics.filter { showNotes || $0.severity != .note })
        var text = ""
        for d in bag.sorted { text += renderer.render(d) }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        if errors > 0 || warnings > 0 {
            text += "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        }
        err(text)
    }

    /// One line about warnings after a successful run, pointing at `hubs check`.
    func summarizeWarnings(_ a: Assessment, policy: String, scenario: String) {
        let n = a.warnings.filter { $0.severity == .warning }.count
        guard n > 0 else { return }
        err("hubs: \(n) warning\(n == 1 ? "" : "s") about the inputs (stale or late evidence, unused facts); run 'hubs check \(policy) \(scenario)' to see them\n")
    }
}
