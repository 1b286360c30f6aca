/// A bounds-checked reading position in borrowed bytes: every read checks what is left and throws
/// `ParquetFormatError` instead of reading past the end.
///
/// The cursor does not own its bytes; it lives inside the `withUnsafeBytes` scope that lends them.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }
    var isAtEnd: Bool { position >= bytes.count }

    mutating func readByte() throws -> UInt8 {
        guard position < bytes.count else { throw ParquetFormatError("unexpected end of data") }
        defer { position += 1 }
        return bytes[position]
    }

    /// A little-endian fixed-width integer.
    mutating func readLittleEndian<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw ParquetFormatError("unexpected end of data") }
        defer { position += size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    /// An unsigned LEB128 varint of at most 64 bits.
    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            guard shift < 64 else { throw ParquetFormatError("varint longer than 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// A zigzag-encoded signed varint.
    mutating func readZigZag() throws -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// The next `count` bytes, checked against what is left.
    mutating func readBytes(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw ParquetFormatError("length \(count) runs past the end of the data (\(remaining) bytes left)")
        }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<position + count])
    }

    /// Everything not yet read.
    mutating func readRest() -> UnsafeRawBufferPointer {
        defer { position = bytes.count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<bytes.count])
    }

    mutating func skip(_ count: Int) throws { _ = try readBytes(count) }
}
