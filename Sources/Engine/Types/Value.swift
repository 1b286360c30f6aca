/// One boxed SQL value: constants, parameters and small results. Hot loops never use it;
/// they work on `Column` buffers.
public enum Value: Hashable, Sendable {
    case null
    case bool(Bool)
    case int16(Int16)
    case int32(Int32)
    case uint32(UInt32)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    /// A scaled decimal: its scale comes from the column's `DataType.numeric`, or for
    /// `variableScaleNumeric` it is a packed `ScaledDecimal`.
    case decimal(Int128)
    case interval(Interval)
    /// UTF-8 text or raw bytes for the variable-width types.
    case bytes([UInt8])
    case array([Value])

    /// A text value from a Swift string.
    public static func text(_ string: String) -> Value { .bytes(Array(string.utf8)) }

    public var isNull: Bool { if case .null = self { return true } else { return false } }
}
