/// NULL helpers for operators.
extension Column {
    /// A column of `count` NULLs, with zeroed value buffers (no boxed values on the way).
    public static func nulls(_ type: DataType, count: Int) -> Column {
        let storage: Storage
        switch type.storageKind {
        case .bool: storage = .bool(Array(repeating: 0, count: count))
        case .int16: storage = .int16(Array(repeating: 0, count: count))
        case .int32: storage = .int32(Array(repeating: 0, count: count))
        case .uint32: storage = .uint32(Array(repeating: 0, count: count))
        case .int64: storage = .int64(Array(repeating: 0, count: count))
        case .float32: storage = .float32(Array(repeating: 0, count: count))
        case .float64: storage = .float64(Array(repeating: 0, count: count))
        case .decimal: storage = .decimal(Array(repeating: 0, count: count))
        case .interval: storage = .interval(Array(repeating: Interval(), count: count))
        case .bytes: storage = .bytes(offsets: Array(repeating: 0, count: count + 1), data: [])
        case .array:
            guard case .array(let elementType) = type else { preconditionFailure("array storage without array type") }
            storage = .array(
                offsets: Array(repeating: 0, count: count + 1), elements: ColumnBox(.nulls(elementType, count: 0)))
        }
        return Column(
            type: type, count: count, validity: ValidityBitmap(count: count, allValid: false), storage: storage)
    }

    /// The validity bitmap when the column really holds NULLs, else nil (so loops can take a fast path).
    @inline(__always)
    public var nullableValidity: ValidityBitmap? {
        guard let validity, validity.nullCount > 0 else { return nil }
        return validity
    }
}
