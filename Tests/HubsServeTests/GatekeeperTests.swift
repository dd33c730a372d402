import Testing

@testable import HubsServe

/// Who may talk to the workbench: each rule, and that each refusal says why.
@Suite struct GatekeeperTests {
    static let gate = Gatekeeper(port: 8707, maxBody: 1000, token: "t0ken")
    static let page = ["host": "127.0.0.1:8707", "cookie": "hubs-token-8707=t0ken"]

    func judge(_ headers: [String: String], _ method: String = "GET", _ path: String = "/api/project", query: [String: String] = [:])
        -> Gatekeeper.Verdict
    {
        Self.gate.judge(method: method, path: path, query: query, headers: headers)
    }

    func status(_ v: Gatekeeper.Verdict) -> Int? {
        if case let .refuse(status, _) = v { return status }
        return nil
    }

    @Test func theTokenInTheURLSetsTheCookieAndLeavesTheURL() {
        let v = judge(["host": "localhost:8707"], "GET", "/", query: ["token": "t0ken"])
        #expect(v == .admit(cookie: "hubs-token-8707=t0ken; Path=/; HttpOnly; SameSite=Strict", location: "/"))
        #expect(judge(Self.page) == .allow)
        #expect(judge(["host": "[::1]:8707", "authorization": "token t0ken"]) == .allow)
    }

    @Test func withoutTheRightTokenNothingIsServed() {
        #expect(status(judge(["host": "127.0.0.1:8707"])) == 403)
        #expect(status(judge(["host": "127.0.0.1:8707"], "GET", "/", query: ["token": "t0kem"])) == 403)
        #expect(status(judge(["host": "127.0.0.1:8707", "cookie": "hubs-token-8707=t0ke"])) == 403)
        #expect(status(judge(["host": "127.0.0.1:8707", "cookie": "hubs-token-9999=t0ken"])) == 403, "another server's cookie")
        #expect(status(judge(["host": "127.0.0.1:8707", "authorization": "Bearer t0ken"])) == 403)
    }

    @Test func anotherHostIsRefusedEvenWithTheToken() {
        for host in ["evil.example:8707", "127.0.0.1:8708", "127.0.0.1", "localhost.evil.example:8707", ""] {
            #expect(status(judge(["host": host, "cookie": "hubs-token-8707=t0ken"])) == 403, "\(host)")
        }
        #expect(status(judge(["cookie": "hubs-token-8707=t0ken"])) == 403, "no Host at all")
    }

    @Test func crossSiteRequestsAreRefused() {
        var h = Self.page
        h["origin"] = "http://evil.example"
        #expect(status(judge(h, "POST", "/api/save")) == 403)
        h["origin"] = "http://127.0.0.1:8707"
        #expect(judge(h, "POST", "/api/save") == .allow)
        h["origin"] = "null"
        #expect(status(judge(h, "POST", "/api/save")) == 403)
        var fetch = Self.page
        fetch["sec-fetch-site"] = "cross-site"
        #expect(status(judge(fetch)) == 403)
        #expect(status(judge(Self.page, "POST", "/api/save")) == 403, "a change with neither Origin nor Authorization")
    }

    @Test func bodiesAndMethodsOutsideTheRulesAreRefused() {
        var h = Self.page
        h["origin"] = "http://127.0.0.1:8707"
        h["content-length"] = "1001"
        #expect(status(judge(h, "POST", "/api/score")) == 413)
        h["content-length"] = "-1"
        #expect(status(judge(h, "POST", "/api/score")) == 400)
        h["content-length"] = nil
        h["transfer-encoding"] = "chunked"
        #expect(status(judge(h, "POST", "/api/score")) == 411)
        #expect(status(judge(Self.page, "TRACE", "/")) == 405)
        #expect(status(judge(Self.page, "CONNECT", "/")) == 405)
    }

    @Test func tokensAreLongAndFresh() {
        let a = Gatekeeper(port: 1)
        let b = Gatekeeper(port: 1)
        #expect(a.token.count == 64 && a.token != b.token)
        #expect(Gatekeeper.same("abc", "abc") && !Gatekeeper.same("abc", "abd") && !Gatekeeper.same("abc", "abcd"))
    }
}
