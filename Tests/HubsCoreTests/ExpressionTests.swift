import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// The expression language: parsing, type checking and evaluation semantics.
@Suite struct ExpressionTests {
    static let facts = """
          x: {type: number}
          y: {type: number}
          b: {type: bool}
          c: {type: bool}
          e: {type: enum, values: [alpha, beta, gamma]}
          d: {type: date}
        """

    /// Compiles `expr` as the only (skippable) leaf and evaluates it for one row of facts
    /// (order x, y, b, c, e, d; nil = unknown). Returns the leaf's raw value (NaN = unknown).
    func eval(
        _ expr: String, x: Double? = 1, y: Double? = 2, b: Bool? = true, c: Bool? = false,
        e: Double? = 1, d: String? = "2025-01-01"
    ) throws -> (Double, Int) {
        let yaml = policyYAML(
            facts: Self.facts,
            criteria: """
                  only:
                    expr: '\(expr.replacingOccurrences(of: "'", with: "''"))'
                    missing: skip
                """)
        let p = try compile(yaml)
        let row: [Double] = [
            x ?? .nan, y ?? .nan, b.map { $0 ? 1 : 0 } ?? .nan, c.map { $0 ? 1 : 0 } ?? .nan,
            e ?? .nan, d.flatMap { Day.parse($0) }.map { Double($0.daysSinceEpoch) } ?? .nan,
        ]
        let ev = Evaluator(p)
        let out = ev.score(row)
        return (ev.leafRaw(0), out.faults)
    }

    func value(
        _ expr: String, x: Double? = 1, y: Double? = 2, b: Bool? = true, c: Bool? = false,
        e: Double? = 1
    ) throws -> Double {
        try eval(expr, x: x, y: y, b: b, c: c, e: e).0
    }

    func parseError(_ text: String) -> ExprError? {
        do {
            _ = try Parser.parse(text)
            return nil
        } catch { return error }
    }

    @Test func precedence() throws {
        #expect(try value("1 + 2 * 3") == 7)
        #expect(try value("(1 + 2) * 3") == 9)
        #expect(try value("10 - 4 - 3") == 3)
        #expect(try value("2 * -x") == -2)
        #expect(try value("if 1 < 2 and not c or false then 10 else 20") == 10)
        #expect(try value("if x in [1, 2] then 5 else 6") == 5)
        #expect(try value("if x not in [1, 2] then 5 else 6") == 6)
        #expect(try value("if e in [\"beta\"] then 1 else 0") == 1)
        #expect(try value("if e == \"gamma\" then 1 else 0") == 0)
        // Numbers may group digits with `_`; names keep theirs.
        #expect(try value("1_000 + 2.5e1 - x") == 1_024)
        let tokens = try Lexer.tokens("fact_name_2 >= 1_0.5_0")
        #expect(tokens.map(\.kind) == [.identifier("fact_name_2"), .op(">="), .number(10.5), .end])
    }

    @Test func functions() throws {
        #expect(try value("min(x, y, 0.5)") == 0.5)
        #expect(try value("max(x, y)") == 2)
        #expect(try value("clamp(150, 0, 100)") == 100)
        #expect(try value("abs(-3)") == 3)
        #expect(abs(try value("log(100) / log(10)") - 2) < 1e-12)
        #expect(try value("log10(1000)") == 3)
        #expect(try value("sqrt(16)") == 4)
        #expect(try value("round(2.5)") == 3)
        #expect(try value("round(2.345, 2)") == 2.35)
        #expect(try value("if d > date(\"2024-12-31\") then 1 else 0") == 1)
        #expect(try value("d - date(\"2024-12-31\")") == 1)
        #expect(try value("if known(x) then 1 else 0", x: nil) == 0)
    }

    @Test func unknownPropagatesThroughArithmeticAndComparison() throws {
        #expect(try value("x + 1", x: nil).isNaN)
        #expect(try value("if x > 1 then 1 else 0", x: nil).isNaN)
        #expect(try value("min(x, 5)", x: nil).isNaN)
    }

    /// Kleene logic: false and unknown = false; true or unknown = true; otherwise unknown.
    @Test func kleeneLogic() throws {
        #expect(try value("if c and b then 1 else 0", b: nil) == 0)
        #expect(try value("if b and c then 1 else 0", b: nil) == 0)
        #expect(try value("if b or c then 1 else 0", b: true, c: nil) == 1)
        #expect(try value("if c or b then 1 else 0", b: true, c: nil) == 1)
        #expect(try value("if b and c then 1 else 0", b: true, c: nil).isNaN)
        #expect(try value("if not b then 1 else 0", b: nil).isNaN)
    }

    @Test func guardsShortCircuitAndFaultsAreCounted() throws {
        let guarded = try eval("if x == 0 then 0 else 10 / x", x: 0)
        #expect(guarded.0 == 0)
        #expect(guarded.1 == 0)
        let andGuard = try eval("if x != 0 and 10 / x > 1 then 1 else 0", x: 0)
        #expect(andGuard == (0, 0))
        let fault = try eval("10 / x", x: 0)
        #expect(fault.0.isNaN)
        #expect(fault.1 == 1)
        #expect(try eval("log(x)", x: -1).1 == 1)
    }

    @Test(arguments: [
        ("x +", "expression ends where a value is expected", 3),
        ("x = 1", "'=' is not an operator", 2),
        ("(x + 1", "expected ')'", 6),
        ("x && y", "'&' is not an operator", 2),
        ("1 < x < 3", "comparisons cannot be chained", 6),
        ("if x then 1", "expected 'else'", 11),
        ("x y", "unexpected 'y' after a complete expression", 2),
        ("\"open", "no closing", 0),
        ("3x", "a number runs into a name", 0),
        ("x @ 2", "unexpected character '@'", 2),
    ])
    func syntaxErrorsPointAtTheToken(_ text: String, _ message: String, _ offset: Int) {
        let e = parseError(text)
        #expect(e != nil)
        #expect(e?.message.contains(message) == true, "\(e?.message ?? "")")
        #expect(e?.offset == offset)
    }

    @Test func nestingLimit() {
        let ok = String(repeating: "(", count: 30) + "1" + String(repeating: ")", count: 30)
        #expect(parseError(ok) == nil)
        let deep = String(repeating: "(", count: 20_000) + "1" + String(repeating: ")", count: 20_000)
        #expect(parseError(deep)?.message.contains("longer than") == true)
        let deepShort = String(repeating: "(", count: 1_000) + "1" + String(repeating: ")", count: 1_000)
        #expect(parseError(deepShort)?.code == .exprTooDeep)
        let notNot = String(repeating: "not ", count: 100) + "true"
        #expect(parseError(notNot)?.code == .exprTooDeep)
        // A long left-associative chain is as deep as nested parentheses, and as limited:
        // 2,000 terms once overflowed the stack of the recursive stages after the parser.
        let chain = "1" + String(repeating: "+1", count: 2_000)
        #expect(parseError(chain)?.code == .exprTooDeep)
        let fine = "1" + String(repeating: "+1", count: 60)
        #expect(parseError(fine) == nil)
    }

    func typeError(_ expr: String) throws -> Diagnostic? {
        let yaml = policyYAML(facts: Self.facts, criteria: "  only:\n    expr: '\(expr)'\n")
        let dir = TempDir()
        let path = dir.write("p.yaml", yaml)
        return withExtendedLifetime(dir) { diagnostics(Pipeline.policy(at: path)).first }
    }

    @Test(arguments: [
        ("x + b", "needs numbers", DiagnosticCode.typeMismatch),
        ("if x then 1 else 2", "condition of 'if' must be true/false", .typeMismatch),
        ("e == \"delta\"", "'delta' is not one of the values", .unknownEnumValue),
        ("e < \"beta\"", "orders numbers and dates only", .typeMismatch),
        ("b", "must give a number", .typeMismatch),
        ("if b then 1 else c", "branches of 'if' differ", .typeMismatch),
        ("foo(x)", "unknown function 'foo'", .unknownFunction),
        ("xx + 1", "unknown fact 'xx'", .unknownFact),
        ("min(x)", "wrong number of arguments", .typeMismatch),
        ("x / 0", "division by zero", .typeMismatch),
        ("d + 1", "needs numbers", .typeMismatch),
    ])
    func typeErrors(_ expr: String, _ message: String, _ code: DiagnosticCode) throws {
        let d = try typeError(expr)
        #expect(d?.code == code)
        #expect(d?.message.contains(message) == true, "\(d?.message ?? "none")")
    }
}
