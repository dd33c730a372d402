import Foundation

/// Documents held in memory in front of the files on disk: an editor's unsaved buffers, a whole
/// project without any disk, or a file checked before it is written (`hubs import` reads its
/// scenario back as if it stood at --into, so its `extends` resolves there). A path set here is read from memory, every other path from
/// `base`; `set` replaces one document and leaves the others as they were. Trees parsed from
/// a document are kept, keyed by its path, text hash and limits, so preparing an assessment again
/// after one document changed parses that document alone (`parses` counts the parses made).
///
/// Shared between threads (a server's requests): every access takes the lock.
public final class Workspace: FileSource, @unchecked Sendable {
    private let lock = NSLock()
    private var documents: [String: SourceFile] = [:]
    private var trees: [String: (key: String, tree: YAML)] = [:]
    private var parseCount = 0
    /// Where paths not held in memory are read from; nil for memory alone.
    public let base: (any FileSource)?

    /// A workspace holding `documents`, in front of `base` (the disk by default).
    public init(_ documents: [SourceFile] = [], over base: (any FileSource)? = DiskFiles()) {
        self.base = base
        for d in documents { self.documents[Self.key(d.path)] = d }
    }

    /// Sets (or replaces) the document at `path`; its tree is parsed again when next read.
    public func set(_ path: String, text: String) {
        lock.withLock { documents[Self.key(path)] = SourceFile(path: path, text: text) }
    }

    /// Forgets the document at `path` (reads fall back to `base`).
    public func remove(_ path: String) {
        lock.withLock {
            documents[Self.key(path)] = nil
            trees[Self.key(path)] = nil
        }
    }

    /// How many files were parsed through this workspace (a cached tree is not a parse).
    public var parses: Int { lock.withLock { parseCount } }

    /// How many trees are kept (at most one per path).
    public var keptTrees: Int { lock.withLock { trees.count } }

    static func key(_ path: String) -> String { ProjectBoundary.normalized(path) }

    func document(_ path: String) -> SourceFile? { lock.withLock { documents[Self.key(path)] } }

    /// The document, or the base's file.
    public func read(_ path: String, limits: InputLimits) -> Result<SourceFile, DiagnosticsError> {
        if let d = document(path) { return .success(d) }
        guard let base else {
            return .failure(DiagnosticsError([.fileNotFound("no such file", at: .wholeFile(path))]))
        }
        return base.read(path, limits: limits)
    }

    /// Whether a document or a base file has this path.
    public func exists(_ path: String) -> Bool { document(path) != nil || base?.exists(path) == true }

    /// The base's listing, with the documents held in `directory` added.
    public func list(_ directory: String) -> [String] {
        let folder = Self.key(directory.isEmpty ? "." : directory)
        let held = lock.withLock {
            documents.keys.filter { SafeWriter.folder(of: $0) == folder || (folder == "." && !$0.contains("/")) }
                .map { SafeWriter.name(of: $0) }
        }
        return Array(Set((base?.list(directory) ?? []) + held)).sorted()
    }

    /// The document, or the base's file.
    public func file(atLocation name: String) -> SourceFile? { document(name) ?? base?.file(atLocation: name) }

    /// As the base decides (a document stands where its path says); with no base, paths inside
    /// the workspace are allowed and `..` that climbs out of it is refused.
    public func boundaryProblem(resolved path: String, from namingFile: String) -> String? {
        if let base { return base.boundaryProblem(resolved: path, from: namingFile) }
        return ProjectBoundary.normalized(path).hasPrefix("..") ? "outside the workspace" : nil
    }

    /// The kept tree of exactly this text, path and limits. A file read from a base that is a
    /// workspace is that workspace's to keep, so workspaces laid over one shared workspace (one
    /// per request of a server) parse each file on disk once between them.
    public func cachedTree(for file: SourceFile, limits: InputLimits) -> YAML? {
        if document(file.path) == nil, let base = base as? Workspace { return base.cachedTree(for: file, limits: limits) }
        let k = Self.treeKey(file, limits)
        return lock.withLock { trees[Self.key(file.path)].flatMap { $0.key == k ? $0.tree : nil } }
    }

    /// Keeps the tree of `file`, replacing the one kept for its path (a base file's, in the base).
    public func remember(_ tree: YAML, for file: SourceFile, limits: InputLimits) {
        if document(file.path) == nil, let base = base as? Workspace {
            base.remember(tree, for: file, limits: limits)
            return
        }
        let k = Self.treeKey(file, limits)
        lock.withLock {
            parseCount += 1
            trees[Self.key(file.path)] = (k, tree)
        }
    }

    static func treeKey(_ file: SourceFile, _ limits: InputLimits) -> String {
        "\(file.sha256) \(limits.maxFileBytes) \(limits.maxNodes) \(limits.maxDepth) \(limits.maxAliasNodesPerByte)"
    }
}
