import Foundation

/// Dates as the WCO/DMS and DG TAXUD messages write them. Parsed with plain calendar arithmetic in
/// UTC, so the result never depends on the machine's time zone or locale.
public enum WCODateTime {
    /// `formatCode="304"`: `yyyyMMddHHmmss` then `Z` or a `±HHmm` offset (HMRC writes `20191113172139Z`).
    /// `formatCode="102"`: `yyyyMMdd`.
    public static func parse(_ text: String, formatCode: String? = nil) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        if formatCode == "102" || digits.count == 8, digits.count == t.count, t.count == 8 {
            return date(String(digits), time: "000000", offsetSeconds: 0)
        }
        guard digits.count == 14 else { return nil }
        let rest = t.dropFirst(14)
        var offset = 0
        if rest.isEmpty || rest == "Z" {
            offset = 0
        } else if let sign = rest.first, sign == "+" || sign == "-", rest.count == 5,
            let hh = Int(rest.dropFirst().prefix(2)), let mm = Int(rest.suffix(2)), hh < 24, mm < 60
        {
            offset = (hh * 3600 + mm * 60) * (sign == "-" ? -1 : 1)
        } else {
            return nil
        }
        return date(String(digits.prefix(8)), time: String(digits.suffix(6)), offsetSeconds: offset)
    }

    /// DG TAXUD `DateTime` (`yyyyMMddHHmm`) and `Date` (`yyMMdd`) fields of the ICS messages.
    public static func ics(dateTime date: Date) -> String { String(components(date).prefix(12)) }
    public static func ics(shortDate date: Date) -> String { String(components(date).dropFirst(2).prefix(6)) }
    public static func ics(time date: Date) -> String { String(components(date).dropFirst(8).prefix(4)) }

    /// `yyyyMMddHHmmss` in UTC.
    static func components(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = Int((Double(seconds) / 86400).rounded(.down))
        let secs = seconds - days * 86400
        let (y, m, d) = civil(fromDays: days)
        func pad(_ n: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        return pad(y, 4) + pad(m, 2) + pad(d, 2) + pad(secs / 3600, 2) + pad(secs % 3600 / 60, 2) + pad(secs % 60, 2)
    }

    private static func date(_ ymd: String, time hms: String, offsetSeconds: Int) -> Date? {
        let n = Array(ymd + hms).compactMap { $0.wholeNumberValue }
        guard n.count == 14 else { return nil }
        let y = n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3]
        let mo = n[4] * 10 + n[5], d = n[6] * 10 + n[7]
        let h = n[8] * 10 + n[9], mi = n[10] * 10 + n[11], s = n[12] * 10 + n[13]
        guard (1...12).contains(mo), (1...daysIn(month: mo, year: y)).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        let seconds = days(fromCivil: y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offsetSeconds
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func days(fromCivil y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    private static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
