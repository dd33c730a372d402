import Foundation
import HubsCore

/// An answer of the workbench: an HTTP status and a JSON body.
public struct Reply: Sendable, Error {
    public var status: Int
    public var body: [UInt8]
    public var contentType = "application/json; charset=utf-8"
    /// The diagnostics a 422 answer carries (for callers that answer them otherwise).
    public var diagnostics: [Diagnostic]?

    /// A JSON answer; `json` is the serialized document.
    public init(status: Int = 200, json: String) {
        self.status = status
        self.body = Array(json.utf8)
    }

    /// A refusal or failure with one message (and the status that says what kind it is).
    public static func problem(_ status: Int, _ message: String) -> Reply {
        Reply(status: status, json: JSON.object([("error", .string(message))]).serialized(pretty: false))
    }

    /// Diagnostics that stop the answer (422: the inputs are wrong, not the request).
    public static func diagnostics(_ ds: [Diagnostic], status: Int = 422) -> Reply {
        var r = Reply(status: status, json: JSON.object([("diagnostics", diagnosticsJSON(ds))]).serialized(pretty: false))
        r.diagnostics = ds
        return r
    }

    /// Diagnostics sorted, de-duplicated and capped as the command line shows them.
    public static func diagnosticsJSON(_ ds: [Diagnostic]) -> JSON {
        var bag = DiagnosticBag()
        bag.add(contentsOf: ds)
        return .array(bag.sorted.map(\.json))
    }
}

/// What the page sends with every question: which files, the unsaved buffers, and the view's
/// overrides (as `--weight` and `--set` would give them: for this view only, never written).
public struct ViewRequest: Codable, Sendable {
    public var policy: String?
    public var scenario: String?
    /// Criterion id → weight.
    public var weights: [String: Double]?
    /// "candidate.fact" → value as a scenario would write it (`true`, `44`, `agreed`, `unknown`).
    public var facts: [String: String]?
    /// Path → text of documents edited but not saved.
    public var buffers: [String: String]?
    public var candidate: String?
    /// What-if goals: a rank, or a band.
    public var rank: Int?
    public var band: String?
    /// Robustness runs.
    public var samples: Int?
    public var seed: UInt64?
    /// Saving: the path, the new text and the hash of the text the editor started from.
    public var path: String?
    public var text: String?
    public var base: String?

    /// An empty request: the files as the project names them, no overrides.
    public init() {}

    var hasOverrides: Bool { !(weights ?? [:]).isEmpty || !(facts ?? [:]).isEmpty }
}

/// The workbench's state and every answer it gives, independent of HTTP: the project folder,
/// the policy and scenario in view, a `Workspace` that keeps parsed documents (only a changed
/// document is parsed again), and a version that moves when a project file changes on disk.
/// Paths are relative to the project folder, which is the process's working folder.
///
/// Shared by the server's requests, which it answers in parallel: each request reads through a
/// workspace of its own laid over the shared one (its unsaved buffers in front), so requests
/// never see each other's buffers; the few pieces of state (the version, the files' stamps, the
/// kept assessments) are behind a lock; saves take a lock of their own, so that a save checks the
/// file's hash and writes it with no other save in between (no lost update).
public final class Workbench: @unchecked Sendable {
    /// The project folder, with links resolved: nothing outside it is read or written.
    public let root: String
    public let policyPath: String
    public let scenarioPath: String
    let workspace = Workspace(over: StampedFiles(root: "."))
    let limits = InputLimits.standard
    private let lock = NSLock()
    private let saving = NSLock()
    private var currentVersion = 1
    private var stamps: [String: FileStamp] = [:]
    /// The assessment of the files as they are on disk, for the diff of the view against them.
    private var onDisk: (key: String, assessment: Assessment)?
    /// Answers to score requests, by version and request: a view asked for again (a slider
    /// moved back, a reset, a second tab) is answered from here until a file changes.
    private var answers: [String: Reply] = [:]
    private var answerOrder: [String] = []
    static let keptAnswers = 64
    /// Most bytes of a document the editor may send or save.
    public static let maxDocumentBytes = 1_048_576

    /// A workbench over `root` (the working folder) showing `policy` and `scenario`.
    public init(root: String, policy: String, scenario: String) {
        self.root = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath().path
        self.policyPath = policy
        self.scenarioPath = scenario
        self.stamps = Self.stamps(of: Self.projectFiles(extra: [policy, scenario]))
    }

    /// Moves whenever a project file changes on disk (or is saved here).
    public var version: Int { lock.withLock { currentVersion } }

    /// Returns once no save is under way (for a clean stop).
    public func quiesce() { saving.withLock {} }

    // MARK: files

    /// The refusal (403) of a path a request names that may not be read or written here: see
    /// `ProjectBoundary.editableProblem(_:root:)`; nil when it may.
    func refusal(_ path: String) -> Reply? {
        ProjectBoundary.editableProblem(path, root: root).map { .problem(403, "refused '\(Escaping.terminal(path))': \($0)") }
    }

    /// The YAML files of the project the page may open: the policies, the scenarios and the
    /// policy tests, with `extra` (the files in view).
    static func projectFiles(extra: [String]) -> [String] {
        var out = Set(extra)
        for folder in ["policies", "scenarios", "policy-tests"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            where (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && !name.hasPrefix(".") {
                out.insert(folder + "/" + name)
            }
        }
        if FileManager.default.fileExists(atPath: ProjectFile.name) { out.insert(ProjectFile.name) }
        return out.sorted()
    }

    /// What tells a file changed: its size, modification time and inode.
    struct FileStamp: Equatable {
        var size: Int64, seconds: Int, nanoseconds: Int, inode: UInt64
    }

    static func stamps(of paths: [String]) -> [String: FileStamp] {
        var out: [String: FileStamp] = [:]
        for p in paths {
            var info = stat()
            guard stat(p, &info) == 0 else { continue }
            out[p] = FileStamp(
                size: Int64(info.st_size), seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec,
                inode: UInt64(info.st_ino))
        }
        return out
    }

    /// Looks at the project's files; when one changed (the analyst's own editor saved it), moves
    /// the version and returns true.
    @discardableResult
    public func pollDisk() -> Bool {
        let now = Self.stamps(of: Self.projectFiles(extra: [policyPath, scenarioPath]))
        return lock.withLock {
            guard now != stamps else { return false }
            stamps = now
            currentVersion += 1
            onDisk = nil
            answers = [:]
            answerOrder = []
            return true
        }
    }

    // MARK: answers

    /// The project: the folder, the files in view with their text and hash, the files the page
    /// may open, and the version.
    public func project() -> Reply {
        func document(_ path: String) -> JSON {
            switch SourceFile.read(path: path, limits: limits) {
            case let .success(f):
                return .object([("path", .string(path)), ("text", .string(f.text)), ("sha256", .string(f.sha256))])
            case let .failure(e):
                return .object([("path", .string(path)), ("error", .string(e.diagnostics.first?.message ?? "cannot read"))])
            }
        }
        let files = Self.projectFiles(extra: [policyPath, scenarioPath])
        return Reply(
            json: JSON.object([
                ("root", .string(root)), ("version", .number(Double(version))),
                ("policy", document(policyPath)), ("scenario", document(scenarioPath)),
                ("policies", .array(files.filter { $0.hasPrefix("policies/") }.map { .string($0) })),
                ("scenarios", .array(files.filter { $0.hasPrefix("scenarios/") }.map { .string($0) })),
                ("max_document_bytes", .number(Double(Self.maxDocumentBytes))),
            ]).serialized(pretty: false))
    }

    /// One document's text and hash (for an editor tab).
    public func document(_ path: String) -> Reply {
        if let refused = refusal(path) { return refused }
        switch SourceFile.read(path: path, limits: limits) {
        case let .success(f):
            return Reply(
                json: JSON.object([("path", .string(path)), ("text", .string(f.text)), ("sha256", .string(f.sha256))]).serialized())
        case let .failure(e): return .diagnostics(e.diagnostics, status: 404)
        }
    }

    /// The paths and overrides of a request checked: paths inside the project, buffers within
    /// the size limit. A refusal, or the policy and scenario paths to use.
    func paths(_ q: ViewRequest) -> Result<(policy: String, scenario: String), Reply> {
        let policy = q.policy ?? policyPath
        let scenario = q.scenario ?? scenarioPath
        for p in [policy, scenario] + (q.buffers ?? [:]).keys.sorted() {
            if let refused = refusal(p) { return .failure(refused) }
        }
        for (p, text) in q.buffers ?? [:] where text.utf8.count > Self.maxDocumentBytes {
            return .failure(.problem(413, "the buffer of \(p) is over \(Self.maxDocumentBytes) bytes"))
        }
        return .success((policy, scenario))
    }

    /// The view's overrides as the command line would give them.
    static func overrides(_ q: ViewRequest) -> Result<Overrides, DiagnosticsError> {
        let weights = (q.weights ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\(Format.number($0.value))" }
        let facts = (q.facts ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return Overrides.parse(set: facts, weight: weights, policySet: [])
    }

    /// Prepares and evaluates the view: the buffers in front of the disk, the overrides applied.
    func assess(_ q: ViewRequest, overrides: Bool = true, buffers: Bool = true) -> Result<Assessment, Reply> {
        let (policy, scenario): (String, String)
        switch paths(q) {
        case let .failure(r): return .failure(r)
        case let .success(p): (policy, scenario) = p
        }
        let o: Overrides
        switch overrides ? Self.overrides(q) : .success(.none) {
        case let .failure(e): return .failure(.diagnostics(e.diagnostics))
        case let .success(v): o = v
        }
        let files = view(buffers ? (q.buffers ?? [:]) : [:])
        return Pipeline.assess(policyPath: policy, scenarioPath: scenario, limits: limits, files: files, overrides: o)
            .mapError { .diagnostics($0.diagnostics) }
    }

    /// The files as a request sees them: its unsaved buffers in front of the shared workspace.
    func view(_ buffers: [String: String]) -> Workspace {
        buffers.isEmpty ? workspace : Workspace(buffers.map { SourceFile(path: $0.key, text: $0.value) }, over: workspace)
    }

    /// The assessment of the files on disk (no buffers, no overrides), kept until a file changes.
    func assessOnDisk(_ q: ViewRequest) -> Assessment? {
        let key = "\(q.policy ?? policyPath)\n\(q.scenario ?? scenarioPath)"
        if let kept = lock.withLock({ onDisk }), kept.key == key { return kept.assessment }
        var plain = ViewRequest()
        plain.policy = q.policy
        plain.scenario = q.scenario
        guard case let .success(a) = assess(plain, overrides: false, buffers: false) else { return nil }
        lock.withLock { onDisk = (key, a) }
        return a
    }

    /// A request in canonical form (keys sorted), the key of its kept answer.
    static func canonical(_ q: ViewRequest) -> String? {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return (try? e.encode(q)).map { SHA256.hex(Array($0)) }
    }

    /// The ranking with every explanation (the `hubs score --format json` document), and, when
    /// the view differs from the files (overrides or unsaved buffers), the diff against them.
    /// Inputs that do not check are an answer, not a failed request: 200, with the diagnostics
    /// and no assessment (the page shows them while the analyst types).
    public func score(_ q: ViewRequest) -> Reply {
        let version = self.version
        let key = Self.canonical(q).map { "\(version) \($0)" }
        if let key, let kept = lock.withLock({ answers[key] }) { return kept }
        let reply = freshScore(q, version: version)
        if let key, reply.status == 200 {
            lock.withLock {
                if answers.updateValue(reply, forKey: key) == nil { answerOrder.append(key) }
                if answerOrder.count > Self.keptAnswers { answers[answerOrder.removeFirst()] = nil }
            }
        }
        return reply
    }

    func freshScore(_ q: ViewRequest, version: Int) -> Reply {
        switch assess(q) {
        case let .failure(r):
            guard let found = r.diagnostics else { return r }
            return Reply(
                json: JSON.object([
                    ("version", .number(Double(version))), ("assessment", .null), ("diagnostics", Reply.diagnosticsJSON(found)),
                ]).serialized(pretty: false))
        case let .success(a):
            var parts = [
                "\"version\":\(version)", "\"assessment\":" + AssessmentJSON.document(a).serialized(pretty: false),
                "\"chart\":" + JSON.string(ReportHTML.rankingFigure(a)).serialized(pretty: false),
                "\"facts\":" + Self.factsJSON(a.policy.policy).serialized(pretty: false),
            ]
            if q.hasOverrides || !(q.buffers ?? [:]).isEmpty, let disk = assessOnDisk(q) {
                parts.append("\"changes\":" + DiffRenderer.json(OutcomeDiff.compare(disk, a)).serialized(pretty: false))
            } else {
                parts.append("\"changes\":null")
            }
            return Reply(json: "{" + parts.joined(separator: ",") + "}")
        }
    }

    /// The facts the policy declares, for the page's fact editors: name, type, values or range,
    /// step, and whether what-if may change it.
    static func factsJSON(_ p: Policy) -> JSON {
        .array(
            p.facts.map { f in
                var fields: [(String, JSON)] = [("name", .string(f.name)), ("type", .string(f.type.name))]
                switch f.type {
                case let .enumeration(values): fields.append(("values", .array(values.map { .string($0) })))
                case .bool: fields.append(("values", .array([.string("true"), .string("false")])))
                case let .number(lo, hi, unit):
                    fields.append(("range", .array([.num(lo), .num(hi)])))
                    fields.append(("unit", .str(unit)))
                case .date: break
                }
                fields.append(("step", .num(f.step)))
                fields.append(("description", .string(f.description)))
                return .object(fields)
            })
    }

    /// Every diagnostic of the view (errors, warnings, notes), for the editor: `check` as the
    /// command gives it, with the buffers in front of the disk.
    public func check(_ q: ViewRequest) -> Reply {
        switch findings(q) {
        case let .failure(r): return r
        case let .success(found): return checkReply(found)
        }
    }

    /// The view's diagnostics, each with the line it quotes.
    func findings(_ q: ViewRequest) -> Result<[Diagnostic], Reply> {
        paths(q).map { policy, scenario in
            let files = view(q.buffers ?? [:])
            let found: [Diagnostic]
            switch Pipeline.prepare(policyPath: policy, scenarioPath: scenario, limits: limits, files: files) {
            case let .failure(e): found = e.diagnostics
            case let .success(p): found = p.warnings
            }
            return Quoting.attach(found, from: [files])
        }
    }

    func checkReply(_ found: [Diagnostic], status: Int = 200) -> Reply {
        Reply(
            status: status,
            json: JSON.object([
                ("version", .number(Double(version))), ("errors", .number(Double(found.filter { $0.severity == .error }.count))),
                ("diagnostics", Reply.diagnosticsJSON(found)),
            ]).serialized(pretty: false))
    }

    /// Saves one document: refused when the file changed on disk since the editor read it
    /// (409, with the text now on disk), or when the project would not check with it (422);
    /// otherwise written atomically (a temporary file, synced, renamed into place).
    public func save(_ q: ViewRequest) -> Reply {
        saving.withLock { saveAlone(q) }
    }

    func saveAlone(_ q: ViewRequest) -> Reply {
        guard let path = q.path, let text = q.text, let base = q.base else {
            return .problem(400, "a save names 'path', 'text' and 'base' (the hash of the text the editor started from)")
        }
        if let refused = refusal(path) { return refused }
        if text.utf8.count > Self.maxDocumentBytes { return .problem(413, "the text is over \(Self.maxDocumentBytes) bytes") }
        let current = try? SourceFile.read(path: path, limits: limits).get()
        if (current?.sha256 ?? "") != base {
            return Reply(
                status: 409,
                json: JSON.object([
                    ("error", .string("\(path) changed on disk since the editor read it; nothing was written")),
                    ("sha256", .str(current?.sha256)), ("text", .str(current?.text)),
                ]).serialized(pretty: false))
        }
        var checked = q
        checked.buffers = (q.buffers ?? [:]).merging([path: text]) { _, new in new }
        switch findings(checked) {
        case let .failure(r): return r
        case let .success(found) where found.contains(where: { $0.severity == .error }): return checkReply(found, status: 422)
        case .success: break
        }
        let resolved: String
        switch SafeWriter.target(root + "/" + path, inputs: [], project: root, confined: true) {
        case let .success(.file(p)): resolved = p
        case .success(.standardOutput): return .problem(403, "refused '\(Escaping.terminal(path))': not a file")
        case let .failure(problem): return .problem(403, OutputProblemText.message(problem, option: "save").message)
        }
        if case let .failure(problem) = SafeWriter.write(Array(text.utf8), to: resolved) {
            return .problem(500, OutputProblemText.message(problem, option: "save").message)
        }
        _ = pollDisk()
        let written = try? SourceFile.read(path: path, limits: limits).get()
        return Reply(
            json: JSON.object([("path", .string(path)), ("sha256", .str(written?.sha256)), ("version", .number(Double(version)))])
                .serialized(pretty: false))
    }

    /// What it would take for the candidate to reach the goal (`hubs whatif`).
    public func whatIf(_ q: ViewRequest) -> Result<(Assessment, String, WhatIfGoal), Reply> {
        guard let candidate = q.candidate else { return .failure(.problem(400, "a what-if names a 'candidate'")) }
        let goal: WhatIfGoal
        if let band = q.band {
            goal = .band(band)
        } else {
            goal = .rank(q.rank ?? 1)
        }
        return assess(q).map { ($0, candidate, goal) }
    }

    /// The assessment the robustness runs start from.
    public func assessment(_ q: ViewRequest) -> Result<Assessment, Reply> { assess(q) }
}
