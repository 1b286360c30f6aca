/// One decoded Avro datum: a small tree, fine for manifests and manifest lists, which are small.
///
/// Union values appear as the value of the branch that was written.
public indirect enum AvroValue: Sendable, Equatable {
    case null
    case boolean(Bool)
    case int(Int32)
    case long(Int64)
    case float(Float)
    case double(Double)
    case bytes([UInt8])
    case string(String)
    case fixed([UInt8])
    case enumeration(index: Int, symbol: String)
    case array([AvroValue])
    case map([String: AvroValue])
    case record(AvroRecord)

    public var isNull: Bool { self == .null }

    /// The value as a 64-bit integer when it is an `int` or a `long`.
    public var integer: Int64? {
        switch self {
        case .int(let value): return Int64(value)
        case .long(let value): return value
        default: return nil
        }
    }

    /// The bytes of a `bytes` or `fixed` value.
    public var byteArray: [UInt8]? {
        switch self {
        case .bytes(let bytes), .fixed(let bytes): return bytes
        default: return nil
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var recordValue: AvroRecord? {
        if case .record(let value) = self { return value }
        return nil
    }

    public var arrayValue: [AvroValue]? {
        if case .array(let values) = self { return values }
        return nil
    }
}

/// A decoded Avro record: its schema and one value per field, in schema order.
public struct AvroRecord: Sendable, Equatable {
    public let schema: AvroRecordSchema
    public let values: [AvroValue]

    public init(schema: AvroRecordSchema, values: [AvroValue]) {
        self.schema = schema
        self.values = values
    }

    /// A record of `schema` taking each field's value from `valuesByName`; fields it does not
    /// name are null. One set of values can so fill several versions of a schema.
    public init(schema: AvroRecordSchema, valuesByName: [String: AvroValue]) {
        self.init(schema: schema, values: schema.fields.map { valuesByName[$0.name] ?? .null })
    }

    /// The value of the field called `name`; `.null` when the writer's schema has no such field.
    public subscript(name: String) -> AvroValue {
        guard let index = schema.index(ofField: name) else { return .null }
        return values[index]
    }

    /// The value of the field with Iceberg field id `id`, falling back to `name` for writers that
    /// did not record field ids; `.null` when neither is present.
    public func value(fieldID id: Int, name: String) -> AvroValue {
        if let index = schema.index(ofFieldID: id) { return values[index] }
        return self[name]
    }
}
