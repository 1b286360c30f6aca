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
    /// Set when the chunk's data lives in another file (summary files); this reader refuses those.
    var filePath: String?

    /// The byte range of the chunk's pages in the file: from the dictionary page if there is one.
    func byteRange() throws -> Range<Int> {
        var start = dataPageOffset
        // Some writers record 0 for "no dictionary"; only an offset before the data pages counts.
        if let dictionaryPageOffset, dictionaryPageOffset > 0, dictionaryPageOffset < dataPageOffset {
            start = dictionaryPageOffset
        }
        let (end, overflow) = start.addingReportingOverflow(totalCompressedSize)
        guard start >= 0, totalCompressedSize >= 0, !overflow, let lower = Int(exactly: start), let upper = Int(exactly: end)
        else { throw ParquetFormatError("column chunk has an invalid byte range") }
        return lower..<upper
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
            default: try reader.skip(field.type)
            }
        }
        guard hasMetaData else { throw ParquetFormatError("column chunk without metadata") }
        return chunk
    }

    private static func decodeColumnMetaData(_ reader: inout ThriftCompactReader, into chunk: inout ColumnChunkMetaData) throws {
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
            default: try reader.skip(field.type)
            }
        }
    }
}
