/// The build side of a hash join: an open-addressing (linear probing) table with one slot per distinct
/// key, whose build rows with that key are chained in build order through `next`.
///
/// A slot packs the upper 32 bits of the key's hash with its first build row, so a probe that meets a
/// different key usually rejects it without touching the key bytes.
struct JoinHashTable: Sendable {
    /// `hash >> 32 << 32 | (first build row + 1)` per slot; 0 marks an empty slot.
    private var slots: [UInt64]
    private let mask: Int
    /// The next build row with the same key, or -1.
    private var next: [Int32]
    private let keys: EncodedKeys

    /// Indexes the build rows where `insertable` is set (rows with a NULL key never match).
    init(hashes: [UInt64], keys: EncodedKeys, insertable: [Bool]) {
        var size = 16
        while size < hashes.count * 2 { size <<= 1 }
        var slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        var next = [Int32](repeating: -1, count: hashes.count)
        self.keys = keys
        let mask = self.mask
        keys.bytes.withUnsafeBufferPointer { bytes in
            keys.offsets.withUnsafeBufferPointer { offsets in
                // Inserting backwards and prepending leaves each chain in build order.
                for row in stride(from: hashes.count - 1, through: 0, by: -1) where insertable[row] {
                    let tag = hashes[row] & 0xFFFF_FFFF_0000_0000
                    var slot = Int(truncatingIfNeeded: hashes[row]) & mask
                    while true {
                        let entry = slots[slot]
                        if entry == 0 {
                            slots[slot] = tag | UInt64(row + 1)
                            break
                        }
                        let head = Int(entry & 0xFFFF_FFFF) - 1
                        if entry & 0xFFFF_FFFF_0000_0000 == tag,
                            EncodedKeys.equal(
                                bytes, offsets[head], offsets[head + 1], bytes, offsets[row], offsets[row + 1])
                        {
                            next[row] = Int32(head)
                            slots[slot] = tag | UInt64(row + 1)
                            break
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
        self.slots = slots
        self.next = next
    }

    var approximateBytes: Int { slots.count * 8 + next.count * 4 + keys.bytes.count + keys.offsets.count * 8 }

    /// For every probe row, the first build row with an equal key, or -1 (also for rows not `valid`).
    func firstMatches(hashes: [UInt64], keys probeKeys: EncodedKeys, valid: [Bool]) -> [Int32] {
        let mask = self.mask
        let width = keys.rowWidth ?? 0
        return [Int32](unsafeUninitializedCapacity: hashes.count) { out, initialized in
            slots.withUnsafeBufferPointer { slots in
                keys.bytes.withUnsafeBufferPointer { bytes in
                    keys.offsets.withUnsafeBufferPointer { offsets in
                        probeKeys.bytes.withUnsafeBufferPointer { probeBytes in
                            probeKeys.offsets.withUnsafeBufferPointer { probeOffsets in
                                for row in 0..<hashes.count {
                                    out[row] = -1
                                    guard valid[row] else { continue }
                                    let start = probeOffsets[row]
                                    let end = probeOffsets[row + 1]
                                    let hash = hashes[row]
                                    let tag = hash & 0xFFFF_FFFF_0000_0000
                                    var slot = Int(truncatingIfNeeded: hash) & mask
                                    while true {
                                        let entry = slots[slot]
                                        if entry == 0 { break }
                                        let head = Int(entry & 0xFFFF_FFFF) - 1
                                        let headStart = width > 0 ? head * width : offsets[head]
                                        let headEnd = width > 0 ? headStart + width : offsets[head + 1]
                                        if entry & 0xFFFF_FFFF_0000_0000 == tag,
                                            EncodedKeys.equal(bytes, headStart, headEnd, probeBytes, start, end)
                                        {
                                            out[row] = Int32(head)
                                            break
                                        }
                                        slot = (slot + 1) & mask
                                    }
                                }
                            }
                        }
                    }
                }
            }
            initialized = hashes.count
        }
    }

    /// The build row after `row` in its key's chain, or -1.
    @inline(__always)
    func nextMatch(after row: Int32) -> Int32 { next[Int(row)] }
}
