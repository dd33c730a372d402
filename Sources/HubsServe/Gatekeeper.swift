import Foundation

/// Who may talk to the workbench, decided before any request is routed: only a page or client
/// that holds the token (in the URL printed at start, then in a cookie), that names this server
/// in its Host header (no DNS rebinding), and whose writes come from this server's own origin (no
/// cross-site requests). A pure function of the request's method, path, query and headers.
public struct Gatekeeper: Sendable {
    /// The secret printed in the URL: 32 random bytes as hex.
    public let token: String
    /// The port the server listens on (cookies are not kept apart by port, so the cookie's name
    /// carries it).
    public let port: Int
    /// The Host header values that name this server ("127.0.0.1:PORT", "localhost:PORT",
    /// "[::1]:PORT", and the `--host` given).
    public let hosts: Set<String>
    /// The largest request body accepted; a larger one is refused (413) before it is read.
    public let maxBody: Int

    /// What to do with a request.
    public enum Verdict: Sendable, Equatable {
        /// Serve it.
        case allow
        /// The first page with the token in its URL: set the cookie and send the browser to the
        /// same page without the token (so it is not left in the address bar or history).
        case admit(cookie: String, location: String)
        /// Refuse it with this status and message.
        case refuse(status: Int, message: String)
    }

    /// A gatekeeper with a fresh random token.
    public init(port: Int, extraHost: String? = nil, maxBody: Int = 2_097_152, token: String? = nil) {
        var rng = SystemRandomNumberGenerator()
        self.token = token ?? (0..<4).map { _ in String(format: "%016llx", rng.next() as UInt64) }.joined()
        self.port = port
        var hosts: Set<String> = ["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)"]
        if let extraHost {
            hosts.insert(extraHost.contains(":") && !extraHost.hasPrefix("[") ? "[\(extraHost)]:\(port)" : "\(extraHost):\(port)")
        }
        self.hosts = hosts
        self.maxBody = maxBody
    }

    /// The cookie's name.
    public var cookieName: String { "hubs-token-\(port)" }

    /// The methods the workbench answers.
    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE"]

    /// Judges a request. `headers` are keyed by lower-case name.
    public func judge(method: String, path: String, query: [String: String], headers: [String: String]) -> Verdict {
        guard Self.methods.contains(method) else { return .refuse(status: 405, message: "method not allowed") }
        // Host first: a page on another name (DNS rebinding) never gets further.
        guard let host = headers["host"]?.lowercased(), hosts.contains(host) else {
            return .refuse(status: 403, message: "this server answers only to \(hosts.sorted().joined(separator: ", "))")
        }
        if let origin = headers["origin"], !hosts.contains(where: { "http://\($0)" == origin.lowercased() }) {
            return .refuse(status: 403, message: "cross-origin requests are refused")
        }
        // A browser says when a request is cross-site even where it sends no Origin.
        if let site = headers["sec-fetch-site"], site == "cross-site" {
            return .refuse(status: 403, message: "cross-site requests are refused")
        }
        if method != "GET" && method != "HEAD" && headers["origin"] == nil && headers["authorization"] == nil {
            return .refuse(status: 403, message: "a change needs the page's Origin header or an Authorization header")
        }
        if let length = headers["content-length"] {
            guard let n = Int(length), n >= 0 else { return .refuse(status: 400, message: "bad Content-Length") }
            if n > maxBody { return .refuse(status: 413, message: "the body is over the limit of \(maxBody) bytes") }
        } else if headers["transfer-encoding"] != nil {
            return .refuse(status: 411, message: "send a Content-Length; chunked bodies are not accepted")
        }
        if method == "GET", path == "/", let given = query["token"] {
            guard Self.same(given, token) else { return .refuse(status: 403, message: "wrong token") }
            return .admit(
                cookie: "\(cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict", location: "/")
        }
        if let given = Self.cookie(cookieName, in: headers["cookie"]), Self.same(given, token) { return .allow }
        if let auth = headers["authorization"], auth.hasPrefix("token "), Self.same(String(auth.dropFirst(6)), token) {
            return .allow
        }
        return .refuse(status: 403, message: "this workbench needs its token: open the URL hubs serve printed")
    }

    /// The value of cookie `name` in a Cookie header.
    static func cookie(_ name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            if pair.hasPrefix(name + "=") { return String(pair.dropFirst(name.count + 1)) }
        }
        return nil
    }

    /// Compares in time that does not depend on where the strings first differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    /// The headers every answer carries: nothing may be loaded from elsewhere, framed, sniffed
    /// or cached.
    public static let securityHeaders: [(String, String)] = [
        (
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Cache-Control", "no-store"),
    ]
}
