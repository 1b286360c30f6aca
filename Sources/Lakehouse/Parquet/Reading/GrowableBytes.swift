/// The data buffer of a variable-width column under construction: grows by doubling, is written
/// through raw pointers, and becomes the column's `[UInt8]` without a copy.
///
/// Every reservation leaves `slack` spare bytes past what was asked for, so short values can be
/// copied in whole 16-byte blocks (`copyBytes`) without checking for the buffer's end.
struct GrowableBytes {
    static let slack = 16

    private(set) var storage: [UInt8] = []
    /// Bytes in use; `storage` is longer.
    private(set) var count = 0

    init(capacity: Int = 0) {
        if capacity > 0 { grow(to: capacity + Self.slack) }
    }

    /// Makes room for `additional` more bytes. Offsets are Int32, so a column chunk's data stops at 2 GiB.
    mutating func reserve(additional: Int) throws {
        let needed = count + additional
        guard additional >= 0, needed <= Int(Int32.max) else {
            throw LakehouseError.unsupported("a Parquet column chunk with more than 2 GiB of variable-width data")
        }
        if needed + Self.slack > storage.count { grow(to: max(needed + Self.slack, storage.count * 2)) }
    }

    /// Runs `body` with the whole reserved buffer and the count in use; `body` updates the count.
    mutating func write<R>(
        _ body: (UnsafeMutablePointer<UInt8>, inout Int) throws -> R
    ) rethrows -> R {
        if storage.isEmpty { grow(to: Self.slack) }
        var used = count
        defer { count = used }
        return try storage.withUnsafeMutableBufferPointer { buffer in try body(buffer.baseAddress!, &used) }
    }

    /// The bytes in use, as an array.
    mutating func finish() -> [UInt8] {
        storage.removeLast(storage.count - count)
        return storage
    }

    /// Moves the bytes in use to a buffer of `capacity` bytes. The rest of the new buffer is left as
    /// malloc returned it: zeroing it would cost a pass over memory, and no byte past `count` is
    /// read before it is written (`finish` cuts them off).
    private mutating func grow(to capacity: Int) {
        let used = count
        storage = storage.withUnsafeBufferPointer { old in
            [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                if used > 0 { buffer.baseAddress!.update(from: old.baseAddress!, count: used) }
                initialized = capacity
            }
        }
    }
}

/// Copies `count` bytes in 16-byte blocks, reading and writing up to 15 bytes past the end; the
/// caller guarantees both buffers have that slack. Much faster than `memmove` for the short strings
/// that make up most text columns.
@inline(__always)
func copyBytes(from source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int) {
    var offset = 0
    repeat {
        let block = UnsafeRawPointer(source + offset).loadUnaligned(as: SIMD16<UInt8>.self)
        UnsafeMutableRawPointer(target + offset).storeBytes(of: block, as: SIMD16<UInt8>.self)
        offset &+= 16
    } while offset < count
}
