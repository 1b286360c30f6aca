/// Maps key rows to dense group ids: an open-addressing (linear probing) table over batch-computed
/// hashes, with each group's encoded key kept in one byte arena for the equality check.
///
/// A slot packs the upper 32 bits of the group's hash with its id, so most probes that meet another
/// group reject it without reading the key arena.
struct GroupTable {
    /// `hash >> 32 << 32 | (group id + 1)` per slot; 0 marks an empty slot.
    private var slots: [UInt64]
    private var mask: Int
    private var groupHashes: [UInt64] = []
    /// Where each group's key starts in `keyBytes`, unless all keys have the same width.
    private var keyOffsets: [Int] = [0]
    private var keyWidth: Int?
    private var keyBytes: [UInt8] = []

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    private static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000

    var groupCount: Int { groupHashes.count }

    var approximateBytes: Int { slots.count * 8 + groupHashes.count * 16 + keyBytes.count }

    /// The group of every row, adding groups for keys not seen before; `newRows` lists the rows that
    /// started a group, in group-id order.
    mutating func findOrInsert(hashes: [UInt64], keys: EncodedKeys) -> (groupIds: [Int32], newRows: [Int32]) {
        let rowCount = hashes.count
        var groupIds = [Int32](repeating: 0, count: rowCount)
        var newRows: [Int32] = []
        if groupHashes.isEmpty { keyWidth = keys.rowWidth }
        let width = keyWidth ?? 0
        keys.bytes.withUnsafeBufferPointer { rowBytes in
            for row in 0..<rowCount {
                let hash = hashes[row]
                let tag = hash & Self.tagMask
                let start = keys.offsets[row]
                let end = keys.offsets[row + 1]
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let entry = slots[slot]
                    if entry == 0 {
                        let group = Int32(groupHashes.count)
                        slots[slot] = tag | UInt64(group + 1)
                        groupHashes.append(hash)
                        keyBytes.append(contentsOf: UnsafeBufferPointer(rebasing: rowBytes[start..<end]))
                        if keyWidth == nil { keyOffsets.append(keyBytes.count) }
                        groupIds[row] = group
                        newRows.append(Int32(row))
                        if groupHashes.count * 2 > slots.count { grow() }
                        break
                    }
                    let group = Int(entry & ~Self.tagMask) - 1
                    if entry & Self.tagMask == tag {
                        let equal = keyBytes.withUnsafeBufferPointer { stored in
                            let groupStart = width > 0 ? group * width : keyOffsets[group]
                            let groupEnd = width > 0 ? groupStart + width : keyOffsets[group + 1]
                            return EncodedKeys.equal(stored, groupStart, groupEnd, rowBytes, start, end)
                        }
                        if equal {
                            groupIds[row] = Int32(group)
                            break
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
        return (groupIds, newRows)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for (group, hash) in groupHashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = hash & Self.tagMask | UInt64(group + 1)
        }
    }
}
