import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// Escaping for each medium (terminal, CSV, Markdown): what the renderers rely on.
@Suite struct EscapingTests {
    @Test func terminalEscapingShowsControlsVisibly() {
        #expect(Escaping.terminal("a\u{1B}[2Jb") == "a\\e[2Jb")
        #expect(Escaping.terminal("x\ny\u{7}") == "x\\ny\\x07")
        #expect(Escaping.terminal("\u{9B}31m") == "\\u{9B}31m")
        #expect(Escaping.terminal("line\nbreak", keepNewlines: true) == "line\nbreak")
        #expect(Escaping.terminal("Bosnia and Herzegovina") == "Bosnia and Herzegovina")
    }

    @Test func csvEscapingProtectsSpreadsheets() {
        #expect(Escaping.csv("=1+1") == "'=1+1")
        #expect(Escaping.csv("@SUM(A1)") == "'@SUM(A1)")
        #expect(Escaping.csv("-12.5") == "-12.5")
        #expect(Escaping.csv("-cmd") == "'-cmd")
        #expect(Escaping.csv("a,b") == "\"a,b\"")
        #expect(Escaping.csv("=1+1", protectFormulas: false) == "=1+1")
    }

    @Test func markdownEscapingNeutralisesHTMLAndLinks() {
        #expect(Escaping.markdown("<script>") == "&lt;script&gt;")
        #expect(Escaping.markdown("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))")
        #expect(Escaping.markdown("a|b\nc") == "a\\|b c")
        #expect(Escaping.markdown("host_willingness *") == "host\\_willingness \\*")
    }
}

/// Numbers print through one formatter; its fast path must print exactly what C's "%.6g" prints.
@Suite struct NumberFormatTests {
    @Test func fastPathAgreesWithPrintf() {
        var rng = SplitMix64(seed: 7)
        var values: [Double] = [0.1, 0.5, 50.49, 77.17, 1e-4, 0.00012, 99999.5, 123456.5, 1.0 / 3, -2.25, 0.30000000000000004]
        for _ in 0..<20_000 {
            let magnitude = Double(Int(rng.next() % 12)) - 5
            let digits = Double(rng.next() % 1_000_000) / 1_000
            values.append((rng.next() % 2 == 0 ? 1 : -1) * digits * pow(10, magnitude - 3))
            values.append(Double(rng.next() % 100_000) / 100)
        }
        for v in values {
            var slow = Format.printf("%.6g", v)
            if !slow.utf8.contains(UInt8(ascii: "e")), slow.utf8.contains(UInt8(ascii: ".")) {
                while slow.utf8.last == UInt8(ascii: "0") { slow.removeLast() }
                if slow.utf8.last == UInt8(ascii: ".") { slow.removeLast() }
            }
            if v != v.rounded() { #expect(Format.number(v) == slow, "\(v)") }
            if let fast = Format.shortest(v) { #expect(fast == slow, "\(v)") }
        }
        #expect(Format.fixed(-0.0001, 2) == "0.00")
        #expect(Format.fixed(2.5, 3) == "2.500")
        #expect(Format.number(1e20) == "1e+20")
    }

    /// `Format.fixed` rounds in Swift (an error-free product, ties to even); C's "%.*f" is the
    /// reference, on values chosen to sit on and near every kind of halfway point.
    @Test func fixedAgreesWithPrintf() {
        var rng = SplitMix64(seed: 11)
        var values: [Double] = [
            0, -0.0, 0.125, 0.375, 2.5, 3.5, -2.5, 0.05, 0.15, 0.25, 0.35, 1.005, 2.675, 1e-5, -1e-5, 99.95, 99.949999,
            24.95, 24.96, 0.5, 1.5, -0.5, 4503599627370495.5, 1e15, 123456789.125, .leastNonzeroMagnitude, 1e-200, 1e300,
        ]
        for _ in 0..<15_000 {
            let base = Double(rng.next() % 2_000_000) / 1_000 - 1_000  // thousandths, often halfway
            values.append(base)
            values.append(base + Double(rng.next() % 3) * 1e-15 - 1e-15)
            values.append(Double(bitPattern: rng.next() >> 2))  // anything, tiny to huge
            values.append(Double(rng.next() % 1_000_000) / 8)  // exact binary halves and eighths
        }
        for v in values where v.isFinite {
            for digits in [0, 1, 2, 3, 4, 6, 9] {
                var slow = Format.printf("%.*f", Int32(digits), v)
                if slow.hasPrefix("-"), Double(slow) == 0 { slow.removeFirst() }
                #expect(Format.fixed(v, digits) == slow, "\(v) to \(digits) decimals")
            }
        }
    }
}
