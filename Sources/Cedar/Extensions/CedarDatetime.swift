/// A value of Cedar's `datetime` extension type: an instant, in milliseconds since the
/// Unix epoch (UTC).
///
/// Accepted strings are exactly Cedar's four shapes: `YYYY-MM-DD`, `YYYY-MM-DDThh:mm:ssZ`,
/// `YYYY-MM-DDThh:mm:ss.SSSZ`, and either of the last two with `(+|-)hhmm` instead of `Z`.
/// Dates are proleptic Gregorian with a four-digit year, seconds are below 60 (no leap
/// seconds), and offsets are below 24 hours / 60 minutes.
public struct CedarDatetime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let millisecondsSinceEpoch: Int64

    static let dayInMilliseconds: Int64 = 86_400_000

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// Parses Cedar's `datetime("...")` argument; nil when Cedar would raise an extension error.
    public static func parse(_ s: String) -> CedarDatetime? {
        let c = Array(s.utf8)
        guard c.count >= 10, let year = number(c, 0, 4), c[4] == UInt8(ascii: "-"),
              let month = number(c, 5, 2), c[7] == UInt8(ascii: "-"),
              let day = number(c, 8, 2) else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        let date = daysFromCivil(year: year, month: month, day: day) * dayInMilliseconds
        if c.count == 10 { return CedarDatetime(millisecondsSinceEpoch: date) }

        guard c.count >= 19, c[10] == UInt8(ascii: "T"), let hour = number(c, 11, 2), c[13] == UInt8(ascii: ":"),
              let minute = number(c, 14, 2), c[16] == UInt8(ascii: ":"),
              let second = number(c, 17, 2) else { return nil }
        var index = 19
        var millis: Int64 = 0
        if index < c.count, c[index] == UInt8(ascii: ".") {
            guard let ms = number(c, index + 1, 3) else { return nil }
            millis = ms
            index += 4
        }
        var offsetSeconds: Int64 = 0
        if index + 1 == c.count, c[index] == UInt8(ascii: "Z") {
            offsetSeconds = 0
        } else if index + 5 == c.count, c[index] == UInt8(ascii: "+") || c[index] == UInt8(ascii: "-"),
                  let offsetHours = number(c, index + 1, 2), let offsetMinutes = number(c, index + 3, 2) {
            guard offsetHours < 24, offsetMinutes < 60 else { return nil }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (c[index] == UInt8(ascii: "+") ? 1 : -1)
        } else {
            return nil
        }
        guard hour < 24, minute < 60, second < 60 else { return nil }
        let time = ((hour * 60 + minute) * 60 + second - offsetSeconds) * 1000 + millis
        return CedarDatetime(millisecondsSinceEpoch: date + time)
    }

    /// Reads `count` ASCII digits starting at `start`, or nil if any is missing or not a digit.
    private static func number(_ c: [UInt8], _ start: Int, _ count: Int) -> Int64? {
        guard start + count <= c.count else { return nil }
        var value: Int64 = 0
        for byte in c[start..<(start + count)] {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        return value
    }

    private static func isLeap(_ year: Int64) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Inverse of `daysFromCivil`.
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `self + duration`, or nil when the result leaves the Int64 millisecond range.
    public func offset(by duration: CedarDuration) -> CedarDatetime? {
        let (sum, overflow) = millisecondsSinceEpoch.addingReportingOverflow(duration.milliseconds)
        return overflow ? nil : CedarDatetime(millisecondsSinceEpoch: sum)
    }

    /// `self - other`, or nil when the difference leaves the Int64 millisecond range.
    public func durationSince(_ other: CedarDatetime) -> CedarDuration? {
        let (difference, overflow) = millisecondsSinceEpoch.subtractingReportingOverflow(other.millisecondsSinceEpoch)
        return overflow ? nil : CedarDuration(milliseconds: difference)
    }

    /// Midnight (UTC) of the same day, rounding toward negative infinity; nil on overflow.
    public func toDate() -> CedarDatetime? {
        let day = Self.dayInMilliseconds
        let remainder = ((millisecondsSinceEpoch % day) + day) % day
        let (start, overflow) = millisecondsSinceEpoch.subtractingReportingOverflow(remainder)
        return overflow ? nil : CedarDatetime(millisecondsSinceEpoch: start)
    }

    /// Time elapsed since midnight (UTC) of the same day; always in `0 ..< 1 day`.
    public func toTime() -> CedarDuration {
        let day = Self.dayInMilliseconds
        return CedarDuration(milliseconds: ((millisecondsSinceEpoch % day) + day) % day)
    }

    public static func < (lhs: CedarDatetime, rhs: CedarDatetime) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// `YYYY-MM-DDThh:mm:ss.SSSZ` in UTC for years 0–9999 (re-parseable by `parse`);
    /// other instants print as Cedar's canonical `datetime("1970-01-01").offset(...)`.
    public var description: String {
        let ms = millisecondsSinceEpoch
        let dayIndex = ms >= 0 ? ms / Self.dayInMilliseconds : (ms + 1) / Self.dayInMilliseconds - 1
        let (year, month, day) = Self.civilFromDays(dayIndex)
        guard (0...9999).contains(year) else {
            return "datetime(\"1970-01-01\").offset(duration(\"\(ms)ms\"))"
        }
        let timeOfDay = toTime().milliseconds
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(timeOfDay / 3_600_000, 2)):"
            + "\(pad(timeOfDay / 60_000 % 60, 2)):\(pad(timeOfDay / 1000 % 60, 2)).\(pad(timeOfDay % 1000, 3))Z"
    }
}
