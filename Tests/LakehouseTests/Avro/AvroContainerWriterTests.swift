import Foundation
import Testing

@testable import Lakehouse

/// Container files written by `AvroContainerWriter` read back through `AvroContainerReader`:
/// every schema kind, every codec, several blocks.
@Suite struct AvroContainerWriterTests {
    static let pair = AvroRecordSchema(
        name: "k7_v8",
        fields: [
            .init(name: "key", type: .int(logicalType: nil), fieldID: 7),
            .init(name: "value", type: .bytes(logicalType: nil), fieldID: 8),
        ])
    static let point = AvroRecordSchema(
        name: "point",
        fields: [.init(name: "x", type: .double, fieldID: 21), .init(name: "y", type: .optional(.float), fieldID: 22)])
    static let uuid = AvroSchema.fixed(name: "uuid_fixed", size: 16, logicalType: "uuid")

    /// One field of every kind the schema model has, with Iceberg's ids and logical types.
    static let schema = AvroRecordSchema(
        name: "everything",
        fields: [
            .init(name: "nothing", type: .null, fieldID: 1),
            .init(name: "flag", type: .boolean, fieldID: 2),
            .init(name: "day", type: .int(logicalType: "date"), fieldID: 3),
            .init(name: "at", type: .long(logicalType: "timestamp-micros", adjustToUTC: true), fieldID: 4),
            .init(name: "local_at", type: .long(logicalType: "timestamp-micros", adjustToUTC: false), fieldID: 5),
            .init(name: "count", type: .long(logicalType: nil), fieldID: 6),
            .init(name: "ratio", type: .float, fieldID: 9),
            .init(name: "blob", type: .bytes(logicalType: nil), fieldID: 10),
            .init(name: "text", type: .optional(.string(logicalType: nil)), fieldID: 11),
            .init(name: "where", type: .record(point), fieldID: 12),
            .init(name: "suit", type: .enumeration(name: "suit", symbols: ["hearts", "spades", "clubs"]), fieldID: 13),
            .init(name: "tags", type: .array(.string(logicalType: nil), logicalType: nil, elementID: 14), fieldID: 15),
            .init(
                name: "attributes", type: .map(.optional(.long(logicalType: nil)), keyID: 16, valueID: 17), fieldID: 18),
            .init(name: "id", type: uuid, fieldID: 19),
            .init(name: "other_id", type: .optional(uuid), fieldID: 20),
            .init(name: "price", type: .decimal(.bytes(logicalType: "decimal"), precision: 12, scale: 3), fieldID: 23),
            .init(
                name: "amount",
                type: .decimal(.fixed(name: "decimal_9_2", size: 4, logicalType: "decimal"), precision: 9, scale: 2),
                fieldID: 24),
            .init(name: "bounds", type: .optional(.array(.record(pair), logicalType: "map")), fieldID: 25),
        ])

    static func row(_ index: Int) -> AvroValue {
        let number = Int64(index)
        let values: [AvroValue] = [
            .null,
            .boolean(index % 2 == 0),
            .int(Int32(index) - 100),
            .long(number * 1_000_003 - 7),
            .long(index == 0 ? Int64.min : Int64.max - number),
            .long(-number),
            .float(Float(index) / 4),
            .bytes((0..<(index % 5)).map { UInt8($0) }),
            index % 3 == 0 ? .null : .string("row \(index) ✓"),
            .record(
                AvroRecord(schema: point, values: [.double(Double(index) * 0.5), index % 2 == 0 ? .null : .float(1.5)])),
            .enumeration(index: index % 3, symbol: ["hearts", "spades", "clubs"][index % 3]),
            .array((0..<(index % 4)).map { .string("t\($0)") }),
            .map(
                Dictionary(
                    uniqueKeysWithValues: (0..<(index % 3)).map { ("k\($0)", $0 == 1 ? .null : .long(Int64($0))) })),
            .fixed((0..<16).map { UInt8(($0 + index) % 256) }),
            index % 2 == 0 ? .null : .fixed([UInt8](repeating: UInt8(index % 256), count: 16)),
            .bytes([0x80 | UInt8(index % 100), 1]),
            .fixed([0xFF, 0xFF, 0xFF, UInt8(index % 256)]),
            index % 4 == 0
                ? .null : .array([.record(AvroRecord(schema: pair, values: [.int(Int32(index)), .bytes([1, 2])]))]),
        ]
        return .record(AvroRecord(schema: schema, values: values))
    }

    @Test(arguments: [AvroCodec.null, .deflate, .snappy, .zstandard])
    func everySchemaKindRoundTripsThroughSeveralBlocks(codec: AvroCodec) throws {
        let rows = (0..<300).map(Self.row)
        var writer = AvroContainerWriter(
            schema: .record(Self.schema), metadata: ["format-version": "2", "note": "ünïcode"], codec: codec,
            blockSize: 2048)
        for row in rows { try writer.append(row) }
        let bytes = try writer.finish()

        let reader = try AvroContainerReader(bytes: bytes, location: "memory")
        #expect(reader.schema == .record(Self.schema))
        #expect(reader.codec == codec)
        #expect(reader.metadataString("format-version") == "2")
        #expect(reader.metadataString("note") == "ünïcode")
        #expect(reader.metadataString("avro.codec") == codec.rawValue)
        #expect(reader.values == rows)
        // The marker follows the header and every block; 300 rows of ~100 bytes need over ten 2 KiB blocks.
        #expect(occurrences(of: writer.syncMarker, in: bytes) > 10)
    }

    @Test func schemaJSONCarriesIcebergAttributes() throws {
        var writer = AvroContainerWriter(schema: .record(Self.schema), metadata: [:], codec: .null)
        try writer.append(Self.row(1))
        let reader = try AvroContainerReader(bytes: try writer.finish(), location: "memory")
        let schemaText = try #require(reader.metadata["avro.schema"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(schemaText)) as? [String: Any])
        let fields = try #require(json["fields"] as? [[String: Any]])
        func field(_ name: String) -> [String: Any] { fields.first { $0["name"] as? String == name } ?? [:] }
        #expect(field("flag")["field-id"] as? Int == 2)
        #expect(field("text")["default"] is NSNull)
        #expect(field("flag")["default"] == nil)
        let at = try #require(field("at")["type"] as? [String: Any])
        #expect(at["logicalType"] as? String == "timestamp-micros")
        #expect((at["adjust-to-utc"] as? NSNumber)?.boolValue == true)
        #expect((field("tags")["type"] as? [String: Any])?["element-id"] as? Int == 14)
        let attributes = try #require(field("attributes")["type"] as? [String: Any])
        #expect(attributes["key-id"] as? Int == 16 && attributes["value-id"] as? Int == 17)
        let amount = try #require(field("amount")["type"] as? [String: Any])
        #expect(amount["type"] as? String == "fixed" && amount["size"] as? Int == 4)
        #expect(amount["precision"] as? Int == 9 && amount["scale"] as? Int == 2)
        // A named type is defined once, then referred to by name.
        #expect((field("id")["type"] as? [String: Any])?["name"] as? String == "uuid_fixed")
        #expect(field("other_id")["type"] as? [String] == ["null", "uuid_fixed"])
    }

    @Test func emptyFilesAndPrimitiveSchemasRoundTrip() throws {
        let empty = AvroContainerWriter(schema: .record(Self.point), metadata: [:])
        let emptyReader = try AvroContainerReader(bytes: try empty.finish(), location: "memory")
        #expect(emptyReader.values.isEmpty)
        #expect(emptyReader.schema == .record(Self.point))

        var longs = AvroContainerWriter(schema: .long(logicalType: nil), metadata: [:], codec: .deflate, blockSize: 1)
        for number in [Int64.min, -1, 0, 1, Int64.max] { try longs.append(.long(number)) }
        let reader = try AvroContainerReader(bytes: try longs.finish(), location: "memory")
        #expect(reader.values == [Int64.min, -1, 0, 1, Int64.max].map { .long($0) })
    }

    @Test func badValuesAndReservedKeysAreRefused() throws {
        var writer = AvroContainerWriter(schema: .record(Self.point), metadata: ["avro.codec": "snappy"])
        #expect(throws: LakehouseError.cannotWrite("an Avro value", "expected record point, found long 1")) {
            try writer.append(.long(1))
        }
        #expect(
            throws: LakehouseError.cannotWrite(
                "an Avro container file", "metadata key \"avro.codec\" is reserved for the Avro format")
        ) { try writer.finish() }

        let conflicting = AvroRecordSchema(
            name: "twice",
            fields: [
                .init(name: "a", type: .fixed(name: "same", size: 2, logicalType: nil)),
                .init(name: "b", type: .fixed(name: "same", size: 3, logicalType: nil)),
            ])
        let twice = AvroContainerWriter(schema: .record(conflicting), metadata: [:])
        #expect(throws: LakehouseError.cannotWrite("an Avro schema", "two different types are named \"same\"")) {
            try twice.finish()
        }
    }

    private func occurrences(of marker: [UInt8], in bytes: [UInt8]) -> Int {
        (0...(bytes.count - marker.count)).filter { bytes[$0..<$0 + marker.count].elementsEqual(marker) }.count
    }
}
