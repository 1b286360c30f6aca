import Engine
import Testing

@testable import Lakehouse
import TestSupport

/// The writer's encoders against the specification's examples and the reader's decoders.
@Suite struct ParquetWriterEncodingTests {
    func encode(_ values: [UInt32], width: Int) -> [UInt8] {
        var output = WriteBuffer()
        values.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, width: width, into: &output) }
        return output.bytes
    }

    func decode(_ bytes: [UInt8], width: Int, count: Int) throws -> [UInt32] {
        var values = [UInt32](repeating: 0, count: count)
        try bytes.withUnsafeBytes { raw in
            var decoder = try RLEHybridDecoder(raw, width: width)
            try values.withUnsafeMutableBufferPointer { try decoder.decode(count: count, into: $0.baseAddress!) }
            #expect(decoder.consumed == bytes.count)
        }
        return values
    }

    @Test func rleHybridMatchesTheSpecificationExamples() {
        // Bit-packed 0...7 at width 3 (the format's example): one group, header (1 << 1) | 1.
        #expect(encode(Array(0...7), width: 3) == [0x03, 0x88, 0xC6, 0xFA])
        // Ten repeated 1s at width 1: header 10 << 1, then the value in one byte.
        #expect(encode(Array(repeating: 1, count: 10), width: 1) == [0x14, 0x01])
        // A short tail is padded to a whole group of eight.
        #expect(encode([1, 0, 1], width: 1) == [0x03, 0x05])
        // 300 repeats need a two-byte varint header; width 9 values take two bytes.
        #expect(encode(Array(repeating: 257, count: 300), width: 9) == [0xD8, 0x04, 0x01, 0x01])
    }

    @Test(arguments: [1, 2, 3, 5, 8, 11, 16, 20, 31, 32])
    func rleHybridRoundTripsThroughTheDecoder(width: Int) throws {
        var generator = SeededGenerator(seed: UInt64(width))
        let limit = width == 32 ? UInt32.max : UInt32(1) << UInt32(width) - 1
        for length in [1, 7, 8, 9, 63, 64, 65, 1000, 4099] {
            var values: [UInt32] = []
            while values.count < length {
                let value = UInt32.random(in: 0...limit, using: &generator)
                // Runs of every length, so runs start on and off group boundaries.
                let run = Int.random(in: 1...20, using: &generator)
                values += repeatElement(value, count: min(run, length - values.count))
            }
            let encoded = encode(values, width: width)
            #expect(try decode(encoded, width: width, count: length) == values, "width \(width), \(length) values")
        }
    }

    @Test func thriftWriterRoundTripsTheFooter() throws {
        var metadata = FileMetaData()
        metadata.version = 2
        var root = SchemaElement()
        root.name = "table"
        root.numChildren = 2
        var price = SchemaElement()
        price.name = "price"
        price.type = .fixedLenByteArray
        price.typeLength = 11
        price.repetition = .optional
        price.convertedType = .decimal
        price.precision = 25
        price.scale = 3
        price.fieldID = 300
        price.logicalType = .decimal(precision: 25, scale: 3)
        var at = SchemaElement()
        at.name = "at"
        at.type = .int64
        at.repetition = .required
        at.fieldID = -1
        at.logicalType = .timestamp(isAdjustedToUTC: true, unit: .nanos)
        metadata.schema = [root, price, at]
        metadata.rowCount = 1 << 40
        var chunk = ColumnChunkMetaData()
        chunk.physicalType = .int64
        chunk.encodings = [0, 3, 8]
        chunk.pathInSchema = ["at"]
        chunk.codec = 6
        chunk.valueCount = 99
        chunk.totalCompressedSize = 1234
        chunk.totalUncompressedSize = 5678
        chunk.dataPageOffset = 400
        chunk.dictionaryPageOffset = 4
        var statistics = StatisticsMetaData()
        statistics.nullCount = 0
        statistics.minValue = [1, 2]
        statistics.maxValue = Array(repeating: 7, count: 40)
        chunk.statistics = statistics
        var group = FileMetaData.RowGroup()
        group.columns = Array(repeating: chunk, count: 16)
        group.rowCount = 99
        group.totalByteSize = 5678
        group.fileOffset = 4
        group.totalCompressedSize = 1234
        group.ordinal = 300
        metadata.rowGroups = [group]
        metadata.keyValueMetadata = [("iceberg.schema", "{}"), ("empty", nil)]
        metadata.createdBy = "weir"

        let bytes = metadata.encoded()
        let decoded = try bytes.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw)
            let decoded = try FileMetaData.decode(&reader)
            #expect(reader.position == bytes.count)
            return decoded
        }
        #expect(decoded.version == 2 && decoded.rowCount == 1 << 40 && decoded.createdBy == "weir")
        #expect(decoded.schema.map(\.name) == ["table", "price", "at"])
        #expect(decoded.schema[0].numChildren == 2 && decoded.schema[0].type == nil)
        let decodedPrice = decoded.schema[1]
        #expect(
            decodedPrice.type == .fixedLenByteArray && decodedPrice.typeLength == 11
                && decodedPrice.repetition == .optional)
        #expect(decodedPrice.convertedType == .decimal && decodedPrice.precision == 25 && decodedPrice.scale == 3)
        #expect(decodedPrice.fieldID == 300 && decodedPrice.logicalType == .decimal(precision: 25, scale: 3))
        #expect(
            decoded.schema[2].fieldID == -1
                && decoded.schema[2].logicalType == .timestamp(isAdjustedToUTC: true, unit: .nanos))
        let decodedGroup = try #require(decoded.rowGroups.first)
        #expect(decodedGroup.rowCount == 99 && decodedGroup.totalByteSize == 5678 && decodedGroup.columns.count == 16)
        #expect(decodedGroup.fileOffset == 4 && decodedGroup.totalCompressedSize == 1234 && decodedGroup.ordinal == 300)
        let decodedChunk = decodedGroup.columns[15]
        #expect(
            decodedChunk.physicalType == .int64 && decodedChunk.encodings == [0, 3, 8]
                && decodedChunk.pathInSchema == ["at"])
        #expect(decodedChunk.codec == 6 && decodedChunk.valueCount == 99 && decodedChunk.totalCompressedSize == 1234)
        #expect(
            decodedChunk.totalUncompressedSize == 5678 && decodedChunk.dataPageOffset == 400
                && decodedChunk.dictionaryPageOffset == 4)
        #expect(
            decodedChunk.statistics?.minValue == [1, 2]
                && decodedChunk.statistics?.maxValue == Array(repeating: 7, count: 40))
        #expect(decodedChunk.statistics?.nullCount == 0 && decodedChunk.statistics?.legacyMin == nil)
        #expect(decoded.keyValueMetadata.map(\.key) == ["iceberg.schema", "empty"])
        #expect(decoded.keyValueMetadata.map(\.value) == ["{}", nil])
    }

    @Test func everyLogicalTypeRoundTrips() throws {
        let types: [ParquetLogicalType] = [
            .string, .map, .list, .enumeration, .decimal(precision: 38, scale: 0), .date,
            .time(isAdjustedToUTC: false, unit: .micros), .time(isAdjustedToUTC: true, unit: .millis),
            .timestamp(isAdjustedToUTC: false, unit: .nanos), .integer(bitWidth: 16, isSigned: false),
            .integer(bitWidth: 64, isSigned: true), .unknown, .json, .bson, .uuid, .float16,
        ]
        for type in types {
            var writer = ThriftCompactWriter()
            writer.beginStruct()
            type.encodeMember(&writer)
            writer.endStruct()
            let decoded = try writer.bytes.withUnsafeBytes { raw in
                var reader = ThriftCompactReader(raw)
                return try ParquetLogicalType.decode(&reader)
            }
            #expect(decoded == type)
        }
    }

    @Test func pageHeadersRoundTrip() throws {
        let data = PageHeader(
            kind: .data(
                valueCount: 70_000, encoding: ParquetEncoding.rleDictionary.rawValue, definitionLevelEncoding: 3),
            uncompressedSize: 1 << 20, compressedSize: 12345)
        let dictionary = PageHeader(
            kind: .dictionary(valueCount: 17, encoding: 0), uncompressedSize: 100, compressedSize: 90)
        for header in [data, dictionary] {
            let bytes = header.encoded()
            let decoded = try bytes.withUnsafeBytes { raw in
                var reader = ThriftCompactReader(raw)
                return try PageHeader.decode(&reader)
            }
            #expect(
                decoded.uncompressedSize == header.uncompressedSize && decoded.compressedSize == header.compressedSize)
            #expect("\(decoded.kind)" == "\(header.kind)")
        }
    }

    @Test func byteArrayDictionaryFindsEveryEntryAcrossGrowth() {
        var dictionary = ByteArrayDictionary()
        let values = (0..<5000).map { Array("value-\($0 % 1300)".utf8) } + [[], [0], [0, 0]]
        var indices: [UInt32] = []
        for value in values { indices.append(value.withUnsafeBytes { dictionary.index(of: $0) }) }
        #expect(dictionary.count == 1303)
        for (value, index) in zip(values, indices) {
            #expect(dictionary.withEntry(Int(index)) { Array($0) } == value)
        }
        #expect(indices[0..<1300] == ArraySlice((0..<1300).map(UInt32.init)))
        #expect(indices[1300] == 0)
    }

    @Test func numberDictionaryKeepsBitPatterns() {
        var dictionary = NumberDictionary<UInt32>()
        let keys: [UInt32] =
            [(-0.0 as Float).bitPattern, (0.0 as Float).bitPattern, Float.nan.bitPattern]
            + (0..<3000).map { UInt32($0 % 700) }
        var indices: [UInt32] = []
        keys.withUnsafeBufferPointer { dictionary.lookUp($0, into: &indices) }
        #expect(dictionary.count == 3 + 699)  // 0.0's pattern is 0, already counted
        for (key, index) in zip(keys, indices) { #expect(dictionary.entries[Int(index)] == key) }
    }

    @Test func decimalsTakeTheFewestBytes() {
        #expect(
            [1, 2, 4, 9, 10, 18, 19, 20, 38].map { DecimalLayout.byteWidth(precision: $0) } == [
                1, 1, 2, 4, 5, 8, 9, 9, 16,
            ])
        #expect(DecimalLayout.minimalBigEndian(0) == [0])
        #expect(DecimalLayout.minimalBigEndian(127) == [0x7F])
        #expect(DecimalLayout.minimalBigEndian(128) == [0x00, 0x80])
        #expect(DecimalLayout.minimalBigEndian(-128) == [0x80])
        #expect(DecimalLayout.minimalBigEndian(-129) == [0xFF, 0x7F])
        let largest = DecimalLayout.powerOfTen(38) - 1
        #expect(SingleValueSerialization.bigEndianTwosComplement(DecimalLayout.minimalBigEndian(-largest)) == -largest)
    }
}
