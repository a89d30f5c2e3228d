import CustomsModel
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
        let (y, m, d) = CivilCalendar.date(days: days)
        func pad(_ n: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        return pad(y, 4) + pad(m, 2) + pad(d, 2) + pad(secs / 3600, 2) + pad(secs % 3600 / 60, 2) + pad(secs % 60, 2)
    }

    private static func date(_ ymd: String, time hms: String, offsetSeconds: Int) -> Date? {
        let n = Array(ymd + hms).compactMap { $0.wholeNumberValue }
        guard n.count == 14 else { return nil }
        let y = n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3]
        let mo = n[4] * 10 + n[5], d = n[6] * 10 + n[7]
        let h = n[8] * 10 + n[9], mi = n[10] * 10 + n[11], s = n[12] * 10 + n[13]
        guard (1...12).contains(mo), (1...CivilCalendar.daysIn(month: mo, year: y)).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        let seconds = CivilCalendar.days(year: y, month: mo, day: d) * 86400 + h * 3600 + mi * 60 + s - offsetSeconds
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
