import Foundation
import HubsCore

/// The project the command runs in: `hubs.yaml` in the current folder, read once. Without one,
/// the defaults are the repository's shipped policy and scenario.
enum Project {
    static let builtInPolicy = "policies/uk-return-hubs.yaml"
    static let builtInScenario = "scenarios/baseline.yaml"

    /// The project file, nil when there is none; a broken one is reported by `main` before any
    /// command runs.
    static let file: Result<ProjectFile?, DiagnosticsError> =
        FileManager.default.fileExists(atPath: ProjectFile.name)
        ? ProjectFile.load(path: ProjectFile.name, files: DiskFiles()).map { $0 } : .success(nil)

    /// The policy a command reads when none is named.
    static var policy: String { ((try? file.get()) ?? nil)?.policy ?? builtInPolicy }
    /// The scenario a command reads when none is named.
    static var scenario: String { ((try? file.get()) ?? nil)?.scenario ?? builtInScenario }
}
