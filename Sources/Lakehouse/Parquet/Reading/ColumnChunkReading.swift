import Engine

/// Decodes one column chunk's bytes into an engine `Column`: picks the sink for the physical type
/// once, runs the page loop into a preallocated array, then applies the column's conversion.
///
/// `chunk` holds the pages to decode (see `ColumnChunkDecoder`) and `rowCount` the rows they hold;
/// the data pages decoded are added to `counters`.
enum ColumnChunkReading {
    static func read(
        _ chunk: UnsafeRawBufferPointer, column: ParquetColumn, codec: Int32, rowCount: Int, uncompressedSize: Int,
        dictionaryOnly: Bool = false, counters: ParquetReadCounters? = nil
    ) throws -> Column {
        guard let type = column.dataType else {
            throw LakehouseError.unsupported(
                column.unsupportedReason ?? "Parquet column \"\(column.name)\" cannot be read")
        }
        guard rowCount > 0 else {
            return Column(type: type, count: 0, validity: nil, storage: try emptyStorage(column))
        }
        let decoder = ColumnChunkDecoder(
            column: column, codec: codec, rowCount: rowCount, dictionaryOnly: dictionaryOnly)
        defer { counters.add { $0.pagesRead += decoder.dataPagesDecoded } }
        var validity: ValidityBitmap?
        let storage: Column.Storage
        switch column.physicalType {
        case .boolean:
            let values = try [UInt8](unsafeUninitializedCapacity: rowCount) { buffer, initialized in
                var sink = BooleanValueSink(output: buffer.baseAddress!)
                validity = try decoder.decode(chunk, into: &sink)
                initialized = rowCount
            }
            storage = .bool(values)
        case .int32:
            let values = try decodeFixedWidth(Int32.self, chunk, decoder: decoder, validity: &validity)
            storage = try column.conversion.apply(int32: values)
        case .int64:
            let values = try decodeFixedWidth(Int64.self, chunk, decoder: decoder, validity: &validity)
            storage = try column.conversion.apply(int64: values)
        case .float:
            storage = .float32(try decodeFixedWidth(Float.self, chunk, decoder: decoder, validity: &validity))
        case .double:
            storage = .float64(try decodeFixedWidth(Double.self, chunk, decoder: decoder, validity: &validity))
        case .int96, .fixedLenByteArray:
            let width = column.typeLength
            let values = try [UInt8](unsafeUninitializedCapacity: rowCount * width) { buffer, initialized in
                var sink = FixedBytesValueSink(output: buffer.baseAddress!, width: width)
                validity = try decoder.decode(chunk, into: &sink)
                initialized = rowCount * width
            }
            storage = try column.conversion.apply(fixed: values, width: width, count: rowCount, validity: validity)
        case .byteArray:
            var data: [UInt8] = []
            let offsets = try [Int32](unsafeUninitializedCapacity: rowCount + 1) { buffer, initialized in
                // The uncompressed chunk bounds PLAIN data; lying metadata only costs a regrowth.
                let capacity = min(max(uncompressedSize, 0), 1 << 28)
                var sink = ByteArrayValueSink(offsets: buffer.baseAddress!, capacity: capacity)
                validity = try decoder.decode(chunk, into: &sink)
                data = sink.finishData()
                initialized = rowCount + 1
            }
            storage = try column.conversion.apply(offsets: offsets, data: data)
        }
        return Column(type: type, count: rowCount, validity: validity, storage: storage)
    }

    private static func decodeFixedWidth<Value: ParquetFixedWidthValue>(
        _: Value.Type, _ chunk: UnsafeRawBufferPointer, decoder: ColumnChunkDecoder, validity: inout ValidityBitmap?
    ) throws -> [Value] {
        try [Value](unsafeUninitializedCapacity: decoder.rowCount) { buffer, initialized in
            var sink = FixedWidthValueSink(output: buffer.baseAddress!)
            validity = try decoder.decode(chunk, into: &sink)
            initialized = decoder.rowCount
        }
    }

    /// Zero rows of the column's storage, through the same conversions as real data.
    private static func emptyStorage(_ column: ParquetColumn) throws -> Column.Storage {
        switch column.physicalType {
        case .boolean: return .bool([])
        case .int32: return try column.conversion.apply(int32: [])
        case .int64: return try column.conversion.apply(int64: [])
        case .float: return .float32([])
        case .double: return .float64([])
        case .int96, .fixedLenByteArray:
            return try column.conversion.apply(fixed: [], width: column.typeLength, count: 0, validity: nil)
        case .byteArray: return try column.conversion.apply(offsets: [0], data: [])
        }
    }
}
