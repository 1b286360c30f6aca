import Foundation

/// Parses the JSON form of an Avro schema into `AvroSchema`, resolving named-type references.
///
/// Every problem is reported as `XX001` naming the file the schema came from.
struct AvroSchemaParser {
    let location: String
    private var namedTypes: [String: AvroSchema] = [:]

    init(location: String) {
        self.location = location
    }

    /// Parses schema JSON text.
    static func parse(_ json: [UInt8], location: String) throws -> AvroSchema {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])
        } catch {
            throw LakehouseError.corrupt(location, "avro.schema is not valid JSON")
        }
        var parser = AvroSchemaParser(location: location)
        return try parser.schema(object, namespace: nil)
    }

    private mutating func schema(_ json: Any, namespace: String?) throws -> AvroSchema {
        switch json {
        case let name as String:
            return try named(name, namespace: namespace)
        case let branches as [Any]:
            return .union(try branches.map { try schema($0, namespace: namespace) })
        case let object as [String: Any]:
            return try complex(object, namespace: namespace)
        default:
            throw problem("a schema must be a name, an array or an object")
        }
    }

    private func named(_ name: String, namespace: String?) throws -> AvroSchema {
        switch name {
        case "null": return .null
        case "boolean": return .boolean
        case "int": return .int(logicalType: nil)
        case "long": return .long(logicalType: nil)
        case "float": return .float
        case "double": return .double
        case "bytes": return .bytes(logicalType: nil)
        case "string": return .string(logicalType: nil)
        default:
            if let found = namedTypes[Self.fullName(name, namespace: namespace)] ?? namedTypes[name] {
                return found
            }
            throw problem("unknown type name \"\(name)\"")
        }
    }

    private mutating func complex(_ object: [String: Any], namespace: String?) throws -> AvroSchema {
        guard let type = object["type"] else { throw problem("a schema object needs a \"type\"") }
        let logicalType = object["logicalType"] as? String
        guard let typeName = type as? String else {
            return try schema(type, namespace: namespace)
        }
        switch typeName {
        case "record", "error":
            return try record(object, namespace: namespace)
        case "enum":
            let name = try string(object, "name")
            guard let symbols = object["symbols"] as? [String] else { throw problem("enum \(name) needs symbols") }
            let result = AvroSchema.enumeration(name: name, symbols: symbols)
            namedTypes[Self.fullName(name, namespace: object["namespace"] as? String ?? namespace)] = result
            return result
        case "array":
            guard let items = object["items"] else { throw problem("array schema needs \"items\"") }
            return .array(
                try schema(items, namespace: namespace), logicalType: logicalType,
                elementID: Self.integer(object["element-id"]))
        case "map":
            guard let values = object["values"] else { throw problem("map schema needs \"values\"") }
            return .map(
                try schema(values, namespace: namespace), keyID: Self.integer(object["key-id"]),
                valueID: Self.integer(object["value-id"]))
        case "fixed":
            let name = try string(object, "name")
            guard let size = object["size"] as? Int, size >= 0 else { throw problem("fixed \(name) needs a size") }
            var result = AvroSchema.fixed(name: name, size: size, logicalType: logicalType)
            if logicalType == "decimal" { result = try decimal(result, object) }
            namedTypes[Self.fullName(name, namespace: object["namespace"] as? String ?? namespace)] = result
            return result
        case "int": return .int(logicalType: logicalType)
        case "long":
            return .long(logicalType: logicalType, adjustToUTC: (object["adjust-to-utc"] as? NSNumber)?.boolValue)
        case "string": return .string(logicalType: logicalType)
        case "bytes":
            let bytes = AvroSchema.bytes(logicalType: logicalType)
            return logicalType == "decimal" ? try decimal(bytes, object) : bytes
        default:
            return try named(typeName, namespace: namespace)
        }
    }

    private mutating func record(_ object: [String: Any], namespace: String?) throws -> AvroSchema {
        let name = try string(object, "name")
        let recordNamespace = object["namespace"] as? String ?? namespace
        guard let fieldObjects = object["fields"] as? [[String: Any]] else {
            throw problem("record \(name) needs fields")
        }
        var fields: [AvroRecordSchema.Field] = []
        for field in fieldObjects {
            let fieldName = try string(field, "name")
            guard let fieldType = field["type"] else { throw problem("field \(fieldName) of \(name) needs a type") }
            let fieldID = Self.integer(field["field-id"])
            fields.append(
                .init(name: fieldName, type: try schema(fieldType, namespace: recordNamespace), fieldID: fieldID))
        }
        let result = AvroSchema.record(AvroRecordSchema(name: name, fields: fields))
        namedTypes[Self.fullName(name, namespace: recordNamespace)] = result
        return result
    }

    private func decimal(_ underlying: AvroSchema, _ object: [String: Any]) throws -> AvroSchema {
        guard let precision = object["precision"] as? Int else { throw problem("decimal needs a precision") }
        return .decimal(underlying, precision: precision, scale: object["scale"] as? Int ?? 0)
    }

    private func string(_ object: [String: Any], _ key: String) throws -> String {
        guard let value = object[key] as? String else { throw problem("schema object needs a \"\(key)\"") }
        return value
    }

    private func problem(_ text: String) -> LakehouseError {
        LakehouseError.corrupt(location, "invalid avro.schema: \(text)")
    }

    private static func integer(_ json: Any?) -> Int? { (json as? NSNumber)?.intValue }

    private static func fullName(_ name: String, namespace: String?) -> String {
        if name.contains(".") { return name }
        guard let namespace, !namespace.isEmpty else { return name }
        return namespace + "." + name
    }
}
