import Engine

/// The page index of one column chunk, checked against the chunk: where each data page sits in
/// the file and which rows it holds (from the `OffsetIndex`) and, when the chunk also has a
/// `ColumnIndex`, each page's bounds and NULLs decoded to Weir values as chunk statistics are.
public struct ParquetPageIndex: Sendable {
    /// One data page.
    public struct Page: Sendable, Equatable {
        /// The page's bytes in the file, header included.
        public let byteRange: Range<Int>
        /// The rows of the row group the page holds.
        public let rows: Range<Int>
        /// The page's bounds and NULL count; nil when the chunk has no column index.
        public let statistics: ParquetColumnStatistics?
        /// True when the column index says the page holds only NULLs.
        public let isAllNull: Bool
        /// NaN values in the page, when the column index counts them.
        public let nanCount: Int?
    }

    public let pages: [Page]
    /// True when the pages carry statistics (the chunk has a column index).
    public let hasStatistics: Bool

    /// Checks `offsetIndex` (and `columnIndex`, when given) against the chunk whose pages lie in
    /// `chunkBytes` and whose row group has `rowCount` rows. The column index of an INT96 column is
    /// left out: the format defines no order its bounds could follow.
    init(
        offsetIndex: OffsetIndexMetaData, columnIndex: ColumnIndexMetaData?, column: ParquetColumn,
        chunkBytes: Range<Int>, rowCount: Int
    ) throws {
        let columnIndex = column.physicalType == .int96 ? nil : columnIndex
        let locations = offsetIndex.pageLocations
        guard !locations.isEmpty || rowCount == 0 else { throw ParquetFormatError("offset index lists no pages") }
        if let columnIndex, columnIndex.nullPages.count != locations.count {
            throw ParquetFormatError(
                "column index describes \(columnIndex.nullPages.count) pages, offset index \(locations.count)")
        }
        var pages: [Page] = []
        pages.reserveCapacity(locations.count)
        var previousEnd = chunkBytes.lowerBound
        for (position, location) in locations.enumerated() {
            let firstRow = location.firstRowIndex
            let endRow = position + 1 < locations.count ? locations[position + 1].firstRowIndex : Int64(rowCount)
            guard position > 0 || firstRow == 0, firstRow < endRow, endRow <= Int64(rowCount) else {
                throw ParquetFormatError(
                    "offset index page \(position) starts at row \(firstRow), which does not fit rows before \(endRow) of \(rowCount)"
                )
            }
            guard location.compressedPageSize > 0, location.offset >= Int64(previousEnd),
                location.offset <= Int64(chunkBytes.upperBound) - Int64(location.compressedPageSize)
            else {
                throw ParquetFormatError(
                    "offset index page \(position) at byte \(location.offset) (\(location.compressedPageSize) bytes) does not follow the page before it within the column chunk's bytes \(chunkBytes.lowerBound)..<\(chunkBytes.upperBound)"
                )
            }
            let start = Int(location.offset)
            previousEnd = start + Int(location.compressedPageSize)
            let rows = Int(firstRow)..<Int(endRow)
            var statistics: ParquetColumnStatistics?
            var isAllNull = false
            var nanCount: Int?
            if let columnIndex {
                isAllNull = columnIndex.nullPages[position]
                let nullCount = columnIndex.nullCounts.flatMap { Int(exactly: $0[position]) }
                statistics = ParquetColumnStatistics(
                    min: isAllNull
                        ? nil : ParquetColumnStatistics.decode(columnIndex.minValues[position], column: column),
                    max: isAllNull
                        ? nil : ParquetColumnStatistics.decode(columnIndex.maxValues[position], column: column),
                    nullCount: nullCount ?? (isAllNull ? rows.count : nil), distinctCount: nil)
                nanCount = columnIndex.nanCounts.flatMap { Int(exactly: $0[position]) }
            }
            pages.append(
                Page(
                    byteRange: start..<previousEnd, rows: rows, statistics: statistics, isAllNull: isAllNull,
                    nanCount: nanCount))
        }
        self.pages = pages
        hasStatistics = columnIndex != nil
    }

    /// The pages holding at least one row of `selection`.
    public func pages(holding selection: ParquetRowSelection) -> [Page] {
        pages.filter { selection.overlaps($0.rows) }
    }
}
