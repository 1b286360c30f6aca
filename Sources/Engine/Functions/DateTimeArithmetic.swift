import Foundation

/// The date/time operators: date ± integer, date - date, timestamp ± interval, timestamp - timestamp,
/// interval ± interval and interval × or ÷ a number. Months clamp to the end of the month.
public enum DateTimeArithmetic {
    /// `date + integer` / `date - integer` (`subtract`); arguments `[date, int4]`.
    public static func dateAddDays(subtract: Bool) -> ScalarFunction {
        ScalarFunction(name: subtract ? "date_mii" : "date_pli", resultType: .date, isImmutable: true, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            let days = arguments[0].int32Values
            let deltas = arguments[1].int32Values
            let validity = ValidityBitmap.all(arguments)
            var output = [Int32](repeating: 0, count: rowCount)
            for row in 0..<rowCount where validity?[row] ?? true {
                let moved = subtract ? Int(days[row]) - Int(deltas[row]) : Int(days[row]) + Int(deltas[row])
                guard CivilDate.supportedDays.contains(moved) else {
                    throw EngineError(.datetimeFieldOverflow, "date out of range")
                }
                output[row] = Int32(moved)
            }
            return Column(type: .date, count: rowCount, validity: validity, storage: .int32(output))
        }
    }

    /// `date + time`: the timestamp at that time of day; arguments `[date, time]`.
    public static let dateAddTime = ScalarFunction(
        name: "datetime_pl", resultType: .timestamp, isImmutable: true, isStrict: true
    ) {
        arguments, rowCount, _ throws(EngineError) in
        let days = arguments[0].int32Values
        let times = arguments[1].int64Values
        let validity = ValidityBitmap.all(arguments)
        var output = [Int64](repeating: 0, count: rowCount)
        for row in 0..<rowCount where validity?[row] ?? true {
            let (dayMicros, overflow) = Int64(days[row]).multipliedReportingOverflow(by: CivilDate.microsecondsPerDay)
            let (moment, carried) = dayMicros.addingReportingOverflow(times[row])
            guard !overflow, !carried else { throw EngineError(.datetimeFieldOverflow, "timestamp out of range") }
            output[row] = moment
        }
        return Column(type: .timestamp, count: rowCount, validity: validity, storage: .int64(output))
    }

    /// `time ± interval`: the time of day moved by the interval's time part, wrapping at midnight
    /// (months and days do not move a time of day); arguments `[time, interval]`.
    public static func timeAddInterval(subtract: Bool) -> ScalarFunction {
        ScalarFunction(
            name: subtract ? "time_mi_interval" : "time_pl_interval", resultType: .time, isImmutable: true,
            isStrict: true
        ) {
            arguments, rowCount, _ throws(EngineError) in
            let times = arguments[0].int64Values
            let intervals = arguments[1].intervalValues
            let day: Int64 = 86_400_000_000
            let output = (0..<rowCount).map { row -> Int64 in
                let delta = intervals[row].microseconds % day
                let moved = (times[row] + (subtract ? -delta : delta)) % day
                return moved < 0 ? moved + day : moved
            }
            return Column(
                type: .time, count: rowCount, validity: ValidityBitmap.all(arguments), storage: .int64(output))
        }
    }

    /// `time - time`: the interval between two times of day.
    public static let timeDifference = ScalarFunction(
        name: "time_mi_time", resultType: .interval, isImmutable: true, isStrict: true
    ) {
        arguments, rowCount, _ throws(EngineError) in
        let a = arguments[0].int64Values
        let b = arguments[1].int64Values
        let output = (0..<rowCount).map { Interval(microseconds: a[$0] - b[$0]) }
        return Column(
            type: .interval, count: rowCount, validity: ValidityBitmap.all(arguments), storage: .interval(output))
    }

    /// `date - date`: days between, as integer.
    public static let dateDifference = ScalarFunction(
        name: "date_mi", resultType: .int32, isImmutable: true, isStrict: true
    ) { arguments, rowCount, _ throws(EngineError) in
        let a = arguments[0].int32Values
        let b = arguments[1].int32Values
        return Column(
            type: .int32, count: rowCount, validity: ValidityBitmap.all(arguments),
            storage: .int32((0..<rowCount).map { a[$0] &- b[$0] }))
    }

    /// `timestamp[tz] ± interval`; arguments `[timestamp, interval]`. timestamptz moves months and
    /// days in the session time zone, as PostgreSQL does across daylight-saving changes.
    public static func addInterval(type: DataType, subtract: Bool) -> ScalarFunction {
        // With time zones, adding days or months depends on the session's zone.
        ScalarFunction(
            name: subtract ? "timestamp_mi_interval" : "timestamp_pl_interval", resultType: type,
            isImmutable: type != .timestamptz, isStrict: true
        ) { arguments, rowCount, context throws(EngineError) in
            let micros = arguments[0].int64Values
            let intervals = arguments[1].intervalValues
            let validity = ValidityBitmap.all(arguments)
            var output = [Int64](repeating: 0, count: rowCount)
            for row in 0..<rowCount where validity?[row] ?? true {
                var interval = intervals[row]
                if subtract {
                    interval = Interval(
                        months: -interval.months, days: -interval.days, microseconds: -interval.microseconds)
                }
                output[row] = try add(interval, to: micros[row], zone: type == .timestamptz ? context.timeZone : nil)
            }
            return Column(type: type, count: rowCount, validity: validity, storage: .int64(output))
        }
    }

    static func add(_ interval: Interval, to value: Int64, zone: SessionTimeZone?) throws(EngineError) -> Int64 {
        var result = value
        if interval.months != 0 || interval.days != 0 {
            let local = zone?.local(fromUTC: value) ?? value
            var time = CivilDateTime(localMicroseconds: local)
            time.addMonths(Int(interval.months))
            let (dayMicros, overflow) = Int64(interval.days).multipliedReportingOverflow(
                by: CivilDate.microsecondsPerDay)
            guard !overflow, let start = time.checkedLocalMicroseconds else {
                throw EngineError(.datetimeFieldOverflow, "timestamp out of range")
            }
            let (moved, carried) = start.addingReportingOverflow(dayMicros)
            guard !carried else { throw EngineError(.datetimeFieldOverflow, "timestamp out of range") }
            result = zone?.utc(fromLocal: moved) ?? moved
        }
        let (sum, overflow) = result.addingReportingOverflow(interval.microseconds)
        guard !overflow, sum >= CivilDate.earliestTimestampMicroseconds else {
            throw EngineError(.datetimeFieldOverflow, "timestamp out of range")
        }
        return sum
    }

    /// `timestamp - timestamp`: an interval of days and time (no months), as `justify_hours` leaves it.
    public static let timestampDifference = ScalarFunction(
        name: "timestamp_mi", resultType: .interval, isImmutable: true, isStrict: true
    ) { arguments, rowCount, _ throws(EngineError) in
        let a = arguments[0].int64Values
        let b = arguments[1].int64Values
        let output = (0..<rowCount).map { row -> Interval in
            let difference = a[row] &- b[row]
            return Interval(
                months: 0, days: Int32(difference / CivilDate.microsecondsPerDay),
                microseconds: difference % CivilDate.microsecondsPerDay)
        }
        return Column(
            type: .interval, count: rowCount, validity: ValidityBitmap.all(arguments), storage: .interval(output))
    }

    /// `interval ± interval`, field by field.
    public static func intervalAdd(subtract: Bool) -> ScalarFunction {
        ScalarFunction(
            name: subtract ? "interval_mi" : "interval_pl", resultType: .interval, isImmutable: true, isStrict: true
        ) { arguments, rowCount, _ throws(EngineError) in
            let a = arguments[0].intervalValues
            let b = arguments[1].intervalValues
            let sign: Int32 = subtract ? -1 : 1
            let output = (0..<rowCount).map { row in
                Interval(
                    months: a[row].months &+ sign &* b[row].months, days: a[row].days &+ sign &* b[row].days,
                    microseconds: a[row].microseconds &+ Int64(sign) &* b[row].microseconds)
            }
            return Column(
                type: .interval, count: rowCount, validity: ValidityBitmap.all(arguments), storage: .interval(output))
        }
    }

    /// `interval * float8` or `interval / float8`; arguments `[interval, float8]`. Fractions of a
    /// month spill into days (30 per month) and fractions of a day into time, as PostgreSQL's do.
    public static func intervalScale(divide: Bool) -> ScalarFunction {
        ScalarFunction(
            name: divide ? "interval_div" : "interval_mul", resultType: .interval, isImmutable: true, isStrict: true
        ) { arguments, rowCount, _ throws(EngineError) in
            let intervals = arguments[0].intervalValues
            let factors = arguments[1].float64Values
            let validity = ValidityBitmap.all(arguments)
            var output = [Interval](repeating: Interval(), count: rowCount)
            for row in 0..<rowCount where validity?[row] ?? true {
                if divide && factors[row] == 0 { throw EngineError.divisionByZero() }
                output[row] = scale(intervals[row], by: divide ? 1 / factors[row] : factors[row])
            }
            return Column(type: .interval, count: rowCount, validity: validity, storage: .interval(output))
        }
    }

    static func scale(_ span: Interval, by factor: Double) -> Interval {
        func microRound(_ value: Double) -> Double { (value * 1_000_000).rounded(.toNearestOrEven) / 1_000_000 }
        let months = Double(span.months) * factor
        let days = Double(span.days) * factor
        var result = Interval(months: Int32(months.rounded(.towardZero)), days: Int32(days.rounded(.towardZero)))
        let monthRemainderDays = microRound((months - Double(result.months)) * 30)
        var secondRemainder = microRound(
            (days - Double(result.days) + monthRemainderDays - monthRemainderDays.rounded(.towardZero)) * 86400)
        if abs(secondRemainder) >= 86400 {
            let wholeDays = (secondRemainder / 86400).rounded(.towardZero)
            result.days += Int32(wholeDays)
            secondRemainder -= wholeDays * 86400
        }
        result.days += Int32(monthRemainderDays.rounded(.towardZero))
        result.microseconds = Int64(
            (Double(span.microseconds) * factor + secondRemainder * 1_000_000).rounded(.toNearestOrEven))
        return result
    }
}
