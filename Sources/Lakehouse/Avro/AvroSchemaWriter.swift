import Foundation

/// Writes an `AvroSchema` as the JSON text of a container file's `avro.schema`: the inverse of
/// `AvroSchemaParser`, keeping the Iceberg attributes (`field-id`, `element-id`, `key-id`,
/// `value-id`, `adjust-to-utc`) so other Iceberg readers can map fields by id.
///
/// Optional fields (a union whose first branch is null) get `"default": null`, as the Iceberg spec
/// requires. A named type (record, enum, fixed) is defined where it first appears and referred to
/// by name afterwards; two different types under one name throw `22000`.
struct AvroSchemaWriter {
    private var definedNames: [String: AvroSchema] = [:]

    /// The JSON text of `schema`, keys sorted so the same schema always gives the same bytes.
    static func json(_ schema: AvroSchema) throws -> [UInt8] {
        var writer = AvroSchemaWriter()
        let object = try writer.object(schema)
        let data = try JSONSerialization.data(
            withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        return Array(data)
    }

    private mutating func object(_ schema: AvroSchema) throws -> Any {
        switch schema {
        case .null: return "null"
        case .boolean: return "boolean"
        case .float: return "float"
        case .double: return "double"
        case .int(let logicalType): return Self.primitive("int", logicalType: logicalType)
        case .bytes(let logicalType): return Self.primitive("bytes", logicalType: logicalType)
        case .string(let logicalType): return Self.primitive("string", logicalType: logicalType)
        case .long(let logicalType, let adjustToUTC):
            guard let adjustToUTC else { return Self.primitive("long", logicalType: logicalType) }
            var object: [String: Any] = ["type": "long", "adjust-to-utc": adjustToUTC]
            if let logicalType { object["logicalType"] = logicalType }
            return object
        case .union(let branches):
            return try branches.map { try object($0) }
        case .array(let items, let logicalType, let elementID):
            var object: [String: Any] = ["type": "array", "items": try self.object(items)]
            if let logicalType { object["logicalType"] = logicalType }
            if let elementID { object["element-id"] = elementID }
            return object
        case .map(let values, let keyID, let valueID):
            var object: [String: Any] = ["type": "map", "values": try self.object(values)]
            if let keyID { object["key-id"] = keyID }
            if let valueID { object["value-id"] = valueID }
            return object
        case .decimal(.bytes, let precision, let scale):
            return ["type": "bytes", "logicalType": "decimal", "precision": precision, "scale": scale] as [String: Any]
        case .decimal(.fixed(let name, let size, _), let precision, let scale):
            return try named(name, schema) {
                [
                    "type": "fixed", "name": name, "size": size, "logicalType": "decimal", "precision": precision,
                    "scale": scale,
                ]
            }
        case .decimal(let underlying, _, _):
            throw LakehouseError.cannotWrite(
                "an Avro schema", "a decimal must be bytes or fixed, not \(AvroBinaryEncoder.kind(of: underlying))")
        case .fixed(let name, let size, let logicalType):
            return try named(name, schema) {
                var object: [String: Any] = ["type": "fixed", "name": name, "size": size]
                if let logicalType { object["logicalType"] = logicalType }
                return object
            }
        case .enumeration(let name, let symbols):
            return try named(name, schema) { ["type": "enum", "name": name, "symbols": symbols] }
        case .record(let record):
            // The name is claimed before the fields are written, as Avro resolves names in order.
            if let reference = try reference(record.name, schema) { return reference }
            return ["type": "record", "name": record.name, "fields": try record.fields.map { try field($0) }]
        }
    }

    private mutating func field(_ field: AvroRecordSchema.Field) throws -> [String: Any] {
        var object: [String: Any] = ["name": field.name, "type": try self.object(field.type)]
        if let fieldID = field.fieldID { object["field-id"] = fieldID }
        if case .union(let branches) = field.type, branches.first == .null { object["default"] = NSNull() }
        return object
    }

    /// The definition of a named type the first time `name` appears, its name afterwards.
    private mutating func named(
        _ name: String, _ schema: AvroSchema, definition: () -> [String: Any]
    ) throws -> Any {
        if let reference = try reference(name, schema) { return reference }
        return definition()
    }

    /// `name` when it is already defined as `schema`; nil (and the name claimed) when it is new.
    private mutating func reference(_ name: String, _ schema: AvroSchema) throws -> Any? {
        guard let defined = definedNames[name] else {
            definedNames[name] = schema
            return nil
        }
        guard defined == schema else {
            throw LakehouseError.cannotWrite("an Avro schema", "two different types are named \"\(name)\"")
        }
        return name
    }

    private static func primitive(_ name: String, logicalType: String?) -> Any {
        guard let logicalType else { return name }
        return ["type": name, "logicalType": logicalType] as [String: Any]
    }
}
