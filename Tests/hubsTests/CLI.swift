import Foundation
import Testing

/// Runs the built `hubs` binary, as a user would, and captures what it printed.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
    var seconds: Double
}

enum CLI {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    /// The `hubs` executable built next to this test bundle.
    static let binary: String = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("hubs").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        for sub in [".build/debug/hubs", ".build/release/hubs"] {
            let candidate = root + "/" + sub
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        fatalError("cannot find the hubs binary near \(CommandLine.arguments[0])")
    }()

    /// Runs `hubs args…` in `cwd` (the repository root by default). Output goes to files, so
    /// large outputs cannot block on a full pipe.
    static func run(_ args: [String], cwd: String = root, env: [String: String] = [:]) throws -> Run {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("hubs-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let outURL = tmp.appendingPathComponent("out"), errURL = tmp.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NO_COLOR")
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        let start = Date()
        try p.run()
        p.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        try out.close(); try err.close()
        return Run(status: p.terminationStatus,
                   stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                   stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
                   seconds: seconds)
    }
}

/// Golden files: `HUBS_RECORD=1 swift test` rewrites them; otherwise output must match exactly.
enum Golden {
    static let dir = CLI.root + "/Tests/hubsTests/golden"

    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = dir + "/" + name
        if ProcessInfo.processInfo.environment["HUBS_RECORD"] == "1" {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            Issue.record("no golden file \(name); run HUBS_RECORD=1 swift test to create it", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let i = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
            Issue.record("""
                output differs from golden file \(name) at line \(i + 1):
                  expected: \(i < e.count ? String(e[i]) : "<end>")
                  actual:   \(i < a.count ? String(a[i]) : "<end>")
                If the change is intended, run HUBS_RECORD=1 swift test and review the diff.
                """, sourceLocation: sourceLocation)
        }
    }
}
