/// Decodes BOOLEAN columns into one byte per value (0 or 1), the engine's boolean layout.
struct BooleanValueSink: ColumnValueSink {
    /// The column's values, one byte per row of the row group.
    let output: UnsafeMutablePointer<UInt8>
    private var dictionary: [UInt8] = []
    private(set) var dictionaryCount: Int?

    init(output: UnsafeMutablePointer<UInt8>) { self.output = output }

    mutating func setDictionary(_ bytes: UnsafeRawBufferPointer, count: Int) throws {
        var values = [UInt8](repeating: 0, count: count)
        try values.withUnsafeMutableBufferPointer { values in
            try Self.unpackPlain(bytes, count: count, into: values.baseAddress)
        }
        dictionary = values
        dictionaryCount = count
    }

    mutating func decode(
        _ bytes: UnsafeRawBufferPointer, encoding: ParquetEncoding, count: Int, at row: Int, scratch: ScratchBuffer
    ) throws {
        switch encoding {
        case .plain:
            try Self.unpackPlain(bytes, count: count, into: output + row)
        case .rle:
            var cursor = ByteCursor(bytes)
            let length = Int(try cursor.readLittleEndian(UInt32.self))
            var decoder = try RLEHybridDecoder(try cursor.readBytes(length), width: 1)
            try decoder.decode(count: count, into: output + row)
        default:
            throw LakehouseError.unsupportedEncoding(encoding, for: "BOOLEAN")
        }
    }

    mutating func gather(_ indices: UnsafePointer<UInt32>, count: Int, at row: Int) throws {
        gatherFromDictionary(dictionary, indices, count: count, into: output + row)
    }

    mutating func spread(at row: Int, valueCount: Int, rowCount: Int, levels: UnsafePointer<UInt8>) {
        spreadInPlace(output + row, valueCount: valueCount, rowCount: rowCount, levels: levels, empty: 0)
    }

    /// PLAIN booleans are bits, least significant first.
    private static func unpackPlain(
        _ bytes: UnsafeRawBufferPointer, count: Int, into output: UnsafeMutablePointer<UInt8>?
    ) throws {
        guard bytes.count * 8 >= count else {
            throw ParquetFormatError.tooShort("PLAIN booleans", needed: (count + 7) / 8, available: bytes.count)
        }
        guard let output else { return }
        BitUnpacking.unpack(bytes, width: 1, count: count, into: output)
    }
}
