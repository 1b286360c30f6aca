import Engine

/// Reads projected columns of one row group of a `ParquetFile` into engine columns.
///
/// A row group comes back whole, one `Column` per requested leaf, so the scan operator decides how
/// to slice it into batches (`Column.slice`) and can run row groups on separate tasks. Only the
/// byte ranges of the requested column chunks are fetched. Nested columns (lists, maps, structs)
/// fail with `0A000` when requested; flat columns of the same file still read.
///
/// With a page index (see `pageIndexes`), a read can ask for some rows only: then only the pages
/// holding them (and the dictionary page) are fetched and decoded.
public struct ParquetRowGroupReader: Sendable {
    public let file: ParquetFile
    public let store: any ObjectStore
    /// Where reads add what they fetched, decoded and skipped; nil to count nothing.
    public let counters: ParquetReadCounters?

    public init(file: ParquetFile, store: any ObjectStore, counters: ParquetReadCounters? = nil) {
        self.file = file
        self.store = store
        self.counters = counters
    }

    /// Leaf columns `columns` (indexes into `file.schema.columns`) of row group `rowGroup`, in the
    /// order requested.
    public func read(rowGroup: Int, columns: [Int]) async throws -> [Column] {
        let ranges = try byteRanges(rowGroup: rowGroup, columns: columns)
        let chunks = try await store.read(file.location, ranges: ranges)
        counters.add { $0.bytesFetched += ranges.reduce(0) { $0 + $1.count } }
        return try zip(columns, chunks).map { column, bytes in
            try decode(rowGroup: rowGroup, column: column, chunk: bytes)
        }
    }

    /// Rows `rows` of leaf columns `columns` of row group `rowGroup`, in the order requested.
    /// `pageIndexes` has one entry per column (from `pageIndexes(rowGroup:columns:withStatistics:)`):
    /// a column with one fetches and decodes only the pages holding selected rows, besides its
    /// dictionary page; a column without one is read whole. Either way only the selected rows come
    /// back.
    public func read(rowGroup: Int, columns: [Int], rows: ParquetRowSelection, pageIndexes: [ParquetPageIndex?])
        async throws -> [Column]
    {
        let rowCount = file.rowGroupRowCounts[rowGroup]
        if rows.coversAll(rowCount) { return try await read(rowGroup: rowGroup, columns: columns) }
        precondition(pageIndexes.count == columns.count, "one page index (or nil) per column")
        let chunkRanges = try byteRanges(rowGroup: rowGroup, columns: columns)
        var plans: [PartialChunk] = []
        for (chunkRange, pageIndex) in zip(chunkRanges, pageIndexes) {
            guard let pageIndex, let firstPage = pageIndex.pages.first else {
                plans.append(PartialChunk(pieces: [chunkRange], rows: .all(rowCount), pagesSkipped: 0))
                continue
            }
            let wanted = pageIndex.pages(holding: rows)
            // Everything before the first data page: the dictionary page, when there is one.
            let prefix = chunkRange.lowerBound..<firstPage.byteRange.lowerBound
            plans.append(
                PartialChunk(
                    pieces: ByteRangeCoalescing.coalesce([prefix] + wanted.map(\.byteRange), gap: 0),
                    rows: ParquetRowSelection(wanted.map(\.rows)), pagesSkipped: pageIndex.pages.count - wanted.count))
        }
        let fetchRanges = ByteRangeCoalescing.coalesce(plans.flatMap(\.pieces))
        let fetched = zip(fetchRanges, try await store.read(file.location, ranges: fetchRanges)).map {
            (range: $0, bytes: $1)
        }
        counters.add { counts in
            counts.bytesFetched += fetchRanges.reduce(0) { $0 + $1.count }
            counts.pagesSkipped += plans.reduce(0) { $0 + $1.pagesSkipped }
        }
        return try zip(columns, plans).map { column, plan in
            let bytes = ByteRangeCoalescing.extract(plan.pieces, from: fetched)
            let decoded = try decode(rowGroup: rowGroup, column: column, pages: bytes, rowCount: plan.rows.rowCount)
            guard let positions = rows.positions(within: plan.rows) else { return decoded }
            return decoded.gather(positions)
        }
    }

    /// The bytes to fetch for one column of a partial read, and the rows they hold.
    private struct PartialChunk {
        /// Ranges of the file, ascending: the dictionary page, then runs of wanted data pages.
        let pieces: [Range<Int>]
        let rows: ParquetRowSelection
        let pagesSkipped: Int
    }

    /// The byte ranges of the file holding the chunks of `columns` in row group `rowGroup`; the
    /// sans-I/O half of `read`, for callers that fetch (or cache) bytes themselves.
    public func byteRanges(rowGroup: Int, columns: [Int]) throws -> [Range<Int>] {
        try columns.map { column in
            let (chunk, leaf) = try chunkMetaData(rowGroup: rowGroup, column: column)
            if let reason = leaf.unsupportedReason { throw LakehouseError.unsupported(reason) }
            if let path = chunk.filePath, !path.isEmpty {
                throw LakehouseError.unsupported(
                    "Parquet column chunks stored in another file (\"\(path)\") are not supported")
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
                    "column chunk bytes \(range.lowerBound)..<\(range.upperBound) lie past the end of the file (\(file.fileSize) bytes)"
                )
            }
            return range
        }
    }

    /// Decodes the chunk bytes of `column` in row group `rowGroup` (as fetched from `byteRanges`).
    public func decode(rowGroup: Int, column: Int, chunk bytes: [UInt8]) throws -> Column {
        try decode(rowGroup: rowGroup, column: column, pages: bytes, rowCount: file.rowGroupRowCounts[rowGroup])
    }

    /// Decodes `pages` (the chunk's dictionary page, when it has one, and data pages holding
    /// `rowCount` rows) of `column` in row group `rowGroup`; with `dictionaryOnly`, `pages` is the
    /// dictionary page and `rowCount` its entries. `uncompressedSize` sizes byte-array buffers; by
    /// default the chunk's, scaled to the share of its rows decoded.
    func decode(
        rowGroup: Int, column: Int, pages bytes: [UInt8], rowCount: Int, uncompressedSize: Int? = nil,
        dictionaryOnly: Bool = false
    ) throws -> Column {
        let (chunk, leaf) = try chunkMetaData(rowGroup: rowGroup, column: column)
        let fullRowCount = file.rowGroupRowCounts[rowGroup]
        let chunkSize = Int(clamping: chunk.totalUncompressedSize)
        let uncompressedSize =
            uncompressedSize
            ?? (rowCount >= fullRowCount ? chunkSize : Int(Double(chunkSize) * Double(rowCount) / Double(fullRowCount)))
        do {
            return try bytes.withUnsafeBytes { bytes in
                try ColumnChunkReading.read(
                    bytes, column: leaf, codec: chunk.codec, rowCount: rowCount, uncompressedSize: uncompressedSize,
                    dictionaryOnly: dictionaryOnly, counters: counters)
            }
        } catch let error as ParquetFormatError {
            throw LakehouseError.corruptParquet(
                file.location, column: leaf.name, "row group \(rowGroup): \(error.problem)")
        } catch let error as LakehouseError where error.sqlState == .featureNotSupported {
            throw LakehouseError(
                error.sqlState, error.message, detail: "column \"\(leaf.name)\" of \"\(file.location)\"")
        }
    }

    func chunkMetaData(rowGroup: Int, column: Int) throws -> (ColumnChunkMetaData, ParquetColumn) {
        guard file.metadata.rowGroups.indices.contains(rowGroup) else {
            throw LakehouseError(.internalError, "row group \(rowGroup) does not exist in \"\(file.location)\"")
        }
        guard file.schema.columns.indices.contains(column) else {
            throw LakehouseError(.internalError, "Parquet column \(column) does not exist in \"\(file.location)\"")
        }
        return (file.metadata.rowGroups[rowGroup].columns[column], file.schema.columns[column])
    }
}
