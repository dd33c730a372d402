import Foundation
import HubsCore

/// `hubs serve`: the workbench page and its JSON API over HTTP on the loopback address, every
/// request judged by the `Gatekeeper` before it is routed. The routes:
///
///     GET  /                  the page (GET /?token=T sets the cookie and sends the browser to /)
///     GET  /workbench.js, /workbench.css
///     GET  /api/project       the files in view (text, hash), the files that may be opened
///     GET  /api/version       moves when a project file changes on disk
///     GET  /api/document?path=P
///     POST /api/score         the ranking with explanations, the chart, the diff against disk
///     POST /api/check         every diagnostic of the view with the editor's buffers
///     POST /api/save          writes one document: 409 if it changed on disk, 422 if invalid
///     POST /api/whatif        what it would take for a candidate
///     POST /api/robustness    starts the robustness runs; GET/DELETE /api/jobs/ID follows or cancels
public final class WorkbenchServer: Sendable {
    public let workbench: Workbench
    public let gate: Gatekeeper
    let jobs = Jobs()

    /// A server of `workbench` behind `gate`.
    public init(workbench: Workbench, gate: Gatekeeper) {
        self.workbench = workbench
        self.gate = gate
    }

    /// An answer: a reply and the headers to send besides the security headers.
    public struct Answer: Sendable {
        public var reply: Reply
        public var headers: [(String, String)] = []
        /// Whether the connection should close after it (a refused body was left unread).
        public var close = false
    }

    /// Judges, routes and answers one request. `headers` are keyed by lower-case name (the Host
    /// header under "host"); `body` reads the body, at most `gate.maxBody` bytes, and is called
    /// only for an admitted request that takes one.
    public func answer(
        method: String, path: String, query: [String: String], headers: [String: String], body: () async throws -> [UInt8]
    ) async -> Answer {
        switch gate.judge(method: method, path: path, query: query, headers: headers) {
        case let .refuse(status, message):
            return Answer(reply: .problem(status, message), close: [400, 411, 413].contains(status))
        case let .admit(cookie, location):
            return Answer(reply: Reply(status: 303, json: "{}"), headers: [("Set-Cookie", cookie), ("Location", location)])
        case .allow:
            let reply = await route(method: method, path: path, query: query, body: { Data(try await body()) })
            return Answer(reply: reply)
        }
    }

    /// The answer to an admitted request.
    func route(method: String, path: String, query: [String: String], body: () async throws -> Data) async -> Reply {
        func view() async -> Result<ViewRequest, Reply> {
            guard let data = try? await body() else { return .failure(.problem(400, "the body could not be read")) }
            if data.isEmpty { return .success(ViewRequest()) }
            do {
                return .success(try JSONDecoder().decode(ViewRequest.self, from: data))
            } catch {
                return .failure(.problem(400, "the body is not the JSON this endpoint takes: " + Self.describe(error)))
            }
        }
        switch (method, path) {
        case ("GET", "/"), ("HEAD", "/"): return Reply.asset(WorkbenchPage.html, type: "text/html; charset=utf-8")
        case ("GET", "/workbench.js"): return Reply.asset(WorkbenchPage.script, type: "text/javascript; charset=utf-8")
        case ("GET", "/workbench.css"):
            return Reply.asset(WorkbenchPage.style + ReportHTML.chartStyle, type: "text/css; charset=utf-8")
        case ("GET", "/api/project"): return workbench.project()
        case ("GET", "/api/version"):
            return Reply(json: "{\"version\":\(workbench.version)}")
        case ("GET", "/api/document"): return workbench.document(query["path"] ?? "")
        case ("POST", "/api/score"), ("POST", "/api/check"), ("POST", "/api/save"), ("POST", "/api/whatif"),
            ("POST", "/api/robustness"):
            let q: ViewRequest
            switch await view() {
            case let .failure(r): return r
            case let .success(v): q = v
            }
            switch path {
            case "/api/score": return workbench.score(q)
            case "/api/check": return workbench.check(q)
            case "/api/save": return workbench.save(q)
            case "/api/whatif": return await whatIf(q)
            default: return await robustness(q)
            }
        case (_, let p) where p.hasPrefix("/api/jobs/"):
            let id = String(p.dropFirst("/api/jobs/".count))
            if method == "DELETE" { return jobs.cancel(id) }
            if method == "GET" { return jobs.status(id) }
            return .problem(405, "method not allowed")
        default:
            return .problem(404, "no such page")
        }
    }

    /// Where and why a body did not decode: the key path and what it should hold.
    static func describe(_ error: any Error) -> String {
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "the body" : "'" + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") + "'"
        }
        switch error as? DecodingError {
        case let .typeMismatch(type, c)?:
            return "\(at(c.codingPath)) must be \(type == Double.self ? "a number" : type == String.self ? "text" : "\(type)")"
        case let .valueNotFound(_, c)?: return "\(at(c.codingPath)) has no value"
        case let .keyNotFound(k, c)?: return "\(at(c.codingPath + [k])) is missing"
        case let .dataCorrupted(c)?: return c.codingPath.isEmpty ? "not valid JSON" : "\(at(c.codingPath)): \(c.debugDescription)"
        default: return "not valid JSON"
        }
    }

    /// `hubs whatif`, off the workbench's actor (a search may take a while).
    func whatIf(_ q: ViewRequest) async -> Reply {
        switch workbench.whatIf(q) {
        case let .failure(r): return r
        case let .success((a, candidate, goal)):
            return await Task.detached {
                switch WhatIfSearch.run(a, table: a.table, candidate: candidate, goal: goal) {
                case let .success(r): return Reply(json: WhatIfRenderer.json(r).serialized(pretty: false))
                case let .failure(e): return Reply.diagnostics(e.diagnostics)
                }
            }.value
        }
    }

    /// Starts the robustness runs of the view in the background; the answer names the job.
    func robustness(_ q: ViewRequest) async -> Reply {
        switch workbench.assessment(q) {
        case let .failure(r): return r
        case let .success(a):
            var o = SensitivityOptions(declaredBy: a.policy.policy.sensitivity)
            o.samples = min(max(q.samples ?? 1_000, 2), 20_000)
            o.seed = q.seed ?? 1
            o.threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
            return jobs.start(a, options: o)
        }
    }

    static func phrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 303: "See Other"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        default: status >= 500 ? "Internal Server Error" : "Status"
        }
    }
}

extension Reply {
    /// A static asset of the page.
    static func asset(_ text: String, type: String) -> Reply {
        var r = Reply(json: text)
        r.contentType = type
        return r
    }
}

/// The robustness runs in the background: each job runs the analysis in slices (shards of one
/// design, so the result is the one `hubs sensitivity` gives), reporting progress and stopping
/// between slices when cancelled. At most two run at once (a third is refused with 429: each
/// uses every core).
final class Jobs: @unchecked Sendable {
    enum State: String { case running, done, cancelled, failed }
    struct Job {
        var state: State
        var progress: Double
        var result: String?
        var error: String?
    }
    private let lock = NSLock()
    private var jobs: [String: Job] = [:]
    private var order: [String] = []
    private var next = 0
    /// Slices a run is cut into: cancelling takes effect within one slice.
    static let slices = 20
    /// Finished jobs kept (the oldest dropped past this).
    static let kept = 16
    static let running = 2

    func start(_ a: Assessment, options o: SensitivityOptions) -> Reply {
        let id: String? = lock.withLock {
            guard jobs.values.filter({ $0.state == .running }).count < Self.running else { return nil }
            next += 1
            let id = "r\(next)"
            jobs[id] = Job(state: .running, progress: 0)
            order.append(id)
            while order.count > Self.kept, let old = order.first(where: { jobs[$0]?.state != .running }) {
                jobs[old] = nil
                order.removeAll { $0 == old }
            }
            return id
        }
        guard let id else { return .problem(429, "two robustness runs are under way; wait for one, or cancel it") }
        Thread.detachNewThread { [self] in run(id, a, o) }
        return Reply(status: 202, json: "{\"job\":\"\(id)\"}")
    }

    private func run(_ id: String, _ a: Assessment, _ o: SensitivityOptions) {
        var shards: [(path: String, shard: SensitivityShard)] = []
        for k in 1...Self.slices {
            if state(id) != .running { return }
            let done = Double(k - 1) / Double(Self.slices)
            switch SensitivityAnalysis.runShard(
                a, table: a.table, options: o, shard: k, of: Self.slices,
                progress: { [self] p in advance(id, done + p / Double(Self.slices)) })
            {
            case let .failure(e): return finish(id, result: nil, error: e.diagnostics.first?.message ?? "the analysis could not run")
            case let .success(s): shards.append(("slice \(k)", s))
            }
        }
        switch SensitivityAnalysis.merge(a, table: a.table, options: o, shards: shards) {
        case let .success(r):
            // The sentences are worded where the report's are (probabilities as shares of the
            // runs, intervals as ranges), so the page says what the brief says.
            let sentences = [RobustnessText.firstPlace(r)].compactMap { $0 } + r.candidates.map { RobustnessText.candidate($0, r) }
            let json =
                "{\"analysis\":" + SensitivityRenderer.json(r).serialized(pretty: false) + ",\"sentences\":"
                + JSON.array(sentences.map { .string($0) }).serialized(pretty: false) + "}"
            finish(id, result: json, error: nil)
        case let .failure(e):
            finish(id, result: nil, error: e.diagnostics.first?.message ?? "the analysis could not run")
        }
    }

    private func state(_ id: String) -> State? { lock.withLock { jobs[id]?.state } }

    private func advance(_ id: String, _ p: Double) {
        lock.withLock {
            guard jobs[id]?.state == .running else { return }
            let before = jobs[id]?.progress ?? 0
            jobs[id]?.progress = max(before, min(p, 0.999))
        }
    }

    private func finish(_ id: String, result: String?, error: String?) {
        lock.withLock {
            guard jobs[id]?.state == .running else { return }
            jobs[id]?.state = result == nil ? .failed : .done
            jobs[id]?.progress = 1
            jobs[id]?.result = result
            jobs[id]?.error = error
        }
    }

    func cancel(_ id: String) -> Reply {
        let known: Bool = lock.withLock {
            guard jobs[id] != nil else { return false }
            if jobs[id]?.state == .running { jobs[id]?.state = .cancelled }
            return true
        }
        return known ? status(id) : .problem(404, "no such job")
    }

    func status(_ id: String) -> Reply {
        guard let j = lock.withLock({ jobs[id] }) else { return .problem(404, "no such job") }
        var s = "{\"job\":\"\(id)\",\"state\":\"\(j.state.rawValue)\",\"progress\":\(Format.number(j.progress))"
        if let e = j.error { s += ",\"error\":" + JSON.string(e).serialized(pretty: false) }
        if let r = j.result { s += ",\"result\":" + r }
        return Reply(json: s + "}")
    }
}
