import Engine

/// What `ParquetFileWriter` needs of one column's writer, whatever its physical type: it stages
/// each batch, appends row ranges of it in order, and writes a column chunk per row group.
protocol ColumnChunkWriting: AnyObject {
    /// The column's name, for errors.
    var name: String { get }

    /// Takes the next batch's column: converts its non-NULL values once (throwing, before anything
    /// is written, for values the type cannot hold) and resets the row position to its first row.
    func stage(_ column: Column) throws

    /// Appends rows `rows` of the staged column; calls cover the batch in order without gaps.
    func append(rows: Range<Int>) throws

    /// Uncompressed bytes of the current chunk: finished pages, the open page and the dictionary.
    var bufferedBytes: Int { get }

    /// What the current chunk would add to the file if written now: compressed finished pages plus
    /// the uncompressed rest.
    var estimatedChunkBytes: Int { get }

    /// PLAIN bytes of a typical row of the staged batch, for sizing row groups before anything is buffered.
    var typicalRowBytes: Int { get }

    /// Writes the current chunk (dictionary page first) at the end of `file`, returns its footer
    /// entry and its page index, and starts the next chunk.
    func finishChunk(into file: inout WriteBuffer) throws -> (ColumnChunkMetaData, ColumnChunkPageIndex)

    /// Counts and bounds over every chunk written so far.
    var metrics: ColumnMetrics { get }
}

/// What one column contributes to an Iceberg data file entry.
struct ColumnMetrics {
    /// Values, NULLs included.
    var valueCount: Int64 = 0
    var nullCount: Int64 = 0
    var nanCount: Int64 = 0
    /// Compressed bytes of the column's chunks, page headers included.
    var compressedSize: Int64 = 0
    /// The smallest and largest non-NULL (non-NaN) values, PLAIN-encoded as in Parquet statistics.
    var bounds: (min: [UInt8], max: [UInt8])?
}
