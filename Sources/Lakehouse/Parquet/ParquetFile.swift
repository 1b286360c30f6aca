import Engine

/// An opened Parquet file: its footer decoded, its schema mapped to Weir types, ready for
/// `ParquetRowGroupReader` to read column chunks from.
///
/// Opening reads only the tail of the object (one range request when the footer is under 64 KiB,
/// two otherwise). `init(location:fileSize:tail:)` is the sans-I/O form for callers that already
/// hold the bytes.
public struct ParquetFile: Sendable {
    /// The object's location, as named in every error.
    public let location: String
    public let fileSize: Int
    public let schema: ParquetSchema
    /// Rows in the whole file.
    public let rowCount: Int
    /// Rows per row group, in file order.
    public let rowGroupRowCounts: [Int]
    /// The `created_by` string of the writer, when recorded.
    public let createdBy: String?
    let metadata: FileMetaData

    static let magic: [UInt8] = Array("PAR1".utf8)
    /// How much of the tail `open` reads first, hoping the footer fits in it.
    static let speculativeTailLength = 64 * 1024

    /// Reads and decodes the footer of the Parquet object at `location`.
    public static func open(_ location: String, in store: some ObjectStore) async throws -> ParquetFile {
        let fileSize = try await store.size(of: location)
        let minimumSize = 12
        guard fileSize >= minimumSize else {
            throw LakehouseError.corrupt(location, "file is \(fileSize) bytes, too short to be Parquet")
        }
        var tailLength = min(fileSize, speculativeTailLength)
        var tail = try await store.read(location, range: fileSize - tailLength..<fileSize)
        let footerLength = try footerLength(tail: tail, location: location, fileSize: fileSize)
        if footerLength + 8 > tailLength {
            tailLength = footerLength + 8
            tail = try await store.read(location, range: fileSize - tailLength..<fileSize)
        }
        return try ParquetFile(location: location, fileSize: fileSize, tail: tail)
    }

    /// The footer's length from the last eight bytes of the file (length + magic), checked against
    /// the file size. `tail` is any suffix of the file at least eight bytes long.
    public static func footerLength(tail: [UInt8], location: String, fileSize: Int) throws -> Int {
        guard tail.count >= 8, fileSize >= 12 else {
            throw LakehouseError.corrupt(location, "file is too short to be Parquet")
        }
        let trailer = Array(tail[(tail.count - 4)...])
        if trailer == Array("PARE".utf8) {
            throw LakehouseError.unsupported("encrypted Parquet footers are not supported (\"\(location)\")")
        }
        guard trailer == magic else {
            throw LakehouseError.corrupt(location, "not a Parquet file (bad magic at the end)")
        }
        let lengthBytes = tail[(tail.count - 8)..<(tail.count - 4)]
        let length = lengthBytes.reversed().reduce(0) { $0 << 8 | Int($1) }
        guard length > 0, length <= fileSize - 12 else {
            throw LakehouseError.corrupt(
                location, "footer length \(length) does not fit in a file of \(fileSize) bytes")
        }
        return length
    }

    /// Decodes the footer from `tail`, a suffix of the file holding the whole footer and trailer.
    public init(location: String, fileSize: Int, tail: [UInt8]) throws {
        let footerLength = try Self.footerLength(tail: tail, location: location, fileSize: fileSize)
        guard tail.count >= footerLength + 8 else {
            throw LakehouseError.corrupt(
                location, "footer of \(footerLength) bytes is not in the \(tail.count) bytes read")
        }
        let footerStart = tail.count - 8 - footerLength
        do {
            let metadata = try tail.withUnsafeBytes { bytes in
                var reader = ThriftCompactReader(
                    UnsafeRawBufferPointer(rebasing: bytes[footerStart..<(tail.count - 8)]))
                return try FileMetaData.decode(&reader)
            }
            if metadata.isEncrypted {
                throw LakehouseError.unsupported("encrypted Parquet files are not supported (\"\(location)\")")
            }
            let schema = try ParquetSchema(metadata.schema)
            try Self.validate(metadata, schema: schema)
            self.metadata = metadata
            self.schema = schema
        } catch let error as ParquetFormatError {
            throw LakehouseError.corrupt(location, "invalid footer: \(error.problem)")
        }
        self.location = location
        self.fileSize = fileSize
        self.rowCount = Int(metadata.rowCount)
        self.rowGroupRowCounts = metadata.rowGroups.map { Int($0.rowCount) }
        self.createdBy = metadata.createdBy
    }

    /// Row groups must have one chunk per leaf, of the leaf's physical type.
    private static func validate(_ metadata: FileMetaData, schema: ParquetSchema) throws {
        guard metadata.rowCount >= 0 else { throw ParquetFormatError("negative row count") }
        for (groupIndex, group) in metadata.rowGroups.enumerated() {
            guard group.columns.count == schema.columns.count else {
                throw ParquetFormatError(
                    "row group \(groupIndex) has \(group.columns.count) column chunks for \(schema.columns.count) columns"
                )
            }
            for (chunk, column) in zip(group.columns, schema.columns) where chunk.physicalType != column.physicalType {
                throw ParquetFormatError(
                    "column chunk of \"\(column.name)\" in row group \(groupIndex) has another physical type")
            }
        }
    }

    /// How many row groups the file has.
    public var rowGroupCount: Int { metadata.rowGroups.count }

    /// The min/max bounds and null count the writer recorded for `column` in row group `rowGroup`,
    /// decoded to Weir values; `nil` when the index is out of range or the column has no statistics.
    public func statistics(rowGroup: Int, column: Int) -> ParquetColumnStatistics? {
        guard let stored = chunk(rowGroup: rowGroup, column: column)?.statistics else { return nil }
        return ParquetColumnStatistics(stored, column: schema.columns[column])
    }

    /// Whether the chunk of `column` in row group `rowGroup` has an offset index and a column
    /// index (the page index `ParquetRowGroupReader.pageIndexes` reads).
    public func pageIndexPresence(rowGroup: Int, column: Int) -> (offsetIndex: Bool, columnIndex: Bool) {
        guard let chunk = chunk(rowGroup: rowGroup, column: column) else { return (false, false) }
        let hasOffsetIndex = chunk.offsetIndexOffset != nil && chunk.offsetIndexLength != nil
        return (hasOffsetIndex, hasOffsetIndex && chunk.columnIndexOffset != nil && chunk.columnIndexLength != nil)
    }

    /// The compressed bytes of the dictionary page (header included) of `column` in row group
    /// `rowGroup` and of its whole chunk, when every data page of the chunk holds dictionary
    /// indices, so the dictionary lists every value the chunk has; nil otherwise. From the footer
    /// (the chunk's encoding stats, or else its encodings) alone.
    public func dictionaryPageSize(rowGroup: Int, column: Int) -> (dictionaryBytes: Int, chunkBytes: Int)? {
        guard let chunk = chunk(rowGroup: rowGroup, column: column), chunk.isEntirelyDictionaryEncoded,
            let range = chunk.dictionaryPageRange
        else { return nil }
        return (range.count, Int(clamping: chunk.totalCompressedSize))
    }

    private func chunk(rowGroup: Int, column: Int) -> ColumnChunkMetaData? {
        guard metadata.rowGroups.indices.contains(rowGroup), schema.columns.indices.contains(column) else { return nil }
        return metadata.rowGroups[rowGroup].columns[column]
    }
}
