/// Fills a variable-width (text/bytea) result column straight into Arrow offsets + data buffers.
public struct BytesColumnWriter {
    public private(set) var offsets: [Int32]
    public private(set) var data: [UInt8]
    private var validity: ValidityBitmap
    private var nullCount = 0

    public init(rowCount: Int, dataCapacity: Int = 0) {
        offsets = [0]
        offsets.reserveCapacity(rowCount + 1)
        data = []
        data.reserveCapacity(dataCapacity)
        validity = ValidityBitmap(count: rowCount, allValid: true)
    }

    /// Appends bytes to the row being written; `endRow` closes it.
    @inlinable
    public mutating func append<Bytes: Sequence<UInt8>>(contentsOf bytes: Bytes) { appendBytes(bytes) }

    @usableFromInline
    mutating func appendBytes<Bytes: Sequence<UInt8>>(_ bytes: Bytes) { data.append(contentsOf: bytes) }

    public mutating func append(_ byte: UInt8) { data.append(byte) }

    /// Closes the current row as a value.
    public mutating func endRow() { offsets.append(Int32(data.count)) }

    /// Closes the current row as NULL (dropping any bytes written for it).
    public mutating func endNullRow() {
        data.removeLast(data.count - Int(offsets[offsets.count - 1]))
        validity[offsets.count - 1] = false
        nullCount += 1
        offsets.append(Int32(data.count))
    }

    /// Bytes written so far for the open row.
    public var currentRowLength: Int { data.count - Int(offsets[offsets.count - 1]) }

    public func build(type: DataType = .text) -> Column {
        Column(
            type: type, count: offsets.count - 1, validity: nullCount > 0 ? validity : nil,
            storage: .bytes(offsets: offsets, data: data))
    }
}

extension Column {
    /// The offsets and data of a variable-width column; the binder guarantees the storage.
    public var byteBuffers: (offsets: [Int32], data: [UInt8]) {
        guard case .bytes(let offsets, let data) = storage else {
            preconditionFailure("\(type) column is not variable-width")
        }
        return (offsets, data)
    }

    public var int32Values: [Int32] {
        guard case .int32(let values) = storage else { preconditionFailure("\(type) column is not int32") }
        return values
    }

    public var int64Values: [Int64] {
        guard case .int64(let values) = storage else { preconditionFailure("\(type) column is not int64") }
        return values
    }

    public var float64Values: [Double] {
        guard case .float64(let values) = storage else { preconditionFailure("\(type) column is not float64") }
        return values
    }

    public var decimalValues: [Int128] {
        guard case .decimal(let values) = storage else { preconditionFailure("\(type) column is not numeric") }
        return values
    }

    public var intervalValues: [Interval] {
        guard case .interval(let values) = storage else { preconditionFailure("\(type) column is not interval") }
        return values
    }

    /// Row `row`'s bytes of a variable-width column, without copying out of the buffer.
    @inlinable
    public static func slice(_ buffers: (offsets: [Int32], data: [UInt8]), _ row: Int) -> ArraySlice<UInt8> {
        buffers.data[Int(buffers.offsets[row])..<Int(buffers.offsets[row + 1])]
    }
}

extension ValidityBitmap {
    /// Rows valid in every column; nil when all are.
    public static func all(_ columns: [Column]) -> ValidityBitmap? {
        columns.reduce(nil as ValidityBitmap?) { intersect($0, $1.validity) }
    }
}

/// UTF-8 character boundaries on raw bytes.
public enum UTF8Scan {
    /// The length of the character whose lead byte is `byte`.
    @inlinable
    public static func characterLength(_ byte: UInt8) -> Int {
        if byte < 0x80 { return 1 }
        if byte < 0xE0 { return 2 }
        if byte < 0xF0 { return 3 }
        return 4
    }

    /// Characters in `bytes`.
    @inlinable
    public static func count<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// The start offsets of each character in `bytes` (relative to `bytes.startIndex`).
    public static func characterStarts(_ bytes: ArraySlice<UInt8>) -> [Int] {
        var starts: [Int] = []
        starts.reserveCapacity(bytes.count)
        for index in bytes.indices where bytes[index] & 0xC0 != 0x80 { starts.append(index - bytes.startIndex) }
        return starts
    }
}
