/// The data buffer of a variable-width column under construction: grows by doubling, is written
/// through raw pointers, and becomes the column's `[UInt8]` without a copy.
struct GrowableBytes {
    private(set) var storage: [UInt8] = []
    /// Bytes in use; `storage` may be longer.
    private(set) var count = 0

    /// Makes room for `additional` more bytes. Offsets are Int32, so a column chunk's data stops at 2 GiB.
    mutating func reserve(additional: Int) throws {
        let needed = count + additional
        guard additional >= 0, needed <= Int(Int32.max) else {
            throw LakehouseError.unsupported("a Parquet column chunk with more than 2 GiB of variable-width data")
        }
        if needed > storage.count {
            storage.append(contentsOf: repeatElement(0, count: max(needed, storage.count * 2) - storage.count))
        }
    }

    /// Runs `body` with the whole reserved buffer and the count in use; `body` returns the new count.
    mutating func write<R>(
        _ body: (UnsafeMutablePointer<UInt8>, inout Int) throws -> R
    ) rethrows -> R {
        var used = count
        defer { count = used }
        return try storage.withUnsafeMutableBufferPointer { buffer in
            // `reserve` always runs first, so the buffer has a base address whenever bytes are written.
            try body(buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 1)!, &used)
        }
    }

    /// The bytes in use, as an array.
    mutating func finish() -> [UInt8] {
        storage.removeLast(storage.count - count)
        return storage
    }
}
