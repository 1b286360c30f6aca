/// The decoded footer of a Parquet file (parquet.thrift `FileMetaData` and `RowGroup`).
struct FileMetaData: Sendable {
    /// One horizontal slice of the file with one chunk per leaf column.
    struct RowGroup: Sendable {
        var columns: [ColumnChunkMetaData] = []
        var rowCount: Int64 = 0
        var totalByteSize: Int64 = 0
        /// Where the row group's first page starts.
        var fileOffset: Int64?
        var totalCompressedSize: Int64?
        /// The row group's position in the file.
        var ordinal: Int16?
    }

    var version: Int32 = 0
    var schema: [SchemaElement] = []
    var rowCount: Int64 = 0
    var rowGroups: [RowGroup] = []
    var keyValueMetadata: [(key: String, value: String?)] = []
    var createdBy: String?
    /// True when the file declares footer encryption, which this reader does not handle.
    var isEncrypted = false

    static func decode(_ reader: inout ThriftCompactReader) throws -> FileMetaData {
        var metadata = FileMetaData()
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: metadata.version = try reader.readInt32(field.type)
            case 2: metadata.schema = try reader.readList(field.type) { try SchemaElement.decode(&$0) }
            case 3: metadata.rowCount = try reader.readInt64(field.type)
            case 4: metadata.rowGroups = try reader.readList(field.type) { try decodeRowGroup(&$0) }
            case 5: metadata.keyValueMetadata = try reader.readList(field.type) { try decodeKeyValue(&$0) }
            case 6: metadata.createdBy = try reader.readString(field.type)
            case 8:
                metadata.isEncrypted = true
                try reader.skip(field.type)
            default: try reader.skip(field.type)
            }
        }
        guard !metadata.schema.isEmpty else { throw ParquetFormatError("footer has no schema") }
        return metadata
    }

    private static func decodeRowGroup(_ reader: inout ThriftCompactReader) throws -> RowGroup {
        var rowGroup = RowGroup()
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: rowGroup.columns = try reader.readList(field.type) { try ColumnChunkMetaData.decode(&$0) }
            case 2: rowGroup.totalByteSize = try reader.readInt64(field.type)
            case 3: rowGroup.rowCount = try reader.readInt64(field.type)
            case 5: rowGroup.fileOffset = try reader.readInt64(field.type)
            case 6: rowGroup.totalCompressedSize = try reader.readInt64(field.type)
            case 7: rowGroup.ordinal = Int16(truncatingIfNeeded: try reader.readInt64(field.type))
            default: try reader.skip(field.type)
            }
        }
        guard rowGroup.rowCount >= 0, rowGroup.rowCount <= Int64(Int32.max) else {
            throw ParquetFormatError("row group has an invalid row count \(rowGroup.rowCount)")
        }
        return rowGroup
    }

    private static func decodeKeyValue(_ reader: inout ThriftCompactReader) throws -> (key: String, value: String?) {
        var key = ""
        var value: String?
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: key = try reader.readString(field.type)
            case 2: value = try reader.readString(field.type)
            default: try reader.skip(field.type)
            }
        }
        return (key, value)
    }
}
