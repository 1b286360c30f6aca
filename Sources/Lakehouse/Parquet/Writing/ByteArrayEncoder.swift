import Engine

/// Encodes BYTE_ARRAY columns (string, binary) straight from the engine's offsets + data: PLAIN is
/// a 4-byte little-endian length before each value; statistics order values as unsigned bytes.
///
/// Staging records where each non-NULL value starts and ends in the column's data; the bytes
/// themselves are only copied into pages and dictionary entries.
struct ByteArrayEncoder: ColumnValueEncoder {
    private var data: [UInt8] = []
    private var starts: [Int32] = []
    private var ends: [Int32] = []
    private var dictionary = ByteArrayDictionary()
    private var pageBounds = ByteBounds(isSigned: false)
    private var chunkBounds = ByteBounds(isSigned: false)
    private var fileRange = ByteBounds(isSigned: false)

    var stagedCount: Int { starts.count }
    var nanCount: Int { 0 }
    var supportsDictionary: Bool { true }
    var dictionaryCount: Int { dictionary.count }
    var dictionaryPlainSize: Int { dictionary.data.count + 4 * dictionary.count }

    mutating func stage(_ column: Column, validity: ValidityBitmap?, name: String) throws {
        guard case .bytes(let offsets, let source) = column.storage, offsets.count > column.count else {
            throw LakehouseError.storageMismatch(name, column)
        }
        data = source
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        starts.reserveCapacity(column.count)
        ends.reserveCapacity(column.count)
        offsets.withUnsafeBufferPointer { offsets in
            for row in 0..<column.count where validity?[row] ?? true {
                starts.append(offsets[row])
                ends.append(offsets[row + 1])
            }
        }
    }

    func plainSize(_ range: Range<Int>) -> Int {
        guard !range.isEmpty else { return 0 }
        var total = 4 * range.count
        starts.withUnsafeBufferPointer { starts in
            ends.withUnsafeBufferPointer { ends in
                for index in range { total += Int(ends[index] &- starts[index]) }
            }
        }
        return total
    }

    mutating func writePlain(_ range: Range<Int>, into page: inout WriteBuffer) {
        let size = plainSize(range)
        guard size > 0 else { return }
        data.withUnsafeBytes { data in
            starts.withUnsafeBufferPointer { starts in
                ends.withUnsafeBufferPointer { ends in
                    page.append(reserving: size) { target in
                        var position = 0
                        for index in range {
                            let start = Int(starts[index])
                            let length = Int(ends[index]) - start
                            target.storeBytes(
                                of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: position,
                                as: UInt32.self)
                            if length > 0 {
                                (target + position + 4).copyMemory(from: data.baseAddress! + start, byteCount: length)
                            }
                            position += 4 + length
                        }
                        return position
                    }
                }
            }
        }
    }

    mutating func updateStatistics(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let (data, starts, ends) = (self.data, self.starts, self.ends)
        data.withUnsafeBytes { data in
            starts.withUnsafeBufferPointer { starts in
                ends.withUnsafeBufferPointer { ends in
                    pageBounds.includeExtremes(of: range) { index in
                        UnsafeRawBufferPointer(rebasing: data[Int(starts[index])..<Int(ends[index])])
                    }
                }
            }
        }
    }

    mutating func takePageBounds() -> (min: [UInt8], max: [UInt8])? { chunkBounds.take(&pageBounds) }

    mutating func takeChunkBounds() -> (min: [UInt8], max: [UInt8])? { fileRange.take(&chunkBounds) }

    var fileBounds: (min: [UInt8], max: [UInt8])? { fileRange.bounds }

    func comparePlain(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int { fileRange.compare(lhs, rhs) }

    mutating func lookUp(_ range: Range<Int>, into indices: inout [UInt32]) {
        indices.reserveCapacity(indices.count + range.count)
        let (data, starts, ends) = (self.data, self.starts, self.ends)
        data.withUnsafeBytes { data in
            for index in range {
                let value = UnsafeRawBufferPointer(rebasing: data[Int(starts[index])..<Int(ends[index])])
                indices.append(dictionary.index(of: value))
            }
        }
    }

    func writeDictionary(into page: inout WriteBuffer) {
        for entry in 0..<dictionary.count { appendEntry(entry, into: &page) }
    }

    func writeEntries(_ indices: UnsafeBufferPointer<UInt32>, into page: inout WriteBuffer) {
        for index in indices { appendEntry(Int(index), into: &page) }
    }

    private func appendEntry(_ entry: Int, into page: inout WriteBuffer) {
        dictionary.withEntry(entry) { bytes in
            page.append(littleEndian: UInt64(bytes.count), byteCount: 4)
            page.append(bytes)
        }
    }

    mutating func clearDictionary() { dictionary.removeAll() }
}
