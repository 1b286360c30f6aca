/// Conversions between day counts since 1970-01-01 and proleptic Gregorian dates.
public enum CivilDate {
    /// Days since 1970-01-01 for a year, month (1–12) and day (1–31).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The year, month and day of a day count since 1970-01-01.
    public static func components(days: Int) -> (year: Int, month: Int, day: Int) {
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

    /// True when `day` exists in that month of that year.
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return day <= lengths[month - 1] + (month == 2 && leap ? 1 : 0)
    }

    public static let microsecondsPerDay: Int64 = 86_400_000_000

    /// Days since 1970-01-01 of PostgreSQL's date range, 4714-11-24 BC to 5874897-12-31.
    public static let supportedDays = days(year: -4713, month: 11, day: 24)...days(year: 5_874_897, month: 12, day: 31)
    /// The earliest timestamp, in microseconds: the first day of `supportedDays` (4714-11-24 BC)
    /// at midnight, PostgreSQL's lower limit too. The latest is where Int64 microseconds end.
    public static let earliestTimestampMicroseconds = Int64(supportedDays.lowerBound) * microsecondsPerDay
}
