import Foundation

/// PostgreSQL's input functions: parse the text form of a value, as a cast from text or a
/// text-format parameter does. Errors carry SQLSTATE 22P02 / 22003 / 22008 as PostgreSQL's do.
public enum TextInput {
    /// `parse` with the session's settings, which also resolves `regclass`, `regnamespace` and
    /// `regrole` input given as a name through the session's catalogs.
    public static func parse(_ text: String, as type: DataType, session: TextOutput) throws(EngineError) -> Value {
        if type.namesCatalogObject, UInt32(text.trimmingWhitespace()) == nil {
            guard let oid = session.objectOID?(type, text) else { throw .undefinedObject(type, named: text) }
            return .uint32(oid)
        }
        return try parse(text, as: type, timeZone: session.timeZone)
    }

    public static func parse(_ text: String, as type: DataType, timeZone: SessionTimeZone = .utc) throws(EngineError)
        -> Value
    {
        let trimmed = text.trimmingWhitespace()
        switch type {
        case .boolean:
            switch trimmed.lowercased() {
            case "t", "true", "y", "yes", "on", "1": return .bool(true)
            case "f", "false", "n", "no", "off", "0": return .bool(false)
            default: throw .invalidText(text, for: type)
            }
        case .int16:
            guard let value = Int16(trimmed) else { throw integerError(trimmed, type: type, typeName: "smallint") }
            return .int16(value)
        case .int32:
            guard let value = Int32(trimmed) else { throw integerError(trimmed, type: type, typeName: "integer") }
            return .int32(value)
        case .int64:
            guard let value = Int64(trimmed) else { throw integerError(trimmed, type: type, typeName: "bigint") }
            return .int64(value)
        case .regproc where UInt32(trimmed) == nil:
            if trimmed == "-" { return .uint32(0) }
            guard let oid = PostgresTypeFunctions.oid(ofFunction: trimmed) else {
                throw EngineError(.undefinedFunction, "function \"\(trimmed)\" does not exist")
            }
            return .uint32(oid)
        case .oid, .regclass, .regtype, .regproc, .regnamespace, .regrole:
            guard let value = UInt32(trimmed) else { throw .invalidText(text, for: .oid) }
            return .uint32(value)
        case .float32:
            guard let value = parseFloat(trimmed) else { throw .invalidText(text, for: type) }
            return .float32(Float(value))
        case .float64:
            guard let value = parseFloat(trimmed) else { throw .invalidText(text, for: type) }
            return .float64(value)
        case .numeric(_, let scale?):
            return .decimal(try parseDecimal(trimmed, scale: scale, original: text, type: type))
        case .numeric(_, nil):
            return .decimal(try ScaledDecimal.parse(trimmed).packed)
        case .date:
            guard let days = parseDate(Substring(trimmed)) else { throw dateTimeError(text, type: type) }
            guard CivilDate.supportedDays.contains(days) else {
                throw EngineError(.datetimeFieldOverflow, "date out of range: \"\(text)\"")
            }
            return .int32(Int32(days))
        case .time:
            guard let micros = parseTime(Substring(trimmed)) else { throw dateTimeError(text, type: type) }
            return .int64(micros)
        case .timetz:
            // Without an offset the value takes the session zone's current one.
            let currentOffset = {
                timeZone.offsetSeconds(atUTCMicroseconds: Int64(Date().timeIntervalSince1970 * 1_000_000))
            }
            return .int64(try TimeWithTimeZone.parse(trimmed, defaultOffset: currentOffset).packed)
        case .timestamp, .timestamptz:
            guard let (micros, offset) = try parseTimestamp(trimmed) else { throw dateTimeError(text, type: type) }
            if type == .timestamp { return .int64(micros) }
            let zoneOffset = offset ?? timeZone.offsetSeconds(atUTCMicroseconds: micros)
            let (utc, overflow) = micros.subtractingReportingOverflow(Int64(zoneOffset) * 1_000_000)
            guard !overflow else { throw timestampOutOfRange(text) }
            return .int64(utc)
        case .interval:
            guard let interval = parseInterval(trimmed) else { throw .invalidText(text, for: type) }
            return .interval(interval)
        case .bytea:
            if trimmed.hasPrefix("\\x") {
                guard let bytes = parseHex(trimmed.dropFirst(2)) else { throw .invalidText(text, for: type) }
                return .bytes(bytes)
            }
            return .bytes(Array(text.utf8))
        case .uuid:
            let hex = trimmed.filter { $0 != "-" }.replacingBraces()
            guard hex.count == 32, parseHex(Substring(hex)) != nil else { throw .invalidText(text, for: type) }
            return .bytes(Array(hex.lowercased().utf8).uuidFormatted())
        // As in PostgreSQL's explicit casts, text longer than the declared length is cut to it.
        case .bpchar(let length?):
            return .bytes(Array(text.prefix(length).padding(toLength: length, withPad: " ", startingAt: 0).utf8))
        case .varchar(let length?):
            return .bytes(Array(text.prefix(length).utf8))
        case .json:
            let bytes = Array(text.utf8)
            try JSONText.validate(bytes)
            return .bytes(bytes)
        case .jsonb:
            return .bytes(try JSONText.normalized(Array(text.utf8)))
        case .char:
            // charin keeps the first byte (of a multibyte character too, as PostgreSQL does).
            return .bytes(Array(text.utf8.prefix(1)))
        case .text, .varchar, .bpchar, .name, .unknown:
            return .bytes(Array(text.utf8))
        case .array(let element):
            return try parseArray(text, element: element, timeZone: timeZone)
        case .record:
            throw EngineError(.featureNotSupported, "input of anonymous composite types is not implemented")
        }
    }

    static func integerError(_ text: String, type: DataType, typeName: String) -> EngineError {
        if !text.isEmpty, text.drop(while: { $0 == "-" || $0 == "+" }).allSatisfy(\.isNumber) {
            return EngineError(.numericValueOutOfRange, "value \"\(text)\" is out of range for type \(typeName)")
        }
        return .invalidText(text, for: type)
    }

    /// `22008` when the text has the shape of the type but a field is out of range (month 13,
    /// 25 o'clock), else `22007`, as PostgreSQL tells them apart.
    static func dateTimeError(_ text: String, type: DataType) -> EngineError {
        if hasDateTimeShape(text.trimmingCharacters(in: .whitespaces), type: type) {
            return EngineError(.datetimeFieldOverflow, "date/time field value out of range: \"\(text)\"")
        }
        return EngineError(.invalidDatetimeFormat, "invalid input syntax for type \(type.sqlName): \"\(text)\"")
    }

    /// True for `Y-M-D` dates, `H:M[:S[.f]]` times and the two joined by a space or `T` (with an
    /// optional zone), whatever the numbers.
    private static func hasDateTimeShape(_ text: String, type: DataType) -> Bool {
        func numeric(_ part: Substring) -> Bool {
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
        }
        func isDate(_ part: Substring) -> Bool {
            let fields = part.split(separator: "-", omittingEmptySubsequences: false)
            return fields.count == 3 && fields.allSatisfy(numeric)
        }
        func isTime(_ part: Substring) -> Bool {
            let clock = part.prefix { $0 != "+" && $0 != "-" && $0 != "Z" && $0 != "z" }
            let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
            return (2...3).contains(fields.count) && fields.allSatisfy(numeric)
        }
        let body = Substring(text)
        switch type {
        case .date: return isDate(body)
        case .time, .timetz: return isTime(body)
        case .timestamp, .timestamptz:
            guard let separator = body.firstIndex(where: { $0 == " " || $0 == "T" }) else { return isDate(body) }
            return isDate(body[..<separator]) && isTime(body[body.index(after: separator)...])
        default: return false
        }
    }

    static func parseFloat(_ text: String) -> Double? {
        switch text.lowercased() {
        case "nan": return .nan
        case "infinity", "+infinity", "inf", "+inf": return .infinity
        case "-infinity", "-inf": return -.infinity
        default: return Double(text)
        }
    }

    /// Parses `[-]digits[.digits][e[-]digits]` into an integer scaled by `10^scale`, rounding half away from zero.
    public static func parseDecimal(_ text: String, scale: Int, original: String, type: DataType) throws(EngineError)
        -> Int128
    {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") {
            negative = true; body = body.dropFirst()
        } else if body.hasPrefix("+") {
            body = body.dropFirst()
        }
        var exponent = 0
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(body[body.index(after: e)...]) else { throw .invalidText(original, for: type) }
            exponent = value
            body = body[..<e]
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !(parts[0].isEmpty && (parts.count == 1 || parts[1].isEmpty)),
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { throw .invalidText(original, for: type) }
        var digits = Array(parts[0].utf8) + (parts.count == 2 ? Array(parts[1].utf8) : [])
        let fractionDigits = (parts.count == 2 ? parts[1].count : 0) - exponent
        var shift = scale - fractionDigits
        var roundUp = false
        if shift < 0 {
            let dropped = min(-shift, digits.count)
            if dropped > 0 { roundUp = digits[digits.count - dropped] >= UInt8(ascii: "5") }
            digits.removeLast(dropped)
            shift = 0
        }
        var result: Int128 = 0
        for digit in digits {
            let (m, o1) = result.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int128(digit - 48))
            guard !o1, !o2 else { throw EngineError(.numericValueOutOfRange, "numeric field overflow") }
            result = a
        }
        for _ in 0..<shift {
            let (m, overflow) = result.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw EngineError(.numericValueOutOfRange, "numeric field overflow") }
            result = m
        }
        if roundUp { result += 1 }
        return negative ? -result : result
    }

    /// `YYYY-MM-DD` (ISO), with an optional ` BC`.
    static func parseDate(_ text: Substring) -> Int? {
        var body = text
        var bc = false
        if body.uppercased().hasSuffix(" BC") { bc = true; body = body.dropLast(3) }
        let parts = body.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else {
            return nil
        }
        let realYear = bc ? 1 - year : year
        // Far past any supported date, and small enough that day arithmetic cannot overflow.
        guard abs(realYear) <= 100_000_000 else { return nil }
        guard CivilDate.isValid(year: realYear, month: month, day: day) else { return nil }
        return CivilDate.days(year: realYear, month: month, day: day)
    }

    /// `HH:MM[:SS[.ffffff]]`.
    static func parseTime(_ text: Substring) -> Int64? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let hours = Int(parts[0]), let minutes = Int(parts[1]),
            (0...24).contains(hours), (0..<60).contains(minutes)
        else { return nil }
        var micros = Int64(hours * 3600 + minutes * 60) * 1_000_000
        if parts.count == 3 {
            let secondParts = parts[2].split(separator: ".", omittingEmptySubsequences: false)
            guard let seconds = Int(secondParts[0]), (0...60).contains(seconds) else { return nil }
            micros += Int64(seconds) * 1_000_000
            if secondParts.count == 2 {
                let digits = secondParts[1]
                let fraction = digits.prefix(6)
                guard !fraction.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                    let value = Int(fraction)
                else {
                    return nil
                }
                micros += Int64(value) * Int64(pow10(6 - fraction.count))
                // Digits past microseconds round, as PostgreSQL rounds them.
                if digits.count > 6, let next = digits.dropFirst(6).first, next >= "5" { micros += 1 }
            }
        }
        return micros
    }

    /// `22008` for a well-formed timestamp past what microseconds since 1970 in 64 bits hold
    /// (294247 AD; PostgreSQL's own limit is 294276 AD).
    static func timestampOutOfRange(_ text: String) -> EngineError {
        EngineError(.datetimeFieldOverflow, "timestamp out of range: \"\(text)\"")
    }

    /// `YYYY-MM-DD[ T]HH:MM:SS[.ffffff][Z|±HH[:MM]]`; returns local microseconds and the explicit
    /// offset, nil for text of another shape, and throws for a timestamp out of range.
    static func parseTimestamp(_ text: String) throws(EngineError) -> (Int64, Int?)? {
        var body = Substring(text)
        // `BC` ends the whole text but belongs to the date: `0001-01-01 10:00 BC`.
        let era = body.uppercased().hasSuffix(" BC") ? " BC" : ""
        body = body.dropLast(era.count)
        func micros(days: Int, plus time: Int64) throws(EngineError) -> Int64 {
            guard days >= CivilDate.supportedDays.lowerBound else { throw timestampOutOfRange(text) }
            let (dayMicros, overflow) = Int64(days).multipliedReportingOverflow(by: CivilDate.microsecondsPerDay)
            let (total, carried) = dayMicros.addingReportingOverflow(time)
            guard !overflow, !carried else { throw timestampOutOfRange(text) }
            return total
        }
        guard let separator = body.firstIndex(where: { $0 == " " || $0 == "T" }) else {
            guard let days = parseDate(body + era) else { return nil }
            return (try micros(days: days, plus: 0), nil)
        }
        guard let days = parseDate(body[..<separator] + era) else { return nil }
        var clock = body[body.index(after: separator)...]
        var offset: Int?
        if clock.hasSuffix("Z") || clock.hasSuffix("z") {
            offset = 0
            clock = clock.dropLast()
        } else if let sign = clock.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = clock[clock.index(after: sign)...].split(separator: ":")
            guard let hours = zone.first.flatMap({ Int($0) }) else { return nil }
            let minutes = zone.count > 1 ? Int(zone[1]) ?? 0 : 0
            offset = (hours * 3600 + minutes * 60) * (clock[sign] == "-" ? -1 : 1)
            clock = clock[..<sign]
        }
        guard let time = parseTime(clock.trimmingSuffix(" ")) else { return nil }
        return (try micros(days: days, plus: time), offset)
    }

    /// PostgreSQL interval input: `N unit ...` pairs and an optional `[-]HH:MM:SS[.f]` clock.
    static func parseInterval(_ text: String) -> Interval? {
        var interval = Interval()
        let words = text.lowercased().split(separator: " ").filter { !$0.isEmpty && $0 != "@" }
        var index = 0
        while index < words.count {
            let word = words[index]
            if word.contains(":") {
                let negative = word.hasPrefix("-")
                guard let micros = parseTime(negative ? word.dropFirst() : word) else { return nil }
                interval.microseconds += negative ? -micros : micros
                index += 1
                continue
            }
            guard let amount = Double(word) else { return nil }
            // A last number without a unit counts seconds, as in PostgreSQL (`interval '0'`).
            guard index + 1 < words.count else {
                interval.microseconds += Int64((amount * 1_000_000).rounded())
                break
            }
            guard let unit = intervalUnits[String(words[index + 1])] else { return nil }
            // As in PostgreSQL, a fraction of a year rounds to months, a fraction of a month carries
            // into days (30 to a month) and a fraction of a day into time (`1.5 days` is `1 day 12:00:00`).
            func addDays(_ total: Double) {
                let whole = total.rounded(.towardZero)
                interval.days += Int32(whole)
                interval.microseconds += Int64(((total - whole) * 86_400_000_000).rounded())
            }
            switch unit {
            case .months(let factor) where factor == 12:
                // Years: a fraction becomes whole months, rounded.
                let whole = amount.rounded(.towardZero)
                interval.months += Int32(whole) * 12 + Int32(((amount - whole) * 12).rounded())
            case .months(let factor):
                let total = amount * factor
                let whole = total.rounded(.towardZero)
                interval.months += Int32(whole)
                addDays((total - whole) * 30)
            case .days(let factor): addDays(amount * factor)
            case .microseconds(let factor): interval.microseconds += Int64((amount * factor).rounded())
            }
            index += 2
        }
        return interval
    }

    enum IntervalUnit {
        case months(Double), days(Double), microseconds(Double)
    }

    /// PostgreSQL's interval unit spellings (`m` is minutes, `mon` months, `ms` milliseconds).
    static let intervalUnits: [String: IntervalUnit] = {
        var units: [String: IntervalUnit] = [:]
        for (names, unit) in [
            (["y", "yr", "yrs", "year", "years"], IntervalUnit.months(12)),
            (["mon", "mons", "month", "months"], .months(1)),
            (["w", "week", "weeks"], .days(7)),
            (["d", "day", "days"], .days(1)),
            (["h", "hr", "hrs", "hour", "hours"], .microseconds(3_600_000_000)),
            (["m", "min", "mins", "minute", "minutes"], .microseconds(60_000_000)),
            (["s", "sec", "secs", "second", "seconds"], .microseconds(1_000_000)),
            (["ms", "msec", "msecs", "millisecond", "milliseconds"], .microseconds(1000)),
            (["us", "usec", "usecs", "microsecond", "microseconds"], .microseconds(1)),
        ] {
            for name in names { units[name] = unit }
        }
        return units
    }()

    static func parseHex(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for pairStart in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexValue(digits[pairStart]), let low = hexValue(digits[pairStart + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - 48
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - 87
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - 55
        default: return nil
        }
    }

    static func pow10(_ exponent: Int) -> Int { (0..<exponent).reduce(1) { value, _ in value * 10 } }
}

extension String {
    func trimmingWhitespace() -> String {
        String(drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }

    func replacingBraces() -> String { filter { $0 != "{" && $0 != "}" } }
}

extension Substring {
    func trimmingSuffix(_ character: Character) -> Substring {
        var result = self
        while result.last == character { result = result.dropLast() }
        return result
    }
}

extension Array where Element == UInt8 {
    /// Inserts the dashes of the canonical `8-4-4-4-12` UUID form into 32 hex digits.
    func uuidFormatted() -> [UInt8] {
        var result: [UInt8] = []
        for (index, byte) in enumerated() {
            if [8, 12, 16, 20].contains(index) { result.append(UInt8(ascii: "-")) }
            result.append(byte)
        }
        return result
    }
}
