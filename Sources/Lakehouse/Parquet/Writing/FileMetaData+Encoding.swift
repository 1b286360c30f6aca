/// The footer structs written back as Thrift compact bytes, field ids as in parquet.thrift (the
/// same ones their `decode` methods read).
extension FileMetaData {
    /// The footer, with a type-defined column order for every leaf so readers trust `min_value`
    /// and `max_value` in the statistics.
    func encoded() -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        writer.field(1, i32: version)
        writer.listField(2, count: schema.count, of: .structure)
        for element in schema { element.encode(&writer) }
        writer.field(3, i64: rowCount)
        writer.listField(4, count: rowGroups.count, of: .structure)
        for rowGroup in rowGroups { rowGroup.encode(&writer) }
        if !keyValueMetadata.isEmpty {
            writer.listField(5, count: keyValueMetadata.count, of: .structure)
            for (key, value) in keyValueMetadata {
                writer.beginStruct()
                writer.field(1, string: key)
                if let value { writer.field(2, string: value) }
                writer.endStruct()
            }
        }
        if let createdBy { writer.field(6, string: createdBy) }
        let leafCount = schema.filter { $0.type != nil }.count
        writer.listField(7, count: leafCount, of: .structure)
        for _ in 0..<leafCount {
            writer.beginStruct()
            writer.structField(1)  // TYPE_ORDER: an empty TypeDefinedOrder
            writer.endStruct()
            writer.endStruct()
        }
        writer.endStruct()
        return writer.bytes
    }
}

extension FileMetaData.RowGroup {
    func encode(_ writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.listField(1, count: columns.count, of: .structure)
        for column in columns { column.encode(&writer) }
        writer.field(2, i64: totalByteSize)
        writer.field(3, i64: rowCount)
        if let fileOffset { writer.field(5, i64: fileOffset) }
        if let totalCompressedSize { writer.field(6, i64: totalCompressedSize) }
        if let ordinal { writer.field(7, i16: ordinal) }
        writer.endStruct()
    }
}

extension ColumnChunkMetaData {
    /// A `ColumnChunk` with its `ColumnMetaData`. The deprecated `file_offset` is 0, as the format
    /// now asks of writers that keep all metadata in the footer.
    func encode(_ writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        if let filePath { writer.field(1, string: filePath) }
        writer.field(2, i64: 0)
        writer.structField(3)
        writer.field(1, i32: (physicalType ?? .byteArray).rawValue)
        writer.listField(2, count: encodings.count, of: .i32)
        for encoding in encodings { writer.element(i32: encoding) }
        writer.listField(3, count: pathInSchema.count, of: .binary)
        for name in pathInSchema { writer.element(string: name) }
        writer.field(4, i32: codec)
        writer.field(5, i64: valueCount)
        writer.field(6, i64: totalUncompressedSize)
        writer.field(7, i64: totalCompressedSize)
        writer.field(9, i64: dataPageOffset)
        if let dictionaryPageOffset { writer.field(11, i64: dictionaryPageOffset) }
        if let statistics {
            writer.structField(12)
            statistics.encodeFields(&writer)
            writer.endStruct()
        }
        if let encodingStats {
            writer.listField(13, count: encodingStats.count, of: .structure)
            for stats in encodingStats {
                writer.beginStruct()
                writer.field(1, i32: stats.pageType)
                writer.field(2, i32: stats.encoding)
                writer.field(3, i32: stats.count)
                writer.endStruct()
            }
        }
        writer.endStruct()
        if let offsetIndexOffset, let offsetIndexLength {
            writer.field(4, i64: offsetIndexOffset)
            writer.field(5, i32: offsetIndexLength)
        }
        if let columnIndexOffset, let columnIndexLength {
            writer.field(6, i64: columnIndexOffset)
            writer.field(7, i32: columnIndexLength)
        }
        writer.endStruct()
    }
}

extension StatisticsMetaData {
    func encodeFields(_ writer: inout ThriftCompactWriter) {
        if let legacyMax { writer.field(1, binary: legacyMax) }
        if let legacyMin { writer.field(2, binary: legacyMin) }
        if let nullCount { writer.field(3, i64: nullCount) }
        if let distinctCount { writer.field(4, i64: distinctCount) }
        if let maxValue { writer.field(5, binary: maxValue) }
        if let minValue { writer.field(6, binary: minValue) }
    }
}

extension SchemaElement {
    func encode(_ writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        if let type { writer.field(1, i32: type.rawValue) }
        if let typeLength { writer.field(2, i32: Int32(typeLength)) }
        if let repetition { writer.field(3, i32: repetition.rawValue) }
        writer.field(4, string: name)
        if let numChildren { writer.field(5, i32: Int32(numChildren)) }
        if let convertedType { writer.field(6, i32: convertedType.rawValue) }
        if let scale { writer.field(7, i32: Int32(scale)) }
        if let precision { writer.field(8, i32: Int32(precision)) }
        if let fieldID { writer.field(9, i32: Int32(truncatingIfNeeded: fieldID)) }
        if let logicalType {
            writer.structField(10)
            logicalType.encodeMember(&writer)
            writer.endStruct()
        }
        writer.endStruct()
    }
}

extension ParquetLogicalType {
    /// Writes the one member of the `LogicalType` union this value stands for.
    func encodeMember(_ writer: inout ThriftCompactWriter) {
        switch self {
        case .string: writer.emptyStruct(1)
        case .map: writer.emptyStruct(2)
        case .list: writer.emptyStruct(3)
        case .enumeration: writer.emptyStruct(4)
        case .decimal(let precision, let scale):
            writer.structField(5)
            writer.field(1, i32: Int32(scale))
            writer.field(2, i32: Int32(precision))
            writer.endStruct()
        case .date: writer.emptyStruct(6)
        case .time(let isAdjustedToUTC, let unit): Self.encodeTimeLike(7, isAdjustedToUTC, unit, &writer)
        case .timestamp(let isAdjustedToUTC, let unit): Self.encodeTimeLike(8, isAdjustedToUTC, unit, &writer)
        case .integer(let bitWidth, let isSigned):
            writer.structField(10)
            writer.field(1, i8: Int8(truncatingIfNeeded: bitWidth))
            writer.field(2, bool: isSigned)
            writer.endStruct()
        case .unknown: writer.emptyStruct(11)
        case .json: writer.emptyStruct(12)
        case .bson: writer.emptyStruct(13)
        case .uuid: writer.emptyStruct(14)
        case .float16: writer.emptyStruct(15)
        case .unsupported(let fieldID): writer.emptyStruct(fieldID)
        }
    }

    private static func encodeTimeLike(
        _ id: Int16, _ isAdjustedToUTC: Bool, _ unit: TimeUnit, _ writer: inout ThriftCompactWriter
    ) {
        writer.structField(id)
        writer.field(1, bool: isAdjustedToUTC)
        writer.structField(2)
        switch unit {
        case .millis: writer.emptyStruct(1)
        case .micros: writer.emptyStruct(2)
        case .nanos: writer.emptyStruct(3)
        }
        writer.endStruct()
        writer.endStruct()
    }
}
