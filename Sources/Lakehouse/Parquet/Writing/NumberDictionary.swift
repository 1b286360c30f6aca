/// The dictionary of a fixed-width column (INT32, INT64, FLOAT, DOUBLE, keyed by bit pattern, so
/// `-0.0` and `0.0` and every NaN payload stay distinct): entries in index order and an
/// open-addressing table from value to index.
///
/// The table is kept at most half full and sized for a whole lookup call up front, so the probe
/// loop runs over raw buffers without growth checks.
struct NumberDictionary<Key: FixedWidthInteger & UnsignedInteger> {
    /// Entries in index order.
    private(set) var entries: [Key] = []
    /// Entry index + 1 per slot, 0 for an empty slot; the count is a power of two.
    private var slots: [UInt32] = []

    var count: Int { entries.count }

    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        slots = []
    }

    /// Appends the index of each of `keys` to `indices`, adding the keys not yet present.
    mutating func lookUp(_ keys: UnsafeBufferPointer<Key>, into indices: inout [UInt32]) {
        reserve(entries.count + keys.count)
        var entries = self.entries
        self.entries = []
        defer { self.entries = entries }
        let shift = UInt64(64 - slots.count.trailingZeroBitCount)
        let mask = slots.count - 1
        indices.reserveCapacity(indices.count + keys.count)
        slots.withUnsafeMutableBufferPointer { slots in
            for key in keys {
                var slot = Self.slot(of: key, shift: shift)
                while true {
                    let stored = slots[slot]
                    if stored == 0 {
                        entries.append(key)
                        slots[slot] = UInt32(truncatingIfNeeded: entries.count)
                        indices.append(UInt32(truncatingIfNeeded: entries.count - 1))
                        break
                    }
                    if entries[Int(stored) - 1] == key {
                        indices.append(stored - 1)
                        break
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Multiplicative (Fibonacci) hashing: the top bits of the product pick the slot.
    @inline(__always)
    private static func slot(of key: Key, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: key) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Makes the table at most half full with `capacity` entries.
    private mutating func reserve(_ capacity: Int) {
        guard slots.count < capacity * 2 else { return }
        var size = 64
        while size < capacity * 2 { size <<= 1 }
        var table = [UInt32](repeating: 0, count: size)
        let shift = UInt64(64 - size.trailingZeroBitCount)
        for (index, key) in entries.enumerated() {
            var slot = Self.slot(of: key, shift: shift)
            while table[slot] != 0 { slot = (slot + 1) & (size - 1) }
            table[slot] = UInt32(truncatingIfNeeded: index + 1)
        }
        slots = table
        entries.reserveCapacity(capacity)
    }
}
