/// Decoders for BYTE_ARRAY values: each appends value bytes to `data` and writes the end offset of
/// dense value `i` to `ends[i]`.
enum ByteArrayDecoding {
    /// PLAIN: a 4-byte little-endian length before each value.
    static func plain(
        _ bytes: UnsafeRawBufferPointer, count: Int, ends: UnsafeMutablePointer<Int32>, data: inout GrowableBytes
    ) throws {
        // The values cannot take more bytes than the page has, so one reservation covers them all.
        try data.reserve(additional: bytes.count)
        guard let source = bytes.baseAddress else {
            guard count == 0 else { throw ParquetFormatError.tooShort("PLAIN byte arrays", needed: 4, available: 0) }
            return
        }
        try data.write { target, end in
            var position = 0
            for index in 0..<count {
                guard bytes.count - position >= 4 else {
                    throw ParquetFormatError("PLAIN byte array \(index) of \(count) starts past the end of the page")
                }
                let length = Int(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                position += 4
                guard length <= bytes.count - position else {
                    throw ParquetFormatError("PLAIN byte array of \(length) bytes runs past the end of the page")
                }
                let value = (source + position).assumingMemoryBound(to: UInt8.self)
                if position + length + GrowableBytes.slack <= bytes.count {
                    copyBytes(from: value, to: target + end, count: length)
                } else {
                    (target + end).update(from: value, count: length)
                }
                end += length
                position += length
                ends[index] = Int32(truncatingIfNeeded: end)
            }
        }
    }

    /// DELTA_LENGTH_BYTE_ARRAY: all lengths (DELTA_BINARY_PACKED), then all value bytes back to back.
    static func deltaLength(
        _ bytes: UnsafeRawBufferPointer, count: Int, ends: UnsafeMutablePointer<Int32>, data: inout GrowableBytes,
        scratch: ScratchBuffer
    ) throws {
        let lengths = scratch.reserve(count, of: Int32.self)
        let consumed = try decodeLengths(bytes, count: count, into: lengths)
        let values = UnsafeRawBufferPointer(rebasing: bytes[consumed...])
        let total = try sum(lengths, count: count, limit: values.count, what: "DELTA_LENGTH_BYTE_ARRAY values")
        try data.reserve(additional: total)
        data.write { target, end in
            if total > 0 {
                (target + end).update(from: values.baseAddress!.assumingMemoryBound(to: UInt8.self), count: total)
            }
            for index in 0..<count {
                end += Int(lengths[index])
                ends[index] = Int32(truncatingIfNeeded: end)
            }
        }
    }

    /// DELTA_BYTE_ARRAY: prefix lengths shared with the previous value, then the suffixes as
    /// DELTA_LENGTH_BYTE_ARRAY.
    static func delta(
        _ bytes: UnsafeRawBufferPointer, count: Int, ends: UnsafeMutablePointer<Int32>, data: inout GrowableBytes,
        scratch: ScratchBuffer
    ) throws {
        let prefixes = scratch.reserve(count * 2, of: Int32.self)
        let suffixes = prefixes + count
        let prefixBytes = try decodeLengths(bytes, count: count, into: prefixes)
        let rest = UnsafeRawBufferPointer(rebasing: bytes[prefixBytes...])
        let suffixBytes = try decodeLengths(rest, count: count, into: suffixes)
        let suffixData = UnsafeRawBufferPointer(rebasing: rest[suffixBytes...])
        let suffixTotal = try sum(suffixes, count: count, limit: suffixData.count, what: "DELTA_BYTE_ARRAY suffixes")
        let prefixTotal = try sum(prefixes, count: count, limit: Int(Int32.max), what: "DELTA_BYTE_ARRAY prefixes")
        try data.reserve(additional: prefixTotal + suffixTotal)
        try data.write { target, end in
            var previousStart = end
            var previousLength = 0
            var suffixPosition = 0
            for index in 0..<count {
                let prefix = Int(prefixes[index])
                let suffix = Int(suffixes[index])
                guard prefix <= previousLength else {
                    throw ParquetFormatError("DELTA_BYTE_ARRAY prefix of \(prefix) is longer than the previous value")
                }
                let start = end
                (target + start).update(from: target + previousStart, count: prefix)
                if suffix > 0 {
                    (target + start + prefix).update(
                        from: (suffixData.baseAddress! + suffixPosition).assumingMemoryBound(to: UInt8.self),
                        count: suffix)
                }
                suffixPosition += suffix
                end = start + prefix + suffix
                ends[index] = Int32(truncatingIfNeeded: end)
                previousStart = start
                previousLength = prefix + suffix
            }
        }
    }

    /// Decodes `count` DELTA_BINARY_PACKED lengths; returns the bytes they took.
    private static func decodeLengths(
        _ bytes: UnsafeRawBufferPointer, count: Int, into lengths: UnsafeMutablePointer<Int32>
    ) throws -> Int {
        var decoder = try DeltaBinaryPackedDecoder(bytes)
        guard decoder.valueCount == count else {
            throw ParquetFormatError("delta-encoded lengths hold \(decoder.valueCount) values, page has \(count)")
        }
        try decoder.decode(into: lengths)
        return decoder.consumed
    }

    /// The sum of `count` non-negative lengths, at most `limit`.
    private static func sum(_ lengths: UnsafeMutablePointer<Int32>, count: Int, limit: Int, what: String) throws -> Int
    {
        var total = 0
        var smallest: Int32 = 0
        for index in 0..<count {
            total += Int(lengths[index])
            smallest = min(smallest, lengths[index])
        }
        guard smallest >= 0, total <= limit else {
            throw ParquetFormatError("\(what) need \(total) bytes but the page has \(limit)")
        }
        return total
    }
}
