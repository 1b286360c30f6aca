import NIOCore

/// Writes bytes into memory reserved in a `ByteBuffer` once per batch, so encoding rows costs plain
/// stores instead of a capacity check and an exclusivity check per field.
struct RawMessageWriter {
    private let base: UnsafeMutableRawPointer
    private(set) var position = 0

    init(_ memory: UnsafeMutableRawBufferPointer) {
        base = memory.baseAddress!
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        base.storeBytes(of: value, toByteOffset: position, as: UInt8.self)
        position += 1
    }

    @inline(__always)
    mutating func int16(_ value: Int16) {
        base.storeBytes(of: value.bigEndian, toByteOffset: position, as: Int16.self)
        position += 2
    }

    @inline(__always)
    mutating func int32(_ value: Int32) {
        base.storeBytes(of: value.bigEndian, toByteOffset: position, as: Int32.self)
        position += 4
    }

    /// Overwrites a big-endian Int32 written earlier, e.g. a message length.
    @inline(__always)
    func setInt32(_ value: Int32, at offset: Int) {
        base.storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int32.self)
    }

    @inline(__always)
    mutating func bytes(_ source: UnsafeRawBufferPointer) {
        guard let address = source.baseAddress, source.count > 0 else { return }
        (base + position).copyMemory(from: address, byteCount: source.count)
        position += source.count
    }
}

extension ByteBuffer {
    /// Reserves `capacity` writable bytes, lets `body` fill a prefix of them, and keeps what it wrote.
    /// `body` must not write more than `capacity` bytes.
    mutating func writeRaw(capacity: Int, _ body: (inout RawMessageWriter) -> Void) {
        writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { memory in
            var writer = RawMessageWriter(memory)
            body(&writer)
            precondition(writer.position <= capacity, "raw writer overran its reservation")
            return writer.position
        }
    }
}
