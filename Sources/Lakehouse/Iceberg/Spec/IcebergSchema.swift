import Engine

/// A field of an Iceberg struct: the identity (`id`) that survives renames, its name and type.
public struct NestedField: Sendable, Hashable, Codable {
    public var id: Int
    public var name: String
    public var type: IcebergType
    public var required: Bool
    public var doc: String?

    public init(id: Int, name: String, type: IcebergType, required: Bool, doc: String? = nil) {
        self.id = id
        self.name = name
        self.type = type
        self.required = required
        self.doc = doc
    }

    /// The Weir type of this column, or `0A000` naming it when it is a struct, list or map.
    public func columnType() throws -> DataType {
        guard let dataType = type.dataType else {
            throw LakehouseError.unsupported("column \"\(name)\" has nested type \(type), which Weir does not read yet")
        }
        return dataType
    }
}

/// One schema of a table (spec "Schemas"): top-level fields, addressed by id everywhere else in
/// the metadata, so renamed, dropped and re-added columns stay distinct.
public struct IcebergSchema: Sendable, Hashable, Codable {
    public var schemaID: Int
    public var fields: [NestedField]
    public var identifierFieldIDs: [Int]

    public init(schemaID: Int, fields: [NestedField], identifierFieldIDs: [Int] = []) {
        self.schemaID = schemaID
        self.fields = fields
        self.identifierFieldIDs = identifierFieldIDs
    }

    /// The top-level field called `name` (exact match first, then case-insensitive).
    public func field(named name: String) -> NestedField? {
        fields.first { $0.name == name } ?? fields.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The field with id `id` at any depth, including list elements and map keys and values.
    public func field(id: Int) -> NestedField? {
        Self.find(id, in: fields)
    }

    private static func find(_ id: Int, in fields: [NestedField]) -> NestedField? {
        for field in fields {
            if field.id == id { return field }
            if let found = find(id, in: field.type) { return found }
        }
        return nil
    }

    private static func find(_ id: Int, in type: IcebergType) -> NestedField? {
        switch type {
        case .structType(let fields):
            return find(id, in: fields)
        case .list(let elementID, let element, let required):
            if elementID == id { return NestedField(id: id, name: "element", type: element, required: required) }
            return find(id, in: element)
        case .map(let keyID, let key, let valueID, let value, let valueRequired):
            if keyID == id { return NestedField(id: id, name: "key", type: key, required: true) }
            if valueID == id { return NestedField(id: id, name: "value", type: value, required: valueRequired) }
            return find(id, in: key) ?? find(id, in: value)
        default:
            return nil
        }
    }
}
