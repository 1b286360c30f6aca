/// Bytes being assembled — a page, a column chunk, the file — appended through raw pointers and
/// grown by doubling, so encoders write whole runs of values without a capacity check per value.
///
/// `storage` is always fully initialized (its count is the capacity); `count` says how much of it
/// is in use. `removeAll()` keeps the memory for the next page.
struct WriteBuffer {
    private var storage: [UInt8] = []
    /// Bytes in use.
    private(set) var count = 0

    init(capacity: Int = 0) {
        if capacity > 0 { grow(to: capacity) }
    }

    var isEmpty: Bool { count == 0 }

    /// Forgets the contents, keeping the memory.
    mutating func removeAll() { count = 0 }

    /// The bytes in use, copied into an array.
    var bytes: [UInt8] { Array(storage[0..<count]) }

    /// Lends the bytes in use.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { all in try body(UnsafeRawBufferPointer(rebasing: all[0..<count])) }
    }

    /// Makes room for `additional` more bytes, then lets `body` write up to that many at the end;
    /// `body` returns how many it wrote.
    mutating func append(reserving additional: Int, _ body: (UnsafeMutableRawPointer) throws -> Int) rethrows {
        if count + additional > storage.count { grow(to: max(count + additional, storage.count * 2, 64)) }
        let start = count
        let written = try storage.withUnsafeMutableBytes { all in try body(all.baseAddress! + start) }
        precondition(written >= 0 && written <= additional, "wrote past the reserved bytes")
        count += written
    }

    /// Lets `body` transform the bytes in use in place; it returns their new count, at most the old one.
    mutating func rewrite(_ body: (UnsafeMutableRawBufferPointer) -> Int) {
        let used = count
        let newCount = storage.withUnsafeMutableBytes { all in
            body(UnsafeMutableRawBufferPointer(rebasing: all[0..<used]))
        }
        precondition(newCount >= 0 && newCount <= used, "rewrote to more bytes than there were")
        count = newCount
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        append(reserving: bytes.count) { target in
            target.copyMemory(from: source, byteCount: bytes.count)
            return bytes.count
        }
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    mutating func append(_ other: WriteBuffer) {
        other.withUnsafeBytes { append($0) }
    }

    mutating func append(byte: UInt8) {
        append(reserving: 1) { target in
            target.storeBytes(of: byte, as: UInt8.self)
            return 1
        }
    }

    /// The low `byteCount` bytes of `value`, least significant first.
    mutating func append(littleEndian value: UInt64, byteCount: Int) {
        append(reserving: byteCount) { target in
            for index in 0..<byteCount {
                target.storeBytes(
                    of: UInt8(truncatingIfNeeded: value >> UInt64(index * 8)), toByteOffset: index, as: UInt8.self)
            }
            return byteCount
        }
    }

    /// An unsigned LEB128 varint.
    mutating func append(varint value: UInt64) {
        append(reserving: 10) { target in
            var rest = value
            var written = 0
            while rest >= 0x80 {
                target.storeBytes(of: UInt8(truncatingIfNeeded: rest) | 0x80, toByteOffset: written, as: UInt8.self)
                rest >>= 7
                written += 1
            }
            target.storeBytes(of: UInt8(rest), toByteOffset: written, as: UInt8.self)
            return written + 1
        }
    }

    /// Moves the bytes in use to a buffer of `capacity` bytes; the new tail is left as malloc
    /// returned it, since nothing past `count` is read before it is written.
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
