import Foundation
import HubsTestSupport
import Testing

@testable import HubsCore

/// The model: days (whole or partial dates), ages of facts and the cut-off they give.
@Suite struct ModelTests {
    @Test func daysParseWholeAndPartialDates() throws {
        let d = try #require(Day.parse("2024-02-29"))
        #expect(d.civil == (2024, 2, 29) && d.description == "2024-02-29")
        #expect(Day.parse("2023-02-29") == nil, "not a real date")
        #expect(Day.parse("2024-13-01") == nil)
        #expect(Day.parse("2024-06") == nil, "a partial date only where allowed")
        let month = try #require(Day.parse("2024-06", allowPartial: true))
        #expect(month.precision == 2 && month.description == "2024-06")
        #expect(try #require(Day.parse("2024", allowPartial: true)).precision == 1)
    }

    @Test func daysOrderAndSubtractByTheCalendar() throws {
        let d = try #require(Day.parse("2024-03-31"))
        #expect(d.subtracting(months: 1).description == "2024-02-29", "the last day of a shorter month")
        #expect(d.subtracting(years: 1).description == "2023-03-31")
        #expect(d.subtracting(days: 31).description == "2024-02-29")
        #expect(try #require(Day.parse("2024-01-01")) < d)
    }

    @Test func factAgesParseAndGiveTheirCutoff() throws {
        let asOf = try #require(Day.parse("2026-06-30"))
        #expect(try #require(FactAge.parse("3y")).cutoff(before: asOf).description == "2023-06-30")
        #expect(try #require(FactAge.parse("18m")).cutoff(before: asOf).description == "2024-12-30")
        #expect(try #require(FactAge.parse("6w")).cutoff(before: asOf).description == "2026-05-19")
        #expect(try #require(FactAge.parse("90d")).cutoff(before: asOf).description == "2026-04-01")
        for bad in ["3", "y", "-1y", "3x", ""] { #expect(FactAge.parse(bad) == nil, "\(bad)") }
    }
}
