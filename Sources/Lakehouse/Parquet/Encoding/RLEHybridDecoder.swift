/// Decodes Parquet's RLE/bit-packed hybrid encoding, used for definition levels, booleans (v2 pages)
/// and dictionary indices.
///
/// The data is a sequence of runs, each introduced by a varint: an even header is a repeated run
/// (`header >> 1` copies of one value stored in `ceil(width / 8)` bytes), an odd one a bit-packed run
/// of `header >> 1` groups of eight values.
struct RLEHybridDecoder {
    private var cursor: ByteCursor
    let width: Int

    init(_ bytes: UnsafeRawBufferPointer, width: Int) throws {
        guard width >= 0, width <= 32 else { throw ParquetFormatError("RLE bit width \(width) is over 32") }
        cursor = ByteCursor(bytes)
        self.width = width
    }

    /// Decodes exactly `count` values into `output`; throws when the runs end first.
    mutating func decode<T: FixedWidthInteger & UnsignedInteger>(count: Int, into output: UnsafeMutablePointer<T>)
        throws
    {
        var done = 0
        let valueBytes = (width + 7) / 8
        while done < count {
            let header = try cursor.readVarint()
            guard header >> 1 <= UInt64(Int32.max) else {
                throw ParquetFormatError("RLE run of \(header >> 1) is too long")
            }
            let runLength = Int(header >> 1)
            if header & 1 == 0 {
                var value: UInt64 = 0
                for index in 0..<valueBytes { value |= UInt64(try cursor.readByte()) << UInt64(index * 8) }
                guard value >> UInt64(width) == 0 else {
                    throw ParquetFormatError("RLE run value \(value) exceeds bit width \(width)")
                }
                let take = min(runLength, count - done)
                (output + done).update(repeating: T(truncatingIfNeeded: value), count: take)
                done += take
            } else {
                let packedBytes = runLength * width
                // The final run of a page may be cut short after its last meaningful value.
                let available = min(packedBytes, cursor.remaining)
                let packedValues = width == 0 ? runLength * 8 : min(runLength * 8, available * 8 / width)
                let take = min(packedValues, count - done)
                guard take > 0 || runLength == 0 else {
                    throw ParquetFormatError("RLE bit-packed run is empty or truncated")
                }
                let bytes = try cursor.readBytes(available)
                BitUnpacking.unpack(bytes, width: width, count: take, into: output + done)
                done += take
            }
        }
    }

    /// Bytes consumed so far.
    var consumed: Int { cursor.position }
}
