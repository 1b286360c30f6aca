/// Sorting row numbers by their encoded keys.
extension EncodedKeys {
    /// The first eight key bytes of each row as a big-endian integer, zero-padded: comparing prefixes
    /// decides most comparisons without touching the key bytes.
    public func prefixes() -> [UInt64] {
        bytes.withUnsafeBufferPointer { bytes in
            (0..<count).map { row in
                let start = offsets[row]
                let length = Swift.min(8, offsets[row + 1] - start)
                var prefix: UInt64 = 0
                for index in 0..<8 { prefix = prefix << 8 | (index < length ? UInt64(bytes[start + index]) : 0) }
                return prefix
            }
        }
    }

    /// Row numbers in ascending key order; equal keys keep their row order (a stable sort).
    public func sortedRows() -> [Int32] {
        var rows = (0..<Int32(count)).map { $0 }
        let prefixes = self.prefixes()
        bytes.withUnsafeBufferPointer { bytes in
            offsets.withUnsafeBufferPointer { offsets in
                prefixes.withUnsafeBufferPointer { prefixes in
                    rows.sort { a, b in
                        let pa = prefixes[Int(a)]
                        let pb = prefixes[Int(b)]
                        if pa != pb { return pa < pb }
                        let order = Self.compare(
                            bytes, offsets[Int(a)], offsets[Int(a) + 1], bytes, offsets[Int(b)], offsets[Int(b) + 1])
                        return order != 0 ? order < 0 : a < b
                    }
                }
            }
        }
        return rows
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
        let base = bytes.count - other.offsets[0]
        bytes.append(contentsOf: other.bytes[other.offsets[0]..<other.offsets[other.count]])
        guard other.count > 0 else { return }
        for row in 1...other.count { offsets.append(other.offsets[row] + base) }
    }

    /// The keys of `rows`, in that order.
    public func gather(_ rows: [Int32]) -> EncodedKeys {
        var result = EncodedKeys(offsets: [0], bytes: [])
        result.offsets.reserveCapacity(rows.count + 1)
        for row in rows {
            result.bytes.append(contentsOf: bytes[offsets[Int(row)]..<offsets[Int(row) + 1]])
            result.offsets.append(result.bytes.count)
        }
        return result
    }
}
