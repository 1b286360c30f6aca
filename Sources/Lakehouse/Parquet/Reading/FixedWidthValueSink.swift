/// A physical value stored as `MemoryLayout<Self>.size` little-endian bytes: INT32, INT64, FLOAT, DOUBLE.
protocol ParquetFixedWidthValue: AdditiveArithmetic, BitwiseCopyable {
    /// Decodes DELTA_BINARY_PACKED values, which only integer types allow.
    static func decodeDelta(_ decoder: inout DeltaBinaryPackedDecoder, into output: UnsafeMutablePointer<Self>) throws
}

extension ParquetFixedWidthValue where Self: FixedWidthInteger {
    static func decodeDelta(_ decoder: inout DeltaBinaryPackedDecoder, into output: UnsafeMutablePointer<Self>) throws {
        try decoder.decode(into: output)
    }
}

extension ParquetFixedWidthValue where Self: BinaryFloatingPoint {
    static func decodeDelta(_ decoder: inout DeltaBinaryPackedDecoder, into output: UnsafeMutablePointer<Self>) throws {
        throw LakehouseError.unsupportedEncoding(.deltaBinaryPacked, for: "floating-point")
    }
}

extension Int32: ParquetFixedWidthValue {}
extension Int64: ParquetFixedWidthValue {}
extension Float: ParquetFixedWidthValue {}
extension Double: ParquetFixedWidthValue {}

/// Decodes INT32, INT64, FLOAT and DOUBLE columns straight into the column's value array.
struct FixedWidthValueSink<Value: ParquetFixedWidthValue>: ColumnValueSink {
    /// The column's values, one slot per row of the row group.
    let output: UnsafeMutablePointer<Value>
    private var dictionary: [Value] = []
    private(set) var dictionaryCount: Int?

    init(output: UnsafeMutablePointer<Value>) { self.output = output }

    private static var width: Int { MemoryLayout<Value>.size }

    mutating func setDictionary(_ bytes: UnsafeRawBufferPointer, count: Int) throws {
        guard bytes.count >= count * Self.width else {
            throw ParquetFormatError.tooShort(
                "dictionary of \(count) values", needed: count * Self.width, available: bytes.count)
        }
        dictionary = Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 {
                UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(
                    from: bytes.baseAddress!, byteCount: count * Self.width)
            }
            initialized = count
        }
        dictionaryCount = count
    }

    mutating func decode(
        _ bytes: UnsafeRawBufferPointer, encoding: ParquetEncoding, count: Int, at row: Int, scratch: ScratchBuffer
    ) throws {
        switch encoding {
        case .plain:
            guard bytes.count >= count * Self.width else {
                throw ParquetFormatError.tooShort(
                    "PLAIN data of \(count) values", needed: count * Self.width, available: bytes.count)
            }
            if count > 0 {
                UnsafeMutableRawPointer(output + row).copyMemory(
                    from: bytes.baseAddress!, byteCount: count * Self.width)
            }
        case .byteStreamSplit:
            try ByteStreamSplit.decode(
                bytes, width: Self.width, count: count, into: UnsafeMutableRawPointer(output + row))
        case .deltaBinaryPacked:
            var decoder = try DeltaBinaryPackedDecoder(bytes)
            guard decoder.valueCount == count else {
                throw ParquetFormatError("DELTA_BINARY_PACKED holds \(decoder.valueCount) values, page has \(count)")
            }
            try Value.decodeDelta(&decoder, into: output + row)
        default:
            throw LakehouseError.unsupportedEncoding(encoding, for: "\(Value.self)")
        }
    }

    mutating func gather(_ indices: UnsafePointer<UInt32>, count: Int, at row: Int) throws {
        gatherFromDictionary(dictionary, indices, count: count, into: output + row)
    }

    mutating func spread(at row: Int, valueCount: Int, rowCount: Int, levels: UnsafePointer<UInt8>) {
        spreadInPlace(output + row, valueCount: valueCount, rowCount: rowCount, levels: levels, empty: .zero)
    }
}
