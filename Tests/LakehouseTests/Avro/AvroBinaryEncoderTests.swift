import Testing

@testable import Lakehouse

/// Avro's binary encoding, byte for byte as the Avro 1.11 spec defines it, and read back by the decoder.
@Suite struct AvroBinaryEncoderTests {
    private func encoded(_ value: AvroValue, as schema: AvroSchema) throws -> [UInt8] {
        var encoder = AvroBinaryEncoder()
        try encoder.write(value, as: schema)
        return encoder.bytes
    }

    private func decoded(_ bytes: [UInt8], as schema: AvroSchema) throws -> AvroValue {
        var decoder = AvroBinaryDecoder(bytes, location: "memory")
        let value = try decoder.read(schema)
        #expect(decoder.isAtEnd)
        return value
    }

    @Test func longsAreZigZagVarints() throws {
        // The spec's table (0 → 00, -1 → 01, 1 → 02, -64 → 7f, 64 → 80 01) and the extremes, which take ten bytes.
        let cases: [(Int64, [UInt8])] = [
            (0, [0x00]), (-1, [0x01]), (1, [0x02]), (-2, [0x03]), (63, [0x7E]), (-64, [0x7F]), (64, [0x80, 0x01]),
            (Int64(Int32.max), [0xFE, 0xFF, 0xFF, 0xFF, 0x0F]), (Int64(Int32.min), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
            (Int64.max, [0xFE] + [UInt8](repeating: 0xFF, count: 8) + [0x01]),
            (Int64.min, [UInt8](repeating: 0xFF, count: 9) + [0x01]),
        ]
        for (number, bytes) in cases {
            let schema = AvroSchema.long(logicalType: nil)
            #expect(try encoded(.long(number), as: schema) == bytes, "\(number)")
            #expect(try decoded(bytes, as: schema) == .long(number), "\(number)")
        }
        #expect(try encoded(.int(Int32.min), as: .int(logicalType: nil)) == [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(try decoded([0xFE, 0xFF, 0xFF, 0xFF, 0x0F], as: .int(logicalType: nil)) == .int(Int32.max))
    }

    @Test func primitivesAreLittleEndianAndLengthPrefixed() throws {
        #expect(try encoded(.float(1), as: .float) == [0x00, 0x00, 0x80, 0x3F])
        #expect(try encoded(.double(-2), as: .double) == [0, 0, 0, 0, 0, 0, 0x00, 0xC0])
        #expect(try encoded(.boolean(true), as: .boolean) == [0x01])
        #expect(try encoded(.string("héllo"), as: .string(logicalType: nil)) == [0x0C] + Array("héllo".utf8))
        #expect(try encoded(.bytes([]), as: .bytes(logicalType: nil)) == [0x00])
        #expect(try encoded(.fixed([1, 2, 3]), as: .fixed(name: "f3", size: 3, logicalType: nil)) == [1, 2, 3])
        #expect(try encoded(.null, as: .null) == [])
    }

    @Test func collectionsUnionsEnumsAndRecords() throws {
        #expect(
            try encoded(.array([.long(3), .long(-3)]), as: .array(.long(logicalType: nil), logicalType: nil)) == [
                0x04, 0x06, 0x05, 0x00,
            ])
        #expect(try encoded(.array([]), as: .array(.long(logicalType: nil), logicalType: nil)) == [0x00])
        // Map keys are written sorted, so equal maps give equal bytes.
        let map = AvroValue.map(["b": .int(1), "a": .int(2)])
        #expect(try encoded(map, as: .map(.int(logicalType: nil))) == [0x04, 0x02, 0x61, 0x04, 0x02, 0x62, 0x02, 0x00])
        let optionalLong = AvroSchema.optional(.long(logicalType: nil))
        #expect(try encoded(.null, as: optionalLong) == [0x00])
        #expect(try encoded(.long(5), as: optionalLong) == [0x02, 0x0A])
        let suit = AvroSchema.enumeration(name: "suit", symbols: ["hearts", "spades"])
        #expect(try encoded(.enumeration(index: 1, symbol: "spades"), as: suit) == [0x02])
        let point = AvroRecordSchema(
            name: "point",
            fields: [
                .init(name: "x", type: .int(logicalType: nil)), .init(name: "label", type: .string(logicalType: nil)),
            ])
        let value = AvroValue.record(AvroRecord(schema: point, values: [.int(-1), .string("p")]))
        #expect(try encoded(value, as: .record(point)) == [0x01, 0x02, 0x70])
        #expect(try decoded([0x01, 0x02, 0x70], as: .record(point)) == value)
    }

    @Test func unionBranchesAreChosenByKindNameAndSize() throws {
        let first = AvroRecordSchema(name: "first", fields: [.init(name: "a", type: .int(logicalType: nil))])
        let second = AvroRecordSchema(name: "second", fields: [.init(name: "a", type: .int(logicalType: nil))])
        let union = AvroSchema.union([
            .null, .fixed(name: "two", size: 2, logicalType: nil), .fixed(name: "four", size: 4, logicalType: nil),
            .record(first), .record(second), .string(logicalType: nil),
        ])
        #expect(try encoded(.fixed([9, 9, 9, 9]), as: union) == [0x04, 9, 9, 9, 9])
        #expect(try encoded(.record(AvroRecord(schema: second, values: [.int(1)])), as: union) == [0x08, 0x02])
        #expect(try encoded(.string(""), as: union) == [0x0A, 0x00])
        #expect(try decoded([0x04, 9, 9, 9, 9], as: union) == .fixed([9, 9, 9, 9]))
    }

    @Test func mismatchesNameTheirPlaceAndWriteNothing() throws {
        let inner = AvroRecordSchema(
            name: "inner", fields: [.init(name: "numbers", type: .array(.long(logicalType: nil), logicalType: nil))])
        let outer = AvroRecordSchema(name: "outer", fields: [.init(name: "nested", type: .optional(.record(inner)))])
        let bad = AvroValue.record(
            AvroRecord(
                schema: outer, values: [.record(AvroRecord(schema: inner, values: [.array([.long(1), .int(3)])]))]))
        var encoder = AvroBinaryEncoder()
        try encoder.write(.long(7), as: .long(logicalType: nil))
        #expect(
            throws: LakehouseError.cannotWrite("an Avro value", "nested.numbers[1]: expected long, found int 3")
        ) { try encoder.write(bad, as: .record(outer)) }
        #expect(encoder.bytes == [0x0E])
        #expect(throws: LakehouseError.cannotWrite("an Avro value", "no branch of union [null, long] takes string")) {
            try encoder.write(.string("x"), as: .optional(.long(logicalType: nil)))
        }
        #expect(throws: LakehouseError.cannotWrite("an Avro value", "expected 16 fixed bytes, found 3")) {
            try encoder.write(.fixed([1, 2, 3]), as: .fixed(name: "uuid", size: 16, logicalType: "uuid"))
        }
        let error = #expect(throws: LakehouseError.self) {
            try encoder.write(.record(AvroRecord(schema: inner, values: [])), as: .record(inner))
        }
        #expect(error?.sqlState == .dataException)
        #expect(encoder.bytes == [0x0E])
    }
}
