/// A wall-clock date and time broken into fields, from microseconds since 1970 in local time.
public struct CivilDateTime: Sendable, Equatable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var microsecond: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0)
    {
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second, self.microsecond) = (hour, minute, second, microsecond)
    }

    /// Midnight of the day `days` after 1970-01-01 (any date, even past what microseconds hold).
    public init(days: Int) {
        let date = CivilDate.components(days: days)
        self.init(year: date.year, month: date.month, day: date.day)
    }

    public init(localMicroseconds: Int64) {
        let (days, time) = localMicroseconds.floorDividedAndRemainder(by: CivilDate.microsecondsPerDay)
        let date = CivilDate.components(days: Int(days))
        let seconds = Int(time / 1_000_000)
        self.init(
            year: date.year, month: date.month, day: date.day, hour: seconds / 3600, minute: seconds / 60 % 60,
            second: seconds % 60, microsecond: Int(time % 1_000_000))
    }

    /// Days since 1970-01-01 of the date part.
    public var days: Int { CivilDate.days(year: year, month: month, day: day) }

    /// Microseconds since 1970 of this wall-clock time, or nil past what 64 bits hold.
    public var checkedLocalMicroseconds: Int64? {
        let (dayMicros, overflow) = Int64(days).multipliedReportingOverflow(by: CivilDate.microsecondsPerDay)
        let (total, carried) = dayMicros.addingReportingOverflow(
            Int64((hour * 60 + minute) * 60 + second) * 1_000_000 + Int64(microsecond))
        return overflow || carried ? nil : total
    }

    /// Microseconds since 1970 of this wall-clock time.
    public var localMicroseconds: Int64 {
        Int64(days) * CivilDate.microsecondsPerDay + Int64((hour * 60 + minute) * 60 + second) * 1_000_000
            + Int64(microsecond)
    }

    /// 0 = Sunday ... 6 = Saturday.
    public var dayOfWeek: Int { ((days % 7) + 11) % 7 }
    public var dayOfYear: Int { days - CivilDate.days(year: year, month: 1, day: 1) + 1 }

    /// ISO 8601 week-numbering year and week.
    public var isoWeek: (year: Int, week: Int) {
        func weekOneStart(_ year: Int) -> Int {
            let january4 = CivilDate.days(year: year, month: 1, day: 4)
            let isoDay = ((january4 % 7) + 10) % 7  // 0 = Monday
            return january4 - isoDay
        }
        var isoYear = year
        if days < weekOneStart(year) { isoYear -= 1 } else if days >= weekOneStart(year + 1) { isoYear += 1 }
        return (isoYear, (days - weekOneStart(isoYear)) / 7 + 1)
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return lengths[month - 1] + (month == 2 && leap ? 1 : 0)
    }

    /// Moves by `months`, clamping the day to the new month's end as PostgreSQL does.
    public mutating func addMonths(_ months: Int) {
        let total = year * 12 + (month - 1) + months
        year = total >= 0 ? total / 12 : (total - 11) / 12
        month = total - year * 12 + 1
        day = min(day, Self.daysInMonth(year: year, month: month))
    }
}

extension SessionTimeZone {
    /// The UTC instant of a wall-clock time in this zone (the earlier offset where ambiguous).
    public func utc(fromLocal local: Int64) -> Int64 {
        let guess = local - Int64(offsetSeconds(atUTCMicroseconds: local)) * 1_000_000
        return local - Int64(offsetSeconds(atUTCMicroseconds: guess)) * 1_000_000
    }

    /// The wall-clock time in this zone of a UTC instant.
    public func local(fromUTC utc: Int64) -> Int64 {
        utc + Int64(offsetSeconds(atUTCMicroseconds: utc)) * 1_000_000
    }
}
