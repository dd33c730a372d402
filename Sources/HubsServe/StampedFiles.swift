import Foundation
import HubsCore

/// Files on disk, each kept as read until its size, modification time or inode changes: a
/// server reads the same policy and scenario for every request, and a `stat` is all it takes to
/// know they are unchanged (reading, checking and hashing them is not).
final class StampedFiles: FileSource, @unchecked Sendable {
    let disk: DiskFiles
    private let lock = NSLock()
    private var kept: [String: (stamp: Workbench.FileStamp, limits: String, file: SourceFile)] = [:]

    init(root: String) { disk = DiskFiles(root: root) }

    func read(_ path: String, limits: InputLimits) -> Result<SourceFile, DiagnosticsError> {
        let key = "\(limits.maxFileBytes) \(limits.maxNodes) \(limits.maxDepth)"
        guard let stamp = Workbench.stamps(of: [path])[path] else { return disk.read(path, limits: limits) }
        if let k = lock.withLock({ kept[path] }), k.stamp == stamp, k.limits == key { return .success(k.file) }
        let r = disk.read(path, limits: limits)
        if case let .success(f) = r { lock.withLock { kept[path] = (stamp, key, f) } }
        return r
    }

    func exists(_ path: String) -> Bool { disk.exists(path) }
    func list(_ directory: String) -> [String] { disk.list(directory) }
    func file(atLocation name: String) -> SourceFile? { disk.file(atLocation: name) }
    func boundaryProblem(resolved path: String, from namingFile: String) -> String? {
        disk.boundaryProblem(resolved: path, from: namingFile)
    }
}
