import Foundation

/// Schemas and partition specs in their metadata JSON form (spec appendix C), shared by the view
/// metadata writer and the manifest writer (whose `schema` and `partition-spec` header entries
/// hold the same JSON).
enum IcebergSchemaJSON {
    /// A schema as a JSON object.
    static func schema(_ schema: IcebergSchema) -> [String: Any] {
        var object: [String: Any] = [
            "type": "struct", "schema-id": schema.schemaID, "fields": schema.fields.map(field),
        ]
        if !schema.identifierFieldIDs.isEmpty { object["identifier-field-ids"] = schema.identifierFieldIDs }
        return object
    }

    /// A partition spec's fields as the JSON array a spec's `fields` holds.
    static func partitionFields(_ spec: PartitionSpec) -> [[String: Any]] {
        spec.fields.map { field in
            [
                "source-id": field.sourceID, "field-id": field.fieldID, "name": field.name,
                "transform": field.transform.description,
            ]
        }
    }

    /// The compact JSON text of `object`, keys sorted so equal input gives equal bytes.
    static func text(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    private static func field(_ field: NestedField) -> [String: Any] {
        var object: [String: Any] = [
            "id": field.id, "name": field.name, "required": field.required, "type": type(field.type),
        ]
        if let doc = field.doc { object["doc"] = doc }
        return object
    }

    private static func type(_ type: IcebergType) -> Any {
        switch type {
        case .structType(let fields):
            return ["type": "struct", "fields": fields.map(field)] as [String: Any]
        case .list(let elementID, let element, let elementRequired):
            return [
                "type": "list", "element-id": elementID, "element": self.type(element),
                "element-required": elementRequired,
            ] as [String: Any]
        case .map(let keyID, let key, let valueID, let value, let valueRequired):
            return [
                "type": "map", "key-id": keyID, "key": self.type(key), "value-id": valueID, "value": self.type(value),
                "value-required": valueRequired,
            ] as [String: Any]
        default:
            return type.description
        }
    }
}
