import CSnappy
import CZlib
import CZstd

/// The block compression of an Avro object container file (`avro.codec`).
public enum AvroCodec: String, Sendable {
    case null
    case deflate
    /// Snappy blocks followed by a big-endian CRC-32 of the uncompressed bytes.
    case snappy
    case zstandard

    /// The codec a container file names, or `0A000` naming the file for one Weir does not read
    /// (such as bzip2).
    static func named(_ name: String, location: String) throws -> AvroCodec {
        guard let codec = AvroCodec(rawValue: name) else {
            throw LakehouseError.unsupported("could not read \"\(location)\": Avro codec \"\(name)\" is not supported")
        }
        return codec
    }

    /// The uncompressed bytes of one block; `XX001` naming `location` when they do not decode.
    func decompress(_ block: [UInt8], location: String) throws -> [UInt8] {
        switch self {
        case .null: return block
        case .deflate: return try Self.inflate(block, location: location)
        case .snappy: return try Self.unsnappy(block, location: location)
        case .zstandard: return try Self.unzstd(block, location: location)
        }
    }

    private static func inflate(_ input: [UInt8], location: String) throws -> [UInt8] {
        var stream = z_stream()
        // Avro's deflate is raw deflate (RFC 1951): negative window bits select no zlib header.
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw LakehouseError.corrupt(location, "could not start inflating a deflate block")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(input.count * 4, 1024))
        var produced = 0
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            while true {
                if produced == output.count { output.append(contentsOf: repeatElement(0, count: output.count)) }
                let result = output.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress! + produced
                    stream.avail_out = UInt32(target.count - produced)
                    let result = CZlib.inflate(&stream, Z_NO_FLUSH)
                    produced = target.count - Int(stream.avail_out)
                    return result
                }
                if result == Z_STREAM_END { return result }
                if result != Z_OK && result != Z_BUF_ERROR { return result }
                if result == Z_BUF_ERROR && stream.avail_in == 0 { return result }
            }
        }
        guard status == Z_STREAM_END else {
            throw LakehouseError.corrupt(location, "deflate block does not decompress (zlib status \(status))")
        }
        return Array(output[..<produced])
    }

    private static func unsnappy(_ input: [UInt8], location: String) throws -> [UInt8] {
        guard input.count >= 4 else { throw LakehouseError.corrupt(location, "snappy block shorter than its CRC") }
        let compressedCount = input.count - 4
        var length = 0
        var output: [UInt8] = []
        let status = input.withUnsafeBufferPointer { source -> snappy_status in
            let base = UnsafeRawPointer(source.baseAddress!).assumingMemoryBound(to: CChar.self)
            var status = snappy_uncompressed_length(base, compressedCount, &length)
            guard status == SNAPPY_OK, length <= 1 << 31 else { return SNAPPY_INVALID_INPUT }
            output = [UInt8](repeating: 0, count: length)
            status = output.withUnsafeMutableBufferPointer { target in
                let targetBase = UnsafeMutableRawPointer(target.baseAddress!).assumingMemoryBound(to: CChar.self)
                return snappy_uncompress(base, compressedCount, targetBase, &length)
            }
            return status
        }
        guard status == SNAPPY_OK else { throw LakehouseError.corrupt(location, "snappy block does not decompress") }
        output.removeSubrange(length...)
        let expected = input[compressedCount...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let actual = output.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        guard expected == actual else { throw LakehouseError.corrupt(location, "snappy block fails its CRC-32 check") }
        return output
    }

    private static func unzstd(_ input: [UInt8], location: String) throws -> [UInt8] {
        guard let stream = ZSTD_createDStream() else {
            throw LakehouseError.corrupt(location, "could not start a zstandard decoder")
        }
        defer { ZSTD_freeDStream(stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(ZSTD_DStreamOutSize(), 1))
        var finished = false
        try input.withUnsafeBytes { source in
            var inBuffer = ZSTD_inBuffer(src: source.baseAddress, size: source.count, pos: 0)
            while inBuffer.pos < inBuffer.size || !finished {
                let (result, written) = chunk.withUnsafeMutableBytes { target in
                    var outBuffer = ZSTD_outBuffer(dst: target.baseAddress, size: target.count, pos: 0)
                    let result = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
                    return (result, outBuffer.pos)
                }
                if ZSTD_isError(result) != 0 {
                    throw LakehouseError.corrupt(location, "zstandard block does not decompress")
                }
                output.append(contentsOf: chunk[..<written])
                finished = result == 0
                if inBuffer.pos == inBuffer.size && !finished && written == 0 {
                    throw LakehouseError.corrupt(location, "zstandard block is truncated")
                }
            }
        }
        return output
    }
}
