/// The physical types a Parquet leaf column stores (parquet.thrift `Type`).
public enum ParquetPhysicalType: Int32, Sendable {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    case int96 = 3
    case float = 4
    case double = 5
    case byteArray = 6
    case fixedLenByteArray = 7
}

/// Legacy type annotations (parquet.thrift `ConvertedType`), still the only annotation older writers set.
public enum ParquetConvertedType: Int32, Sendable {
    case utf8 = 0, map, mapKeyValue, list, enumeration, decimal, date, timeMillis, timeMicros
    case timestampMillis, timestampMicros, uint8, uint16, uint32, uint64, int8, int16, int32, int64
    case json, bson, interval
}

/// Whether a schema node is required, optional or repeated.
public enum ParquetRepetition: Int32, Sendable {
    case required = 0
    case optional = 1
    case repeated = 2
    case vector = 3
}

/// Value and level encodings (parquet.thrift `Encoding`).
enum ParquetEncoding: Int32, Sendable {
    case plain = 0
    case plainDictionary = 2
    case rle = 3
    case bitPacked = 4
    case deltaBinaryPacked = 5
    case deltaLengthByteArray = 6
    case deltaByteArray = 7
    case rleDictionary = 8
    case byteStreamSplit = 9
}

/// Page compression codecs (parquet.thrift `CompressionCodec`).
enum ParquetCompressionCodec: Int32, Sendable {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case lzo = 3
    case brotli = 4
    case lz4 = 5
    case zstd = 6
    case lz4Raw = 7
}

/// Kinds of pages in a column chunk.
enum ParquetPageType: Int32, Sendable {
    case dataPage = 0
    case indexPage = 1
    case dictionaryPage = 2
    case dataPageV2 = 3
}

/// Whether a column index's page bounds are sorted (parquet.thrift `BoundaryOrder`).
enum ParquetBoundaryOrder: Int32, Sendable {
    case unordered = 0
    case ascending = 1
    case descending = 2
}

extension ThriftCompactReader {
    /// Reads an i32 enum value; values this reader does not know become `nil` rather than an error,
    /// so callers decide whether the unknown value matters.
    mutating func readEnum<E: RawRepresentable>(_ type: WireType, as: E.Type) throws -> E? where E.RawValue == Int32 {
        E(rawValue: try readInt32(type))
    }
}
