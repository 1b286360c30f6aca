/// A reader for the Thrift compact protocol, the encoding of Parquet's footer and page headers.
///
/// Structs are read field by field: `beginStruct()`, then `nextField()` until it returns nil, with a
/// typed read or `skip` for each field. Unknown fields are skipped by wire type, so files written
/// with newer parquet-format versions still decode. Nesting is limited so corrupt input cannot
/// exhaust the stack.
struct ThriftCompactReader {
    /// Wire types of the compact protocol.
    enum WireType: UInt8 {
        case booleanTrue = 1
        case booleanFalse = 2
        case byte = 3
        case i16 = 4
        case i32 = 5
        case i64 = 6
        case double = 7
        case binary = 8
        case list = 9
        case set = 10
        case map = 11
        case structure = 12
    }

    /// One field header: its id and how its value is encoded.
    struct Field {
        let id: Int16
        let type: WireType
    }

    private static let maximumDepth = 64

    private(set) var cursor: ByteCursor
    private var lastFieldIDs: [Int16] = []

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        cursor = ByteCursor(bytes, position: position)
    }

    /// Where the next read starts, in the lent bytes.
    var position: Int { cursor.position }

    // MARK: - Structs

    mutating func beginStruct() throws {
        guard lastFieldIDs.count < Self.maximumDepth else { throw ParquetFormatError("thrift nesting too deep") }
        lastFieldIDs.append(0)
    }

    /// The next field of the current struct, or nil at its end (which also closes the struct).
    mutating func nextField() throws -> Field? {
        guard !lastFieldIDs.isEmpty else { throw ParquetFormatError("thrift field outside a struct") }
        let header = try cursor.readByte()
        if header == 0 {
            lastFieldIDs.removeLast()
            return nil
        }
        guard let type = WireType(rawValue: header & 0x0F) else {
            throw ParquetFormatError("thrift field has unknown wire type \(header & 0x0F)")
        }
        let delta = Int16(header >> 4)
        let id: Int16
        if delta == 0 {
            id = try narrow(cursor.readZigZag(), to: Int16.self)
        } else {
            id = (lastFieldIDs.last ?? 0) &+ delta
        }
        lastFieldIDs[lastFieldIDs.count - 1] = id
        return Field(id: id, type: type)
    }

    // MARK: - Values

    mutating func readBool(_ type: WireType) throws -> Bool {
        switch type {
        case .booleanTrue: return true
        case .booleanFalse: return false
        default: throw mismatch(type, expected: "bool")
        }
    }

    mutating func readInt32(_ type: WireType) throws -> Int32 {
        try narrow(readInteger(type), to: Int32.self)
    }

    mutating func readInt64(_ type: WireType) throws -> Int64 { try readInteger(type) }

    mutating func readBinary(_ type: WireType) throws -> [UInt8] {
        guard type == .binary else { throw mismatch(type, expected: "binary") }
        return Array(try readBinaryBody())
    }

    mutating func readString(_ type: WireType) throws -> String {
        guard type == .binary else { throw mismatch(type, expected: "string") }
        return String(decoding: try readBinaryBody(), as: UTF8.self)
    }

    /// Opens a list whose elements must be `elementType`-compatible; returns its element count.
    mutating func beginList(_ type: WireType) throws -> (count: Int, elementType: WireType) {
        guard type == .list || type == .set else { throw mismatch(type, expected: "list") }
        let header = try cursor.readByte()
        guard let elementType = WireType(rawValue: header & 0x0F) else {
            throw ParquetFormatError("thrift list has unknown element type \(header & 0x0F)")
        }
        var count = Int(header >> 4)
        if count == 15 { count = try readLength() }
        // Each element takes at least one byte, which bounds a lying count before anything is allocated.
        guard count <= cursor.remaining else { throw ParquetFormatError("thrift list of \(count) runs past the end") }
        return (count, elementType)
    }

    /// Reads a list of structs, decoding each element with `element`.
    mutating func readList<Element>(
        _ type: WireType, _ element: (inout ThriftCompactReader) throws -> Element
    ) throws -> [Element] {
        try readElements(type) { reader, elementType in
            guard elementType == .structure else { throw reader.mismatch(elementType, expected: "struct list element") }
            return try element(&reader)
        }
    }

    /// Reads a list of strings.
    mutating func readStringList(_ type: WireType) throws -> [String] {
        try readElements(type) { try $0.readString($1) }
    }

    /// Reads a list of binary values.
    mutating func readBinaryList(_ type: WireType) throws -> [[UInt8]] {
        try readElements(type) { try $0.readBinary($1) }
    }

    /// Reads a list of integers of any width as `Int64`.
    mutating func readInt64List(_ type: WireType) throws -> [Int64] {
        try readElements(type) { try $0.readInteger($1) }
    }

    /// Reads a list whose elements `element` reads, given their wire type.
    private mutating func readElements<Element>(
        _ type: WireType, _ element: (inout ThriftCompactReader, WireType) throws -> Element
    ) throws -> [Element] {
        let (count, elementType) = try beginList(type)
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0..<count { elements.append(try element(&self, elementType)) }
        return elements
    }

    /// Reads a list of booleans, which the compact protocol writes a byte each: 1 for true, and 2
    /// (or 0, from some writers) for false.
    mutating func readBoolList(_ type: WireType) throws -> [Bool] {
        let (count, elementType) = try beginList(type)
        guard elementType == .booleanTrue || elementType == .booleanFalse else {
            throw mismatch(elementType, expected: "bool list element")
        }
        let bytes = try cursor.readBytes(count)
        return bytes.map { $0 == 1 }
    }

    /// Skips a value of any wire type, including nested structs, lists and maps.
    mutating func skip(_ type: WireType) throws {
        switch type {
        case .booleanTrue, .booleanFalse: return
        case .byte: try cursor.skip(1)
        case .i16, .i32, .i64: _ = try cursor.readVarint()
        case .double: try cursor.skip(8)
        case .binary: _ = try readBinaryBody()
        case .list, .set:
            let (count, elementType) = try beginList(type)
            for _ in 0..<count { try skipElement(elementType) }
        case .map:
            let count = try readLength()
            guard count > 0 else { return }
            guard count <= cursor.remaining else {
                throw ParquetFormatError("thrift map of \(count) runs past the end")
            }
            let types = try cursor.readByte()
            guard let keyType = WireType(rawValue: types >> 4), let valueType = WireType(rawValue: types & 0x0F) else {
                throw ParquetFormatError("thrift map has unknown key or value type")
            }
            for _ in 0..<count {
                try skipElement(keyType)
                try skipElement(valueType)
            }
        case .structure:
            try beginStruct()
            while let field = try nextField() { try skip(field.type) }
        }
    }

    // MARK: - Internals

    /// Collection elements of type bool take one byte, unlike bool fields.
    private mutating func skipElement(_ type: WireType) throws {
        if type == .booleanTrue || type == .booleanFalse {
            try cursor.skip(1)
        } else {
            try skip(type)
        }
    }

    private mutating func readInteger(_ type: WireType) throws -> Int64 {
        switch type {
        case .byte: return Int64(Int8(bitPattern: try cursor.readByte()))
        case .i16, .i32, .i64: return try cursor.readZigZag()
        default: throw mismatch(type, expected: "integer")
        }
    }

    private mutating func readBinaryBody() throws -> UnsafeRawBufferPointer {
        try cursor.readBytes(try readLength())
    }

    /// A collection size or byte length: an unsigned varint that must fit in what is left.
    private mutating func readLength() throws -> Int {
        let raw = try cursor.readVarint()
        guard raw <= UInt64(cursor.remaining) else {
            throw ParquetFormatError("thrift length \(raw) runs past the end of the data")
        }
        return Int(raw)
    }

    private func narrow<T: FixedWidthInteger>(_ value: Int64, to: T.Type) throws -> T {
        guard let narrowed = T(exactly: value), narrowed >= 0 || T.isSigned else {
            throw ParquetFormatError("thrift integer \(value) out of range")
        }
        return narrowed
    }

    private func mismatch(_ type: WireType, expected: String) -> ParquetFormatError {
        ParquetFormatError("thrift field of wire type \(type) where \(expected) was expected")
    }
}
