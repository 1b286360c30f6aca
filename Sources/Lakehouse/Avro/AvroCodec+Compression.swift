import CSnappy
import CZlib
import CZstd

extension AvroCodec {
    /// The compressed form of one container-file block, as `decompress(_:location:)` reads it back;
    /// `22000` when the compression library fails.
    func compress(_ block: [UInt8]) throws -> [UInt8] {
        switch self {
        case .null: return block
        case .deflate: return try Self.deflate(block)
        case .snappy: return try Self.snappy(block)
        case .zstandard: return try Self.zstd(block)
        }
    }

    private static func failure(_ problem: String) -> LakehouseError {
        LakehouseError.cannotWrite("an Avro block", problem)
    }

    private static func deflate(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        // Raw deflate (RFC 1951, negative window bits): Avro's deflate codec has no zlib header.
        let started = deflateInit2_(
            &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        guard started == Z_OK else { throw failure("could not start deflating (zlib status \(started))") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))))
        var input = input
        let status = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                return CZlib.deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw failure("deflate did not finish (zlib status \(status))") }
        return Array(output[..<Int(stream.total_out)])
    }

    /// Snappy's block followed by the big-endian CRC-32 of the uncompressed bytes.
    private static func snappy(_ input: [UInt8]) throws -> [UInt8] {
        var length = snappy_max_compressed_length(input.count)
        var output = [UInt8](repeating: 0, count: length)
        let status = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                source.withMemoryRebound(to: CChar.self) { source in
                    target.withMemoryRebound(to: CChar.self) { target in
                        snappy_compress(source.baseAddress, source.count, target.baseAddress, &length)
                    }
                }
            }
        }
        guard status == SNAPPY_OK else { throw failure("snappy compression failed") }
        output.removeSubrange(length...)
        let checksum = input.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        output.append(contentsOf: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: checksum >> $0) })
        return output
    }

    private static func zstd(_ input: [UInt8]) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        let written = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { target in
                ZSTD_compress(target.baseAddress, target.count, source.baseAddress, source.count, 3)
            }
        }
        guard ZSTD_isError(written) == 0 else { throw failure("zstandard compression failed") }
        return Array(output[..<written])
    }
}
