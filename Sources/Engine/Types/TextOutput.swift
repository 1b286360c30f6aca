import Foundation

/// PostgreSQL's output functions: how each type prints in text format, byte for byte.
///
/// Used by the wire encoder for text results and by casts to text, so both agree.
public struct TextOutput: Sendable {
    /// `extra_float_digits`: 1 or more prints the shortest exact form (PostgreSQL 12+ default).
    public var extraFloatDigits: Int
    /// The session time zone used to print `timestamptz`.
    public var timeZone: SessionTimeZone
    /// How `regclass`, `regnamespace` and `regrole` values print (the object's name, from the
    /// session's catalogs); nil for an OID that names nothing, which prints as a number.
    public var objectName: (@Sendable (DataType, UInt32) -> String?)?
    /// The reverse, for such values given as names in text computed at run time; nil for unknown names.
    public var objectOID: (@Sendable (DataType, String) -> UInt32?)?

    public init(extraFloatDigits: Int = 1, timeZone: SessionTimeZone = .utc) {
        self.extraFloatDigits = extraFloatDigits
        self.timeZone = timeZone
    }

    /// Appends the text form of row `index` of `column` (which must not be NULL there).
    public func append(_ column: Column, at index: Int, to out: inout [UInt8]) {
        switch column.storage {
        case .bool(let v): out.append(v[index] != 0 ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case .int16(let v): Self.appendInteger(Int64(v[index]), to: &out)
        case .int32(let v):
            if column.type == .date {
                appendDate(Int(v[index]), to: &out)
            } else {
                Self.appendInteger(Int64(v[index]), to: &out)
            }
        case .uint32(let v):
            // regtype prints its type's name, as pg_typeof() results do.
            if column.type == .regtype, let named = DataType(postgresOID: v[index]) {
                out.append(contentsOf: named.sqlName.utf8)
            } else if v[index] == 0, column.type == .regtype || column.type.namesCatalogObject {
                out.append(UInt8(ascii: "-"))
            } else if column.type.namesCatalogObject, let name = objectName?(column.type, v[index]) {
                out.append(contentsOf: name.utf8)
            } else if column.type == .regproc, v[index] == 0 {
                out.append(UInt8(ascii: "-"))
            } else if column.type == .regproc, let name = PostgresTypeFunctions.name(ofFunction: v[index]) {
                out.append(contentsOf: name.utf8)
            } else {
                Self.appendInteger(Int64(v[index]), to: &out)
            }
        case .int64(let v):
            switch column.type {
            case .timestamp: appendTimestamp(v[index], to: &out)
            case .timestamptz: appendTimestampTZ(v[index], to: &out)
            case .time: appendTime(v[index], to: &out)
            case .timetz:
                let value = TimeWithTimeZone(packed: v[index])
                appendTime(value.time, to: &out)
                Self.appendOffset(value.offsetSeconds, to: &out)
            default: Self.appendInteger(v[index], to: &out)
            }
        case .float32(let v):
            appendFloat(Double(v[index]), significantDigits: 6, shortest: v[index].description, to: &out)
        case .float64(let v): appendFloat(v[index], significantDigits: 15, shortest: v[index].description, to: &out)
        case .decimal(let v):
            guard case .numeric(_, let scale) = column.type else {
                preconditionFailure("decimal storage without numeric type")
            }
            if let scale {
                Self.appendDecimal(v[index], scale: scale, to: &out)
            } else {
                ScaledDecimal(packed: v[index]).appendText(to: &out)
            }
        case .interval(let v): Self.appendInterval(v[index], to: &out)
        case .bytes(let offsets, let data):
            let range = Int(offsets[index])..<Int(offsets[index + 1])
            if column.type == .bytea {
                Self.appendHexBytea(data[range], to: &out)
            } else {
                out.append(contentsOf: data[range])
            }
        case .array(let offsets, let elements):
            appendArray(elements.column, range: Int(offsets[index])..<Int(offsets[index + 1]), to: &out)
        }
    }

    /// The text form of row `index` as a Swift string (NULL prints as nil).
    public func string(_ column: Column, at index: Int) -> String? {
        if column.isNull(index) { return nil }
        var bytes: [UInt8] = []
        append(column, at: index, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @inlinable
    public static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[23 - count] = UInt8(truncatingIfNeeded: magnitude % 10) + 48
                magnitude /= 10
                count += 1
            }
            if value < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: buffer[(24 - count)...])
        }
    }

    public static func appendDecimal(_ value: Int128, scale: Int, to out: inout [UInt8]) {
        var digits = Array(String(value.magnitude).utf8)
        if value < 0 { out.append(UInt8(ascii: "-")) }
        if scale == 0 {
            out.append(contentsOf: digits)
            return
        }
        if digits.count <= scale {
            digits = Array(repeating: UInt8(ascii: "0"), count: scale - digits.count + 1) + digits
        }
        out.append(contentsOf: digits[..<(digits.count - scale)])
        out.append(UInt8(ascii: "."))
        out.append(contentsOf: digits[(digits.count - scale)...])
    }

    /// PostgreSQL's float format: shortest round-trip digits, exponent form outside 1e-4 ..< 10^digits.
    /// `shortest` is Swift's shortest round-trip text of the value at its own width (so a `Float`
    /// prints as `1.1`, not as the `Double` nearest to it); it is short enough to stay a small string.
    func appendFloat(_ value: Double, significantDigits: Int, shortest: String, to out: inout [UInt8]) {
        if value.isNaN { out.append(contentsOf: "NaN".utf8); return }
        if value.isInfinite { out.append(contentsOf: (value < 0 ? "-Infinity" : "Infinity").utf8); return }
        if extraFloatDigits <= 0 {
            let precision = max(1, significantDigits + extraFloatDigits)
            out.append(contentsOf: String(format: "%.\(precision)g", value).utf8)
            return
        }
        var text = shortest
        text.withUTF8 { Self.appendShortest($0, significantDigits: significantDigits, to: &out) }
    }

    /// Rewrites Swift's shortest float text (`-1.5e-07`, `1500000.0`) into PostgreSQL's layout,
    /// working on bytes: split into sign, significant digits and a decimal exponent, then place the point.
    private static func appendShortest(
        _ text: UnsafeBufferPointer<UInt8>, significantDigits: Int, to out: inout [UInt8]
    ) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.count) { digits in
            var index = 0
            let negative = text.first == UInt8(ascii: "-")
            if negative { index = 1 }
            var digitCount = 0
            var pointPosition = -1
            var exponent = 0
            while index < text.count {
                let byte = text[index]
                if byte == UInt8(ascii: ".") {
                    pointPosition = digitCount
                } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                    var exponentIndex = index + 1
                    var exponentNegative = false
                    if exponentIndex < text.count,
                        text[exponentIndex] == UInt8(ascii: "-") || text[exponentIndex] == UInt8(ascii: "+")
                    {
                        exponentNegative = text[exponentIndex] == UInt8(ascii: "-")
                        exponentIndex += 1
                    }
                    while exponentIndex < text.count {
                        exponent = exponent * 10 + Int(text[exponentIndex] &- UInt8(ascii: "0"))
                        exponentIndex += 1
                    }
                    if exponentNegative { exponent = -exponent }
                    break
                } else {
                    digits[digitCount] = byte
                    digitCount += 1
                }
                index += 1
            }
            if pointPosition < 0 { pointPosition = digitCount }
            var first = 0
            while first < digitCount, digits[first] == UInt8(ascii: "0") { first += 1 }
            if first == digitCount {
                out.append(contentsOf: (negative ? "-0" : "0").utf8)
                return
            }
            var last = digitCount
            while last > first, digits[last - 1] == UInt8(ascii: "0") { last -= 1 }
            let significant = UnsafeBufferPointer(rebasing: digits[first..<last])
            let decimalExponent = pointPosition - first - 1 + exponent
            if negative { out.append(UInt8(ascii: "-")) }
            if decimalExponent < -4 || decimalExponent >= significantDigits {
                out.append(significant[0])
                if significant.count > 1 {
                    out.append(UInt8(ascii: "."))
                    out.append(contentsOf: significant[1...])
                }
                out.append(UInt8(ascii: "e"))
                out.append(decimalExponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
                let magnitude = abs(decimalExponent)
                if magnitude < 10 { out.append(UInt8(ascii: "0")) }
                appendInteger(Int64(magnitude), to: &out)
            } else if decimalExponent < 0 {
                out.append(UInt8(ascii: "0"))
                out.append(UInt8(ascii: "."))
                for _ in 0..<(-decimalExponent - 1) { out.append(UInt8(ascii: "0")) }
                out.append(contentsOf: significant)
            } else if significant.count <= decimalExponent + 1 {
                out.append(contentsOf: significant)
                for _ in 0..<(decimalExponent + 1 - significant.count) { out.append(UInt8(ascii: "0")) }
            } else {
                out.append(contentsOf: significant[..<(decimalExponent + 1)])
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: significant[(decimalExponent + 1)...])
            }
        }
    }

    static func appendTwoDigits(_ value: Int, to out: inout [UInt8]) {
        out.append(UInt8(48 + value / 10))
        out.append(UInt8(48 + value % 10))
    }

    func appendDate(_ days: Int, to out: inout [UInt8]) {
        let year = Self.appendCalendarDate(days, to: &out)
        if year <= 0 { out.append(contentsOf: " BC".utf8) }
    }

    /// Appends `YYYY-MM-DD` (the year without era) and returns the year.
    static func appendCalendarDate(_ days: Int, to out: inout [UInt8]) -> Int {
        let (year, month, day) = CivilDate.components(days: days)
        appendYear(year, to: &out)
        out.append(UInt8(ascii: "-"))
        appendTwoDigits(month, to: &out)
        out.append(UInt8(ascii: "-"))
        appendTwoDigits(day, to: &out)
        return year
    }

    static func appendYear(_ year: Int, to out: inout [UInt8]) {
        let printed = year <= 0 ? 1 - year : year
        let text = String(printed)
        if text.count < 4 { out.append(contentsOf: Array(repeating: UInt8(ascii: "0"), count: 4 - text.count)) }
        out.append(contentsOf: text.utf8)
    }

    func appendTime(_ microseconds: Int64, to out: inout [UInt8]) {
        let seconds = Int(microseconds / 1_000_000)
        Self.appendTwoDigits(seconds / 3600, to: &out)
        out.append(UInt8(ascii: ":"))
        Self.appendTwoDigits(seconds / 60 % 60, to: &out)
        out.append(UInt8(ascii: ":"))
        Self.appendTwoDigits(seconds % 60, to: &out)
        Self.appendFraction(Int(microseconds % 1_000_000), to: &out)
    }

    /// Appends `.ffffff` with trailing zeros removed, or nothing for whole seconds.
    static func appendFraction(_ microseconds: Int, to out: inout [UInt8]) {
        guard microseconds != 0 else { return }
        var digits = Array(String(microseconds).utf8)
        digits = Array(repeating: UInt8(ascii: "0"), count: 6 - digits.count) + digits
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        out.append(UInt8(ascii: "."))
        out.append(contentsOf: digits)
    }

    func appendTimestamp(_ microseconds: Int64, to out: inout [UInt8]) {
        appendTimestamp(local: microseconds, offsetSeconds: nil, to: &out)
    }

    func appendTimestampTZ(_ microseconds: Int64, to out: inout [UInt8]) {
        let offsetSeconds = timeZone.offsetSeconds(atUTCMicroseconds: microseconds)
        appendTimestamp(local: microseconds + Int64(offsetSeconds) * 1_000_000, offsetSeconds: offsetSeconds, to: &out)
    }

    /// `YYYY-MM-DD HH:MM:SS[.f][±HH[:MM[:SS]]][ BC]`; the offset only for timestamptz.
    func appendTimestamp(local microseconds: Int64, offsetSeconds: Int?, to out: inout [UInt8]) {
        let (days, timeOfDay) = microseconds.floorDividedAndRemainder(by: CivilDate.microsecondsPerDay)
        let year = Self.appendCalendarDate(Int(days), to: &out)
        out.append(UInt8(ascii: " "))
        appendTime(timeOfDay, to: &out)
        if let offsetSeconds { Self.appendOffset(offsetSeconds, to: &out) }
        if year <= 0 { out.append(contentsOf: " BC".utf8) }
    }

    /// A UTC offset as PostgreSQL prints it: `+02`, `-05:30`, `+14:59:59`.
    static func appendOffset(_ offsetSeconds: Int, to out: inout [UInt8]) {
        out.append(offsetSeconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let magnitude = abs(offsetSeconds)
        appendTwoDigits(magnitude / 3600, to: &out)
        if magnitude % 3600 != 0 {
            out.append(UInt8(ascii: ":"))
            appendTwoDigits(magnitude / 60 % 60, to: &out)
            if magnitude % 60 != 0 {
                out.append(UInt8(ascii: ":"))
                appendTwoDigits(magnitude % 60, to: &out)
            }
        }
    }

    /// IntervalStyle `postgres`: `1 year 2 mons 3 days 04:05:06.7`; every count but 1 is plural (`-1 days`).
    public static func appendInterval(_ interval: Interval, to out: inout [UInt8]) {
        var parts: [String] = []
        let years = Int(interval.months) / 12
        let months = Int(interval.months) % 12
        if years != 0 { parts.append("\(years) year\(years == 1 ? "" : "s")") }
        if months != 0 { parts.append("\(months) mon\(months == 1 ? "" : "s")") }
        if interval.days != 0 { parts.append("\(interval.days) day\(interval.days == 1 ? "" : "s")") }
        if interval.microseconds != 0 || parts.isEmpty {
            let negative = interval.microseconds < 0
            let magnitude = interval.microseconds.magnitude
            let seconds = Int(magnitude / 1_000_000)
            var clock: [UInt8] = []
            if negative {
                clock.append(UInt8(ascii: "-"))
            } else if !parts.isEmpty && (interval.months < 0 || interval.days < 0) {
                clock.append(UInt8(ascii: "+"))
            }
            let hours = seconds / 3600
            if hours < 10 { clock.append(UInt8(ascii: "0")) }
            clock.append(contentsOf: String(hours).utf8)
            clock.append(UInt8(ascii: ":"))
            appendTwoDigits(seconds / 60 % 60, to: &clock)
            clock.append(UInt8(ascii: ":"))
            appendTwoDigits(seconds % 60, to: &clock)
            appendFraction(Int(magnitude % 1_000_000), to: &clock)
            parts.append(String(decoding: clock, as: UTF8.self))
        }
        out.append(contentsOf: parts.joined(separator: " ").utf8)
    }

    static func appendHexBytea(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\\"))
        out.append(UInt8(ascii: "x"))
        for byte in bytes {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
    }

    /// `{1,2,NULL}` with elements quoted where PostgreSQL's array_out quotes them.
    func appendArray(_ elements: Column, range: Range<Int>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for index in range {
            if index != range.lowerBound { out.append(UInt8(ascii: ",")) }
            if elements.isNull(index) {
                out.append(contentsOf: "NULL".utf8)
                continue
            }
            var element: [UInt8] = []
            append(elements, at: index, to: &element)
            let needsQuotes =
                element.isEmpty || element.elementsEqual("NULL".utf8)
                || element.contains { byte in
                    byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ",")
                        || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: " ")
                        || byte == 9 || byte == 10 || byte == 13
                }
            if needsQuotes {
                out.append(UInt8(ascii: "\""))
                for byte in element {
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
                    out.append(byte)
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: element)
            }
        }
        out.append(UInt8(ascii: "}"))
    }
}

extension Int64 {
    /// Floor division and the matching non-negative remainder.
    @inlinable
    public func floorDividedAndRemainder(by divisor: Int64) -> (Int64, Int64) {
        let quotient = self / divisor
        let remainder = self % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}
