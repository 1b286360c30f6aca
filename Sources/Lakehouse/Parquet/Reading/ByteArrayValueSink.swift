/// Decodes BYTE_ARRAY columns into Arrow-style offsets + data: value `i` is
/// `data[offsets[i] ..< offsets[i + 1]]`, NULL rows are empty.
struct ByteArrayValueSink: ColumnValueSink {
    /// `rowCount + 1` offsets; `offsets[0]` is 0 and `offsets[i + 1]` is where row `i` ends.
    let offsets: UnsafeMutablePointer<Int32>
    private(set) var data: GrowableBytes
    private var dictionaryOffsets: [Int32] = []
    private var dictionaryData: [UInt8] = []
    private(set) var dictionaryCount: Int?

    /// `capacity` is a guess of the data size (the chunk's uncompressed size), to spare regrowth.
    init(offsets: UnsafeMutablePointer<Int32>, capacity: Int) {
        self.offsets = offsets
        offsets[0] = 0
        data = GrowableBytes(capacity: capacity)
    }

    mutating func setDictionary(_ bytes: UnsafeRawBufferPointer, count: Int) throws {
        var entries = GrowableBytes()
        var ends = [Int32](repeating: 0, count: count + 1)
        try ends.withUnsafeMutableBufferPointer { ends in
            try ByteArrayDecoding.plain(bytes, count: count, ends: ends.baseAddress! + 1, data: &entries)
        }
        dictionaryOffsets = ends
        // Spare bytes at the end let `gather` copy entries in whole 16-byte blocks.
        dictionaryData = entries.finish() + repeatElement(0, count: GrowableBytes.slack)
        dictionaryCount = count
    }

    mutating func decode(
        _ bytes: UnsafeRawBufferPointer, encoding: ParquetEncoding, count: Int, at row: Int, scratch: ScratchBuffer
    ) throws {
        let ends = offsets + row + 1
        switch encoding {
        case .plain: try ByteArrayDecoding.plain(bytes, count: count, ends: ends, data: &data)
        case .deltaLengthByteArray:
            try ByteArrayDecoding.deltaLength(bytes, count: count, ends: ends, data: &data, scratch: scratch)
        case .deltaByteArray:
            try ByteArrayDecoding.delta(bytes, count: count, ends: ends, data: &data, scratch: scratch)
        default: throw LakehouseError.unsupportedEncoding(encoding, for: "BYTE_ARRAY")
        }
    }

    mutating func gather(_ indices: UnsafePointer<UInt32>, count: Int, at row: Int) throws {
        let ends = offsets + row + 1
        try dictionaryOffsets.withUnsafeBufferPointer { entryOffsets in
            try dictionaryData.withUnsafeBufferPointer { entryData in
                var total = 0
                for index in 0..<count {
                    let entry = Int(indices[index])
                    total += Int(entryOffsets[entry + 1] - entryOffsets[entry])
                }
                try data.reserve(additional: total)
                data.write { target, end in
                    for index in 0..<count {
                        let entry = Int(indices[index])
                        let start = Int(entryOffsets[entry])
                        let length = Int(entryOffsets[entry + 1]) - start
                        copyBytes(from: entryData.baseAddress! + start, to: target + end, count: length)
                        end += length
                        ends[index] = Int32(truncatingIfNeeded: end)
                    }
                }
            }
        }
    }

    mutating func spread(at row: Int, valueCount: Int, rowCount: Int, levels: UnsafePointer<UInt8>) {
        // base[0] is where the page starts; base[r + 1] is where row r ends. A NULL row ends where the
        // last value before it ends.
        let base = offsets + row
        var dense = valueCount
        var target = rowCount
        while target >= 1 {
            base[target] = base[dense]
            if levels[target - 1] != 0 { dense -= 1 }
            target -= 1
        }
    }

    /// The column's data bytes.
    mutating func finishData() -> [UInt8] { data.finish() }
}
