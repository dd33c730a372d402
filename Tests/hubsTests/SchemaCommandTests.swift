import Foundation
import HubsTestSupport
import Testing

/// `hubs schema`: the committed schemas are what the command prints, and every key is described.
/// (CI also validates every shipped file against them with check-jsonschema: see .ci/run.)
@Suite struct SchemaCommandTests {
    @Test(arguments: ["policy", "scenario", "tests"])
    func theCommittedSchemaIsCurrent(_ kind: String) throws {
        let r = try CLI.run(["schema", kind])
        #expect(r.status == 0)
        let committed = try String(contentsOfFile: Repository.path("schemas/\(kind).schema.json"), encoding: .utf8)
        #expect(r.stdout == committed, "schemas/\(kind).schema.json is out of date: run hubs schema \(kind) > schemas/\(kind).schema.json")
    }

    /// Every entry under "properties" (and every `$defs` entry) carries a description.
    @Test(arguments: ["policy", "scenario", "tests"])
    func everyKeyHasADescription(_ kind: String) throws {
        let r = try CLI.run(["schema", kind])
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
        var missing: [String] = []
        var stack: [(String, Any)] = [("$", doc)]
        var keys = 0
        while let (path, node) = stack.popLast() {
            if let o = node as? [String: Any] {
                if let props = o["properties"] as? [String: Any] {
                    for (k, v) in props {
                        keys += 1
                        if (v as? [String: Any])?["description"] == nil { missing.append(path + "." + k) }
                    }
                }
                for (k, v) in o { stack.append((path + "/" + k, v)) }
            } else if let a = node as? [Any] {
                for (i, v) in a.enumerated() { stack.append((path + "[\(i)]", v)) }
            }
        }
        #expect(keys > 20)
        #expect(missing.isEmpty, "no description: \(missing)")
    }

    @Test func anUnknownKindIsAUsageError() throws {
        let r = try CLI.run(["schema", "polcy"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("policy"))
    }
}
