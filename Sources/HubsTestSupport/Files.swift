import Foundation

/// A temporary folder for one test's files, removed when the value is dropped. Subfolders in a
/// written name are created.
public final class TempDir: @unchecked Sendable {
    public let url: URL

    public init(prefix: String = "hubs-test") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public var path: String { url.path }

    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) -> String {
        let file = url.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        // A fixture that could not be written would make a test fail for the wrong reason.
        precondition(FileManager.default.createFile(atPath: file.path, contents: Data(bytes)), "could not write \(file.path)")
        return file.path
    }

    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// The repository this package is built from (for the shipped policies, scenarios and goldens).
public enum Repository {
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// A path inside the repository.
    public static func path(_ relative: String) -> String { root + "/" + relative }
}

/// Text with position markers (1️⃣, 2️⃣, ...) removed, remembering where each stood as 1-based
/// line and column, so tests never count columns by hand.
public struct Marked: Sendable {
    public static let markers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣"]
    public var text: String
    public var positions: [String: Position] = [:]

    public struct Position: Sendable, Equatable {
        public var line: Int
        public var column: Int
    }

    public init(_ source: String) {
        var out = ""
        var line = 1
        var column = 1
        var rest = Substring(source)
        outer: while let ch = rest.first {
            for m in Self.markers where rest.hasPrefix(m) {
                positions[m] = Position(line: line, column: column)
                rest = rest.dropFirst(m.count)
                continue outer
            }
            out.append(ch)
            if ch == "\n" {
                line += 1
                column = 1
            } else {
                column += ch.unicodeScalars.count
            }
            rest = rest.dropFirst()
        }
        text = out
    }

    /// Where a marker stood; (0, 0) for a marker not in the text (so a test fails, not traps).
    public subscript(_ marker: String) -> Position { positions[marker] ?? Position(line: 0, column: 0) }
}

extension TempDir {
    /// Copies a file of the repository to the same relative path here.
    public func copy(fromRepository relative: String) {
        let text = (try? String(contentsOfFile: Repository.path(relative), encoding: .utf8)) ?? ""
        write(relative, text)
    }

    /// Runs git here with a test identity and no signing; returns its exit status.
    @discardableResult
    public func git(_ args: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments =
            [
                "git", "-c", "user.name=hubs test", "-c", "user.email=test@hubs.invalid", "-c", "init.defaultBranch=main",
                "-c", "commit.gpgsign=false",
            ] + args
        p.currentDirectoryURL = url
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
