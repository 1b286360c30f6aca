import CLZ4
import CSnappy
import CZlib
import CZstd

/// Decompresses page bodies with the column chunk's codec into a buffer of the exact size the page
/// header promises; a body that decompresses to any other size is corrupt.
enum PageDecompressor {
    static func decompress(
        _ source: UnsafeRawBufferPointer, codec: Int32, into output: UnsafeMutableRawBufferPointer
    ) throws {
        guard let codecKind = ParquetCompressionCodec(rawValue: codec) else {
            throw LakehouseError.unsupported("Parquet compression codec \(codec) is not supported")
        }
        let produced: Int
        switch codecKind {
        case .uncompressed:
            guard source.count == output.count else { throw sizeMismatch(source.count, output.count) }
            if !source.isEmpty { output.copyMemory(from: source) }
            return
        case .snappy: produced = try snappy(source, into: output)
        case .gzip: produced = try gzip(source, into: output)
        case .zstd: produced = try zstd(source, into: output)
        case .lz4Raw: produced = try lz4Block(source, into: output)
        case .lz4: produced = try lz4Hadoop(source, into: output)
        case .lzo, .brotli:
            throw LakehouseError.unsupported("Parquet compression codec \(codecKind) is not supported")
        }
        guard produced == output.count else { throw sizeMismatch(produced, output.count) }
    }

    private static func sizeMismatch(_ produced: Int, _ expected: Int) -> ParquetFormatError {
        ParquetFormatError("page decompressed to \(produced) bytes, header says \(expected)")
    }

    private static func snappy(_ source: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws
        -> Int
    {
        guard let input = source.baseAddress?.assumingMemoryBound(to: CChar.self), let target = output.baseAddress
        else { return source.isEmpty ? 0 : -1 }
        var length = 0
        guard snappy_uncompressed_length(input, source.count, &length) == SNAPPY_OK, length == output.count else {
            throw ParquetFormatError("snappy data is corrupt or of the wrong size")
        }
        guard snappy_uncompress(input, source.count, target.assumingMemoryBound(to: CChar.self), &length) == SNAPPY_OK
        else { throw ParquetFormatError("snappy data is corrupt") }
        return length
    }

    private static func zstd(_ source: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws -> Int
    {
        guard let input = source.baseAddress, let target = output.baseAddress else { return 0 }
        let result = ZSTD_decompress(target, output.count, input, source.count)
        guard ZSTD_isError(result) == 0 else {
            throw ParquetFormatError("zstd data is corrupt: \(String(cString: ZSTD_getErrorName(result)))")
        }
        return result
    }

    private static func lz4Block(_ source: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws
        -> Int
    {
        guard let input = source.baseAddress, let target = output.baseAddress else { return 0 }
        guard source.count <= Int(Int32.max), output.count <= Int(Int32.max) else {
            throw ParquetFormatError("LZ4 page is too large")
        }
        let result = LZ4_decompress_safe(
            input.assumingMemoryBound(to: CChar.self), target.assumingMemoryBound(to: CChar.self),
            Int32(source.count), Int32(output.count))
        guard result >= 0 else { throw ParquetFormatError("LZ4 data is corrupt") }
        return Int(result)
    }

    /// The deprecated LZ4 codec as Hadoop writes it: blocks of big-endian uncompressed length,
    /// compressed length and a raw LZ4 block. Some writers put a bare LZ4 block instead; that is
    /// tried when the framing does not add up.
    private static func lz4Hadoop(_ source: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws
        -> Int
    {
        var cursor = ByteCursor(source)
        var produced = 0
        framing: while !cursor.isAtEnd {
            guard let rawLength = try? cursor.readLittleEndian(UInt32.self),
                let rawCompressed = try? cursor.readLittleEndian(UInt32.self)
            else { break framing }
            let uncompressed = Int(UInt32(bigEndian: rawLength))
            let compressed = Int(UInt32(bigEndian: rawCompressed))
            guard uncompressed <= output.count - produced, let block = try? cursor.readBytes(compressed) else {
                break framing
            }
            let target = UnsafeMutableRawBufferPointer(rebasing: output[produced..<produced + uncompressed])
            guard let count = try? lz4Block(block, into: target), count == uncompressed else { break framing }
            produced += count
            if cursor.isAtEnd, produced == output.count { return produced }
        }
        return try lz4Block(source, into: output)
    }

    private static func gzip(_ source: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws -> Int
    {
        var stream = z_stream()
        // 15 window bits + 32: accept both gzip and zlib headers.
        guard weir_inflateInit2(&stream, 15 + 32) == Z_OK else { throw ParquetFormatError("zlib could not start") }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(source.count)
        stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(output.count)
        while true {
            let status = inflate(&stream, Z_FINISH)
            if status == Z_STREAM_END {
                // Concatenated gzip members continue the same output.
                guard stream.avail_in > 0, stream.avail_out > 0 else { break }
                guard inflateReset(&stream) == Z_OK else { throw ParquetFormatError("zlib could not restart") }
                continue
            }
            if status == Z_BUF_ERROR, stream.avail_out == 0 { break }
            throw ParquetFormatError("gzip data is corrupt (zlib status \(status))")
        }
        return output.count - Int(stream.avail_out)
    }
}
