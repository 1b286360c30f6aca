import Engine

/// Encoding into Iceberg's single-value binary form (spec appendix D), for manifest-list
/// partition summaries and column bounds.
extension SingleValueSerialization {
    /// The bytes of a non-NULL `value` of `type` in Weir's value form; nil for NULL, nested types
    /// or a value that does not fit the type.
    public static func encode(_ value: Value, as type: IcebergType) -> [UInt8]? {
        func littleEndian<T: FixedWidthInteger>(_ number: T) -> [UInt8] {
            (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: number >> (8 * $0)) }
        }
        switch (value, type) {
        case (.bool(let flag), .boolean): return [flag ? 1 : 0]
        case (.int32(let number), .int), (.int32(let number), .date): return littleEndian(number)
        case (.int16(let number), .int): return littleEndian(Int32(number))
        case (.int64(let number), .long), (.int64(let number), .time), (.int64(let number), .timestamp),
            (.int64(let number), .timestamptz):
            return littleEndian(number)
        case (.int64(let micros), .timestampNanos), (.int64(let micros), .timestamptzNanos):
            let (nanos, overflow) = micros.multipliedReportingOverflow(by: 1000)
            return overflow ? nil : littleEndian(nanos)
        case (.float32(let number), .float): return littleEndian(number.bitPattern)
        case (.float64(let number), .double): return littleEndian(number.bitPattern)
        case (.decimal(let unscaled), .decimal): return PartitionTransform.minimalBigEndian(unscaled)
        case (.bytes(let bytes), .string), (.bytes(let bytes), .binary), (.bytes(let bytes), .fixed): return bytes
        case (.bytes(let text), .uuid): return uuidBytes(text)
        default: return nil
        }
    }

    /// The 16 bytes of a UUID given as text (with or without hyphens); nil when it is not one.
    static func uuidBytes(_ text: [UInt8]) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var high: UInt8?
        for character in text where character != UInt8(ascii: "-") {
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes.count == 16 && high == nil ? bytes : nil
    }
}
