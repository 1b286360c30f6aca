/// Encodes Parquet's RLE/bit-packed hybrid (the inverse of `RLEHybridDecoder`), used for
/// definition levels and dictionary indices.
///
/// A value repeated at least eight times becomes a repeated run; everything else goes into
/// bit-packed runs of groups of eight, which end where a repeated run begins on a group boundary.
/// Only the very last group may be padded with zeros, so readers that stop at the page's value
/// count see exactly the values written.
enum RLEHybridEncoder {
    /// A run of identical values shorter than this is cheaper bit-packed.
    private static let minimumRepeatedRun = 8

    /// Appends the encoding of `values`, each of which must fit in `width` bits (0...32).
    static func encode<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<T>, width: Int, into output: inout WriteBuffer
    ) {
        precondition(width >= 0 && width <= 32, "RLE bit width out of range")
        let count = values.count
        let valueBytes = (width + 7) / 8
        var index = 0
        while index < count {
            let run = repeatLength(values, from: index, limit: count)
            if run >= minimumRepeatedRun {
                output.append(varint: UInt64(run) << 1)
                output.append(littleEndian: UInt64(values[index]), byteCount: valueBytes)
                index += run
                continue
            }
            let start = index
            var end = index
            repeat {
                end = min(end + 8, count)
            } while end < count
                && repeatLength(values, from: end, limit: min(count, end + minimumRepeatedRun)) < minimumRepeatedRun
            let groups = (end - start + 7) / 8
            output.append(varint: UInt64(groups) << 1 | 1)
            output.append(reserving: groups * width) { target in
                BitPacking.pack(
                    UnsafeBufferPointer(rebasing: values[start..<end]), width: width,
                    into: target.assumingMemoryBound(to: UInt8.self))
                return groups * width
            }
            index = end
        }
    }

    /// How many values from `start` equal `values[start]`, looking no further than `limit`.
    @inline(__always)
    private static func repeatLength<T: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<T>, from start: Int, limit: Int
    ) -> Int {
        let first = values[start]
        var end = start + 1
        while end < limit && values[end] == first { end += 1 }
        return end - start
    }
}
