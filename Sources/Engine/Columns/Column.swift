/// One column of a batch in Arrow's memory layout: a validity bitmap and the values.
///
/// Fixed-width values sit in one contiguous array; variable-width values (text, bytea, json) are
/// `offsets` + `data` bytes, so text stays UTF-8 from the scan to the wire. Booleans use one byte per
/// value (as DuckDB does) and are packed to bits only at the Arrow IPC boundary.
public struct Column: Sendable {
    public let type: DataType
    public let count: Int
    /// Null markers; `nil` means every value is valid.
    public var validity: ValidityBitmap?
    public var storage: Storage

    /// The value buffers, one case per `StorageKind`.
    public enum Storage: Sendable {
        case bool([UInt8])
        case int16([Int16])
        case int32([Int32])
        case uint32([UInt32])
        case int64([Int64])
        case float32([Float])
        case float64([Double])
        case decimal([Int128])
        case interval([Interval])
        /// Value `i` is `data[offsets[i]..<offsets[i + 1]]`.
        case bytes(offsets: [Int32], data: [UInt8])
        /// Array values: element range `offsets[i]..<offsets[i + 1]` of `elements`.
        case array(offsets: [Int32], elements: ColumnBox)
    }

    public init(type: DataType, count: Int, validity: ValidityBitmap?, storage: Storage) {
        self.type = type
        self.count = count
        self.validity = validity
        self.storage = storage
    }

    /// True when row `index` holds NULL.
    @inlinable
    public func isNull(_ index: Int) -> Bool {
        guard let validity else { return false }
        return !validity[index]
    }

    /// True when the column may hold NULLs.
    public var hasNulls: Bool { validity.map { $0.nullCount > 0 } ?? false }
}

/// Boxes a nested column so `Column.Storage` can refer to itself.
public final class ColumnBox: Sendable {
    public let column: Column
    public init(_ column: Column) { self.column = column }
}
