/// Unpacks little-endian bit-packed integers (the layout of Parquet's RLE/bit-packed hybrid and
/// DELTA_BINARY_PACKED miniblocks): value `i` occupies bits `i * width ..< (i + 1) * width`.
enum BitUnpacking {
    /// Unpacks `count` values of `width` bits (0 to 64) from `source` into `output`.
    ///
    /// The caller guarantees `source` holds at least `count * width` bits. Widths up to 32 run a loop
    /// specialised for that width, eight values per step, reading 64-bit words while at least eight
    /// bytes are left and assembling the last words byte by byte.
    static func unpack<T: FixedWidthInteger & UnsignedInteger>(
        _ source: UnsafeRawBufferPointer, width: Int, count: Int, into output: UnsafeMutablePointer<T>
    ) {
        switch width {
        case 0: output.update(repeating: 0, count: count)
        case 1: unpack(source, fixedWidth: 1, count: count, into: output)
        case 2: unpack(source, fixedWidth: 2, count: count, into: output)
        case 3: unpack(source, fixedWidth: 3, count: count, into: output)
        case 4: unpack(source, fixedWidth: 4, count: count, into: output)
        case 5: unpack(source, fixedWidth: 5, count: count, into: output)
        case 6: unpack(source, fixedWidth: 6, count: count, into: output)
        case 7: unpack(source, fixedWidth: 7, count: count, into: output)
        case 8: unpack(source, fixedWidth: 8, count: count, into: output)
        case 9: unpack(source, fixedWidth: 9, count: count, into: output)
        case 10: unpack(source, fixedWidth: 10, count: count, into: output)
        case 11: unpack(source, fixedWidth: 11, count: count, into: output)
        case 12: unpack(source, fixedWidth: 12, count: count, into: output)
        case 13: unpack(source, fixedWidth: 13, count: count, into: output)
        case 14: unpack(source, fixedWidth: 14, count: count, into: output)
        case 15: unpack(source, fixedWidth: 15, count: count, into: output)
        case 16: unpack(source, fixedWidth: 16, count: count, into: output)
        case 17: unpack(source, fixedWidth: 17, count: count, into: output)
        case 18: unpack(source, fixedWidth: 18, count: count, into: output)
        case 19: unpack(source, fixedWidth: 19, count: count, into: output)
        case 20: unpack(source, fixedWidth: 20, count: count, into: output)
        case 21: unpack(source, fixedWidth: 21, count: count, into: output)
        case 22: unpack(source, fixedWidth: 22, count: count, into: output)
        case 23: unpack(source, fixedWidth: 23, count: count, into: output)
        case 24: unpack(source, fixedWidth: 24, count: count, into: output)
        case 25...32: unpack(source, fixedWidth: width, count: count, into: output)
        default: unpackWide(source, width: width, first: 0, count: count, into: output)
        }
    }

    @inline(__always)
    private static func unpack<T: FixedWidthInteger & UnsignedInteger>(
        _ source: UnsafeRawBufferPointer, fixedWidth width: Int, count: Int, into output: UnsafeMutablePointer<T>
    ) {
        let mask: UInt64 = (1 << UInt64(width)) &- 1
        // Value i can be read with one 8-byte load when its first byte is at most `source.count - 8`.
        let safeValues = source.count >= 8 ? ((source.count - 7) * 8 - 1) / width + 1 : 0
        let groups = min(count, safeValues) / 8
        guard let base = source.baseAddress else { return }
        for group in 0..<groups {
            let groupByte = group &* width
            let out = output + group &* 8
            for index in 0..<8 {
                let bit = index &* width
                let word = UInt64(
                    littleEndian: base.loadUnaligned(fromByteOffset: groupByte &+ bit >> 3, as: UInt64.self))
                out[index] = T(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            }
        }
        let done = groups * 8
        if done < count { unpackWide(source, width: width, first: done, count: count - done, into: output + done) }
    }

    /// The general path: any width up to 64, reading byte by byte within `source`.
    private static func unpackWide<T: FixedWidthInteger & UnsignedInteger>(
        _ source: UnsafeRawBufferPointer, width: Int, first: Int, count: Int, into output: UnsafeMutablePointer<T>
    ) {
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) &- 1
        for index in 0..<count {
            let bitStart = (first + index) * width
            let byteStart = bitStart >> 3
            let shift = UInt64(bitStart & 7)
            var word: UInt64 = 0
            let available = min(8, source.count - byteStart)
            for offset in 0..<max(0, available) { word |= UInt64(source[byteStart + offset]) << UInt64(offset * 8) }
            var value = word >> shift
            if shift > 0, Int(shift) + width > 64, byteStart + 8 < source.count {
                value |= UInt64(source[byteStart + 8]) << (64 - shift)
            }
            output[index] = T(truncatingIfNeeded: value & mask)
        }
    }
}
