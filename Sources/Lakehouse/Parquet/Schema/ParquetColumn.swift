import Engine

/// One leaf column of a Parquet file as Weir reads it: its place in the file's schema and the
/// Weir `DataType` its values decode to.
///
/// Leaf columns are numbered in schema order, which is also the order of column chunks in every
/// row group; that index is what `ParquetRowGroupReader` takes as a projection.
public struct ParquetColumn: Sendable {
    /// The dotted path of the column (`address.city` for nested fields, `l_orderkey` for flat ones).
    public let name: String
    /// The names from the schema root down to this leaf.
    public let path: [String]
    /// The Iceberg field id writers such as PyIceberg record on each column; Iceberg matches columns
    /// by it, so renamed columns still read.
    public let fieldID: Int?
    public let physicalType: ParquetPhysicalType
    /// The Weir type values decode to; `nil` when the column cannot be read (see `unsupportedReason`).
    public let dataType: DataType?
    /// False for `required` columns, which never hold NULL.
    public let isNullable: Bool
    /// Why this column cannot be read, when it cannot: nested data or a type Weir does not map.
    public let unsupportedReason: String?

    /// Bytes per value for FIXED_LEN_BYTE_ARRAY (12 for INT96).
    let typeLength: Int
    let maxDefinitionLevel: Int
    let maxRepetitionLevel: Int
    /// How decoded physical values become `dataType`'s storage.
    let conversion: ValueConversion
}

/// The step from a physical Parquet value to the engine's storage for the column's type.
enum ValueConversion: Sendable, Equatable {
    /// The physical layout is the engine's layout (INT32 → int32/date, BYTE_ARRAY → text/bytea, ...).
    case identity
    /// Small signed or unsigned INT32 annotations that fit in int16.
    case int32ToInt16
    /// UINT_32: the INT32 bit pattern read as unsigned, widened to int64.
    case uint32ToInt64
    /// UINT_64 to numeric(20, 0).
    case uint64ToDecimal
    case int32ToDecimal
    case int64ToDecimal
    /// Big-endian two's complement bytes (BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY) to a scaled Int128.
    case bytesToDecimal
    /// TIME(MILLIS) in INT32 to microseconds in int64.
    case int32MillisToMicros
    /// INT64 multiplied by the factor (milliseconds → microseconds).
    case int64Multiply(Int64)
    /// INT64 divided by the factor, rounding toward negative infinity (nanoseconds → microseconds).
    case int64Divide(Int64)
    /// INT96 Julian day + nanoseconds of day to microseconds since the epoch.
    case int96ToTimestamp
    /// 16 raw bytes to the canonical 36-character text Weir keeps uuids in.
    case uuidToText
    /// IEEE half floats (FIXED_LEN_BYTE_ARRAY(2)) to float32.
    case float16ToFloat32
    /// FIXED_LEN_BYTE_ARRAY values to variable-width bytes.
    case fixedToBytes
}
