import CSnappy
import CZlib
import CZstd

/// Compresses page bodies with the file's codec, the mirror of `PageDecompressor`, into one
/// output buffer reused from page to page (and one zstd context reused for the whole file).
///
/// Owned by one `ParquetFileWriter` and used from one thread at a time.
final class PageCompressor {
    let compression: ParquetWriterCompression
    private let zstdLevel: Int32
    private var zstdContext: OpaquePointer?
    private let output = ScratchBuffer()

    init(_ compression: ParquetWriterCompression, zstdLevel: Int32) {
        self.compression = compression
        self.zstdLevel = zstdLevel
    }

    deinit {
        if let zstdContext { ZSTD_freeCCtx(zstdContext) }
    }

    /// `body` compressed; the result lives until the next call. Uncompressed pages come back as they are.
    func compress(_ body: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer {
        switch compression {
        case .uncompressed: return body
        case .snappy: return try snappy(body)
        case .gzip: return try gzip(body)
        case .zstd: return try zstd(body)
        }
    }

    private func zstd(_ body: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer {
        if zstdContext == nil { zstdContext = ZSTD_createCCtx() }
        guard let context = zstdContext else { throw failure("zstd could not start") }
        let target = output.reserve(ZSTD_compressBound(body.count))
        let size = ZSTD_compressCCtx(context, target.baseAddress, target.count, body.baseAddress, body.count, zstdLevel)
        guard ZSTD_isError(size) == 0 else { throw failure("zstd failed: \(String(cString: ZSTD_getErrorName(size)))") }
        return UnsafeRawBufferPointer(rebasing: target[0..<size])
    }

    private func snappy(_ body: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer {
        var size = snappy_max_compressed_length(body.count)
        let target = output.reserve(size)
        // snappy-c reads its input through a non-null pointer even when it is empty.
        let empty: CChar = 0
        let status = withUnsafePointer(to: empty) { emptyInput in
            snappy_compress(
                body.baseAddress?.assumingMemoryBound(to: CChar.self) ?? emptyInput, body.count,
                target.baseAddress!.assumingMemoryBound(to: CChar.self), &size)
        }
        guard status == SNAPPY_OK else { throw failure("snappy failed with status \(status)") }
        return UnsafeRawBufferPointer(rebasing: target[0..<size])
    }

    /// A gzip member (RFC 1952), which is what Parquet's GZIP codec means.
    private func gzip(_ body: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer {
        var stream = z_stream()
        // deflateInit2 is a macro; its function takes the library version and stream size. 15 window
        // bits + 16 asks for a gzip header and trailer.
        let status = deflateInit2_(
            &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw failure("zlib could not start (status \(status))") }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(body.count)))
        let target = output.reserve(bound)
        stream.next_in = UnsafeMutablePointer(mutating: body.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(body.count)
        stream.next_out = target.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(target.count)
        let result = deflate(&stream, Z_FINISH)
        guard result == Z_STREAM_END else { throw failure("zlib failed (status \(result))") }
        return UnsafeRawBufferPointer(rebasing: target[0..<(target.count - Int(stream.avail_out))])
    }

    private func failure(_ problem: String) -> LakehouseError {
        LakehouseError(.internalError, "could not compress a Parquet page: \(problem)")
    }
}
