import Engine
import NIOCore
import Testing

@testable import WireProtocol

/// numeric's binary form: base-10000 digits, weight, sign and display scale, as numeric_send writes it.
@Suite struct NumericBinaryFormatTests {
    /// numeric_send's bytes for `value` at `scale`: count, weight, sign, dscale, then the digits.
    func encoded(_ value: Int128, scale: Int) -> [Int16] {
        var out: [UInt8] = []
        BinaryFormat.appendNumeric(value, scale: scale, to: &out)
        return stride(from: 0, to: out.count, by: 2).map {
            Int16(bitPattern: UInt16(out[$0]) << 8 | UInt16(out[$0 + 1]))
        }
    }

    /// Expected words are what PostgreSQL 15 sends for the same values.
    @Test func encodesAsPostgresDoes() {
        #expect(encoded(150, scale: 2) == [2, 0, 0, 2, 1, 5000])  // 1.50
        #expect(encoded(-123_456_789, scale: 0) == [3, 2, 0x4000, 0, 1, 2345, 6789])
        #expect(encoded(1, scale: 5) == [1, -2, 0, 5, 1000])  // 0.00001
        #expect(encoded(0, scale: 3) == [0, 0, 0, 3])
        #expect(encoded(100_000_000, scale: 0) == [1, 2, 0, 0, 1])
        // The largest numeric(38, 3) value encodes without overflowing.
        #expect(
            encoded(Int128("99999999999999999999999999999999999999")!, scale: 3)
                == [10, 8, 0, 3, 999] + Array(repeating: 9999, count: 8) + [9990])
    }

    func decode(_ words: [Int16], as type: DataType) throws -> Value {
        var buffer = ByteBuffer()
        for word in words { buffer.writeInteger(word) }
        return try BinaryFormat.decode(buffer, as: type)
    }

    @Test func decodesKeepingTheSentScale() throws {
        let value = try decode([2, 0, 0, 2, 1, 5000], as: .variableScaleNumeric)
        guard case .decimal(let packed) = value else { Issue.record("not a decimal: \(value)"); return }
        #expect(ScaledDecimal(packed: packed).text == "1.50")
        #expect(try decode([2, 0, 0x4000, 2, 1, 5000], as: .numeric(precision: nil, scale: 1)) == .decimal(-15))
    }

    @Test func rejectsMalformedAndOversizedValues() {
        // More digits than any numeric Weir holds: a clear error, not a crash.
        let huge: [Int16] = [20, 19, 0, 0] + Array(repeating: 9999, count: 20)
        #expect(throws: PostgresError.self) { try decode(huge, as: .variableScaleNumeric) }
        #expect(throws: PostgresError.self) { try decode(huge, as: .numeric(precision: nil, scale: 2)) }
        #expect(throws: PostgresError.self) { try decode([1, 0, 0, 0, 10000], as: .variableScaleNumeric) }
        #expect(throws: PostgresError.self) { try decode([2, 0, 0, 0, 1], as: .variableScaleNumeric) }
        #expect(throws: PostgresError.self) {
            try decode([1, 0, Int16(bitPattern: 0xC000), 0, 1], as: .variableScaleNumeric)
        }
    }
}
