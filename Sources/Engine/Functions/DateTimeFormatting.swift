import Foundation

/// `to_char` for timestamps, `to_date` and `to_timestamp(text, template)`, and `age`.
public enum DateTimeFormatting {
    /// `to_char(timestamp[tz], template)`; arguments `[value, template]`. A constant template arrives compiled.
    public static func toChar(compiled: DateTimeFormat?, sourceType: DataType) -> ScalarFunction {
        ScalarFunction(name: "to_char", resultType: .text, isStrict: true) {
            arguments, rowCount, context throws(EngineError) in
            let micros = arguments[0].int64Values
            let templates = arguments[1].byteBuffers
            var cache = CompiledCache<DateTimeFormat>(constant: compiled)
            var text = ""
            return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
                let format = try cache.pattern(Column.slice(templates, row)) { bytes throws(EngineError) in
                    DateTimeFormat(String(decoding: bytes, as: UTF8.self))
                }
                let zoned = sourceType == .timestamptz
                let local = zoned ? context.timeZone.local(fromUTC: micros[row]) : micros[row]
                text.removeAll(keepingCapacity: true)
                format.format(
                    CivilDateTime(localMicroseconds: local),
                    zone: zoned ? abbreviation(context.timeZone, at: micros[row]) : nil, into: &text)
                out.append(contentsOf: text.utf8)
                return true
            }
        }
    }

    /// The zone's abbreviation at an instant (`UTC`, `CET`), as `TZ` prints it.
    static func abbreviation(_ zone: SessionTimeZone, at micros: Int64) -> String {
        if zone.name.uppercased() == "UTC" || zone.name.uppercased() == "GMT" { return zone.name.uppercased() }
        let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
        return TimeZone(identifier: zone.name)?.abbreviation(for: date) ?? zone.name
    }

    /// `to_date(text, template)` (date) or `to_timestamp(text, template)` (timestamptz in the session zone).
    public static func parse(compiled: DateTimeFormat?, toTimestamp: Bool) -> ScalarFunction {
        let type: DataType = toTimestamp ? .timestamptz : .date
        return ScalarFunction(name: toTimestamp ? "to_timestamp" : "to_date", resultType: type, isStrict: true) {
            arguments, rowCount, context throws(EngineError) in
            let text = arguments[0].byteBuffers
            let templates = arguments[1].byteBuffers
            let validity = ValidityBitmap.all(arguments)
            var cache = CompiledCache<DateTimeFormat>(constant: compiled)
            var micros = [Int64](repeating: 0, count: rowCount)
            var days = [Int32](repeating: 0, count: rowCount)
            for row in 0..<rowCount where validity?[row] ?? true {
                let format = try cache.pattern(Column.slice(templates, row)) { bytes throws(EngineError) in
                    DateTimeFormat(String(decoding: bytes, as: UTF8.self))
                }
                let time = try format.parse(String(decoding: Column.slice(text, row), as: UTF8.self))
                if toTimestamp {
                    micros[row] = context.timeZone.utc(fromLocal: time.localMicroseconds)
                } else {
                    days[row] = Int32(time.days)
                }
            }
            return Column(
                type: type, count: rowCount, validity: validity, storage: toTimestamp ? .int64(micros) : .int32(days))
        }
    }

    /// `age(a, b)`: the symbolic difference in years, months, days and time, borrowing as PostgreSQL does.
    /// Arguments `[a, b]` as timestamps (timestamptz compares wall times in the session zone).
    public static func age(type: DataType) -> ScalarFunction {
        ScalarFunction(name: "age", resultType: .interval, isStrict: true) {
            arguments, rowCount, context throws(EngineError) in
            let a = arguments[0].int64Values
            let b = arguments[1].int64Values
            let validity = ValidityBitmap.all(arguments)
            var output = [Interval](repeating: Interval(), count: rowCount)
            for row in 0..<rowCount where validity?[row] ?? true {
                let zone: SessionTimeZone? = type == .timestamptz ? context.timeZone : nil
                let first = CivilDateTime(localMicroseconds: zone?.local(fromUTC: a[row]) ?? a[row])
                let second = CivilDateTime(localMicroseconds: zone?.local(fromUTC: b[row]) ?? b[row])
                output[row] = age(first, second, negative: a[row] < b[row])
            }
            return Column(type: .interval, count: rowCount, validity: validity, storage: .interval(output))
        }
    }

    static func age(_ a: CivilDateTime, _ b: CivilDateTime, negative: Bool) -> Interval {
        let sign = negative ? -1 : 1
        var micro = (a.microsecond - b.microsecond) * sign
        var second = (a.second - b.second) * sign
        var minute = (a.minute - b.minute) * sign
        var hour = (a.hour - b.hour) * sign
        var day = (a.day - b.day) * sign
        var month = (a.month - b.month) * sign
        var year = (a.year - b.year) * sign
        if micro < 0 { micro += 1_000_000; second -= 1 }
        if second < 0 { second += 60; minute -= 1 }
        if minute < 0 { minute += 60; hour -= 1 }
        if hour < 0 { hour += 24; day -= 1 }
        while day < 0 {
            let reference = negative ? a : b
            day += CivilDateTime.daysInMonth(year: reference.year, month: reference.month)
            month -= 1
        }
        while month < 0 { month += 12; year -= 1 }
        let micros = Int64(((hour * 60 + minute) * 60 + second) * 1_000_000 + micro)
        return Interval(
            months: Int32((year * 12 + month) * sign), days: Int32(day * sign), microseconds: micros * Int64(sign))
    }
}
