/// Where one data page of a column chunk starts and which rows it holds (parquet.thrift
/// `PageLocation`).
struct PageLocation: Sendable, Equatable {
    var offset: Int64
    /// Bytes of the page in the file, its header included.
    var compressedPageSize: Int32
    /// The page's first row, counted from the start of the row group.
    var firstRowIndex: Int64
}

/// The data pages of a column chunk in file order (parquet.thrift `OffsetIndex`): the half of the
/// page index that lets a reader fetch and decode only the pages holding the rows it wants.
struct OffsetIndexMetaData: Sendable, Equatable {
    var pageLocations: [PageLocation] = []

    static func decode(_ reader: inout ThriftCompactReader) throws -> OffsetIndexMetaData {
        var index = OffsetIndexMetaData()
        var hasLocations = false
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1:
                index.pageLocations = try reader.readList(field.type) { try decodeLocation(&$0) }
                hasLocations = true
            default: try reader.skip(field.type)
            }
        }
        guard hasLocations else { throw ParquetFormatError("offset index without page locations") }
        return index
    }

    private static func decodeLocation(_ reader: inout ThriftCompactReader) throws -> PageLocation {
        var offset: Int64?
        var size: Int32?
        var firstRow: Int64?
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: offset = try reader.readInt64(field.type)
            case 2: size = try reader.readInt32(field.type)
            case 3: firstRow = try reader.readInt64(field.type)
            default: try reader.skip(field.type)
            }
        }
        guard let offset, let size, let firstRow else {
            throw ParquetFormatError("page location misses required fields")
        }
        return PageLocation(offset: offset, compressedPageSize: size, firstRowIndex: firstRow)
    }
}

/// Bounds and NULL counts of each data page of a column chunk (parquet.thrift `ColumnIndex`):
/// entry `i` of every list describes page `i` of the chunk's `OffsetIndex`. Bounds are
/// PLAIN-encoded like chunk statistics; a page of NULLs only has `nullPages[i]` set and empty bounds.
struct ColumnIndexMetaData: Sendable, Equatable {
    var nullPages: [Bool] = []
    var minValues: [[UInt8]] = []
    var maxValues: [[UInt8]] = []
    var boundaryOrder: ParquetBoundaryOrder = .unordered
    /// NULLs per page; nil when the writer left them out (which does not mean none).
    var nullCounts: [Int64]?
    /// NaNs per page of a floating-point column; nil when the writer left them out.
    var nanCounts: [Int64]?

    static func decode(_ reader: inout ThriftCompactReader) throws -> ColumnIndexMetaData {
        var index = ColumnIndexMetaData()
        var seen: Set<Int16> = []
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: index.nullPages = try reader.readBoolList(field.type)
            case 2: index.minValues = try reader.readBinaryList(field.type)
            case 3: index.maxValues = try reader.readBinaryList(field.type)
            // An order this reader does not know is treated as no order at all.
            case 4: index.boundaryOrder = try reader.readEnum(field.type, as: ParquetBoundaryOrder.self) ?? .unordered
            case 5: index.nullCounts = try reader.readInt64List(field.type)
            case 8: index.nanCounts = try reader.readInt64List(field.type)
            default: try reader.skip(field.type)
            }
            seen.insert(field.id)
        }
        guard seen.isSuperset(of: [1, 2, 3, 4]) else { throw ParquetFormatError("column index misses required fields") }
        let pages = index.nullPages.count
        guard index.minValues.count == pages, index.maxValues.count == pages, index.nullCounts?.count ?? pages == pages,
            index.nanCounts?.count ?? pages == pages
        else { throw ParquetFormatError("column index lists differ in length") }
        return index
    }
}
