/// Renders a `TestReport`: failures with expected against actual and why, then coverage.
public enum TestRenderer {
    public static func text(_ r: TestReport, coverageMin: Double?) -> String {
        var out = ""
        var currentFile = ""
        for t in r.results {
            if t.file != currentFile { currentFile = t.file; out += "\(t.file)\n" }
            out += "  \(t.passed ? "PASS" : "FAIL")  \(t.name)  [\(t.policy) on \(t.scenario)]\n"
            for f in t.failures {
                out += "        \(f.location): expectation failed\n"
                out += "          expected: \(f.expected)\n"
                out += "          actual:   \(f.actual)\n"
                for (i, b) in f.because.enumerated() { out += "          \(i == 0 ? "because:" : "        ") \(b)\n" }
            }
        }
        for c in r.coverage {
            let parts = [("gate", "gate outcomes"), ("case", "cases"), ("map", "map entries"), ("criterion", "criteria")].compactMap { k, name -> String? in
                let n = c.count(k)
                return n.total == 0 ? nil : "\(name) \(n.covered)/\(n.total)"
            }
            out += "Coverage of policy \(c.policy) (\(c.file)): \(Format.fixed(c.percent, 0))% — \(parts.joined(separator: ", "))\n"
            let missing = c.items.filter { !$0.covered }
            if !missing.isEmpty {
                out += "  not exercised: " + missing.prefix(12).map(\.label).joined(separator: "; ")
                    + (missing.count > 12 ? "; and \(missing.count - 12) more (see --format json)" : "") + "\n"
            }
            if let min = coverageMin, c.percent < min {
                out += "  BELOW the required \(Format.number(min))%\n"
            }
        }
        out += "hubs test: \(r.results.count) test\(r.results.count == 1 ? "" : "s"), \(r.passed) passed, \(r.failed) failed\n"
        return out
    }

    public static func json(_ r: TestReport, coverageMin: Double?) -> JSON {
        .object([
            ("schema", .string("hubs.test/1")),
            ("passed", .number(Double(r.passed))),
            ("failed", .number(Double(r.failed))),
            ("tests", .array(r.results.map { t in
                .object([("file", .string(t.file)), ("name", .string(t.name)), ("location", .string(t.location.description)),
                         ("policy", .string(t.policy)), ("scenario", .string(t.scenario)), ("passed", .bool(t.passed)),
                         ("failures", .array(t.failures.map { f in
                             .object([("location", .string(f.location.description)), ("expected", .string(f.expected)),
                                      ("actual", .string(f.actual)), ("because", .array(f.because.map { .string($0) }))])
                         }))])
            })),
            ("coverage", .array(r.coverage.map { c in
                .object([("policy", .string(c.policy)), ("file", .string(c.file)), ("percent", .number(c.percent)),
                         ("below_minimum", .bool(coverageMin.map { c.percent < $0 } ?? false)),
                         ("items", .array(c.items.map { .object([("kind", .string($0.kind)), ("label", .string($0.label)), ("covered", .bool($0.covered))]) }))])
            })),
        ])
    }
}
