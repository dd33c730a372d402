import Foundation
import Testing

@testable import HubsCore

/// The report's chart module: scales, nice ticks, labels that do not overlap, truncation with the
/// full text kept, and escaping of everything that reaches the SVG.
@Suite struct ChartTests {
    @Test func scaleMapsTheDomainOntoTheRange() {
        let s = LinearScale(domain: 0...100, range: 230...690)
        #expect(s(0) == 230 && s(100) == 690 && s(50) == 460)
        #expect(s(-10) < 230)  // beyond the domain, beyond the range, in proportion
        let up = LinearScale(domain: 0...10, range: 0...200, inverted: true)
        #expect(up(0) == 200 && up(10) == 0)
        let flat = LinearScale(domain: 5...5, range: 0...100)
        #expect(flat(5) == 50)
    }

    @Test(arguments: [
        (0.0, 100.0, 5, [0.0, 20, 40, 60, 80, 100]),
        (0.0, 8.0, 4, [0.0, 2, 4, 6, 8]),
        (1.0, 13.0, 6, [2.0, 4, 6, 8, 10, 12]),
        (0.0, 0.7, 5, [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]),
        (-30.0, 30.0, 3, [-20.0, 0, 20]),
        (5.0, 5.0, 5, [5.0]),
    ])
    func ticksAreNiceAndInsideTheDomain(low: Double, high: Double, count: Int, expected: [Double]) {
        let ticks = LinearScale(domain: low...high, range: 0...1).ticks(count)
        #expect(ticks == expected)
        #expect(ticks.allSatisfy { $0 >= low && $0 <= high })
    }

    @Test func rankTicksAreWholeNumbersAtLeastOneApart() {
        #expect(LinearScale(domain: 1...8, range: 0...1).integerTicks(10) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(LinearScale(domain: 1...200, range: 0...1).integerTicks(10) == Array(stride(from: 20, through: 200, by: 20)))
        #expect(LinearScale(domain: 1...1, range: 0...1).integerTicks(10) == [1])
    }

    @Test func labelsApartStayWhereTheyAre() {
        #expect(ChartLabels.spread([10, 40, 80], size: 16, within: 0...100) == [10, 40, 80])
    }

    @Test func overlappingLabelsMoveApartAroundWhereTheyWished() {
        // Three candidates tied at one rank, and one just below.
        let wished = [50.0, 50, 50, 60]
        let placed = ChartLabels.spread(wished, size: 16, within: 0...200)
        let sorted = placed.sorted()
        for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(b - a >= 16 - 1e-9) }
        // Least squares: the group sits centred on its wishes, in their order.
        let meanShift = zip(placed, wished).reduce(0.0) { $0 + $1.0 - $1.1 } / 4
        #expect(abs(meanShift) < 1e-9)
        #expect(placed[3] == placed.max())
    }

    @Test func labelsAreKeptWithinBoundsAndInOrder() {
        let placed = ChartLabels.spread([95, 96, 97, 2, 1], size: 10, within: 0...100)
        #expect(placed.allSatisfy { $0 >= 0 && $0 <= 100 })
        #expect(placed[0] < placed[1] && placed[1] < placed[2])  // order of the wishes is kept
        #expect(placed[4] < placed[3])
        let sorted = placed.sorted()
        for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(b - a >= 10 - 1e-9) }
    }

    @Test func randomLabelsNeverOverlapWhenTheyFit() {
        var rng = SplitMix64(seed: 5)
        for _ in 0..<500 {
            let n = Int(rng.next() % 12) + 1
            let wished = (0..<n).map { _ in Double(rng.next() % 300) }
            let placed = ChartLabels.spread(wished, size: 20, within: 0...300)
            let sorted = placed.sorted()
            for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(b - a >= 20 - 1e-9) }
            #expect(placed.allSatisfy { $0 >= -1e-9 && $0 <= 300 + 1e-9 })
            // Order kept: a label wished lower is never placed higher.
            for i in 0..<n { for j in 0..<n where wished[i] < wished[j] { #expect(placed[i] <= placed[j] + 1e-9) } }
        }
    }

    @Test func longNamesAreCutWithTheFullNameAsTitle() {
        var svg = SVG()
        svg.text("Bosnia and Herzegovina (a long historical reference name)", x: 10, y: 20, limit: 20)
        #expect(svg.body.contains(">Bosnia and Herzegov…<title>Bosnia and Herzegovina (a long historical reference name)</title></text>"))
        var short = SVG()
        short.text("Serbia", x: 10, y: 20)
        #expect(!short.body.contains("<title>"))
    }

    @Test func everyTextAndAttributeIsEscaped() {
        var svg = SVG()
        svg.text("<script>alert(1)</script>", x: 0, y: 0)
        svg.rect(x: 0, y: 0, width: 1, height: 1, fill: "\" onmouseover=\"alert(1)", title: "<b>bold</b> & \"quoted\"")
        svg.circle(cx: 0, cy: 0, r: 1, class: "x\"y", title: "'")
        let out = svg.figure(id: "c\"d", width: 10, height: 10, title: "<t>", description: "<d>", caption: "caption")
        #expect(!out.contains("<script>") && !out.contains("<b>") && !out.contains("<t>") && !out.contains("<d>"))
        #expect(!out.contains("\" onmouseover"))
        #expect(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(out.contains("fill=\"&quot; onmouseover=&quot;alert(1)\""))
        #expect(out.contains("class=\"x&quot;y\""))
    }

    @Test func numbersPrintShortAndNeverAsMinusZero() {
        #expect(SVG.n(12) == "12" && SVG.n(12.5) == "12.5" && SVG.n(1.0 / 3) == "0.33" && SVG.n(-0.001) == "0")
    }

    @Test func axesDrawTicksAndGridLines() {
        var svg = SVG()
        ChartAxis.horizontal(LinearScale(domain: 0...100, range: 0...500), y: 100, gridFrom: 0, gridTo: 100, count: 5, into: &svg)
        for label in ["0", "20", "40", "60", "80", "100"] { #expect(svg.body.contains(">\(label)</text>")) }
        #expect(svg.body.components(separatedBy: "class=\"grid\"").count - 1 == 6)
    }
}

/// The report's HTML comes from Mustache templates whose content type escapes with `Escaping.html`.
@Suite struct ReportTemplateTests {
    @Test func everyReportTemplateParses() {
        for t in ReportTemplates.Template.allCases { #expect(ReportTemplates.library.getTemplate(named: t.rawValue) != nil, "\(t)") }
    }

    @Test func templateValuesAreEscapedInTextAndAttributes() {
        let source = ReportPage.Source(
            id: "\" onmouseover=\"x", title: "<script>alert(1)</script>", date: "undated", citedFor: "a\u{1B}[2Jb",
            publisher: nil, link: nil, address: "javascript:alert(1)")
        struct View {
            var sources: [ReportPage.Source]
            var dossier: Bool
        }
        let html = ReportTemplates.render(View(sources: [source], dossier: true), .sources)
        #expect(html.contains("<li id=\"s-&quot; onmouseover=&quot;x\">"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("a\\e[2Jb"), "control characters are shown, not sent")
        #expect(!html.contains("href=\"javascript"), "an address that is not http(s) is text, not a link")
    }
}

/// WCAG 2.1 contrast: every text colour of the report's stylesheet against the white page and
/// the grey table header is at least AA (4.5:1 for normal text).
@Suite struct ReportContrastTests {
    /// Relative luminance of `#rrggbb` or `#rgb` (WCAG 2.1).
    static func luminance(_ hex: String) -> Double {
        var h = String(hex.dropFirst())
        if h.count == 3 { h = h.map { "\($0)\($0)" }.joined() }
        let v = Int(h, radix: 16) ?? 0
        func channel(_ c: Int) -> Double {
            let s = Double(c) / 255
            return s <= 0.03928 ? s / 12.92 : Foundation.pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(v >> 16 & 0xFF) + 0.7152 * channel(v >> 8 & 0xFF) + 0.0722 * channel(v & 0xFF)
    }

    static func contrast(_ a: String, _ b: String) -> Double {
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    @Test func theFormulaMatchesWCAGsExamples() {
        #expect(abs(Self.contrast("#000000", "#ffffff") - 21) < 1e-9)
        #expect(abs(Self.contrast("#777777", "#ffffff") - 4.48) < 0.01)
    }

    @Test func everyTextColourMeetsAA() throws {
        // `color:` anywhere, and `fill:` in rules for SVG text.
        let css = ReportHTML.css
        var colours: [String] = []
        for rule in css.components(separatedBy: "}") {
            let parts = rule.components(separatedBy: "{")
            guard parts.count == 2 else { continue }
            let (selector, body) = (parts[0], parts[1])
            for declaration in body.components(separatedBy: ";") {
                let kv = declaration.components(separatedBy: ":").map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2, kv[1].hasPrefix("#") else { continue }
                if kv[0] == "color" || (kv[0] == "fill" && selector.contains("text")) { colours.append(kv[1]) }
            }
        }
        #expect(colours.count >= 6, "\(colours)")
        for c in Set(colours) + ["#1d1d1f"] {
            #expect(Self.contrast(c, "#ffffff") >= 4.5, "\(c) on white")
            #expect(Self.contrast(c, "#f4f4f5") >= 4.5, "\(c) on the table header")
        }
    }
}
