/// Decodes FIXED_LEN_BYTE_ARRAY and INT96 columns into `width` bytes per row, back to back; NULL rows
/// are zero bytes. A `ValueConversion` turns them into decimals, uuids, timestamps or bytea.
struct FixedBytesValueSink: ColumnValueSink {
    /// `width` bytes per row of the row group.
    let output: UnsafeMutablePointer<UInt8>
    let width: Int
    private var dictionary: [UInt8] = []
    private(set) var dictionaryCount: Int?

    init(output: UnsafeMutablePointer<UInt8>, width: Int) {
        self.output = output
        self.width = width
    }

    mutating func setDictionary(_ bytes: UnsafeRawBufferPointer, count: Int) throws {
        guard bytes.count >= count * width else {
            throw ParquetFormatError.tooShort(
                "dictionary of \(count) values", needed: count * width, available: bytes.count)
        }
        dictionary = Array(bytes.prefix(count * width))
        dictionaryCount = count
    }

    mutating func decode(
        _ bytes: UnsafeRawBufferPointer, encoding: ParquetEncoding, count: Int, at row: Int, scratch: ScratchBuffer
    ) throws {
        let target = output + row * width
        switch encoding {
        case .plain:
            guard bytes.count >= count * width else {
                throw ParquetFormatError.tooShort(
                    "PLAIN data of \(count) values", needed: count * width, available: bytes.count)
            }
            if count > 0 {
                UnsafeMutableRawPointer(target).copyMemory(from: bytes.baseAddress!, byteCount: count * width)
            }
        case .byteStreamSplit:
            try ByteStreamSplit.decode(bytes, width: width, count: count, into: UnsafeMutableRawPointer(target))
        case .deltaByteArray:
            try decodeDeltaByteArray(bytes, count: count, into: target, scratch: scratch)
        default:
            throw LakehouseError.unsupportedEncoding(encoding, for: "FIXED_LEN_BYTE_ARRAY")
        }
    }

    mutating func gather(_ indices: UnsafePointer<UInt32>, count: Int, at row: Int) throws {
        let target = output + row * width
        dictionary.withUnsafeBufferPointer { dictionary in
            guard let entries = dictionary.baseAddress else { return }
            for index in 0..<count {
                (target + index * width).update(from: entries + Int(indices[index]) * width, count: width)
            }
        }
    }

    mutating func spread(at row: Int, valueCount: Int, rowCount: Int, levels: UnsafePointer<UInt8>) {
        let base = output + row * width
        var dense = valueCount - 1
        var target = rowCount - 1
        while target >= 0 {
            if levels[target] != 0 {
                if target != dense { (base + target * width).update(from: base + dense * width, count: width) }
                dense -= 1
            } else {
                (base + target * width).update(repeating: 0, count: width)
            }
            target -= 1
        }
    }

    /// DELTA_BYTE_ARRAY decoded as variable-width values, each of which must be exactly `width` long.
    private func decodeDeltaByteArray(
        _ bytes: UnsafeRawBufferPointer, count: Int, into target: UnsafeMutablePointer<UInt8>, scratch: ScratchBuffer
    ) throws {
        var data = GrowableBytes()
        var ends = [Int32](repeating: 0, count: count)
        try ends.withUnsafeMutableBufferPointer { ends in
            try ByteArrayDecoding.delta(bytes, count: count, ends: ends.baseAddress!, data: &data, scratch: scratch)
        }
        var start: Int32 = 0
        for end in ends {
            guard end - start == Int32(width) else {
                throw ParquetFormatError("DELTA_BYTE_ARRAY value of \(end - start) bytes in a \(width)-byte column")
            }
            start = end
        }
        let values = data.finish()
        values.withUnsafeBufferPointer { values in
            if let source = values.baseAddress { target.update(from: source, count: values.count) }
        }
    }
}
