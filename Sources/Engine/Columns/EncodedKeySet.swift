/// A set of key rows for membership tests a batch at a time: an open-addressing (linear probing)
/// table over hashes from `ColumnHashing.hashRows`, with each distinct key's `EncodedKeys` bytes kept
/// in one arena for the equality check. Keys that encode alike are equal, so NULL equals NULL here
/// (what anti-joins on "not distinct" keys and Iceberg equality deletes need).
///
/// A slot packs the upper 32 bits of the key's hash with its index, so most probes that meet another
/// key reject it without reading the arena. Hashes and keys must come from columns of the same types.
public struct EncodedKeySet: Sendable {
    /// `hash >> 32 << 32 | (key index + 1)` per slot; 0 marks an empty slot.
    private var slots: [UInt64]
    private var mask: Int
    private var keyHashes: [UInt64] = []
    /// Where each key starts in `keyBytes`; key `i` is `keyBytes[keyOffsets[i]..<keyOffsets[i + 1]]`.
    private var keyOffsets: [Int] = [0]
    private var keyBytes: [UInt8] = []

    private static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000

    /// An empty set with room for about `capacity` keys before it grows.
    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// How many distinct keys the set holds.
    public var count: Int { keyHashes.count }

    public var isEmpty: Bool { keyHashes.isEmpty }

    /// Memory the set holds, for accounting.
    public var approximateBytes: Int { slots.count * 8 + keyHashes.count * 16 + keyBytes.count }

    /// Adds every row of `keys` (with `hashes[i]` the hash of row `i`) not already present.
    public mutating func insert(_ keys: EncodedKeys, hashes: [UInt64]) {
        keys.bytes.withUnsafeBufferPointer { rowBytes in
            for row in 0..<hashes.count { insert(hashes[row], rowBytes, keys.offsets[row], keys.offsets[row + 1]) }
        }
    }

    /// Adds every key of `other` not already present.
    public mutating func formUnion(_ other: EncodedKeySet) {
        other.keyBytes.withUnsafeBufferPointer { otherBytes in
            for key in 0..<other.count {
                insert(other.keyHashes[key], otherBytes, other.keyOffsets[key], other.keyOffsets[key + 1])
            }
        }
    }

    private mutating func insert(_ hash: UInt64, _ rowBytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        if find(hash, rowBytes, start, end) != nil { return }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = hash & Self.tagMask | UInt64(keyHashes.count + 1)
        keyHashes.append(hash)
        keyBytes.append(contentsOf: UnsafeBufferPointer(rebasing: rowBytes[start..<end]))
        keyOffsets.append(keyBytes.count)
        if keyHashes.count * 2 > slots.count { grow() }
    }

    /// Sets `found[i]` for every row `i` of `keys` the set holds (other entries are left as they are),
    /// so several sets can mark the same rows.
    public func markContained(_ keys: EncodedKeys, hashes: [UInt64], in found: inout [Bool]) {
        guard !isEmpty else { return }
        keys.bytes.withUnsafeBufferPointer { rowBytes in
            keys.offsets.withUnsafeBufferPointer { offsets in
                found.withUnsafeMutableBufferPointer { found in
                    for row in 0..<hashes.count where !found[row] {
                        found[row] = find(hashes[row], rowBytes, offsets[row], offsets[row + 1]) != nil
                    }
                }
            }
        }
    }

    /// The index of the stored key equal to `rowBytes[start..<end]`, or nil.
    @inline(__always)
    private func find(_ hash: UInt64, _ rowBytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        let tag = hash & Self.tagMask
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            keyBytes.withUnsafeBufferPointer { stored in
                keyOffsets.withUnsafeBufferPointer { offsets in
                    while true {
                        let entry = slots[slot]
                        if entry == 0 { return nil }
                        let key = Int(entry & ~Self.tagMask) - 1
                        if entry & Self.tagMask == tag,
                            EncodedKeys.equal(stored, offsets[key], offsets[key + 1], rowBytes, start, end)
                        {
                            return key
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for (key, hash) in keyHashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = hash & Self.tagMask | UInt64(key + 1)
        }
    }
}
