/// Decodes BYTE_STREAM_SPLIT: byte `k` of value `i` is stored at `k * count + i`, so each of the
/// `width` streams holds one byte position of every value.
enum ByteStreamSplit {
    /// Reassembles `count` values of `width` bytes from `source` into `output`.
    static func decode(
        _ source: UnsafeRawBufferPointer, width: Int, count: Int, into output: UnsafeMutableRawPointer
    ) throws {
        guard source.count >= width * count else {
            throw ParquetFormatError.tooShort("BYTE_STREAM_SPLIT data", needed: width * count, available: source.count)
        }
        guard let input = source.baseAddress, count > 0 else { return }
        switch width {
        case 4: interleave(input, width: 4, count: count, into: output)
        case 8: interleave(input, width: 8, count: count, into: output)
        default: interleave(input, width: width, count: count, into: output)
        }
    }

    @inline(__always)
    private static func interleave(
        _ input: UnsafeRawPointer, width: Int, count: Int, into output: UnsafeMutableRawPointer
    ) {
        let source = input.assumingMemoryBound(to: UInt8.self)
        let target = output.assumingMemoryBound(to: UInt8.self)
        for index in 0..<count {
            for stream in 0..<width { target[index &* width &+ stream] = source[stream &* count &+ index] }
        }
    }
}
