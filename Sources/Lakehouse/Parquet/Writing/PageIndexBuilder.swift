/// The page index of one column chunk (its `ColumnIndex` and `OffsetIndex`), as the file writer
/// stores it after the row groups.
struct ColumnChunkPageIndex {
    /// Nil when some page's bounds cannot be stated (see `PageIndexBuilder`).
    var columnIndex: ColumnIndexMetaData?
    var offsetIndex: OffsetIndexMetaData
}

/// Collects the page index of one column chunk while its data pages are cut: where each page sits,
/// its first row, its NULLs and its bounds.
///
/// The column index follows the chunk statistics' rules: bounds are the page's PLAIN min and max
/// without NaN, and a bound over `maximumBoundBytes` is left out — which, since a column index
/// needs every page's bounds, leaves out the chunk's column index (as does a page of NaN only,
/// whose bounds the format cannot state). The offset index is always written.
struct PageIndexBuilder {
    let maximumBoundBytes: Int

    private var locations: [PageLocation] = []
    private var nullPages: [Bool] = []
    private var minValues: [[UInt8]] = []
    private var maxValues: [[UInt8]] = []
    private var nullCounts: [Int64] = []
    private var boundsAreStatable = true

    init(maximumBoundBytes: Int) { self.maximumBoundBytes = maximumBoundBytes }

    /// Records a data page of `size` bytes (header included) at `offset` from the chunk's first
    /// data page, holding rows `firstRow ..< firstRow + rowCount` of which `nullCount` are NULL.
    mutating func addPage(
        offset: Int, size: Int, firstRow: Int, rowCount: Int, nullCount: Int, bounds: (min: [UInt8], max: [UInt8])?
    ) {
        locations.append(
            PageLocation(offset: Int64(offset), compressedPageSize: Int32(size), firstRowIndex: Int64(firstRow)))
        nullCounts.append(Int64(nullCount))
        if let bounds {
            if bounds.min.count > maximumBoundBytes || bounds.max.count > maximumBoundBytes {
                boundsAreStatable = false
            }
            nullPages.append(false)
            minValues.append(bounds.min)
            maxValues.append(bounds.max)
        } else {
            if nullCount < rowCount { boundsAreStatable = false }
            nullPages.append(true)
            minValues.append([])
            maxValues.append([])
        }
    }

    /// The chunk's page index, with page offsets made file offsets by adding `dataPageOffset`;
    /// `compare` orders two bounds for the boundary order. Starts the next chunk.
    mutating func finish(dataPageOffset: Int, compare: ([UInt8], [UInt8]) -> Int) -> ColumnChunkPageIndex {
        defer { self = PageIndexBuilder(maximumBoundBytes: maximumBoundBytes) }
        let offsetIndex = OffsetIndexMetaData(
            pageLocations: locations.map { location in
                var location = location
                location.offset += Int64(dataPageOffset)
                return location
            })
        guard boundsAreStatable else { return ColumnChunkPageIndex(columnIndex: nil, offsetIndex: offsetIndex) }
        let columnIndex = ColumnIndexMetaData(
            nullPages: nullPages, minValues: minValues, maxValues: maxValues, boundaryOrder: boundaryOrder(compare),
            nullCounts: nullCounts, nanCounts: nil)
        return ColumnChunkPageIndex(columnIndex: columnIndex, offsetIndex: offsetIndex)
    }

    /// Ascending when the mins and the maxes of the pages with values never decrease from page to
    /// page, descending when they never increase, else unordered.
    private func boundaryOrder(_ compare: ([UInt8], [UInt8]) -> Int) -> ParquetBoundaryOrder {
        var ascending = true
        var descending = true
        var previous: Int?
        for page in nullPages.indices where !nullPages[page] {
            if let previous {
                let minOrder = compare(minValues[previous], minValues[page])
                let maxOrder = compare(maxValues[previous], maxValues[page])
                if minOrder > 0 || maxOrder > 0 { ascending = false }
                if minOrder < 0 || maxOrder < 0 { descending = false }
            }
            previous = page
        }
        if ascending { return .ascending }
        return descending ? .descending : .unordered
    }
}
