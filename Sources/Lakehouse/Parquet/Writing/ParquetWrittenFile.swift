/// A finished Parquet file and the metrics an Iceberg manifest records for it, all keyed by Iceberg
/// field id.
public struct ParquetWrittenFile: Sendable {
    /// The whole file, magic to magic.
    public var bytes: [UInt8]
    public var recordCount: Int64
    /// Compressed bytes of each column's chunks, page headers included.
    public var columnSizes: [Int: Int64]
    /// Values per column, NULLs included.
    public var valueCounts: [Int: Int64]
    public var nullValueCounts: [Int: Int64]
    /// NaN values of float and double columns (other columns have no entry).
    public var nanValueCounts: [Int: Int64]
    /// Smallest non-NULL, non-NaN value in Iceberg's single-value serialization; strings and
    /// binary truncated to 16 code points or bytes (Iceberg's default `truncate(16)`).
    public var lowerBounds: [Int: [UInt8]]
    /// Largest value, serialized and truncated like `lowerBounds` but rounded up; no entry when a
    /// truncated value cannot be rounded up.
    public var upperBounds: [Int: [UInt8]]
    /// The file offset of each row group's first page, ascending.
    public var splitOffsets: [Int64]

    public init(
        bytes: [UInt8], recordCount: Int64, columnSizes: [Int: Int64], valueCounts: [Int: Int64],
        nullValueCounts: [Int: Int64], nanValueCounts: [Int: Int64], lowerBounds: [Int: [UInt8]],
        upperBounds: [Int: [UInt8]], splitOffsets: [Int64]
    ) {
        self.bytes = bytes
        self.recordCount = recordCount
        self.columnSizes = columnSizes
        self.valueCounts = valueCounts
        self.nullValueCounts = nullValueCounts
        self.nanValueCounts = nanValueCounts
        self.lowerBounds = lowerBounds
        self.upperBounds = upperBounds
        self.splitOffsets = splitOffsets
    }
}
