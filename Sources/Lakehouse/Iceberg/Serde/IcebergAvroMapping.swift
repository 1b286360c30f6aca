import Engine

/// Iceberg primitive types and Weir values in their Avro form (spec appendix A, "Avro"), for
/// writing partition tuples into manifests: the inverse of `SingleValueSerialization.value(_:as:)`.
enum IcebergAvroMapping {
    /// The Avro schema of a primitive Iceberg type. Fixed-width types get Avro names ending in
    /// `nameSuffix`, so several partition fields of one type do not redefine one name.
    static func schema(for type: IcebergType, nameSuffix: String) throws -> AvroSchema {
        switch type {
        case .boolean: return .boolean
        case .int: return .int(logicalType: nil)
        case .long: return .long(logicalType: nil)
        case .float: return .float
        case .double: return .double
        case .date: return .int(logicalType: "date")
        case .time: return .long(logicalType: "time-micros")
        case .timestamp: return .long(logicalType: "timestamp-micros", adjustToUTC: false)
        case .timestamptz: return .long(logicalType: "timestamp-micros", adjustToUTC: true)
        case .timestampNanos: return .long(logicalType: "timestamp-nanos", adjustToUTC: false)
        case .timestamptzNanos: return .long(logicalType: "timestamp-nanos", adjustToUTC: true)
        case .string: return .string(logicalType: nil)
        case .binary: return .bytes(logicalType: nil)
        case .uuid: return .fixed(name: "uuid_fixed" + nameSuffix, size: 16, logicalType: "uuid")
        case .fixed(let length): return .fixed(name: "fixed_\(length)" + nameSuffix, size: length, logicalType: nil)
        case .decimal(let precision, let scale):
            let fixed = AvroSchema.fixed(
                name: "decimal_\(precision)_\(scale)" + nameSuffix, size: decimalByteCount(precision: precision),
                logicalType: "decimal")
            return .decimal(fixed, precision: precision, scale: scale)
        case .structType, .list, .map:
            throw LakehouseError.unsupported("writing Iceberg \(type) values to Avro is not supported")
        }
    }

    /// `value`, in Weir's form for a column of `type` (see `SingleValueSerialization`), as Avro
    /// writes it for that type; nil when the value is not one of `type`.
    static func value(_ value: Value, as type: IcebergType) -> AvroValue? {
        switch (value, type) {
        case (.null, _): return .null
        case (.bool(let flag), .boolean): return .boolean(flag)
        case (.int32(let number), .int), (.int32(let number), .date): return .int(number)
        case (.int64(let number), .int), (.int64(let number), .date): return Int32(exactly: number).map { .int($0) }
        case (.int64(let number), .long), (.int64(let number), .time), (.int64(let number), .timestamp),
            (.int64(let number), .timestamptz):
            return .long(number)
        case (.int32(let number), .long), (.int32(let number), .time), (.int32(let number), .timestamp),
            (.int32(let number), .timestamptz):
            return .long(Int64(number))
        case (.int64(let micros), .timestampNanos), (.int64(let micros), .timestamptzNanos):
            let (nanos, overflow) = micros.multipliedReportingOverflow(by: 1000)
            return overflow ? nil : .long(nanos)
        case (.float32(let number), .float): return .float(number)
        case (.float32(let number), .double): return .double(Double(number))
        case (.float64(let number), .double): return .double(number)
        case (.bytes(let utf8), .string): return String(validating: utf8, as: UTF8.self).map { .string($0) }
        case (.bytes(let text), .uuid): return uuidBytes(text).map { .fixed($0) }
        case (.bytes(let raw), .binary): return .bytes(raw)
        case (.bytes(let raw), .fixed(let length)): return raw.count == length ? .fixed(raw) : nil
        case (.decimal(let unscaled), .decimal(let precision, _)):
            return bigEndianTwosComplement(unscaled, byteCount: decimalByteCount(precision: precision)).map {
                .fixed($0)
            }
        default: return nil
        }
    }

    /// `name` made a valid Avro name (`[A-Za-z_][A-Za-z0-9_]*`) the way Iceberg's writers do it: a
    /// leading digit gets a `_` before it, any other character not allowed becomes `_x` and its
    /// code point in upper-case hex. Readers match fields by id, so only the look changes.
    static func avroName(_ name: String) -> String {
        var result = ""
        for (index, scalar) in name.unicodeScalars.enumerated() {
            let isDigit = ("0"..."9").contains(scalar)
            if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" || (isDigit && index > 0) {
                result.unicodeScalars.append(scalar)
            } else if isDigit {
                result += "_" + String(scalar)
            } else {
                result += "_x" + String(scalar.value, radix: 16, uppercase: true)
            }
        }
        return result.isEmpty ? "_" : result
    }

    /// The fewest bytes whose two's complement holds every unscaled value of `precision` digits
    /// (the spec caps precision at 38, which takes 16).
    static func decimalByteCount(precision: Int) -> Int {
        var largest: UInt128 = 1
        for _ in 0..<min(max(precision, 1), 38) { largest *= 10 }
        largest -= 1
        var count = 1
        while count < 16 && (UInt128(1) << (8 * count - 1)) - 1 < largest { count += 1 }
        return count
    }

    /// `value` as `byteCount` (at most 16) big-endian two's-complement bytes; nil when it needs more.
    static func bigEndianTwosComplement(_ value: Int128, byteCount: Int) -> [UInt8]? {
        if byteCount < 16 {
            let spare = value >> (8 * byteCount - 1)
            guard spare == 0 || spare == -1 else { return nil }
        }
        let bits = UInt128(bitPattern: value)
        return (0..<byteCount).reversed().map { UInt8(truncatingIfNeeded: bits >> (8 * $0)) }
    }

    /// The 16 bytes of a UUID from its text (`8-4-4-4-12` hex digits, dashes optional).
    static func uuidBytes(_ text: [UInt8]) -> [UInt8]? {
        let digits = text.filter { $0 != UInt8(ascii: "-") }.map(hexDigit)
        guard digits.count == 32, digits.allSatisfy({ $0 != nil }) else { return nil }
        return stride(from: 0, to: 32, by: 2).map { digits[$0]! << 4 | digits[$0 + 1]! }
    }

    private static func hexDigit(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
