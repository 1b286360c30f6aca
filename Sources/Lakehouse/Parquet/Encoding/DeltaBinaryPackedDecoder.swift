/// Decodes DELTA_BINARY_PACKED integers: a header (block size, miniblocks per block, value count,
/// first value), then blocks of a minimum delta, one bit width per miniblock and the bit-packed
/// deltas above that minimum. Arithmetic wraps, as the encoding specifies.
struct DeltaBinaryPackedDecoder {
    private var cursor: ByteCursor
    /// How many values the header announces.
    let valueCount: Int
    private let miniblocksPerBlock: Int
    private let valuesPerMiniblock: Int
    private let firstValue: Int64

    init(_ bytes: UnsafeRawBufferPointer) throws {
        cursor = ByteCursor(bytes)
        let blockSize = try cursor.readVarint()
        let miniblocks = try cursor.readVarint()
        let count = try cursor.readVarint()
        firstValue = try cursor.readZigZag()
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 20, miniblocks > 0, blockSize % miniblocks == 0,
            (blockSize / miniblocks) % 32 == 0, count <= UInt64(Int32.max)
        else { throw ParquetFormatError("DELTA_BINARY_PACKED header is invalid") }
        miniblocksPerBlock = Int(miniblocks)
        valuesPerMiniblock = Int(blockSize / miniblocks)
        valueCount = Int(count)
    }

    /// Decodes all `valueCount` values into `output` (which must have room for them), truncating to `T`.
    mutating func decode<T: FixedWidthInteger>(into output: UnsafeMutablePointer<T>) throws {
        guard valueCount > 0 else { return }
        output[0] = T(truncatingIfNeeded: firstValue)
        var previous = firstValue
        var done = 1
        var bitWidths = [UInt8](repeating: 0, count: miniblocksPerBlock)
        var deltas = [UInt64](repeating: 0, count: valuesPerMiniblock)
        while done < valueCount {
            let minimumDelta = try cursor.readZigZag()
            for index in 0..<miniblocksPerBlock { bitWidths[index] = try cursor.readByte() }
            for miniblock in 0..<miniblocksPerBlock where done < valueCount {
                let width = Int(bitWidths[miniblock])
                guard width <= 64 else { throw ParquetFormatError("DELTA_BINARY_PACKED bit width \(width) is over 64") }
                let packed = try cursor.readBytes(valuesPerMiniblock * width / 8)
                let take = min(valuesPerMiniblock, valueCount - done)
                deltas.withUnsafeMutableBufferPointer { deltas in
                    BitUnpacking.unpack(packed, width: width, count: take, into: deltas.baseAddress!)
                    let out = output + done
                    for index in 0..<take {
                        previous = previous &+ minimumDelta &+ Int64(bitPattern: deltas[index])
                        out[index] = T(truncatingIfNeeded: previous)
                    }
                }
                done += take
            }
        }
    }

    /// Bytes consumed so far; after `decode`, where the data following the integers starts.
    var consumed: Int { cursor.position }
}
