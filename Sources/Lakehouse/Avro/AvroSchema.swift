/// An Avro schema, as the `avro.schema` entry of an object container file declares it.
///
/// Named types are resolved while parsing, so a reference by name becomes the schema it names.
/// Logical types are kept as an annotation on the underlying type; decoding does not depend on them.
/// The Iceberg attributes Avro ignores (`adjust-to-utc`, `element-id`, `key-id`, `value-id`) are kept
/// too, so a schema written by `AvroSchemaWriter` reads back equal.
public indirect enum AvroSchema: Sendable, Equatable {
    case null
    case boolean
    case int(logicalType: String?)
    /// `adjustToUTC` is Iceberg's `adjust-to-utc` on `timestamp-micros`/`timestamp-nanos`: true for
    /// `timestamptz`, false for `timestamp`, nil when absent.
    case long(logicalType: String?, adjustToUTC: Bool? = nil)
    case float
    case double
    case bytes(logicalType: String?)
    case string(logicalType: String?)
    case record(AvroRecordSchema)
    case enumeration(name: String, symbols: [String])
    /// `elementID` is Iceberg's `element-id` for a list's element field.
    case array(AvroSchema, logicalType: String?, elementID: Int? = nil)
    /// `keyID` and `valueID` are Iceberg's `key-id` and `value-id` for a string-keyed map.
    case map(AvroSchema, keyID: Int? = nil, valueID: Int? = nil)
    case fixed(name: String, size: Int, logicalType: String?)
    case union([AvroSchema])
    /// A decimal stored as big-endian two's complement in `bytes` or `fixed`.
    case decimal(AvroSchema, precision: Int, scale: Int)

    /// `schema` or null, as Iceberg writes optional fields: a union with null first.
    public static func optional(_ schema: AvroSchema) -> AvroSchema { .union([.null, schema]) }

    /// The record schema this schema is, or the one non-null branch of an optional union.
    public var recordSchema: AvroRecordSchema? {
        switch self {
        case .record(let record): return record
        case .union(let branches):
            let nonNull = branches.filter { $0 != .null }
            return nonNull.count == 1 ? nonNull[0].recordSchema : nil
        default: return nil
        }
    }
}

/// The fields of an Avro record, with the Iceberg `field-id` each one may carry.
public struct AvroRecordSchema: Sendable, Equatable {
    /// One field of a record.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var type: AvroSchema
        /// The Iceberg field id from the `field-id` attribute, when present.
        public var fieldID: Int?

        public init(name: String, type: AvroSchema, fieldID: Int? = nil) {
            self.name = name
            self.type = type
            self.fieldID = fieldID
        }
    }

    public var name: String
    public var fields: [Field]

    public init(name: String, fields: [Field]) {
        self.name = name
        self.fields = fields
    }

    /// The position of the field called `name`.
    public func index(ofField name: String) -> Int? { fields.firstIndex { $0.name == name } }

    /// The position of the field carrying Iceberg field id `id`.
    public func index(ofFieldID id: Int) -> Int? { fields.firstIndex { $0.fieldID == id } }
}
