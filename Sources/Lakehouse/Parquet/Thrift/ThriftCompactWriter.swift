/// A writer for the Thrift compact protocol, the mirror of `ThriftCompactReader`: Parquet's footer
/// and page headers are written with it.
///
/// Structs are written field by field between `beginStruct()` and `endStruct()`; field ids must
/// ascend within a struct (the short delta form is used whenever it fits). Booleans are written in
/// the field header, as the protocol specifies.
struct ThriftCompactWriter {
    typealias WireType = ThriftCompactReader.WireType

    private(set) var bytes: [UInt8] = []
    private var lastFieldIDs: [Int16] = []

    init() {}

    // MARK: - Structs

    /// Opens a struct: the outermost one, a list element, or (through `structField`) a field's value.
    mutating func beginStruct() { lastFieldIDs.append(0) }

    /// Closes the innermost struct with the stop byte.
    mutating func endStruct() {
        bytes.append(0)
        lastFieldIDs.removeLast()
    }

    /// Writes the header of field `id` holding a struct, and opens it.
    mutating func structField(_ id: Int16) {
        fieldHeader(id, .structure)
        beginStruct()
    }

    /// A field holding an empty struct: how Thrift unions mark members that carry no data.
    mutating func emptyStruct(_ id: Int16) {
        structField(id)
        endStruct()
    }

    // MARK: - Fields

    mutating func field(_ id: Int16, bool value: Bool) { fieldHeader(id, value ? .booleanTrue : .booleanFalse) }

    mutating func field(_ id: Int16, i8 value: Int8) {
        fieldHeader(id, .byte)
        bytes.append(UInt8(bitPattern: value))
    }

    mutating func field(_ id: Int16, i16 value: Int16) {
        fieldHeader(id, .i16)
        writeZigZag(Int64(value))
    }

    mutating func field(_ id: Int16, i32 value: Int32) {
        fieldHeader(id, .i32)
        writeZigZag(Int64(value))
    }

    mutating func field(_ id: Int16, i64 value: Int64) {
        fieldHeader(id, .i64)
        writeZigZag(value)
    }

    mutating func field(_ id: Int16, binary value: [UInt8]) {
        fieldHeader(id, .binary)
        writeBinary(value)
    }

    mutating func field(_ id: Int16, string value: String) { field(id, binary: Array(value.utf8)) }

    /// Writes the header of field `id` holding a list of `count` elements of `elementType`; the
    /// caller then writes the elements with the `element` methods (or `beginStruct` for structs).
    mutating func listField(_ id: Int16, count: Int, of elementType: WireType) {
        fieldHeader(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            writeVarint(UInt64(count))
        }
    }

    // MARK: - List elements

    mutating func element(i32 value: Int32) { writeZigZag(Int64(value)) }

    mutating func element(string value: String) { writeBinary(Array(value.utf8)) }

    mutating func element(i64 value: Int64) { writeZigZag(value) }

    mutating func element(binary value: [UInt8]) { writeBinary(value) }

    /// A boolean list element: a byte, 1 for true and 2 for false, as Thrift's own implementations
    /// write them (lists of booleans are declared with element type `.booleanTrue`).
    mutating func element(bool value: Bool) { bytes.append(value ? 1 : 2) }

    // MARK: - Internals

    private mutating func fieldHeader(_ id: Int16, _ type: WireType) {
        let delta = Int(id) - Int(lastFieldIDs[lastFieldIDs.count - 1])
        if delta > 0, delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeZigZag(Int64(id))
        }
        lastFieldIDs[lastFieldIDs.count - 1] = id
    }

    private mutating func writeBinary(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    private mutating func writeZigZag(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    private mutating func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }
}
