import Testing

@testable import Lakehouse

/// The low-level decoders on hand-assembled bytes, including cases the fixtures cannot reach.
@Suite struct ParquetEncodingTests {
    @Test func thriftSkipsUnknownFieldsOfEveryWireType() throws {
        // struct { 1: i32 = -3; 2: unknown list<i64>[1, 2]; 3: unknown map<i32, bool>{5: true};
        //          20 (long form): unknown struct { 1: double }; 21: string "hi"; 22: bool true }
        let bytes: [UInt8] = [
            0x15, 0x05,
            0x19, 0x26, 0x02, 0x04,
            0x1B, 0x01, 0x51, 0x0A, 0x01,
            0x0C, 0x28, 0x17, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x00,
            0x18, 0x02, 0x68, 0x69,
            0x11,
            0x00,
        ]
        var fields: [Int16] = []
        var value: Int32?
        var text: String?
        var flag: Bool?
        try bytes.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw)
            try reader.beginStruct()
            while let field = try reader.nextField() {
                fields.append(field.id)
                switch field.id {
                case 1: value = try reader.readInt32(field.type)
                case 21: text = try reader.readString(field.type)
                case 22: flag = try reader.readBool(field.type)
                default: try reader.skip(field.type)
                }
            }
            #expect(reader.position == bytes.count)
        }
        #expect(fields == [1, 2, 3, 20, 21, 22])
        #expect(value == -3 && text == "hi" && flag == true)
    }

    @Test func thriftRejectsLengthsPastTheEnd() {
        let bytes: [UInt8] = [0x18, 0x7F, 0x41]
        #expect(throws: ParquetFormatError.self) {
            try bytes.withUnsafeBytes { raw in
                var reader = ThriftCompactReader(raw)
                try reader.beginStruct()
                while let field = try reader.nextField() { try reader.skip(field.type) }
            }
        }
    }

    @Test func deltaBinaryPackedFromTheSpecification() throws {
        // 1, 2, 3, 4, 5: block size 128, 4 miniblocks, 5 values, first value 1; min delta 1, widths 0.
        let bytes: [UInt8] = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00]
        var values = [Int64](repeating: 0, count: 5)
        try bytes.withUnsafeBytes { raw in
            var decoder = try DeltaBinaryPackedDecoder(raw)
            #expect(decoder.valueCount == 5)
            try values.withUnsafeMutableBufferPointer { try decoder.decode(into: $0.baseAddress!) }
            #expect(decoder.consumed == bytes.count)
        }
        #expect(values == [1, 2, 3, 4, 5])
    }

    @Test(arguments: [1, 3, 7, 8, 13, 17, 31, 32, 33, 57, 63, 64])
    func bitUnpackingRoundTrips(width: Int) {
        let count = 77
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
        let values = (0..<count).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 & mask }
        var packed = [UInt8](repeating: 0, count: (count * width + 7) / 8)
        for (index, value) in values.enumerated() {
            for bit in 0..<width where value >> UInt64(bit) & 1 == 1 {
                let position = index * width + bit
                packed[position / 8] |= 1 << UInt8(position % 8)
            }
        }
        var unpacked = [UInt64](repeating: 0, count: count)
        packed.withUnsafeBytes { raw in
            unpacked.withUnsafeMutableBufferPointer {
                BitUnpacking.unpack(raw, width: width, count: count, into: $0.baseAddress!)
            }
        }
        #expect(unpacked == values)
    }

    @Test func rleHybridMixesRepeatedAndBitPackedRuns() throws {
        // A repeated run of four 5s, then one bit-packed group of 0...7 at width 3.
        let bytes: [UInt8] = [0x08, 0x05, 0x03, 0x88, 0xC6, 0xFA]
        var values = [UInt32](repeating: 0, count: 12)
        try bytes.withUnsafeBytes { raw in
            var decoder = try RLEHybridDecoder(raw, width: 3)
            try values.withUnsafeMutableBufferPointer { try decoder.decode(count: 12, into: $0.baseAddress!) }
        }
        #expect(values == [5, 5, 5, 5, 0, 1, 2, 3, 4, 5, 6, 7])
        var tooMany = [UInt32](repeating: 0, count: 13)
        #expect(throws: ParquetFormatError.self) {
            try bytes.withUnsafeBytes { raw in
                var decoder = try RLEHybridDecoder(raw, width: 3)
                try tooMany.withUnsafeMutableBufferPointer { try decoder.decode(count: 13, into: $0.baseAddress!) }
            }
        }
    }
}
