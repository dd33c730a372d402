import Foundation
import HubsCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// The workbench over HTTP/1.1 on swift-nio. NIO's parser reads in linear time and refuses a
/// header field or header list over 80 KiB (400, connection closed); a malformed request gets a
/// 400 and the connection is closed; an idle connection is closed after 30 s. A request is judged
/// by the `Gatekeeper` as soon as its head arrives: a refused one is answered at once and its
/// body, if any, is never read.
final class WorkbenchHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let server: WorkbenchServer
    var head: HTTPRequestHead?
    var headers: [String: String] = [:]
    var query: [String: String] = [:]
    var body: [UInt8] = []
    /// The request was answered from its head (refused): its body parts are dropped and the
    /// connection closes after the answer.
    var discarding = false

    init(server: WorkbenchServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(h):
            head = h
            body = []
            discarding = false
            (headers, query) = Self.fields(h)
            if h.headers[canonicalForm: "host"].count > 1 {
                refuse(context, .init(reply: .problem(400, "more than one Host header"), close: true))
                return
            }
            // Judged now, before any of the body is read.
            let verdict = server.gate.judge(method: h.method.rawValue, path: Self.path(h.uri), query: query, headers: headers)
            if case let .refuse(status, message) = verdict {
                refuse(context, .init(reply: .problem(status, message), close: true))
            }
        case var .body(part):
            guard !discarding else { return }
            if body.count + part.readableBytes > server.gate.maxBody {
                refuse(context, .init(reply: .problem(413, "the body is over the limit of \(server.gate.maxBody) bytes"), close: true))
                return
            }
            body += part.readBytes(length: part.readableBytes) ?? []
        case .end:
            guard !discarding, let h = head else { return }
            let (server, headers, query, body) = (self.server, self.headers, self.query, self.body)
            let promise = context.eventLoop.makePromise(of: WorkbenchServer.Answer.self)
            promise.completeWithTask {
                // The time spent answering, for the browser's developer tools and the timings
                // in docs/performance.md (Server-Timing).
                let start = ContinuousClock.now
                var answer = await server.answer(
                    method: h.method.rawValue, path: Self.path(h.uri), query: query, headers: headers
                ) { body }
                let took = ContinuousClock.now - start
                let ms = Double(took.components.seconds) * 1000 + Double(took.components.attoseconds) / 1e15
                answer.headers.append(("Server-Timing", "app;dur=\(Format.fixed(ms, 3))"))
                return answer
            }
            let keepAlive = h.isKeepAlive
            let isHead = h.method == .HEAD
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess { answer in
                let (handler, context) = bound.value
                handler.write(context, answer, keepAlive: keepAlive && !answer.close, head: isHead)
            }
        }
    }

    func refuse(_ context: ChannelHandlerContext, _ answer: WorkbenchServer.Answer) {
        discarding = true
        write(context, answer, keepAlive: false, head: false)
    }

    func write(_ context: ChannelHandlerContext, _ answer: WorkbenchServer.Answer, keepAlive: Bool, head isHead: Bool) {
        var fields = HTTPHeaders()
        for (k, v) in Gatekeeper.securityHeaders + answer.headers { fields.add(name: k, value: v) }
        fields.add(name: "Content-Type", value: answer.reply.contentType)
        fields.add(name: "Content-Length", value: String(answer.reply.body.count))
        fields.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let status = HTTPResponseStatus(statusCode: answer.reply.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: fields))), promise: nil)
        if !isHead {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: answer.reply.body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// An idle connection (no request for 30 s) is closed.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// The path of a request target, percent-decoded ("/api/document").
    static func path(_ uri: String) -> String {
        let raw = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// The headers keyed by lower-case name (cookies joined with "; ", others with ", ") and
    /// the query's parameters, percent-decoded.
    static func fields(_ h: HTTPRequestHead) -> ([String: String], [String: String]) {
        var headers: [String: String] = [:]
        for (name, value) in h.headers {
            let key = name.lowercased()
            if let old = headers[key] {
                headers[key] = old + (key == "cookie" ? "; " : ", ") + value
            } else {
                headers[key] = value
            }
        }
        var query: [String: String] = [:]
        if let q = h.uri.split(separator: "?", maxSplits: 1).dropFirst().first {
            for pair in q.split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let decode = { (s: Substring) in String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
                query[decode(kv[0])] = kv.count > 1 ? decode(kv[1]) : ""
            }
        }
        return (headers, query)
    }
}

extension WorkbenchServer {
    /// Where the workbench listens: the port and the token of its URL.
    public struct Address: Sendable {
        public let host: String
        public let port: Int
        public let token: String
        /// The URL to open (it carries the token).
        public var url: String {
            "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/?token=\(token)"
        }
    }

    /// The listening channels of a running workbench.
    public struct Running: Sendable {
        public let address: Address
        let channels: [any Channel]
        let group: MultiThreadedEventLoopGroup
        let watcher: Task<Void, Never>
        let workbench: Workbench

        /// Stops taking connections, lets the answers under way finish (a save completes or
        /// never starts: the workbench answers one at a time), and stops.
        public func stop() async {
            watcher.cancel()
            for c in channels { try? await c.close() }
            workbench.quiesce()
            try? await group.shutdownGracefully()
        }
    }

    /// Starts serving `workbench` on 127.0.0.1 and ::1 (or on `host`) at `port`, or, when
    /// `tryNext`, the first free one of the 20 from it; port 0 is any free port.
    public static func start(workbench: Workbench, port: Int, tryNext: Bool, host: String?) async throws -> Running {
        let first = host ?? "127.0.0.1"
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let candidates = port == 0 ? [0] : tryNext ? Array(port..<min(port + 20, 65536)) : [port]
        var lastError: (any Error)?
        for p in candidates {
            do {
                let holder = ServerHolder()
                let v4 = try await bootstrap(group, holder).bind(host: first, port: p).get()
                guard let bound = v4.localAddress?.port else { throw PortTaken(port: p) }
                let server = WorkbenchServer(workbench: workbench, gate: Gatekeeper(port: bound, extraHost: host))
                holder.server = server
                var channels = [v4]
                if host == nil, let v6 = try? await bootstrap(group, holder).bind(host: "::1", port: bound).get() {
                    channels.append(v6)
                }
                let watcher = Task {
                    while !Task.isCancelled {
                        workbench.pollDisk()
                        try? await Task.sleep(nanoseconds: 250_000_000)
                    }
                }
                return Running(
                    address: Address(host: first, port: bound, token: server.gate.token), channels: channels, group: group,
                    watcher: watcher, workbench: workbench)
            } catch {
                lastError = error
            }
        }
        try? await group.shutdownGracefully()
        throw lastError ?? PortTaken(port: port)
    }

    static func bootstrap(_ group: MultiThreadedEventLoopGroup, _ holder: ServerHolder) -> ServerBootstrap {
        ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let server = holder.server else { throw PortTaken(port: 0) }
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: .seconds(30)))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(WorkbenchHTTPHandler(server: server))
                }
            }
    }

    struct PortTaken: Error, CustomStringConvertible {
        var port: Int
        var description: String { "port \(port) is taken" }
    }
}

/// The server a listening socket's connections are handed to, set once the port is known.
final class ServerHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: WorkbenchServer?
    var server: WorkbenchServer? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
