import Engine

/// What a writer recorded about one column chunk, for pruning row groups: bounds decoded to Weir
/// values of the column's type, and the NULL count.
///
/// Bounds are `nil` when absent or not trustworthy for the type: the deprecated `min`/`max` fields
/// are used only where their signed ordering is the type's ordering.
public struct ParquetColumnStatistics: Sendable, Equatable {
    /// The smallest non-NULL value, or a lower bound of it.
    public let min: Value?
    /// The largest non-NULL value, or an upper bound of it.
    public let max: Value?
    /// NULL rows; `nil` when the writer did not say (which does not mean zero).
    public let nullCount: Int?
    public let distinctCount: Int?

    public init(min: Value?, max: Value?, nullCount: Int?, distinctCount: Int?) {
        self.min = min
        self.max = max
        self.nullCount = nullCount
        self.distinctCount = distinctCount
    }

    init(_ stored: StatisticsMetaData, column: ParquetColumn) {
        let legacyIsUsable = Self.legacyOrderingIsTypeOrdering(column)
        let minBytes = stored.minValue ?? (legacyIsUsable ? stored.legacyMin : nil)
        let maxBytes = stored.maxValue ?? (legacyIsUsable ? stored.legacyMax : nil)
        min = minBytes.flatMap { Self.decode($0, column: column) }
        max = maxBytes.flatMap { Self.decode($0, column: column) }
        nullCount = stored.nullCount.flatMap { Int(exactly: $0) }
        distinctCount = stored.distinctCount.flatMap { Int(exactly: $0) }
    }

    /// The deprecated fields are ordered by signed comparison of the physical value.
    private static func legacyOrderingIsTypeOrdering(_ column: ParquetColumn) -> Bool {
        switch column.physicalType {
        case .boolean, .float, .double: return true
        case .int32, .int64: return column.conversion != .uint32ToInt64 && column.conversion != .uint64ToDecimal
        case .int96, .byteArray, .fixedLenByteArray: return false
        }
    }

    /// One PLAIN-encoded value (byte arrays without their length prefix), through the column's
    /// conversion; `nil` when the bytes do not fit the type.
    static func decode(_ bytes: [UInt8], column: ParquetColumn) -> Value? {
        guard let type = column.dataType else { return nil }
        func load<T: BitwiseCopyable>(_: T.Type) -> [T]? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            return [bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }]
        }
        let storage: Column.Storage?
        switch column.physicalType {
        case .boolean: storage = bytes.count == 1 ? .bool([bytes[0] & 1]) : nil
        case .int32:
            storage = load(Int32.self).flatMap {
                try? column.conversion.apply(int32: $0.map { Int32(littleEndian: $0) })
            }
        case .int64:
            storage = load(Int64.self).flatMap {
                try? column.conversion.apply(int64: $0.map { Int64(littleEndian: $0) })
            }
        case .float: storage = load(UInt32.self).map { .float32([Float(bitPattern: UInt32(littleEndian: $0[0]))]) }
        case .double: storage = load(UInt64.self).map { .float64([Double(bitPattern: UInt64(littleEndian: $0[0]))]) }
        case .int96, .fixedLenByteArray:
            guard bytes.count == column.typeLength else { return nil }
            storage = try? column.conversion.apply(fixed: bytes, width: bytes.count, count: 1, validity: nil)
        case .byteArray:
            storage = try? column.conversion.apply(offsets: [0, Int32(truncatingIfNeeded: bytes.count)], data: bytes)
        }
        guard let storage else { return nil }
        let value = Column(type: type, count: 1, validity: nil, storage: storage).value(at: 0)
        if case .float32(let float) = value, float.isNaN { return nil }
        if case .float64(let double) = value, double.isNaN { return nil }
        return value
    }
}
