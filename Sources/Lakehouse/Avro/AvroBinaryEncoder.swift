/// Writes Avro's binary encoding into a growing byte buffer: the inverse of `AvroBinaryDecoder`.
///
/// `write(_:as:)` checks each value against its schema and throws `22000` naming the part of the
/// datum that does not fit (`data_file.partition.ts_day: expected int, found long`), leaving the
/// buffer as it was before the call.
struct AvroBinaryEncoder: Sendable {
    private(set) var bytes: [UInt8] = []

    init() {}

    /// A zig-zag varint `long` (also the encoding of `int`, lengths, counts and indexes).
    mutating func writeLong(_ value: Int64) {
        var zigZag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while zigZag >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: zigZag) | 0x80)
            zigZag >>= 7
        }
        bytes.append(UInt8(zigZag))
    }

    mutating func writeInt(_ value: Int32) { writeLong(Int64(value)) }

    mutating func writeBoolean(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func writeFloat(_ value: Float) { writeLittleEndian(UInt64(value.bitPattern), count: 4) }

    mutating func writeDouble(_ value: Double) { writeLittleEndian(value.bitPattern, count: 8) }

    /// Bytes preceded by their length.
    mutating func writeByteArray(_ value: [UInt8]) {
        writeLong(Int64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeLong(Int64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Bytes written as they are, with no length (a `fixed`, or a container file's sync marker).
    mutating func writeRaw(_ value: [UInt8]) { bytes.append(contentsOf: value) }

    /// Appends `value` encoded as `schema`; on a mismatch throws `22000` and writes nothing.
    mutating func write(_ value: AvroValue, as schema: AvroSchema) throws {
        let start = bytes.count
        do {
            try encode(value, as: schema)
        } catch let mismatch as Mismatch {
            bytes.removeSubrange(start...)
            throw LakehouseError.cannotWrite("an Avro value", mismatch.description)
        }
    }

    private mutating func writeLittleEndian(_ value: UInt64, count: Int) {
        for index in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }

    private mutating func encode(_ value: AvroValue, as schema: AvroSchema) throws {
        switch (schema, value) {
        case (.null, .null): return
        case (.boolean, .boolean(let flag)): writeBoolean(flag)
        case (.int, .int(let number)): writeInt(number)
        case (.long, .long(let number)): writeLong(number)
        case (.float, .float(let number)): writeFloat(number)
        case (.double, .double(let number)): writeDouble(number)
        case (.bytes, .bytes(let raw)): writeByteArray(raw)
        case (.string, .string(let text)): writeString(text)
        case (.fixed(_, let size, _), .fixed(let raw)):
            guard raw.count == size else { throw Mismatch("expected \(size) fixed bytes, found \(raw.count)") }
            writeRaw(raw)
        case (.decimal(let underlying, _, _), _):
            try encode(value, as: underlying)
        case (.enumeration(let name, let symbols), .enumeration(let index, let symbol)):
            guard symbols.indices.contains(index), symbols[index] == symbol else {
                throw Mismatch("enum \(name) has no symbol \(symbol) at index \(index)")
            }
            writeLong(Int64(index))
        case (.union(let branches), _):
            guard let index = branches.firstIndex(where: { Self.branch($0, accepts: value) }) else {
                throw Mismatch("no branch of union \(Self.kind(of: schema)) takes \(Self.kind(of: value))")
            }
            writeLong(Int64(index))
            try encode(value, as: branches[index])
        case (.record(let recordSchema), .record(let record)):
            try encode(record, as: recordSchema)
        case (.array(let items, _, _), .array(let values)):
            if !values.isEmpty {
                writeLong(Int64(values.count))
                for (index, item) in values.enumerated() {
                    try Mismatch.within("[\(index)]") { try encode(item, as: items) }
                }
            }
            writeLong(0)
        case (.map(let valueSchema, _, _), .map(let entries)):
            if !entries.isEmpty {
                writeLong(Int64(entries.count))
                // Sorted, so the same map always encodes to the same bytes.
                for key in entries.keys.sorted() {
                    writeString(key)
                    try Mismatch.within("[\"\(key)\"]") { try encode(entries[key]!, as: valueSchema) }
                }
            }
            writeLong(0)
        default:
            throw Mismatch("expected \(Self.kind(of: schema)), found \(Self.kind(of: value))")
        }
    }

    private mutating func encode(_ record: AvroRecord, as schema: AvroRecordSchema) throws {
        guard record.values.count == schema.fields.count else {
            throw Mismatch(
                "record \(schema.name) has \(schema.fields.count) fields, the value has \(record.values.count)")
        }
        for (field, value) in zip(schema.fields, record.values) {
            try Mismatch.within(field.name) { try encode(value, as: field.type) }
        }
    }

    /// Whether `value` is written through union branch `schema`: the first branch of the value's
    /// kind (a record by name, a fixed by size, an enum by symbol) takes it.
    private static func branch(_ schema: AvroSchema, accepts value: AvroValue) -> Bool {
        switch (schema, value) {
        case (.null, .null), (.boolean, .boolean), (.int, .int), (.long, .long), (.float, .float),
            (.double, .double), (.bytes, .bytes), (.string, .string), (.array, .array), (.map, .map):
            return true
        case (.fixed(_, let size, _), .fixed(let raw)): return raw.count == size
        case (.enumeration(_, let symbols), .enumeration(_, let symbol)): return symbols.contains(symbol)
        case (.record(let recordSchema), .record(let record)): return recordSchema.name == record.schema.name
        case (.decimal(let underlying, _, _), _): return branch(underlying, accepts: value)
        default: return false
        }
    }

    static func kind(of schema: AvroSchema) -> String {
        switch schema {
        case .null: return "null"
        case .boolean: return "boolean"
        case .int: return "int"
        case .long: return "long"
        case .float: return "float"
        case .double: return "double"
        case .bytes: return "bytes"
        case .string: return "string"
        case .record(let record): return "record \(record.name)"
        case .enumeration(let name, _): return "enum \(name)"
        case .array: return "array"
        case .map: return "map"
        case .fixed(let name, let size, _): return "fixed \(name) (\(size) bytes)"
        case .union(let branches): return "[" + branches.map { kind(of: $0) }.joined(separator: ", ") + "]"
        case .decimal(let underlying, let precision, let scale):
            return "decimal(\(precision),\(scale)) as \(kind(of: underlying))"
        }
    }

    static func kind(of value: AvroValue) -> String {
        switch value {
        case .null: return "null"
        case .boolean: return "boolean"
        case .int(let number): return "int \(number)"
        case .long(let number): return "long \(number)"
        case .float: return "float"
        case .double: return "double"
        case .bytes(let raw): return "bytes (\(raw.count))"
        case .string: return "string"
        case .fixed(let raw): return "fixed (\(raw.count) bytes)"
        case .enumeration(_, let symbol): return "enum symbol \(symbol)"
        case .array: return "array"
        case .map: return "map"
        case .record(let record): return "record \(record.schema.name)"
        }
    }

    /// A value that does not fit its schema, with the path from the datum's root to it.
    private struct Mismatch: Error, CustomStringConvertible {
        var path: [String] = []
        let problem: String

        init(_ problem: String) { self.problem = problem }

        /// Runs `body`, adding `component` to the front of the path of a mismatch it throws.
        static func within(_ component: @autoclosure () -> String, _ body: () throws -> Void) throws {
            do {
                try body()
            } catch var mismatch as Mismatch {
                mismatch.path.insert(component(), at: 0)
                throw mismatch
            }
        }

        var description: String {
            let location = path.reduce(into: "") { text, part in
                text += (part.hasPrefix("[") || text.isEmpty) ? part : "." + part
            }
            return location.isEmpty ? problem : "\(location): \(problem)"
        }
    }
}
