import Engine

extension ParquetRowGroupReader {
    /// The page indexes of `columns` in row group `rowGroup`, in the order requested: nil for a
    /// chunk without an offset index. Page statistics are decoded for the columns in
    /// `withStatistics` whose chunks have a column index. The index bytes of all the columns are
    /// fetched in one read, ranges near each other joined. `XX001` naming the file and column for
    /// an index that does not decode or does not fit its chunk.
    public func pageIndexes(rowGroup: Int, columns: [Int], withStatistics: Set<Int>) async throws -> [ParquetPageIndex?]
    {
        var wanted: [(offsetIndex: Range<Int>?, columnIndex: Range<Int>?)] = []
        for column in columns {
            let (chunk, leaf) = try chunkMetaData(rowGroup: rowGroup, column: column)
            do {
                let offsetIndex = try chunk.offsetIndexRange(fileSize: file.fileSize)
                let columnIndex =
                    offsetIndex != nil && withStatistics.contains(column)
                    ? try chunk.columnIndexRange(fileSize: file.fileSize) : nil
                wanted.append((offsetIndex, columnIndex))
            } catch let error as ParquetFormatError {
                throw pageIndexError(rowGroup: rowGroup, column: leaf, error)
            }
        }
        let pieces = wanted.flatMap { [$0.offsetIndex, $0.columnIndex].compactMap { $0 } }
        guard !pieces.isEmpty else { return columns.map { _ in nil } }
        let fetchRanges = ByteRangeCoalescing.coalesce(pieces)
        let fetched = zip(fetchRanges, try await store.read(file.location, ranges: fetchRanges)).map {
            (range: $0, bytes: $1)
        }
        counters.add { $0.bytesFetched += fetchRanges.reduce(0) { $0 + $1.count } }
        let rowCount = file.rowGroupRowCounts[rowGroup]
        return try zip(columns, wanted).map { column, ranges -> ParquetPageIndex? in
            guard let offsetRange = ranges.offsetIndex else { return nil }
            let (chunk, leaf) = try chunkMetaData(rowGroup: rowGroup, column: column)
            do {
                let offsetIndex = try Self.decodeThrift(ByteRangeCoalescing.extract([offsetRange], from: fetched)) {
                    try OffsetIndexMetaData.decode(&$0)
                }
                let columnIndex = try ranges.columnIndex.map { range in
                    try Self.decodeThrift(ByteRangeCoalescing.extract([range], from: fetched)) {
                        try ColumnIndexMetaData.decode(&$0)
                    }
                }
                return try ParquetPageIndex(
                    offsetIndex: offsetIndex, columnIndex: columnIndex, column: leaf, chunkBytes: try chunk.byteRange(),
                    rowCount: rowCount)
            } catch let error as ParquetFormatError {
                throw pageIndexError(rowGroup: rowGroup, column: leaf, error)
            }
        }
    }

    /// Every entry of the dictionary page of `column` in row group `rowGroup`, as a column of the
    /// leaf's type without NULLs; nil unless the footer shows every data page of the chunk holds
    /// dictionary indices (see `ParquetFile.dictionaryPageSize`), so these are all its values.
    public func dictionary(rowGroup: Int, column: Int) async throws -> Column? {
        let (chunk, leaf) = try chunkMetaData(rowGroup: rowGroup, column: column)
        guard leaf.unsupportedReason == nil, chunk.isEntirelyDictionaryEncoded, let range = chunk.dictionaryPageRange,
            range.upperBound <= file.fileSize
        else { return nil }
        let bytes = try await store.read(file.location, range: range)
        counters.add { $0.bytesFetched += range.count }
        let header: PageHeader
        do {
            header = try bytes.withUnsafeBytes { raw in
                var reader = ThriftCompactReader(raw)
                return try PageHeader.decode(&reader)
            }
        } catch let error as ParquetFormatError {
            throw LakehouseError.corruptParquet(
                file.location, column: leaf.name, "row group \(rowGroup): \(error.problem)")
        }
        guard case .dictionary(let count, _) = header.kind else {
            throw LakehouseError.corruptParquet(
                file.location, column: leaf.name,
                "row group \(rowGroup): the dictionary page offset points at another kind of page")
        }
        // Every PLAIN entry takes a byte at least; a larger count is a lie to allocate for.
        guard count <= header.uncompressedSize else {
            throw LakehouseError.corruptParquet(
                file.location, column: leaf.name,
                "row group \(rowGroup): dictionary page of \(header.uncompressedSize) bytes claims \(count) entries")
        }
        return try decode(
            rowGroup: rowGroup, column: column, pages: bytes, rowCount: count,
            uncompressedSize: header.uncompressedSize,
            dictionaryOnly: true)
    }

    private static func decodeThrift<T>(_ bytes: [UInt8], _ decode: (inout ThriftCompactReader) throws -> T) throws -> T
    {
        try bytes.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw)
            return try decode(&reader)
        }
    }

    private func pageIndexError(rowGroup: Int, column: ParquetColumn, _ error: ParquetFormatError) -> LakehouseError {
        .corruptParquet(
            file.location, column: column.name, "row group \(rowGroup): invalid page index: \(error.problem)")
    }
}
