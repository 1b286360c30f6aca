/// The header in front of every page of a column chunk (parquet.thrift `PageHeader` with its
/// data page v1/v2 and dictionary page headers).
struct PageHeader: Sendable {
    /// What follows the header; unknown page types are skipped by size.
    enum Kind: Sendable {
        case data(valueCount: Int, encoding: Int32, definitionLevelEncoding: Int32)
        case dataV2(
            valueCount: Int, nullCount: Int, rowCount: Int, encoding: Int32,
            definitionLevelsByteLength: Int, repetitionLevelsByteLength: Int, isCompressed: Bool)
        case dictionary(valueCount: Int, encoding: Int32)
        case other
    }

    var kind: Kind = .other
    var uncompressedSize = 0
    var compressedSize = 0

    static func decode(_ reader: inout ThriftCompactReader) throws -> PageHeader {
        var header = PageHeader()
        var pageType: Int32?
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: pageType = try reader.readInt32(field.type)
            case 2: header.uncompressedSize = try nonNegative(reader.readInt32(field.type), "uncompressed page size")
            case 3: header.compressedSize = try nonNegative(reader.readInt32(field.type), "compressed page size")
            case 5 where pageType == ParquetPageType.dataPage.rawValue:
                header.kind = try decodeDataPage(&reader, field.type)
            case 7 where pageType == ParquetPageType.dictionaryPage.rawValue:
                header.kind = try decodeDictionaryPage(&reader, field.type)
            case 8 where pageType == ParquetPageType.dataPageV2.rawValue:
                header.kind = try decodeDataPageV2(&reader, field.type)
            default: try reader.skip(field.type)
            }
        }
        guard pageType != nil else { throw ParquetFormatError("page header without a page type") }
        return header
    }

    private static func decodeDataPage(_ reader: inout ThriftCompactReader, _ type: ThriftCompactReader.WireType) throws
        -> Kind
    {
        guard type == .structure else { throw ParquetFormatError("data page header is not a struct") }
        var valueCount: Int?
        var encoding: Int32?
        var definitionLevelEncoding = ParquetEncoding.rle.rawValue
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: valueCount = try nonNegative(reader.readInt32(field.type), "page value count")
            case 2: encoding = try reader.readInt32(field.type)
            case 3: definitionLevelEncoding = try reader.readInt32(field.type)
            default: try reader.skip(field.type)
            }
        }
        guard let valueCount, let encoding else { throw ParquetFormatError("data page header misses required fields") }
        return .data(valueCount: valueCount, encoding: encoding, definitionLevelEncoding: definitionLevelEncoding)
    }

    private static func decodeDataPageV2(_ reader: inout ThriftCompactReader, _ type: ThriftCompactReader.WireType)
        throws -> Kind
    {
        guard type == .structure else { throw ParquetFormatError("data page v2 header is not a struct") }
        var valueCount: Int?
        var nullCount = 0
        var rowCount = 0
        var encoding: Int32?
        var definitionLength = 0
        var repetitionLength = 0
        var isCompressed = true
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: valueCount = try nonNegative(reader.readInt32(field.type), "page value count")
            case 2: nullCount = try nonNegative(reader.readInt32(field.type), "page null count")
            case 3: rowCount = try nonNegative(reader.readInt32(field.type), "page row count")
            case 4: encoding = try reader.readInt32(field.type)
            case 5: definitionLength = try nonNegative(reader.readInt32(field.type), "definition levels length")
            case 6: repetitionLength = try nonNegative(reader.readInt32(field.type), "repetition levels length")
            case 7: isCompressed = try reader.readBool(field.type)
            default: try reader.skip(field.type)
            }
        }
        guard let valueCount, let encoding else {
            throw ParquetFormatError("data page v2 header misses required fields")
        }
        return .dataV2(
            valueCount: valueCount, nullCount: nullCount, rowCount: rowCount, encoding: encoding,
            definitionLevelsByteLength: definitionLength, repetitionLevelsByteLength: repetitionLength,
            isCompressed: isCompressed)
    }

    private static func decodeDictionaryPage(_ reader: inout ThriftCompactReader, _ type: ThriftCompactReader.WireType)
        throws -> Kind
    {
        guard type == .structure else { throw ParquetFormatError("dictionary page header is not a struct") }
        var valueCount: Int?
        var encoding = ParquetEncoding.plain.rawValue
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: valueCount = try nonNegative(reader.readInt32(field.type), "dictionary value count")
            case 2: encoding = try reader.readInt32(field.type)
            default: try reader.skip(field.type)
            }
        }
        guard let valueCount else { throw ParquetFormatError("dictionary page header without a value count") }
        return .dictionary(valueCount: valueCount, encoding: encoding)
    }

    private static func nonNegative(_ value: Int32, _ what: String) throws -> Int {
        guard value >= 0 else { throw ParquetFormatError("negative \(what) \(value)") }
        return Int(value)
    }
}
