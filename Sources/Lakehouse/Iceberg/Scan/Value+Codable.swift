import Engine

/// Splits travel to engine nodes, and their partition values with them, so boxed values encode as
/// a tagged pair `[tag, payload]`. The engine module does not define a wire form for `Value`;
/// should it grow one, this conformance moves there.
extension Value: Codable {
    private enum Tag: String, Codable {
        case null, bool, int16, int32, uint32, int64, float32, float64, decimal, interval, bytes, array
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        switch try container.decode(Tag.self) {
        case .null: self = .null
        case .bool: self = .bool(try container.decode(Bool.self))
        case .int16: self = .int16(try container.decode(Int16.self))
        case .int32: self = .int32(try container.decode(Int32.self))
        case .uint32: self = .uint32(try container.decode(UInt32.self))
        case .int64: self = .int64(try container.decode(Int64.self))
        case .float32: self = .float32(try container.decode(Float.self))
        case .float64: self = .float64(try container.decode(Double.self))
        case .decimal:
            let text = try container.decode(String.self)
            guard let value = Int128(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "bad decimal \(text)")
            }
            self = .decimal(value)
        case .interval:
            self = .interval(
                Interval(
                    months: try container.decode(Int32.self), days: try container.decode(Int32.self),
                    microseconds: try container.decode(Int64.self)))
        case .bytes: self = .bytes(try container.decode([UInt8].self))
        case .array: self = .array(try container.decode([Value].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        switch self {
        case .null: try container.encode(Tag.null)
        case .bool(let value): try container.encode(Tag.bool); try container.encode(value)
        case .int16(let value): try container.encode(Tag.int16); try container.encode(value)
        case .int32(let value): try container.encode(Tag.int32); try container.encode(value)
        case .uint32(let value): try container.encode(Tag.uint32); try container.encode(value)
        case .int64(let value): try container.encode(Tag.int64); try container.encode(value)
        case .float32(let value): try container.encode(Tag.float32); try container.encode(value)
        case .float64(let value): try container.encode(Tag.float64); try container.encode(value)
        case .decimal(let value): try container.encode(Tag.decimal); try container.encode(String(value))
        case .interval(let value):
            try container.encode(Tag.interval)
            try container.encode(value.months)
            try container.encode(value.days)
            try container.encode(value.microseconds)
        case .bytes(let value): try container.encode(Tag.bytes); try container.encode(value)
        case .array(let value): try container.encode(Tag.array); try container.encode(value)
        }
    }
}
