import Foundation

/// A calendar day (proleptic Gregorian), stored as days since 1970-01-01.
/// Dates in hubs files are written `YYYY-MM-DD`; evidence dates may be `YYYY-MM` or `YYYY`,
/// which stand for the first day of that month or year.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var daysSinceEpoch: Int
    /// How much of the date was written: 3 = day, 2 = month, 1 = year.
    public var precision: Int

    /// The day `daysSinceEpoch` days after 1970-01-01.
    public init(daysSinceEpoch: Int, precision: Int = 3) {
        self.daysSinceEpoch = daysSinceEpoch
        self.precision = precision
    }

    /// The day with this year, month and day (proleptic Gregorian).
    public init?(year: Int, month: Int, day: Int, precision: Int = 3) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year),
            (1...9999).contains(year)
        else { return nil }
        self.daysSinceEpoch = Day.daysFromCivil(year, month, day)
        self.precision = precision
    }

    /// Orders days by date.
    public static func < (a: Day, b: Day) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }
    /// Whether two values are the same day.
    public static func == (a: Day, b: Day) -> Bool { a.daysSinceEpoch == b.daysSinceEpoch }
    /// Hashes the day number.
    public func hash(into h: inout Hasher) { h.combine(daysSinceEpoch) }

    /// Parses `YYYY-MM-DD`; with `allowPartial`, also `YYYY-MM` and `YYYY`.
    public static func parse(_ s: String, allowPartial: Bool = false) -> Day? {
        // Byte by byte: up to three fields of 4, 2 and 2 ASCII digits, joined by hyphens.
        let widths = (4, 2, 2)
        var fields = (0, 1, 1)
        var count = 0
        var value = 0
        var digits = 0
        func width(_ k: Int) -> Int { k == 0 ? widths.0 : k == 1 ? widths.1 : widths.2 }
        func close() -> Bool {
            guard digits == width(count) else { return false }
            switch count {
            case 0: fields.0 = value
            case 1: fields.1 = value
            default: fields.2 = value
            }
            count += 1
            value = 0
            digits = 0
            return true
        }
        for b in s.utf8 {
            if b == UInt8(ascii: "-") {
                guard close(), count < 3 else { return nil }
                continue
            }
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9"), digits < width(count) else { return nil }
            value = value * 10 + Int(b - UInt8(ascii: "0"))
            digits += 1
        }
        guard close(), allowPartial || count == 3 else { return nil }
        return Day(year: fields.0, month: fields.1, day: fields.2, precision: count)
    }

    public var civil: (year: Int, month: Int, day: Int) { Day.civilFromDays(daysSinceEpoch) }

    public var description: String {
        let c = civil
        func pad(_ n: Int, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        switch precision {
        case 1: return pad(c.year, 4)
        case 2: return "\(pad(c.year, 4))-\(pad(c.month, 2))"
        default: return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
        }
    }

    /// This day moved back by whole years, months and days (clamping the day of month).
    public func subtracting(years: Int = 0, months: Int = 0, days: Int = 0) -> Day {
        let c = civil
        var total = c.year * 12 + (c.month - 1) - years * 12 - months
        if total < 12 { total = 12 }
        let y = total / 12
        let m = total % 12 + 1
        let d = min(c.day, Day.daysIn(month: m, year: y))
        return Day(daysSinceEpoch: Day.daysFromCivil(y, m, d) - days)
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
