/// Parses schemas and types from their metadata JSON form (spec appendix C, "JSON serialization").
enum IcebergTypeParser {
    static func schema(_ object: JSONObject) throws -> IcebergSchema {
        IcebergSchema(
            schemaID: try object.optionalInt("schema-id") ?? 0,
            fields: try fields(object),
            identifierFieldIDs: try object.intArray("identifier-field-ids"))
    }

    private static func fields(_ object: JSONObject) throws -> [NestedField] {
        try object.objects("fields").map { field in
            NestedField(
                id: try field.int("id"),
                name: try field.string("name"),
                type: try type(field, key: "type"),
                required: try field.optionalBool("required") ?? false,
                doc: try field.optionalString("doc"))
        }
    }

    /// The type stored under `key` of `object`: a primitive's name or a nested type's object.
    static func type(_ object: JSONObject, key: String) throws -> IcebergType {
        if let name = object.fields[key] as? String {
            if let primitive = IcebergType.primitive(named: name) { return primitive }
            if ["variant", "geometry", "geography", "unknown"].contains(where: { name.hasPrefix($0) }) {
                throw LakehouseError.unsupported(
                    "Iceberg type \"\(name)\" in \"\(object.location)\" is not supported")
            }
            throw object.problem(key, "names unknown type \"\(name)\"")
        }
        let nested = try object.object(key)
        switch try nested.string("type") {
        case "struct":
            return .structType(try fields(nested))
        case "list":
            return .list(
                elementID: try nested.int("element-id"),
                element: try type(nested, key: "element"),
                elementRequired: try nested.optionalBool("element-required") ?? false)
        case "map":
            return .map(
                keyID: try nested.int("key-id"),
                key: try type(nested, key: "key"),
                valueID: try nested.int("value-id"),
                value: try type(nested, key: "value"),
                valueRequired: try nested.optionalBool("value-required") ?? false)
        case let other:
            throw nested.problem("type", "is \"\(other)\", not struct, list or map")
        }
    }
}
