#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The dictionary of a BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY column: entries back to back in one byte
/// array, and an open-addressing table (at most half full) from a value's hash to its index.
///
/// Values are hashed and compared in place, so looking up a value that is already an entry neither
/// allocates nor copies; a new entry is one append.
struct ByteArrayDictionary {
    /// Entry bytes in index order.
    private(set) var data: [UInt8] = []
    /// Where entry `i` ends in `data`; it starts where entry `i - 1` ends.
    private(set) var ends: [Int32] = []
    private var hashes: [UInt64] = []
    /// Entry index + 1 per slot, 0 for an empty slot; the count is a power of two.
    private var slots: [UInt32] = []
    private var shift: UInt64 = 64

    var count: Int { ends.count }

    mutating func removeAll() {
        data.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        slots = []
        shift = 64
    }

    /// The bytes of entry `index`.
    func withEntry<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return data.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<Int(ends[index])])) }
    }

    /// The index of `value`, which becomes a new entry if the dictionary does not hold it yet.
    @inline(__always)
    mutating func index(of value: UnsafeRawBufferPointer) -> UInt32 {
        if ends.count * 2 >= slots.count { grow() }
        let hash = Self.hash(value)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash >> shift)
        while true {
            let stored = slots[slot]
            if stored == 0 { break }
            let entry = Int(stored) - 1
            if hashes[entry] == hash && entryEquals(entry, value) { return stored - 1 }
            slot = (slot + 1) & mask
        }
        data.append(
            contentsOf: UnsafeBufferPointer(
                start: value.baseAddress?.assumingMemoryBound(to: UInt8.self), count: value.count))
        ends.append(Int32(truncatingIfNeeded: data.count))
        hashes.append(hash)
        slots[slot] = UInt32(truncatingIfNeeded: ends.count)
        return UInt32(truncatingIfNeeded: ends.count - 1)
    }

    @inline(__always)
    private func entryEquals(_ entry: Int, _ value: UnsafeRawBufferPointer) -> Bool {
        let start = entry == 0 ? 0 : Int(ends[entry - 1])
        let length = Int(ends[entry]) - start
        guard length == value.count else { return false }
        guard length > 0 else { return true }
        return data.withUnsafeBytes { memcmp($0.baseAddress! + start, value.baseAddress!, length) == 0 }
    }

    /// Doubles the table (64 slots at first) and reinserts every entry by its stored hash.
    private mutating func grow() {
        let size = Swift.max(64, slots.count * 2)
        shift = UInt64(64 - size.trailingZeroBitCount)
        var table = [UInt32](repeating: 0, count: size)
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash >> shift)
            while table[slot] != 0 { slot = (slot + 1) & (size - 1) }
            table[slot] = UInt32(truncatingIfNeeded: index + 1)
        }
        slots = table
    }

    /// A 64-bit hash of `bytes`, eight bytes at a time with a multiply-xorshift mix.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
            hash ^= hash >> 29
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            for index in offset..<bytes.count { tail |= UInt64(bytes[index]) << UInt64(8 * (index - offset)) }
            hash = (hash ^ tail) &* multiplier
            hash ^= hash >> 29
        }
        hash ^= hash >> 32
        hash = hash &* 0xD6E8_FEB8_6659_FD93
        return hash ^ (hash >> 32)
    }
}
