import Foundation

/// RFC 3339 timestamps, the one date form on every CustomsHub wire: always UTC on output, any
/// offset and optional fractional seconds on input.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: fractional(date)).timeZone(separator: .omitted))
    }

    /// `format(_:)` of the moment `millis` after the epoch, written by arithmetic: Foundation's
    /// format style costs microseconds a call, and the relay writes a timestamp per delivery.
    /// Milliseconds appear when they are not zero, as Foundation writes them, and are the exact
    /// ones: Foundation's writer truncates the binary `Date` and writes one less for some values
    /// (…767 as .766). Before 1583 Foundation's calendar is Julian; those years go to it.
    public static func format(millis: Int64) -> String {
        // Days and the millisecond of the day, flooring for times before 1970.
        let dayMillis = 86_400_000
        var days = Int(millis / Int64(dayMillis))
        var rest = Int(millis % Int64(dayMillis))
        if rest < 0 { rest += dayMillis; days -= 1 }
        let (year, month, day) = CivilCalendar.date(days: days)
        guard (1583...9999).contains(year) else { return format(Date(timeIntervalSince1970: Double(millis) / 1000)) }
        let fraction = rest % 1000
        var bytes = [UInt8]()
        bytes.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(48 + (value / divisor) % 10))
                divisor /= 10
            }
        }
        digits(year, 4); bytes.append(45); digits(month, 2); bytes.append(45); digits(day, 2)
        bytes.append(84); digits(rest / 3_600_000, 2); bytes.append(58); digits(rest / 60_000 % 60, 2)
        bytes.append(58); digits(rest / 1000 % 60, 2)
        if fraction != 0 { bytes.append(46); digits(fraction, 3) }
        bytes.append(90)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func parse(_ text: String) -> Date? {
        // Foundation rolls impossible fields over (2026-02-30 becomes 2 March): check them first.
        guard isRealCalendarMoment(text) else { return nil }
        if let d = try? Date(text, strategy: .iso8601) { return d }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Whether `YYYY-MM-DDTHH:MM:SS…` names a real day (year 1…9999, the month's own day count) and
    /// a real time of day (a leap second :60 allowed).
    static func isRealCalendarMoment(_ text: String) -> Bool {
        let b = Array(text.utf8.prefix(19))
        guard b.count == 19, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x74, b[13] == 0x3A, b[16] == 0x3A else { return false }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard let year = num(0..<4), let month = num(5..<7), let day = num(8..<10), let hour = num(11..<13), let minute = num(14..<16),
            let second = num(17..<19)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return year >= 1 && (1...12).contains(month) && (1...days[month - 1]).contains(day) && hour < 24 && minute < 60 && second <= 60
    }

    private static func fractional(_ date: Date) -> Bool {
        date.timeIntervalSince1970 != date.timeIntervalSince1970.rounded(.down)
    }
}

extension KeyedDecodingContainer {
    public func decodeTimestamp(forKey key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\"\(text)\" is not an RFC 3339 timestamp")
        }
        return date
    }
}
