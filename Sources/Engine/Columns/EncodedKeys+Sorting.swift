/// Sorting row numbers by their encoded keys.
extension EncodedKeys {
    /// Key bytes `from ..< from + 8` of `row` as a big-endian integer, zero-padded past the key's end.
    @inline(__always)
    static func word(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, from: Int) -> UInt64 {
        var word: UInt64 = 0
        for index in 0..<8 {
            let position = start + from + index
            word = word << 8 | (position < end ? UInt64(bytes[position]) : 0)
        }
        return word
    }

    /// One row to sort: its first 16 key bytes as two words, so most comparisons never touch the key
    /// bytes, and its row number.
    struct SortEntry {
        var high: UInt64
        var low: UInt64
        var row: Int32
    }

    /// Row numbers in ascending key order; equal keys keep their row order (a stable sort).
    public func sortedRows() -> [Int32] {
        bytes.withUnsafeBufferPointer { bytes in
            offsets.withUnsafeBufferPointer { offsets in
                var longest = 0
                var entries = (0..<count).map { row in
                    let start = offsets[row]
                    let end = offsets[row + 1]
                    longest = Swift.max(longest, end - start)
                    return SortEntry(
                        high: Self.word(bytes, start, end, from: 0), low: Self.word(bytes, start, end, from: 8),
                        row: Int32(row))
                }
                if longest <= 16 {
                    entries.sort { a, b in
                        if a.high != b.high { return a.high < b.high }
                        if a.low != b.low { return a.low < b.low }
                        return a.row < b.row
                    }
                } else {
                    entries.sort { a, b in
                        if a.high != b.high { return a.high < b.high }
                        if a.low != b.low { return a.low < b.low }
                        let x = Int(a.row)
                        let y = Int(b.row)
                        let order = Self.compare(bytes, offsets[x], offsets[x + 1], bytes, offsets[y], offsets[y + 1])
                        return order != 0 ? order < 0 : a.row < b.row
                    }
                }
                return entries.map(\.row)
            }
        }
    }

    /// True when rows `a` and `b` encode equal keys.
    public func rowsEqual(_ a: Int, _ b: Int) -> Bool {
        bytes.withUnsafeBufferPointer { bytes in
            Self.equal(bytes, offsets[a], offsets[a + 1], bytes, offsets[b], offsets[b + 1])
        }
    }
}

extension EncodedKeys {
    /// No rows.
    public static let empty = EncodedKeys(offsets: [0], bytes: [])

    /// These rows followed by `other`'s.
    public func appending(_ other: EncodedKeys) -> EncodedKeys {
        var result = self
        result.append(other)
        return result
    }

    /// Appends `other`'s rows.
    public mutating func append(_ other: EncodedKeys) {
        rowWidth = count == 0 ? other.rowWidth : (rowWidth == other.rowWidth ? rowWidth : nil)
        let base = bytes.count - other.offsets[0]
        bytes.append(contentsOf: other.bytes[other.offsets[0]..<other.offsets[other.count]])
        guard other.count > 0 else { return }
        for row in 1...other.count { offsets.append(other.offsets[row] + base) }
    }

    /// The keys of `rows`, in that order.
    public func gather(_ rows: [Int32]) -> EncodedKeys {
        var result = EncodedKeys(offsets: [0], bytes: [], rowWidth: rowWidth)
        result.offsets.reserveCapacity(rows.count + 1)
        for row in rows {
            result.bytes.append(contentsOf: bytes[offsets[Int(row)]..<offsets[Int(row) + 1]])
            result.offsets.append(result.bytes.count)
        }
        return result
    }
}
