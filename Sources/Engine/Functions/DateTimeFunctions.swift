import Foundation

/// Date/time functions: extract/date_part, date_trunc, make_*, age, justify_*, AT TIME ZONE.
/// Fields and zone names that arrive as constants are checked once by the binder.
public enum DateTimeFunctions {
    /// `extract(field from x)` as numeric, or `date_part(field, x)` as double precision; argument `[x]`.
    public static func extract(_ field: String, sourceType: DataType, asDouble: Bool) -> ScalarFunction {
        let scale = DateTimeFields.scale(of: field, on: sourceType)
        let type: DataType = asDouble ? .float64 : .numeric(precision: nil, scale: scale)
        return ScalarFunction(name: asDouble ? "date_part" : "extract", resultType: type, isStrict: true) {
            arguments, rowCount, context throws(EngineError) in
            let values = DateTimeFields.extract(field, from: arguments[0], timeZone: context.timeZone)
            let divisor = Double(ScaledDecimal.powerOfTen(scale) ?? 1)
            let storage: Column.Storage = asDouble ? .float64(values.map { Double($0) / divisor }) : .decimal(values)
            return Column(type: type, count: rowCount, validity: arguments[0].validity, storage: storage)
        }
    }

    /// `date_trunc(field, timestamp[tz] [, zone])`: timestamptz truncates in the session (or given) zone.
    public static func dateTrunc(_ field: String, type: DataType, zone: SessionTimeZone?) -> ScalarFunction {
        ScalarFunction(name: "date_trunc", resultType: type, isStrict: true) {
            arguments, rowCount, context throws(EngineError) in
            let micros = arguments[0].int64Values
            let timeZone = zone ?? context.timeZone
            let validity = arguments[0].validity
            var output = [Int64](repeating: 0, count: rowCount)
            for row in 0..<rowCount where validity?[row] ?? true {
                let local = type == .timestamptz ? timeZone.local(fromUTC: micros[row]) : micros[row]
                let truncated = truncate(local, to: field)
                output[row] = type == .timestamptz ? timeZone.utc(fromLocal: truncated) : truncated
                // Truncating the first supported year, decade, ... reaches before the first timestamp.
                guard output[row] >= CivilDate.earliestTimestampMicroseconds else {
                    throw EngineError(.datetimeFieldOverflow, "timestamp out of range")
                }
            }
            return Column(type: type, count: rowCount, validity: validity, storage: .int64(output))
        }
    }

    static let truncationFields: Set<String> = [
        "microseconds", "milliseconds", "second", "minute", "hour", "day", "week", "month", "quarter", "year", "decade",
        "century", "millennium",
    ]

    static func truncate(_ local: Int64, to field: String) -> Int64 {
        var time = CivilDateTime(localMicroseconds: local)
        switch field {
        case "microseconds": return local
        case "milliseconds": time.microsecond -= time.microsecond % 1000
        case "second": time.microsecond = 0
        case "minute": (time.second, time.microsecond) = (0, 0)
        case "hour": (time.minute, time.second, time.microsecond) = (0, 0, 0)
        default:
            (time.hour, time.minute, time.second, time.microsecond) = (0, 0, 0, 0)
            switch field {
            case "week":
                let monday = time.days - (time.dayOfWeek + 6) % 7
                return Int64(monday) * CivilDate.microsecondsPerDay
            case "month": time.day = 1
            case "quarter": (time.month, time.day) = ((time.month - 1) / 3 * 3 + 1, 1)
            case "year": (time.month, time.day) = (1, 1)
            case "decade": (time.year, time.month, time.day) = (time.year - time.year % 10, 1, 1)
            case "century": (time.year, time.month, time.day) = ((time.year - 1) / 100 * 100 + 1, 1, 1)
            case "millennium": (time.year, time.month, time.day) = ((time.year - 1) / 1000 * 1000 + 1, 1, 1)
            default: break
            }
        }
        return time.localMicroseconds
    }

    /// `make_date(year, month, day)`.
    public static let makeDate = ScalarFunction(name: "make_date", resultType: .date, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let (years, months, days) = (arguments[0].int32Values, arguments[1].int32Values, arguments[2].int32Values)
        let validity = ValidityBitmap.all(arguments)
        var output = [Int32](repeating: 0, count: rowCount)
        for row in 0..<rowCount where validity?[row] ?? true {
            output[row] = Int32(try civilDays(Int(years[row]), Int(months[row]), Int(days[row])))
        }
        return Column(type: .date, count: rowCount, validity: validity, storage: .int32(output))
    }

    static func civilDays(_ year: Int, _ month: Int, _ day: Int) throws(EngineError) -> Int {
        // Negative years are BC: -1 is 1 BC, astronomical year 0.
        let astronomical = year < 0 ? year + 1 : year
        guard year != 0, CivilDate.isValid(year: astronomical, month: month, day: day) else {
            throw EngineError(
                .datetimeFieldOverflow,
                "date field value out of range: \(year)-\(String(format: "%02d", month))-\(String(format: "%02d", day))"
            )
        }
        return CivilDate.days(year: astronomical, month: month, day: day)
    }

    /// `make_timestamp(year, month, day, hour, min, sec)`.
    public static let makeTimestamp = ScalarFunction(name: "make_timestamp", resultType: .timestamp, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let fields = arguments[0..<5].map(\.int32Values)
        let seconds = arguments[5].float64Values
        let validity = ValidityBitmap.all(arguments)
        var output = [Int64](repeating: 0, count: rowCount)
        for row in 0..<rowCount where validity?[row] ?? true {
            let days = try civilDays(Int(fields[0][row]), Int(fields[1][row]), Int(fields[2][row]))
            let (hour, minute, second) = (Int64(fields[3][row]), Int64(fields[4][row]), seconds[row])
            guard (0...24).contains(hour), (0...59).contains(minute), second >= 0, second <= 60 else {
                throw EngineError(
                    .datetimeFieldOverflow,
                    "time field value out of range: \(hour):\(String(format: "%02d", minute)):\(String(format: "%02g", second))"
                )
            }
            output[row] =
                Int64(days) * CivilDate.microsecondsPerDay + (hour * 3600 + minute * 60) * 1_000_000
                + Int64((second * 1_000_000).rounded())
        }
        return Column(type: .timestamp, count: rowCount, validity: validity, storage: .int64(output))
    }

    /// `make_interval(years, months, weeks, days, hours, mins, secs)`; trailing arguments default to 0.
    public static let makeInterval = ScalarFunction(name: "make_interval", resultType: .interval, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let integers = arguments.prefix(6).map(\.int32Values)
        let seconds = arguments.count > 6 ? arguments[6].float64Values : nil
        let validity = ValidityBitmap.all(arguments)
        let output = (0..<rowCount).map { row -> Interval in
            func field(_ index: Int) -> Int64 { index < integers.count ? Int64(integers[index][row]) : 0 }
            let micros =
                (field(4) * 3600 + field(5) * 60) * 1_000_000 + Int64(((seconds?[row] ?? 0) * 1_000_000).rounded())
            return Interval(
                months: Int32(truncatingIfNeeded: field(0) * 12 + field(1)),
                days: Int32(truncatingIfNeeded: field(2) * 7 + field(3)), microseconds: micros)
        }
        return Column(type: .interval, count: rowCount, validity: validity, storage: .interval(output))
    }

    /// `justify_days`, `justify_hours` and `justify_interval`.
    public static func justify(days: Bool, hours: Bool) -> ScalarFunction {
        ScalarFunction(
            name: days && hours ? "justify_interval" : days ? "justify_days" : "justify_hours", resultType: .interval,
            isStrict: true
        ) { arguments, rowCount, _ throws(EngineError) in
            let output = arguments[0].intervalValues.map { value -> Interval in
                var result = value
                if hours {
                    let (extraDays, rest) = (
                        result.microseconds / CivilDate.microsecondsPerDay,
                        result.microseconds % CivilDate.microsecondsPerDay
                    )
                    result.days += Int32(extraDays)
                    result.microseconds = rest
                }
                if days {
                    result.months += result.days / 30
                    result.days %= 30
                }
                if days && hours {
                    if result.months > 0 && (result.days < 0 || result.days == 0 && result.microseconds < 0) {
                        result.days += 30; result.months -= 1
                    } else if result.months < 0 && (result.days > 0 || result.days == 0 && result.microseconds > 0) {
                        result.days -= 30; result.months += 1
                    }
                }
                if hours {
                    if result.days > 0 && result.microseconds < 0 {
                        result.microseconds += CivilDate.microsecondsPerDay; result.days -= 1
                    } else if result.days < 0 && result.microseconds > 0 {
                        result.microseconds -= CivilDate.microsecondsPerDay; result.days += 1
                    }
                }
                return result
            }
            return Column(type: .interval, count: rowCount, validity: arguments[0].validity, storage: .interval(output))
        }
    }

    /// `x AT TIME ZONE zone` (`timezone(zone, x)`): timestamp → timestamptz read as wall time in `zone`,
    /// timestamptz → timestamp showing the wall time there. Arguments `[zone, x]`.
    public static func atTimeZone(sourceType: DataType, zone: SessionTimeZone?) -> ScalarFunction {
        let resultType: DataType = sourceType == .timestamptz ? .timestamp : .timestamptz
        return ScalarFunction(name: "timezone", resultType: resultType, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            let zones = arguments[0].byteBuffers
            let micros = arguments[1].int64Values
            let validity = ValidityBitmap.all(arguments)
            var output = [Int64](repeating: 0, count: rowCount)
            for row in 0..<rowCount where validity?[row] ?? true {
                var timeZone = zone ?? .utc
                if zone == nil { timeZone = try named(String(decoding: Column.slice(zones, row), as: UTF8.self)) }
                output[row] =
                    sourceType == .timestamptz
                    ? timeZone.local(fromUTC: micros[row]) : timeZone.utc(fromLocal: micros[row])
            }
            return Column(type: resultType, count: rowCount, validity: validity, storage: .int64(output))
        }
    }

    /// The zone called `name`, or PostgreSQL's error for an unknown one.
    public static func named(_ name: String) throws(EngineError) -> SessionTimeZone {
        guard let zone = SessionTimeZone(named: name) else {
            throw EngineError(.invalidParameterValue, "time zone \"\(name)\" not recognized")
        }
        return zone
    }

    /// `clock_timestamp()`: the time at evaluation, volatile.
    public static let clockTimestamp = ScalarFunction(name: "clock_timestamp", resultType: .timestamptz, isStrict: true)
    { _, rowCount, _ throws(EngineError) in
        let now = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
        return Column(repeating: .int64(now), type: .timestamptz, count: rowCount)
    }

    /// `to_timestamp(double precision)`: seconds since 1970 UTC.
    public static let toTimestampFromEpoch = ScalarFunction(
        name: "to_timestamp", resultType: .timestamptz, isStrict: true
    ) { arguments, rowCount, _ throws(EngineError) in
        let seconds = arguments[0].float64Values
        let validity = arguments[0].validity
        var output = [Int64](repeating: 0, count: rowCount)
        for row in 0..<rowCount where validity?[row] ?? true {
            guard seconds[row].isFinite, abs(seconds[row]) < 9.2e12 else {
                throw EngineError(.datetimeFieldOverflow, "timestamp out of range: \"\(seconds[row])\"")
            }
            output[row] = Int64((seconds[row] * 1_000_000).rounded())
        }
        return Column(type: .timestamptz, count: rowCount, validity: validity, storage: .int64(output))
    }
}
