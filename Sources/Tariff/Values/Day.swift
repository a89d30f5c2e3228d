import CustomsModel

/// A calendar day (`YYYY-MM-DD`), the unit legal validity is expressed in. Kept as one integer so
/// that validity checks in the quote loop are integer compares, and so the core never reads a clock.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `yyyymmdd`, e.g. 20260701.
    public let ordinal: Int

    public init?(_ text: String) {
        // `YYYY-MM-DD` in ASCII digits, read from the bytes; anything else takes the general path
        // below (which accepts the same dates, and a few spellings such as signs, the same way).
        let u = text.utf8
        if u.count == 10, let fast = u.withContiguousStorageIfAvailable({ Day.digits($0) }) ?? nil {
            let (y, m, d) = fast
            guard (1...12).contains(m), d >= 1, d <= Day.daysIn(month: m, year: y) else { return nil }
            ordinal = y * 10000 + m * 100 + d
            return
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= Day.daysIn(month: m, year: y)
        else { return nil }
        ordinal = y * 10000 + m * 100 + d
    }

    /// Year, month and day of ten bytes `DDDD-DD-DD` (ASCII digits), or nil.
    private static func digits(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int)? {
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func number(_ lo: Int, _ hi: Int) -> Int? {
            var v = 0
            for i in lo..<hi {
                let c = b[i]
                guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
                v = v * 10 + Int(c - UInt8(ascii: "0"))
            }
            return v
        }
        guard let y = number(0, 4), let m = number(5, 7), let d = number(8, 10) else { return nil }
        return (y, m, d)
    }

    public init(year: Int, month: Int, day: Int) { ordinal = year * 10000 + month * 100 + day }

    public var year: Int { ordinal / 10000 }
    public var month: Int { ordinal / 100 % 100 }
    public var day: Int { ordinal % 100 }

    public var description: String {
        // The usual year 0...9999 as ten ASCII bytes; anything else the general way.
        if ordinal >= 0, year <= 9999 {
            var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0x2D, 0, 0, 0x2D, 0, 0)
            let (y, m, d) = (year, month, day)
            withUnsafeMutableBytes(of: &bytes) { b in
                b[0] = UInt8(48 + y / 1000)
                b[1] = UInt8(48 + y / 100 % 10)
                b[2] = UInt8(48 + y / 10 % 10)
                b[3] = UInt8(48 + y % 10)
                b[5] = UInt8(48 + m / 10)
                b[6] = UInt8(48 + m % 10)
                b[8] = UInt8(48 + d / 10)
                b[9] = UInt8(48 + d % 10)
            }
            return withUnsafeBytes(of: bytes) { String(decoding: $0, as: UTF8.self) }
        }
        func pad(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: Day, b: Day) -> Bool { a.ordinal < b.ordinal }

    /// Days since 1970-01-01 (proleptic Gregorian), for ages such as "rates 34 days old".
    public var daysSinceEpoch: Int { CivilCalendar.days(year: year, month: month, day: day) }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    public func days(to later: Day) -> Int { later.daysSinceEpoch - daysSinceEpoch }

    /// The day before, for turning "next period starts" into "this period ends".
    public var previous: Day {
        if day > 1 { return Day(year: year, month: month, day: day - 1) }
        if month > 1 { return Day(year: year, month: month - 1, day: Day.daysIn(month: month - 1, year: year)) }
        return Day(year: year - 1, month: 12, day: 31)
    }

    public var next: Day {
        if day < Day.daysIn(month: month, year: year) { return Day(year: year, month: month, day: day + 1) }
        if month < 12 { return Day(year: year, month: month + 1, day: 1) }
        return Day(year: year + 1, month: 1, day: 1)
    }

    static func daysIn(month: Int, year: Int) -> Int { CivilCalendar.daysIn(month: month, year: year) }
}

/// A legal validity period, both ends inclusive; an open end is `nil`.
public struct Validity: Sendable, Hashable, CustomStringConvertible {
    public var from: Day
    public var to: Day?

    public init(from: Day, to: Day?) {
        self.from = from
        self.to = to
    }

    public func contains(_ day: Day) -> Bool { day >= from && (to.map { day <= $0 } ?? true) }

    public func overlaps(_ other: Validity) -> Bool {
        let aEndsBefore = to.map { $0 < other.from } ?? false
        let bEndsBefore = other.to.map { $0 < from } ?? false
        return !aEndsBefore && !bEndsBefore
    }

    public var description: String { "\(from)..\(to?.description ?? "open")" }
}
