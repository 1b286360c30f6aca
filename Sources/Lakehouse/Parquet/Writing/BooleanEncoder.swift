import Engine

/// Encodes BOOLEAN columns: PLAIN bit-packed, never dictionary-encoded (a bit per value is already
/// smaller than any index).
///
/// Values are staged and appended to a page one byte each (0 or 1) and packed to bits when the
/// page is complete, so pages can grow batch by batch without splitting bytes.
struct BooleanEncoder: ColumnValueEncoder {
    private var staged: [UInt8] = []
    private var pageBounds: (min: UInt8, max: UInt8)?
    private var chunkBounds: (min: UInt8, max: UInt8)?
    private var fileRange: (min: UInt8, max: UInt8)?

    var stagedCount: Int { staged.count }
    var nanCount: Int { 0 }
    var supportsDictionary: Bool { false }
    var dictionaryCount: Int { 0 }
    var dictionaryPlainSize: Int { 0 }

    mutating func stage(_ column: Column, validity: ValidityBitmap?, name: String) throws {
        guard case .bool(let source) = column.storage else { throw LakehouseError.storageMismatch(name, column) }
        staged.removeAll(keepingCapacity: true)
        staged.reserveCapacity(column.count)
        source.withUnsafeBufferPointer { source in
            for row in 0..<column.count where validity?[row] ?? true { staged.append(source[row] == 0 ? 0 : 1) }
        }
    }

    /// A bit per value; the page estimate rounds up.
    func plainSize(_ range: Range<Int>) -> Int { (range.count + 7) / 8 }

    mutating func writePlain(_ range: Range<Int>, into page: inout WriteBuffer) {
        staged.withUnsafeBytes { page.append(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// Packs the page's bytes to bits in place: byte `i` of the result is built from bytes `8i...`,
    /// which are never before it.
    func finishPlainPage(_ page: inout WriteBuffer) {
        page.rewrite { bytes in
            let values = bytes.bindMemory(to: UInt8.self)
            let count = values.count
            var packed = 0
            var start = 0
            while start < count {
                var byte: UInt8 = 0
                for bit in 0..<min(8, count - start) { byte |= values[start + bit] << UInt8(bit) }
                values[packed] = byte
                packed += 1
                start += 8
            }
            return packed
        }
    }

    mutating func updateStatistics(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        var sawFalse = false
        var sawTrue = false
        staged.withUnsafeBufferPointer { values in
            for index in range {
                if values[index] == 0 { sawFalse = true } else { sawTrue = true }
            }
        }
        pageBounds = Self.union(pageBounds, (sawFalse ? 0 : 1, sawTrue ? 1 : 0))
    }

    mutating func takePageBounds() -> (min: [UInt8], max: [UInt8])? {
        defer { pageBounds = nil }
        guard let bounds = pageBounds else { return nil }
        chunkBounds = Self.union(chunkBounds, bounds)
        return ([bounds.min], [bounds.max])
    }

    mutating func takeChunkBounds() -> (min: [UInt8], max: [UInt8])? {
        defer { chunkBounds = nil }
        guard let bounds = chunkBounds else { return nil }
        fileRange = Self.union(fileRange, bounds)
        return ([bounds.min], [bounds.max])
    }

    private static func union(_ range: (min: UInt8, max: UInt8)?, _ bounds: (min: UInt8, max: UInt8)) -> (
        min: UInt8, max: UInt8
    ) {
        range.map { (min($0.min, bounds.min), max($0.max, bounds.max)) } ?? bounds
    }

    func comparePlain(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int { Int(lhs.first ?? 0) - Int(rhs.first ?? 0) }

    var fileBounds: (min: [UInt8], max: [UInt8])? { fileRange.map { ([$0.min], [$0.max]) } }

    func lookUp(_ range: Range<Int>, into indices: inout [UInt32]) {
        preconditionFailure("BOOLEAN columns are never dictionary-encoded")
    }

    func writeDictionary(into page: inout WriteBuffer) {}
    func writeEntries(_ indices: UnsafeBufferPointer<UInt32>, into page: inout WriteBuffer) {}
    func clearDictionary() {}
}
