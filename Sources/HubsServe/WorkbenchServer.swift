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
        func view() async -> ViewRequest? {
            guard let data = try? await body() else { return nil }
            if data.isEmpty { return ViewRequest() }
            return try? JSONDecoder().decode(ViewRequest.self, from: data)
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
            guard let q = await view() else { return .problem(400, "the body is not the JSON this endpoint takes") }
            switch path {
            case "/api/score": return workbench.score(q)
            case "/api/check": return workbench.check(q)
            case "/api/save": return workbench.save(q)
            case "/api/whatif": return await whatIf(q)
            default: return await robustness(q)
            }
        case (_, let p) where p.hasPrefix("/api/jobs/"):
            let id = String(p.dropFirst("/api/jobs/".count))
            if method == "DELETE" { return await jobs.cancel(id) }
            if method == "GET" { return await jobs.status(id) }
            return .problem(405, "method not allowed")
        default:
            return .problem(404, "no such page")
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
            return await jobs.start(a, options: o)
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
/// between slices when cancelled.
actor Jobs {
    enum State: String { case running, done, cancelled, failed }
    struct Job {
        var state: State
        var progress: Double
        var result: String?
        var error: String?
    }
    var jobs: [String: Job] = [:]
    var next = 0
    /// Slices a run is cut into: cancelling takes effect within one slice.
    static let slices = 20
    /// Jobs kept (finished ones are dropped oldest first past this).
    static let kept = 16

    func start(_ a: Assessment, options o: SensitivityOptions) -> Reply {
        next += 1
        let id = "r\(next)"
        jobs[id] = Job(state: .running, progress: 0)
        if jobs.count > Self.kept,
            let oldest = jobs.keys.filter({ jobs[$0]?.state != .running }).min(by: { $0.count == $1.count ? $0 < $1 : $0.count < $1.count })
        {
            jobs[oldest] = nil
        }
        Thread.detachNewThread { [self] in
            var shards: [(path: String, shard: SensitivityShard)] = []
            for k in 1...Self.slices {
                let semaphore = DispatchSemaphore(value: 0)
                let box = Box()
                Task {
                    box.stop = await self.isCancelled(id)
                    semaphore.signal()
                }
                semaphore.wait()
                if box.stop { return }
                let done = Double(k - 1) / Double(Self.slices)
                switch SensitivityAnalysis.runShard(
                    a, table: a.table, options: o, shard: k, of: Self.slices,
                    progress: { p in Task { await self.advance(id, done + p / Double(Self.slices)) } })
                {
                case let .failure(e):
                    Task { await self.finish(id, result: nil, error: e.diagnostics.first?.message ?? "the analysis could not run") }
                    return
                case let .success(s): shards.append(("slice \(k)", s))
                }
            }
            switch SensitivityAnalysis.merge(a, table: a.table, options: o, shards: shards) {
            case let .success(r):
                // The sentences are worded where the report's are (probabilities as shares of
                // the runs, intervals as ranges), so the page says what the brief says.
                let sentences = [RobustnessText.firstPlace(r)].compactMap { $0 } + r.candidates.map { RobustnessText.candidate($0, r) }
                let json =
                    "{\"analysis\":" + SensitivityRenderer.json(r).serialized(pretty: false) + ",\"sentences\":"
                    + JSON.array(sentences.map { .string($0) }).serialized(pretty: false) + "}"
                Task { await self.finish(id, result: json, error: nil) }
            case let .failure(e):
                Task { await self.finish(id, result: nil, error: e.diagnostics.first?.message ?? "the analysis could not run") }
            }
        }
        return Reply(status: 202, json: "{\"job\":\"\(id)\"}")
    }

    final class Box: @unchecked Sendable { var stop = false }

    func isCancelled(_ id: String) -> Bool { jobs[id]?.state == .cancelled }

    func advance(_ id: String, _ p: Double) {
        guard jobs[id]?.state == .running else { return }
        jobs[id]?.progress = max(jobs[id]?.progress ?? 0, min(p, 0.999))
    }

    func finish(_ id: String, result: String?, error: String?) {
        guard jobs[id]?.state == .running else { return }
        jobs[id]?.state = result == nil ? .failed : .done
        jobs[id]?.progress = 1
        jobs[id]?.result = result
        jobs[id]?.error = error
    }

    func cancel(_ id: String) -> Reply {
        guard jobs[id] != nil else { return .problem(404, "no such job") }
        if jobs[id]?.state == .running { jobs[id]?.state = .cancelled }
        return status(id)
    }

    func status(_ id: String) -> Reply {
        guard let j = jobs[id] else { return .problem(404, "no such job") }
        var s = "{\"job\":\"\(id)\",\"state\":\"\(j.state.rawValue)\",\"progress\":\(Format.number(j.progress))"
        if let e = j.error { s += ",\"error\":" + JSON.string(e).serialized(pretty: false) }
        if let r = j.result { s += ",\"result\":" + r }
        return Reply(json: s + "}")
    }
}
