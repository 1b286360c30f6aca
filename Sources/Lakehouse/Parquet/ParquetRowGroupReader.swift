import Engine

/// Reads projected columns of one row group of a `ParquetFile` into engine columns.
///
/// A row group comes back whole, one `Column` per requested leaf, so the scan operator decides how
/// to slice it into batches (`Column.slice`) and can run row groups on separate tasks. Only the
/// byte ranges of the requested column chunks are fetched. Nested columns (lists, maps, structs)
/// fail with `0A000` when requested; flat columns of the same file still read.
public struct ParquetRowGroupReader: Sendable {
    public let file: ParquetFile
    public let store: any ObjectStore

    public init(file: ParquetFile, store: any ObjectStore) {
        self.file = file
        self.store = store
    }

    /// Leaf columns `columns` (indexes into `file.schema.columns`) of row group `rowGroup`, in the
    /// order requested.
    public func read(rowGroup: Int, columns: [Int]) async throws -> [Column] {
        let ranges = try byteRanges(rowGroup: rowGroup, columns: columns)
        let chunks = try await store.read(file.location, ranges: ranges)
        return try zip(columns, chunks).map { column, bytes in try decode(rowGroup: rowGroup, column: column, chunk: bytes) }
    }

    /// The byte ranges of the file holding the chunks of `columns` in row group `rowGroup`; the
    /// sans-I/O half of `read`, for callers that fetch (or cache) bytes themselves.
    public func byteRanges(rowGroup: Int, columns: [Int]) throws -> [Range<Int>] {
        try columns.map { column in
            let (chunk, leaf) = try chunkMetaData(rowGroup: rowGroup, column: column)
            if let reason = leaf.unsupportedReason { throw LakehouseError.unsupported(reason) }
            if let path = chunk.filePath, !path.isEmpty {
                throw LakehouseError.unsupported("Parquet column chunks stored in another file (\"\(path)\") are not supported")
            }
            let range: Range<Int>
            do {
                range = try chunk.byteRange()
            } catch let error as ParquetFormatError {
                throw LakehouseError.corruptParquet(file.location, column: leaf.name, error.problem)
            }
            guard range.upperBound <= file.fileSize else {
                throw LakehouseError.corruptParquet(
                    file.location, column: leaf.name,
                    "column chunk bytes \(range.lowerBound)..<\(range.upperBound) lie past the end of the file (\(file.fileSize) bytes)")
            }
            return range
        }
    }

    /// Decodes the chunk bytes of `column` in row group `rowGroup` (as fetched from `byteRanges`).
    public func decode(rowGroup: Int, column: Int, chunk bytes: [UInt8]) throws -> Column {
        let (chunk, leaf) = try chunkMetaData(rowGroup: rowGroup, column: column)
        let rowCount = file.rowGroupRowCounts[rowGroup]
        do {
            return try bytes.withUnsafeBytes { bytes in
                try ColumnChunkReading.read(
                    bytes, column: leaf, codec: chunk.codec, rowCount: rowCount,
                    uncompressedSize: Int(clamping: chunk.totalUncompressedSize))
            }
        } catch let error as ParquetFormatError {
            throw LakehouseError.corruptParquet(file.location, column: leaf.name, "row group \(rowGroup): \(error.problem)")
        } catch let error as LakehouseError where error.sqlState == "0A000" {
            throw LakehouseError(
                error.sqlState, error.message, detail: "column \"\(leaf.name)\" of \"\(file.location)\"")
        }
    }

    private func chunkMetaData(rowGroup: Int, column: Int) throws -> (ColumnChunkMetaData, ParquetColumn) {
        guard file.metadata.rowGroups.indices.contains(rowGroup) else {
            throw LakehouseError("XX000", "row group \(rowGroup) does not exist in \"\(file.location)\"")
        }
        guard file.schema.columns.indices.contains(column) else {
            throw LakehouseError("XX000", "Parquet column \(column) does not exist in \"\(file.location)\"")
        }
        return (file.metadata.rowGroups[rowGroup].columns[column], file.schema.columns[column])
    }
}
