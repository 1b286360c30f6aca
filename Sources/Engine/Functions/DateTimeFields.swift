/// `extract(field from x)` and `date_part(field, x)` for date, time, timestamp, timestamptz and interval.
///
/// Each field yields an exact scaled integer; `extract` returns it as numeric of that scale and
/// `date_part` as double precision, as PostgreSQL 14+ does.
public enum DateTimeFields {
    /// The field names PostgreSQL accepts (lower-cased), with their plural/abbreviated aliases.
    static let aliases: [String: String] = [
        "years": "year", "months": "month", "mon": "month", "mons": "month", "days": "day", "hours": "hour",
        "minutes": "minute", "min": "minute", "mins": "minute", "seconds": "second", "sec": "second", "secs": "second",
        "ms": "milliseconds", "millisecond": "milliseconds", "msec": "milliseconds", "us": "microseconds",
        "microsecond": "microseconds", "usec": "microseconds", "weeks": "week", "decades": "decade",
        "centuries": "century", "millenniums": "millennium", "y": "year", "d": "day", "h": "hour", "m": "minute",
        "s": "second",
    ]

    /// The canonical field name, or nil if PostgreSQL does not know it.
    public static func canonical(_ name: String) -> String? {
        let lowered = name.lowercased()
        let known: Set<String> = [
            "century", "day", "decade", "dow", "doy", "epoch", "hour", "isodow", "isoyear", "julian", "microseconds",
            "millennium", "milliseconds", "minute", "month", "quarter", "second", "timezone", "timezone_hour",
            "timezone_minute", "week", "year",
        ]
        let name = aliases[lowered] ?? lowered
        return known.contains(name) ? name : nil
    }

    /// The numeric scale `extract` gives `field` on `type`.
    public static func scale(of field: String, on type: DataType) -> Int {
        switch field {
        case "second",
            "epoch" where type != .date:
            return 6
        case "milliseconds": return 3
        default: return 0
        }
    }

    /// Checks the field applies to `type`, with PostgreSQL's message when it does not.
    public static func validate(_ field: String, for type: DataType) throws(EngineError) {
        let timeFields: Set<String> = ["hour", "minute", "second", "milliseconds", "microseconds"]
        let dateFields: Set<String> = [
            "year", "month", "day", "quarter", "week", "dow", "doy", "isodow", "isoyear", "decade", "century",
            "millennium", "julian",
        ]
        let supported: Bool
        switch type {
        case .date: supported = !timeFields.contains(field) && !field.hasPrefix("timezone")
        case .time: supported = timeFields.contains(field) || field == "epoch"
        case .timestamp: supported = !field.hasPrefix("timezone")
        case .interval:
            supported =
                !(dateFields.contains(field)
                && !["year", "month", "day", "quarter", "decade", "century", "millennium"].contains(field))
                && !field.hasPrefix("timezone")
        default: supported = true
        }
        guard supported else {
            throw EngineError(.featureNotSupported, "unit \"\(field)\" not supported for type \(type.sqlName)")
        }
    }

    /// `field` of each row as a scaled integer (`scale(of:on:)` digits after the point).
    public static func extract(_ field: String, from column: Column, timeZone: SessionTimeZone) -> [Int128] {
        let type = column.type
        switch column.storage {
        case .int32(let days):
            return days.map { value(field, of: CivilDateTime(days: Int($0)), utc: nil, on: type) }
        case .int64(let micros):
            return micros.map { micro in
                if type == .time { return timeValue(field, micro) }
                let local = type == .timestamptz ? timeZone.local(fromUTC: micro) : micro
                let offset = type == .timestamptz ? Int((local - micro) / 1_000_000) : nil
                return value(
                    field, of: CivilDateTime(localMicroseconds: local),
                    utc: type == .timestamptz ? (micro, offset!) : nil, on: type)
            }
        case .interval(let intervals):
            return intervals.map { intervalValue(field, $0) }
        default:
            preconditionFailure("extract from \(type)")
        }
    }

    static func value(_ field: String, of time: CivilDateTime, utc: (micros: Int64, offset: Int)?, on type: DataType)
        -> Int128
    {
        let year = time.year
        switch field {
        case "year": return Int128(year > 0 ? year : year - 1)
        case "month": return Int128(time.month)
        case "day": return Int128(time.day)
        case "hour": return Int128(time.hour)
        case "minute": return Int128(time.minute)
        case "second": return Int128(time.second * 1_000_000 + time.microsecond)
        case "milliseconds": return Int128(time.second * 1_000_000 + time.microsecond)
        case "microseconds": return Int128(time.second * 1_000_000 + time.microsecond)
        case "quarter": return Int128((time.month - 1) / 3 + 1)
        case "dow": return Int128(time.dayOfWeek)
        case "isodow": return Int128(time.dayOfWeek == 0 ? 7 : time.dayOfWeek)
        case "doy": return Int128(time.dayOfYear)
        case "week": return Int128(time.isoWeek.week)
        case "isoyear": return Int128(time.isoWeek.year)
        case "decade": return Int128(year >= 0 ? year / 10 : -((8 - (year - 1)) / 10))
        case "century": return Int128(year > 0 ? (year + 99) / 100 : -((99 - (year - 1)) / 100))
        case "millennium": return Int128(year > 0 ? (year + 999) / 1000 : -((999 - (year - 1)) / 1000))
        case "julian": return Int128(time.days + 2_440_588)
        case "epoch":
            if type == .date { return Int128(time.days) * 86400 }
            return Int128(utc?.micros ?? time.localMicroseconds)
        case "timezone": return Int128(utc?.offset ?? 0)
        case "timezone_hour": return Int128((utc?.offset ?? 0) / 3600)
        case "timezone_minute": return Int128((utc?.offset ?? 0) / 60 % 60)
        default: return 0
        }
    }

    static func timeValue(_ field: String, _ micros: Int64) -> Int128 {
        switch field {
        case "hour": return Int128(micros / 3_600_000_000)
        case "minute": return Int128(micros / 60_000_000 % 60)
        case "second", "microseconds": return Int128(micros % 60_000_000)
        case "milliseconds": return Int128(micros % 60_000_000)
        default: return Int128(micros)  // epoch, scale 6
        }
    }

    static func intervalValue(_ field: String, _ interval: Interval) -> Int128 {
        let months = Int128(interval.months)
        let seconds = Int128(interval.microseconds)
        switch field {
        case "year": return months / 12
        case "month": return months % 12
        case "quarter": return (months % 12) / 3 + 1
        case "decade": return months / 120
        case "century": return months / 1200
        case "millennium": return months / 12000
        case "day": return Int128(interval.days)
        case "hour": return seconds / 3_600_000_000
        case "minute": return seconds / 60_000_000 % 60
        case "second", "microseconds": return seconds % 60_000_000
        case "milliseconds": return seconds % 60_000_000
        case "epoch":
            // PostgreSQL counts a year as 365.25 days and a month as 30 days here.
            let yearSeconds = months / 12 * 31_557_600
            let monthSeconds = months % 12 * 2_592_000
            return (yearSeconds + monthSeconds + Int128(interval.days) * 86400) * 1_000_000 + seconds
        default: return 0
        }
    }
}
