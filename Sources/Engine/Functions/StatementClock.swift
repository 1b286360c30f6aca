/// `now()`, `current_date`, `localtime` and the rest: the statement's start time, read from the
/// evaluation context when the statement runs (never when it is planned, so a prepared statement
/// executed again sees the new time), in the session's time zone where the result is local.
public enum StatementClock {
    public static let currentTimestamp = clock("now", .timestamptz) { instant, _ in .int64(instant) }
    public static let localTimestamp = clock("localtimestamp", .timestamp) { instant, zone in
        .int64(local(instant, zone))
    }
    public static let currentDate = clock("current_date", .date) { instant, zone in
        .int32(Int32(local(instant, zone).floorDividedAndRemainder(by: CivilDate.microsecondsPerDay).0))
    }
    public static let localTime = clock("localtime", .time) { instant, zone in
        .int64(local(instant, zone).floorDividedAndRemainder(by: CivilDate.microsecondsPerDay).1)
    }
    public static let currentTime = clock("current_time", .timetz) { instant, zone in
        let time = local(instant, zone).floorDividedAndRemainder(by: CivilDate.microsecondsPerDay).1
        return .int64(
            TimeWithTimeZone(time: time, offsetSeconds: zone.offsetSeconds(atUTCMicroseconds: instant)).packed)
    }

    /// The instant as wall-clock microseconds in `zone`.
    static func local(_ instant: Int64, _ zone: SessionTimeZone) -> Int64 {
        instant + Int64(zone.offsetSeconds(atUTCMicroseconds: instant)) * 1_000_000
    }

    private static func clock(
        _ name: String, _ type: DataType, _ value: @escaping @Sendable (Int64, SessionTimeZone) -> Value
    ) -> ScalarFunction {
        ScalarFunction(name: name, resultType: type, isStrict: true) { _, rowCount, context throws(EngineError) in
            Column(repeating: value(context.statementTimestamp, context.timeZone), type: type, count: rowCount)
        }
    }
}
