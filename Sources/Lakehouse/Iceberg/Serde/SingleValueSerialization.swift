import Engine

/// Iceberg's single-value binary serialization (spec appendix D), used for column bounds and
/// partition summaries, decoded into Weir's `Value` form for a column's type.
///
/// Weir forms: date → `.int32` days; time, timestamps → `.int64` microseconds (nanosecond types
/// are floored to microseconds, which keeps bounds valid); decimal → `.decimal` unscaled;
/// string, binary, fixed → `.bytes`; uuid → `.bytes` of its canonical text, as the engine keeps it.
public enum SingleValueSerialization {
    /// Decodes `bytes` as a value of `type`; nil when the bytes cannot be one (such bounds are
    /// then treated as absent, which only costs pruning).
    public static func decode(_ bytes: [UInt8], as type: IcebergType) -> Value? {
        switch type {
        case .boolean:
            guard bytes.count == 1 else { return nil }
            return .bool(bytes[0] != 0)
        case .int, .date:
            guard bytes.count == 4 else { return nil }
            return .int32(Int32(truncatingIfNeeded: littleEndian(bytes)))
        case .long, .time, .timestamp, .timestamptz:
            // A column promoted from int keeps 4-byte bounds in its older files.
            if bytes.count == 4 { return .int64(Int64(Int32(truncatingIfNeeded: littleEndian(bytes)))) }
            guard bytes.count == 8 else { return nil }
            return .int64(Int64(bitPattern: littleEndian(bytes)))
        case .timestampNanos, .timestamptzNanos:
            guard bytes.count == 8 else { return nil }
            return .int64(floorDivide(Int64(bitPattern: littleEndian(bytes)), 1000))
        case .float:
            guard bytes.count == 4 else { return nil }
            return .float32(Float(bitPattern: UInt32(truncatingIfNeeded: littleEndian(bytes))))
        case .double:
            if bytes.count == 4 {
                return .float64(Double(Float(bitPattern: UInt32(truncatingIfNeeded: littleEndian(bytes)))))
            }
            guard bytes.count == 8 else { return nil }
            return .float64(Double(bitPattern: littleEndian(bytes)))
        case .decimal:
            return bigEndianTwosComplement(bytes).map { .decimal($0) }
        case .string, .binary, .fixed:
            return .bytes(bytes)
        case .uuid:
            guard bytes.count == 16 else { return nil }
            return .bytes(Array(uuidText(bytes).utf8))
        case .structType, .list, .map:
            return nil
        }
    }

    /// A partition value as a manifest's Avro partition struct stores it, in Weir's value form.
    public static func value(_ avro: AvroValue, as type: IcebergType) -> Value? {
        switch (avro, type) {
        case (.null, _): return .null
        case (.boolean(let flag), .boolean): return .bool(flag)
        case (.int(let number), .int), (.int(let number), .date): return .int32(number)
        case (.long(let number), .timestampNanos), (.long(let number), .timestamptzNanos):
            return .int64(floorDivide(number, 1000))
        case (.long(let number), _): return .int64(number)
        case (.int(let number), .long), (.int(let number), .time), (.int(let number), .timestamp),
            (.int(let number), .timestamptz):
            return .int64(Int64(number))
        case (.float(let number), .float): return .float32(number)
        case (.float(let number), .double): return .float64(Double(number))
        case (.double(let number), .double): return .float64(number)
        case (.string(let text), .string): return .bytes(Array(text.utf8))
        case (.string(let text), .uuid): return .bytes(Array(text.lowercased().utf8))
        case (.bytes(let raw), .decimal), (.fixed(let raw), .decimal):
            return bigEndianTwosComplement(raw).map { .decimal($0) }
        case (.bytes(let raw), .uuid), (.fixed(let raw), .uuid):
            return raw.count == 16 ? .bytes(Array(uuidText(raw).utf8)) : nil
        case (.bytes(let raw), _), (.fixed(let raw), _): return .bytes(raw)
        default: return nil
        }
    }

    static func littleEndian(_ bytes: [UInt8]) -> UInt64 {
        var value: UInt64 = 0
        for (index, byte) in bytes.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        return value
    }

    /// An unscaled decimal from its minimal big-endian two's-complement bytes.
    static func bigEndianTwosComplement(_ bytes: [UInt8]) -> Int128? {
        guard !bytes.isEmpty, bytes.count <= 16 else { return nil }
        var value: Int128 = bytes[0] & 0x80 != 0 ? -1 : 0
        for byte in bytes { value = (value << 8) | Int128(byte) }
        return value
    }

    static func uuidText(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }
        return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }.joined(separator: "-")
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient
    }
}
