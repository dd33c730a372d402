import Foundation
import HubsTestSupport
import Testing

/// `hubs serve` run for real: the binary on a free loopback port over a copy of the shipped
/// project, spoken to over raw sockets (so that malformed requests can be sent as they are).
final class Served: @unchecked Sendable {
    let dir = TempDir(prefix: "hubs-serve")
    let process = Process()
    let output = Pipe()
    var port = 0
    var token = ""

    init(extraArguments: [String] = []) throws {
        for f in [
            "policies/uk-return-hubs.yaml", "policies/security-first.yaml", "scenarios/baseline.yaml", "scenarios/kosovo-joins-coe.yaml",
        ] {
            dir.copy(fromRepository: f)
        }
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["serve", "--port", "0", "--root", dir.path] + extraArguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The URL is the first line with "http://"; wait for it at most 30 s.
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !text.contains("?token=") || !text.contains("Ctrl-C") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let at = text.range(of: "http://127.0.0.1:"), let mark = text.range(of: "?token=") else {
            throw ServeError("no URL in: \(text)")
        }
        port = Int(text[at.upperBound...].prefix { $0.isNumber }) ?? 0
        token = String(text[mark.upperBound...].prefix { $0.isHexDigit })
    }

    deinit { stop() }

    /// Sends SIGINT and waits at most 20 s for the server to exit (then kills it: a test that
    /// needs a clean stop checks the status). Returns whether it stopped by itself.
    @discardableResult
    func stop() -> Bool {
        guard process.isRunning else { return true }
        kill(process.processIdentifier, SIGINT)
        for _ in 0..<200 where process.isRunning { usleep(100_000) }
        guard process.isRunning else { return true }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }

    var host: String { "127.0.0.1:\(port)" }

    /// A request with the token's cookie and this server's Host (and Origin on a change).
    func request(_ method: String, _ path: String, body: String? = nil, headers extra: [String] = []) -> HTTPAnswer {
        var lines = ["\(method) \(path) HTTP/1.1", "Host: \(host)", "Cookie: hubs-token-\(port)=\(token)", "Connection: close"]
        if method != "GET" { lines.append("Origin: http://\(host)") }
        lines += extra
        if let body { lines += ["Content-Type: application/json", "Content-Length: \(body.utf8.count)"] }
        return send(Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + (body ?? "")).utf8))
    }

    /// Sends raw bytes on a new connection and reads the answer until the server closes it or
    /// `timeout` seconds pass.
    func send(_ bytes: [UInt8], timeout: Double = 20, closeAfterWrite: Bool = false) -> HTTPAnswer {
        RawHTTP.exchange(port: port, bytes: bytes, timeout: timeout, shutdownWrite: closeAfterWrite)
    }
}

struct ServeError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A parsed HTTP answer (status 0 when none came).
struct HTTPAnswer {
    var status: Int
    var headers: [String: String]
    var body: String
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] }
}

enum RawHTTP {
    static func exchange(port: Int, bytes: [UInt8], timeout: Double, shutdownWrite: Bool) -> HTTPAnswer {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return HTTPAnswer(status: 0, headers: [:], body: "no socket") }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return HTTPAnswer(status: 0, headers: [:], body: "cannot connect") }
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            sent += n
        }
        if shutdownWrite { shutdown(fd, Int32(SHUT_WR)) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received += buffer[0..<n]
            if let answer = parse(received), answer.complete { return answer.value }
        }
        return parse(received)?.value ?? HTTPAnswer(status: 0, headers: [:], body: "")
    }

    /// The answer in `bytes`, and whether its body is all there.
    static func parse(_ bytes: [UInt8]) -> (value: HTTPAnswer, complete: Bool)? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let head = text[..<end.lowerBound].split(separator: "\r\n")
        guard let first = head.first else { return nil }
        let status = Int(first.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = String(text[end.upperBound...])
        let length = Int(headers["content-length"] ?? "") ?? -1
        return (HTTPAnswer(status: status, headers: headers, body: body), length >= 0 && body.utf8.count >= length)
    }
}

@Suite(.serialized, .timeLimit(.minutes(5))) struct ServeCommandTests {
    @Test func theURLCarriesTheTokenAndNothingIsServedWithoutIt() throws {
        let s = try Served()
        #expect(s.token.count == 64)
        let bare = s.send(Array("GET / HTTP/1.1\r\nHost: \(s.host)\r\nConnection: close\r\n\r\n".utf8))
        #expect(bare.status == 403)
        let wrong = s.send(Array("GET /?token=nope HTTP/1.1\r\nHost: \(s.host)\r\nConnection: close\r\n\r\n".utf8))
        #expect(wrong.status == 403)
        let admit = s.send(Array("GET /?token=\(s.token) HTTP/1.1\r\nHost: \(s.host)\r\nConnection: close\r\n\r\n".utf8))
        #expect(admit.status == 303 && admit.headers["location"] == "/")
        #expect(
            admit.headers["set-cookie"]?.contains("HttpOnly") == true && admit.headers["set-cookie"]?.contains("SameSite=Strict") == true)
        let page = s.request("GET", "/")
        #expect(page.status == 200 && page.body.contains("hubs workbench"))
        #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true)
        for path in ["/api/project", "/workbench.js", "/api/version"] {
            let noCookie = s.send(Array("GET \(path) HTTP/1.1\r\nHost: \(s.host)\r\nConnection: close\r\n\r\n".utf8))
            #expect(noCookie.status == 403, "\(path)")
        }
    }

    @Test func aWrongHostAndACrossOriginChangeAreRefused() throws {
        let s = try Served()
        let rebound = s.send(
            Array(
                "GET /api/project HTTP/1.1\r\nHost: evil.example:\(s.port)\r\nCookie: hubs-token-\(s.port)=\(s.token)\r\nConnection: close\r\n\r\n"
                    .utf8))
        #expect(rebound.status == 403, "DNS rebinding: the token alone is not enough")
        let twice = s.request("GET", "/api/project", headers: ["Host: evil.example:\(s.port)"])
        #expect(twice.status == 400, "two Host headers are refused")
        let cross = s.send(
            Array(
                ("POST /api/score HTTP/1.1\r\nHost: \(s.host)\r\nCookie: hubs-token-\(s.port)=\(s.token)\r\n"
                    + "Origin: http://evil.example\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}").utf8))
        #expect(cross.status == 403)
        let noOrigin = s.send(
            Array(
                ("POST /api/score HTTP/1.1\r\nHost: \(s.host)\r\nCookie: hubs-token-\(s.port)=\(s.token)\r\n"
                    + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").utf8))
        #expect(noOrigin.status == 403, "a change needs the page's own Origin")
        #expect(s.request("POST", "/api/score", body: "{}").status == 200)
        let typed = s.request("POST", "/api/score", body: "{\"weights\": {\"security\": \"heavy\"}}")
        #expect(typed.status == 400)
        #expect((typed.json?["error"] as? String)?.contains("'weights.security' must be a number") == true, "\(typed.body)")
    }

    @Test func noPathOutsideTheProjectIsReadOrWritten() throws {
        let s = try Served()
        symlink("/etc/passwd", s.dir.path("scenarios/escape.yaml"))
        for path in [
            "../etc/passwd", "/etc/passwd", "scenarios/../../x.yaml", "scenarios/escape.yaml", ".git/config.yaml",
            "policies/../../etc/passwd.yaml",
        ] {
            let doc = s.request("GET", "/api/document?path=" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? path))
            #expect(doc.status == 403, "\(path): \(doc.status) \(doc.body)")
            let body = try String(decoding: JSONSerialization.data(withJSONObject: ["scenario": path]), as: UTF8.self)
            #expect(s.request("POST", "/api/score", body: body).status == 403, "\(path)")
            let save = try String(
                decoding: JSONSerialization.data(withJSONObject: ["path": path, "text": "x", "base": ""]), as: UTF8.self)
            #expect(s.request("POST", "/api/save", body: save).status == 403, "\(path)")
            let buffers = try String(decoding: JSONSerialization.data(withJSONObject: ["buffers": [path: "x"]]), as: UTF8.self)
            #expect(s.request("POST", "/api/check", body: buffers).status == 403, "\(path)")
        }
        #expect((try? String(contentsOfFile: "/etc/passwd", encoding: .utf8))?.hasPrefix("x") != true)
    }

    @Test func aBodyOverTheLimitIsRefusedBeforeItIsRead() throws {
        let s = try Served()
        // Only the headers are sent: the answer must come without the body.
        let big = s.send(
            Array(
                ("POST /api/score HTTP/1.1\r\nHost: \(s.host)\r\nCookie: hubs-token-\(s.port)=\(s.token)\r\n"
                    + "Origin: http://\(s.host)\r\nContent-Length: 50000000\r\n\r\n").utf8), timeout: 10)
        #expect(big.status == 413)
        #expect(big.headers["connection"] == "close")
        let chunked = s.send(
            Array(
                ("POST /api/score HTTP/1.1\r\nHost: \(s.host)\r\nCookie: hubs-token-\(s.port)=\(s.token)\r\n"
                    + "Origin: http://\(s.host)\r\nTransfer-Encoding: chunked\r\n\r\n").utf8), timeout: 10)
        #expect(chunked.status == 411)
        #expect(s.request("GET", "/api/version").status == 200, "still serving")
    }

    @Test func malformedRequestsNeverStopTheServer() throws {
        let s = try Served()
        var rng = SystemRandomNumberGenerator()
        let shapes: [(Int) -> [UInt8]] = [
            { _ in Array("BREW / HTTP/1.1\r\nHost: x\r\n\r\n".utf8) },
            { _ in Array("GET / HTTP/1.1\r\nHost: 127.0.0.1".utf8) },
            { _ in [0x47, 0x45, 0x54, 0x20, 0xFF, 0xFE, 0x20, 0x48, 0x0D, 0x0A, 0x0D, 0x0A] },
            { _ in Array("GET / HTTP/1.1\r\nX: \(String(repeating: "a", count: 70_000))\r\n\r\n".utf8) },
            { _ in Array("\r\n\r\n\r\n".utf8) },
            { _ in Array("POST /api/score HTTP/1.1\r\nContent-Length: -5\r\n\r\n".utf8) },
            { _ in Array("GET /\u{0}\u{7F} HTTP/1.1\r\nHost: \(s.host)\r\n\r\n".utf8) },
            { i in (0..<(i % 200)).map { _ in UInt8.random(in: 0...255, using: &rng) } },
            { _ in
                Array(
                    "POST /api/score HTTP/1.1\r\nHost: \(s.host)\r\nCookie: hubs-token-\(s.port)=\(s.token)\r\nOrigin: http://\(s.host)\r\nContent-Length: 9\r\n\r\n{\"rank\":"
                        .utf8)
            },
        ]
        var answered = 0
        for i in 0..<1_000 {
            let a = s.send(shapes[i % shapes.count](i), timeout: 5, closeAfterWrite: true)
            if a.status != 0 { answered += 1 }
            #expect(a.status != 200 && a.status != 500, "request \(i) shape \(i % shapes.count): \(a.status)")
        }
        #expect(answered > 300, "most malformed requests get an answer, not only a closed socket")
        // A slow client: headers trickled over two seconds, while another request is served.
        let slow = DispatchQueue.global()
        let slowDone = DispatchSemaphore(value: 0)
        slow.async {
            _ = s.send(Array("GET /api/version HTTP/1.1\r\nHost: \(s.host)\r\n".utf8), timeout: 3)
            slowDone.signal()
        }
        let fine = s.request("GET", "/api/version")
        #expect(fine.status == 200 && fine.json?["version"] != nil)
        slowDone.wait()
        #expect(s.request("POST", "/api/score", body: "{}").status == 200)
    }

    @Test func twoTabsSavingOneFileLoseNoUpdate() throws {
        let s = try Served()
        let doc = try #require(s.request("GET", "/api/document?path=scenarios/baseline.yaml").json)
        let text = try #require(doc["text"] as? String)
        let base = try #require(doc["sha256"] as? String)
        func save(_ t: String) throws -> HTTPAnswer {
            let body = try JSONSerialization.data(withJSONObject: ["path": "scenarios/baseline.yaml", "text": t, "base": base])
            return s.request("POST", "/api/save", body: String(decoding: body, as: UTF8.self))
        }
        let first = try save(text.replacingOccurrences(of: "title: Return-hub candidates", with: "title: First tab's candidates"))
        #expect(first.status == 200, "\(first.body)")
        let second = try save(text.replacingOccurrences(of: "title: Return-hub candidates", with: "title: Second tab's candidates"))
        #expect(second.status == 409, "\(second.body)")
        #expect((second.json?["text"] as? String)?.contains("First tab's") == true, "the second tab is shown what is on disk")
        let onDisk = try String(contentsOfFile: s.dir.path("scenarios/baseline.yaml"), encoding: .utf8)
        #expect(onDisk.contains("First tab's") && !onDisk.contains("Second tab's"))
        // An invalid text is never written.
        let now = try #require(s.request("GET", "/api/document?path=scenarios/baseline.yaml").json?["sha256"] as? String)
        let bad = try JSONSerialization.data(withJSONObject: ["path": "scenarios/baseline.yaml", "text": "scenario: [", "base": now])
        #expect(s.request("POST", "/api/save", body: String(decoding: bad, as: UTF8.self)).status == 422)
        #expect(try String(contentsOfFile: s.dir.path("scenarios/baseline.yaml"), encoding: .utf8) == onDisk)
    }

    @Test func aWeightOverrideRescoresAndSaysWhatMoved() throws {
        let s = try Served()
        let plain = try #require(s.request("POST", "/api/score", body: "{}").json)
        #expect(plain["changes"] is NSNull)
        let moved = try #require(
            s.request("POST", "/api/score", body: "{\"facts\":{\"kosovo.coe_member\":\"true\",\"kosovo.echr_party\":\"true\"}}").json)
        let assessment = try #require(moved["assessment"] as? [String: Any])
        let first = try #require((assessment["candidates"] as? [[String: Any]])?.first)
        #expect(first["id"] as? String == "kosovo")
        let changes = try #require(moved["changes"] as? [String: Any])
        let kosovo = try #require((changes["candidates"] as? [[String: Any]])?.first { $0["id"] as? String == "kosovo" })
        #expect(kosovo["change"] as? String == "changed")
        #expect((kosovo["parts"] as? [[String: Any]])?.first?["criterion"] as? String == "echr")
        // A file changed by another editor moves the version within a second.
        let before = try #require(s.request("GET", "/api/version").json?["version"] as? Int)
        let path = s.dir.path("scenarios/kosovo-joins-coe.yaml")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try (text + "\n# edited elsewhere\n").write(toFile: path, atomically: true, encoding: .utf8)
        var after = before
        for _ in 0..<20 where after == before {
            usleep(100_000)
            after = s.request("GET", "/api/version").json?["version"] as? Int ?? before
        }
        #expect(after > before)
    }

    @Test func robustnessRunsInTheBackgroundAndCanBeCancelled() throws {
        let s = try Served()
        let started = s.request("POST", "/api/robustness", body: "{\"samples\": 200, \"seed\": 3}")
        #expect(started.status == 202)
        let job = try #require(started.json?["job"] as? String)
        var state = "running"
        var last: [String: Any] = [:]
        for _ in 0..<600 where state == "running" {
            usleep(100_000)
            last = s.request("GET", "/api/jobs/" + job).json ?? [:]
            state = last["state"] as? String ?? "?"
        }
        #expect(state == "done")
        let result = try #require(last["result"] as? [String: Any])
        let analysis = try #require(result["analysis"] as? [String: Any])
        #expect(analysis["samples"] as? Int == 200 && analysis["seed"] as? Int == 3)
        #expect((result["sentences"] as? [String])?.contains { $0.contains("runs") } == true)
        // The same analysis as the command line's, for the same seed.
        let cli = try CLI.run(["sensitivity", "--samples", "200", "--seed", "3", "--format", "json"], cwd: s.dir.path)
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])
        let p1 = (analysis["candidates"] as? [[String: Any]])?.map { $0["p_rank_1"] as? Double ?? -1 }
        let p2 = (expected["candidates"] as? [[String: Any]])?.map { $0["p_rank_1"] as? Double ?? -1 }
        #expect(p1 != nil && p1 == p2)
        // A long run, cancelled at once; a third run while two are under way is refused.
        let long = try #require(s.request("POST", "/api/robustness", body: "{\"samples\": 20000}").json?["job"] as? String)
        let other = try #require(s.request("POST", "/api/robustness", body: "{\"samples\": 20000}").json?["job"] as? String)
        #expect(s.request("POST", "/api/robustness", body: "{\"samples\": 200}").status == 429)
        #expect(s.request("DELETE", "/api/jobs/" + long).json?["state"] as? String == "cancelled")
        #expect(s.request("DELETE", "/api/jobs/" + other).json?["state"] as? String == "cancelled")
        #expect(s.request("GET", "/api/jobs/nope").status == 404)
    }

    @Test func sigintStopsItCleanly() throws {
        let s = try Served()
        #expect(s.request("GET", "/api/version").status == 200)
        #expect(s.stop(), "it stops within 20 s of SIGINT")
        #expect(s.process.terminationStatus == 0)
        let left = try FileManager.default.subpathsOfDirectory(atPath: s.dir.path).filter { $0.hasSuffix(".partial") }
        #expect(left.isEmpty)
    }
}
