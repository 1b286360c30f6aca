import Engine

/// Iceberg's bucket transform (spec "Bucket Transform Details"): the 32-bit Murmur3 hash (x86
/// variant, seed 0) of the value's hash form, made non-negative and taken modulo the bucket count.
extension PartitionTransform {
    /// The bucket of a non-NULL value of `source` type; nil for types the spec does not bucket.
    static func bucket(_ value: Value, source: IcebergType, count: Int) -> Int32? {
        guard count > 0, let bytes = bucketHashBytes(value, source: source) else { return nil }
        let hash = murmur3x86_32(bytes)
        return Int32((Int64(hash & Int32.max)) % Int64(count))
    }

    /// The bytes the spec hashes: ints, longs, dates, times and timestamps as 8-byte little-endian
    /// longs; decimals as the minimal big-endian two's complement of the unscaled value; strings
    /// as UTF-8; UUIDs as 16 big-endian bytes; binary and fixed as they are.
    private static func bucketHashBytes(_ value: Value, source: IcebergType) -> [UInt8]? {
        func long(_ number: Int64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: number >> (8 * $0)) } }
        switch (value, source) {
        case (.int32(let number), .int), (.int32(let number), .date): return long(Int64(number))
        case (.int16(let number), .int): return long(Int64(number))
        case (.int64(let number), .long), (.int64(let number), .time), (.int64(let number), .timestamp),
            (.int64(let number), .timestamptz):
            return long(number)
        case (.int64(let number), .timestampNanos), (.int64(let number), .timestamptzNanos):
            // Nanosecond timestamps hash their microsecond value, as the spec asks.
            return long(number)
        case (.decimal(let unscaled), .decimal): return minimalBigEndian(unscaled)
        case (.bytes(let bytes), .string), (.bytes(let bytes), .binary), (.bytes(let bytes), .fixed):
            return bytes
        case (.bytes(let text), .uuid):
            // Weir keeps UUIDs as their canonical text.
            return SingleValueSerialization.uuidBytes(text)
        default: return nil
        }
    }

    /// The shortest big-endian two's complement bytes of `value` (at least one byte).
    static func minimalBigEndian(_ value: Int128) -> [UInt8] {
        var bytes = (0..<16).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        while bytes.count > 1 {
            let signExtends = (bytes[0] == 0x00 && bytes[1] & 0x80 == 0) || (bytes[0] == 0xFF && bytes[1] & 0x80 != 0)
            guard signExtends else { break }
            bytes.removeFirst()
        }
        return bytes
    }

    /// MurmurHash3 x86 32-bit with seed 0, as a signed 32-bit value (Java's `int`).
    static func murmur3x86_32(_ data: [UInt8]) -> Int32 {
        let c1: UInt32 = 0xcc9e_2d51
        let c2: UInt32 = 0x1b87_3593
        var h: UInt32 = 0
        let blocks = data.count / 4
        for block in 0..<blocks {
            let i = block * 4
            var k = UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24
            k = k &* c1
            k = (k << 15) | (k >> 17)
            k = k &* c2
            h ^= k
            h = (h << 13) | (h >> 19)
            h = h &* 5 &+ 0xe654_6b64
        }
        var k: UInt32 = 0
        let tail = blocks * 4
        switch data.count & 3 {
        case 3:
            k ^= UInt32(data[tail + 2]) << 16
            fallthrough
        case 2:
            k ^= UInt32(data[tail + 1]) << 8
            fallthrough
        case 1:
            k ^= UInt32(data[tail])
            k = k &* c1
            k = (k << 15) | (k >> 17)
            k = k &* c2
            h ^= k
        default: break
        }
        h ^= UInt32(truncatingIfNeeded: data.count)
        h ^= h >> 16
        h = h &* 0x85eb_ca6b
        h ^= h >> 13
        h = h &* 0xc2b2_ae35
        h ^= h >> 16
        return Int32(bitPattern: h)
    }
}
