import Foundation

/// Reads Avro's binary encoding from a byte buffer, checking every length against what is left.
///
/// Any read past the end, negative length or malformed varint throws `XX001` naming `location`.
struct AvroBinaryDecoder {
    let bytes: [UInt8]
    let location: String
    private(set) var position: Int
    private let end: Int

    init(_ bytes: [UInt8], location: String, range: Range<Int>? = nil) {
        self.bytes = bytes
        self.location = location
        self.position = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? bytes.count
    }

    var isAtEnd: Bool { position >= end }
    var remaining: Int { end - position }

    func corrupt(_ problem: String) -> LakehouseError {
        LakehouseError.corrupt(location, "\(problem) at byte \(position)")
    }

    mutating func readByte() throws -> UInt8 {
        guard position < end else { throw corrupt("unexpected end of Avro data") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func readBytes(count: Int) throws -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw corrupt("length \(count) runs past the end of Avro data")
        }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    /// A zig-zag varint `long`.
    mutating func readLong() throws -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            guard shift < 64 else { throw corrupt("varint longer than 10 bytes") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
    }

    mutating func readInt() throws -> Int32 {
        let value = try readLong()
        guard let narrow = Int32(exactly: value) else { throw corrupt("int value \(value) out of range") }
        return narrow
    }

    /// A non-negative length or count.
    mutating func readLength() throws -> Int {
        let value = try readLong()
        guard value >= 0, value <= Int64(remaining) else {
            throw corrupt("length \(value) runs past the end of Avro data")
        }
        return Int(value)
    }

    mutating func readBoolean() throws -> Bool {
        switch try readByte() {
        case 0: return false
        case 1: return true
        case let other: throw corrupt("boolean byte \(other)")
        }
    }

    mutating func readFixedWidth(count: Int) throws -> UInt64 {
        let raw = try readBytes(count: count)
        var value: UInt64 = 0
        for (index, byte) in raw.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        return value
    }

    mutating func readFloat() throws -> Float { Float(bitPattern: UInt32(try readFixedWidth(count: 4))) }
    mutating func readDouble() throws -> Double { Double(bitPattern: try readFixedWidth(count: 8)) }
    mutating func readByteArray() throws -> [UInt8] { try readBytes(count: try readLength()) }

    mutating func readString() throws -> String {
        let raw = try readByteArray()
        guard let string = String(bytes: raw, encoding: .utf8) else { throw corrupt("string is not UTF-8") }
        return string
    }

    /// One datum of `schema`.
    mutating func read(_ schema: AvroSchema) throws -> AvroValue {
        switch schema {
        case .null: return .null
        case .boolean: return .boolean(try readBoolean())
        case .int: return .int(try readInt())
        case .long: return .long(try readLong())
        case .float: return .float(try readFloat())
        case .double: return .double(try readDouble())
        case .bytes: return .bytes(try readByteArray())
        case .string: return .string(try readString())
        case .fixed(_, let size, _): return .fixed(try readBytes(count: size))
        case .decimal(let underlying, _, _): return try read(underlying)
        case .enumeration(_, let symbols):
            let index = try readLong()
            guard index >= 0, index < symbols.count else { throw corrupt("enum index \(index) out of range") }
            return .enumeration(index: Int(index), symbol: symbols[Int(index)])
        case .union(let branches):
            let index = try readLong()
            guard index >= 0, index < branches.count else { throw corrupt("union branch \(index) out of range") }
            return try read(branches[Int(index)])
        case .record(let record):
            var values: [AvroValue] = []
            values.reserveCapacity(record.fields.count)
            for field in record.fields { values.append(try read(field.type)) }
            return .record(AvroRecord(schema: record, values: values))
        case .array(let items, _, _):
            var values: [AvroValue] = []
            try readBlocks { decoder in values.append(try decoder.read(items)) }
            return .array(values)
        case .map(let valueSchema, _, _):
            var values: [String: AvroValue] = [:]
            try readBlocks { decoder in
                let key = try decoder.readString()
                values[key] = try decoder.read(valueSchema)
            }
            return .map(values)
        }
    }

    /// Array and map items come in blocks: a count (negative when followed by a byte size), the
    /// items, and a zero count at the end.
    private mutating func readBlocks(_ item: (inout AvroBinaryDecoder) throws -> Void) throws {
        while true {
            var count = try readLong()
            if count == 0 { return }
            if count < 0 {
                guard count != Int64.min else { throw corrupt("block count out of range") }
                count = -count
                _ = try readLength()
            }
            // Every item takes at least one byte unless its schema is empty; guard against absurd counts.
            guard count <= Int64(remaining) + 1 else { throw corrupt("block count \(count) exceeds the data left") }
            for _ in 0..<count { try item(&self) }
        }
    }
}
