/// The build side of a hash join: an open-addressing (linear probing) table with one slot per distinct
/// key, whose build rows with that key are chained in build order through `next`.
struct JoinHashTable {
    /// First build row + 1 per slot; 0 marks an empty slot.
    private var slots: [Int32]
    private let mask: Int
    /// The next build row with the same key, or -1.
    private var next: [Int32]
    private let hashes: [UInt64]
    let keys: EncodedKeys

    /// Indexes the build rows where `insertable` is set (rows with a NULL key never match).
    init(hashes: [UInt64], keys: EncodedKeys, insertable: [Bool]) {
        var size = 16
        while size < hashes.count * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        next = [Int32](repeating: -1, count: hashes.count)
        self.hashes = hashes
        self.keys = keys
        keys.bytes.withUnsafeBufferPointer { bytes in
            // Inserting backwards and prepending leaves each chain in build order.
            for row in stride(from: hashes.count - 1, through: 0, by: -1) where insertable[row] {
                var slot = Int(truncatingIfNeeded: hashes[row]) & mask
                while true {
                    let head = Int(slots[slot]) - 1
                    if head < 0 {
                        slots[slot] = Int32(row + 1)
                        break
                    }
                    if hashes[head] == hashes[row],
                        EncodedKeys.equal(
                            bytes, keys.offsets[head], keys.offsets[head + 1], bytes, keys.offsets[row],
                            keys.offsets[row + 1])
                    {
                        next[row] = Int32(head)
                        slots[slot] = Int32(row + 1)
                        break
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    var approximateBytes: Int { slots.count * 4 + next.count * 12 + keys.bytes.count + keys.offsets.count * 8 }

    /// The first build row whose key equals row `row` of `probeKeys` (hash `hash`), or -1.
    func firstMatch(hash: UInt64, probeKeys: EncodedKeys, row: Int) -> Int32 {
        keys.bytes.withUnsafeBufferPointer { bytes in
            probeKeys.bytes.withUnsafeBufferPointer { probeBytes in
                let start = probeKeys.offsets[row]
                let end = probeKeys.offsets[row + 1]
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let head = Int(slots[slot]) - 1
                    if head < 0 { return -1 }
                    if hashes[head] == hash,
                        EncodedKeys.equal(bytes, keys.offsets[head], keys.offsets[head + 1], probeBytes, start, end)
                    {
                        return Int32(head)
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// The build row after `row` in its key's chain, or -1.
    @inline(__always)
    func nextMatch(after row: Int32) -> Int32 { next[Int(row)] }
}
