/// Where one column's pages sit in one row group and how they are compressed
/// (parquet.thrift `ColumnChunk` with its `ColumnMetaData`).
struct ColumnChunkMetaData: Sendable {
    var physicalType: ParquetPhysicalType?
    /// Every encoding the chunk's pages use (raw `ParquetEncoding` values).
    var encodings: [Int32] = []
    var pathInSchema: [String] = []
    /// The raw codec number, kept so an unknown codec can be named in the error.
    var codec: Int32 = 0
    var valueCount: Int64 = 0
    var totalUncompressedSize: Int64 = 0
    var totalCompressedSize: Int64 = 0
    var dataPageOffset: Int64 = 0
    var dictionaryPageOffset: Int64?
    var statistics: StatisticsMetaData?
    /// How many pages of each type use each encoding, when the writer recorded it.
    var encodingStats: [PageEncodingStats]?
    /// Set when the chunk's data lives in another file (summary files); this reader refuses those.
    var filePath: String?
    /// Where the chunk's `OffsetIndex` and `ColumnIndex` (its page index) are stored, when it has one.
    var offsetIndexOffset: Int64?
    var offsetIndexLength: Int32?
    var columnIndexOffset: Int64?
    var columnIndexLength: Int32?

    /// How many of a chunk's pages of one type use one encoding (parquet.thrift `PageEncodingStats`).
    struct PageEncodingStats: Sendable, Equatable {
        var pageType: Int32
        var encoding: Int32
        var count: Int32
    }

    /// The byte range of the chunk's pages in the file: from the dictionary page if there is one.
    func byteRange() throws -> Range<Int> {
        var start = dataPageOffset
        // Some writers record 0 for "no dictionary"; only an offset before the data pages counts.
        if let dictionaryPageOffset, dictionaryPageOffset > 0, dictionaryPageOffset < dataPageOffset {
            start = dictionaryPageOffset
        }
        let (end, overflow) = start.addingReportingOverflow(totalCompressedSize)
        guard start >= 0, totalCompressedSize >= 0, !overflow, let lower = Int(exactly: start),
            let upper = Int(exactly: end)
        else { throw ParquetFormatError("column chunk has an invalid byte range") }
        return lower..<upper
    }

    /// The byte range of the chunk's `OffsetIndex`, nil when it has none.
    func offsetIndexRange(fileSize: Int) throws -> Range<Int>? {
        try Self.indexRange(offsetIndexOffset, offsetIndexLength, fileSize: fileSize, "offset index")
    }

    /// The byte range of the chunk's `ColumnIndex`, nil when it has none.
    func columnIndexRange(fileSize: Int) throws -> Range<Int>? {
        try Self.indexRange(columnIndexOffset, columnIndexLength, fileSize: fileSize, "column index")
    }

    private static func indexRange(_ offset: Int64?, _ length: Int32?, fileSize: Int, _ what: String) throws
        -> Range<Int>?
    {
        guard let offset, let length else { return nil }
        guard offset >= 0, length > 0, let start = Int(exactly: offset), start <= fileSize - Int(length) else {
            throw ParquetFormatError(
                "\(what) of \(length) bytes at \(offset) lies outside the file (\(fileSize) bytes)")
        }
        return start..<(start + Int(length))
    }

    /// The byte range of the dictionary page (with its header), when the footer places one before
    /// the data pages.
    var dictionaryPageRange: Range<Int>? {
        guard let dictionaryPageOffset, dictionaryPageOffset > 0, dictionaryPageOffset < dataPageOffset,
            let start = Int(exactly: dictionaryPageOffset), let end = Int(exactly: dataPageOffset)
        else { return nil }
        return start..<end
    }

    /// True when every data page holds dictionary indices, so the dictionary page lists every value
    /// of the chunk. Decided from `encoding_stats` when the writer recorded them; otherwise from the
    /// encodings list, which must name a dictionary encoding and besides it only level encodings
    /// (a PLAIN there may be a page that fell back, so it rules the chunk out).
    var isEntirelyDictionaryEncoded: Bool {
        let dictionaryEncodings: Set<Int32> = [
            ParquetEncoding.plainDictionary.rawValue, ParquetEncoding.rleDictionary.rawValue,
        ]
        guard dictionaryPageRange != nil else { return false }
        if let encodingStats {
            let dataPageTypes: Set<Int32> = [ParquetPageType.dataPage.rawValue, ParquetPageType.dataPageV2.rawValue]
            let dataPages = encodingStats.filter { dataPageTypes.contains($0.pageType) && $0.count > 0 }
            return !dataPages.isEmpty && dataPages.allSatisfy { dictionaryEncodings.contains($0.encoding) }
        }
        let used = Set(encodings)
        let levelEncodings: Set<Int32> = [ParquetEncoding.rle.rawValue, ParquetEncoding.bitPacked.rawValue]
        return !used.isDisjoint(with: dictionaryEncodings)
            && used.isSubset(of: dictionaryEncodings.union(levelEncodings))
    }

    static func decode(_ reader: inout ThriftCompactReader) throws -> ColumnChunkMetaData {
        var chunk = ColumnChunkMetaData()
        var hasMetaData = false
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: chunk.filePath = try reader.readString(field.type)
            case 3:
                guard field.type == .structure else { throw ParquetFormatError("column metadata is not a struct") }
                try decodeColumnMetaData(&reader, into: &chunk)
                hasMetaData = true
            case 4: chunk.offsetIndexOffset = try reader.readInt64(field.type)
            case 5: chunk.offsetIndexLength = try reader.readInt32(field.type)
            case 6: chunk.columnIndexOffset = try reader.readInt64(field.type)
            case 7: chunk.columnIndexLength = try reader.readInt32(field.type)
            default: try reader.skip(field.type)
            }
        }
        guard hasMetaData else { throw ParquetFormatError("column chunk without metadata") }
        return chunk
    }

    private static func decodeColumnMetaData(_ reader: inout ThriftCompactReader, into chunk: inout ColumnChunkMetaData)
        throws
    {
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: chunk.physicalType = try reader.readEnum(field.type, as: ParquetPhysicalType.self)
            case 2:
                let (count, elementType) = try reader.beginList(field.type)
                chunk.encodings = try (0..<count).map { _ in try reader.readInt32(elementType) }
            case 3: chunk.pathInSchema = try reader.readStringList(field.type)
            case 4: chunk.codec = try reader.readInt32(field.type)
            case 5: chunk.valueCount = try reader.readInt64(field.type)
            case 6: chunk.totalUncompressedSize = try reader.readInt64(field.type)
            case 7: chunk.totalCompressedSize = try reader.readInt64(field.type)
            case 9: chunk.dataPageOffset = try reader.readInt64(field.type)
            case 11: chunk.dictionaryPageOffset = try reader.readInt64(field.type)
            case 12:
                guard field.type == .structure else { throw ParquetFormatError("statistics are not a struct") }
                chunk.statistics = try StatisticsMetaData.decode(&reader)
            case 13: chunk.encodingStats = try reader.readList(field.type) { try decodeEncodingStats(&$0) }
            default: try reader.skip(field.type)
            }
        }
    }

    private static func decodeEncodingStats(_ reader: inout ThriftCompactReader) throws -> PageEncodingStats {
        var stats = PageEncodingStats(pageType: -1, encoding: -1, count: 0)
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: stats.pageType = try reader.readInt32(field.type)
            case 2: stats.encoding = try reader.readInt32(field.type)
            case 3: stats.count = try reader.readInt32(field.type)
            default: try reader.skip(field.type)
            }
        }
        return stats
    }
}
