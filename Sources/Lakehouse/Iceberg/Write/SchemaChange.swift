/// One change to a table's top-level columns (spec "Schema Evolution"). Columns keep their field
/// ids through renames and promotions, so data files written before the change read unchanged.
public enum SchemaChange: Sendable, Equatable {
    /// A new optional column with a fresh field id (older files read it as NULL).
    case addColumn(name: String, type: IcebergType, doc: String? = nil)
    case dropColumn(name: String)
    case renameColumn(from: String, to: String)
    /// A wider type: int to long, float to double, or decimal(p, s) to decimal(p', s) with p' ≥ p.
    case promoteColumn(name: String, to: IcebergType)
    /// A required column becomes optional.
    case makeOptional(name: String)
}

extension TableMetadata {
    /// The metadata with `changes` applied, in order, as one new current schema. Errors name the
    /// column: `42703` unknown, `42701` taken, `42804` a type change Iceberg does not allow,
    /// `0A000` dropping a column the partition spec, sort order or identifier fields use.
    public func evolvingSchema(_ changes: [SchemaChange]) throws -> TableMetadata {
        guard var schema = currentSchema else {
            throw LakehouseError.corrupt(location, "the current schema is missing")
        }
        var metadata = self
        func index(of name: String) throws -> Int {
            guard let index = schema.fields.firstIndex(where: { $0.name == name }) else {
                throw LakehouseError(.undefinedColumn, "column \"\(name)\" does not exist")
            }
            return index
        }
        func checkFree(_ name: String) throws {
            if schema.fields.contains(where: { $0.name == name }) {
                throw LakehouseError(.duplicateColumn, "column \"\(name)\" already exists")
            }
        }
        for change in changes {
            switch change {
            case .addColumn(let name, let type, let doc):
                try checkFree(name)
                metadata.lastColumnID += 1
                var fieldType = type
                renumberNested(&fieldType, lastID: &metadata.lastColumnID)
                schema.fields.append(
                    NestedField(id: metadata.lastColumnID, name: name, type: fieldType, required: false, doc: doc))
            case .dropColumn(let name):
                let field = schema.fields[try index(of: name)]
                let used =
                    (partitionSpec(id: defaultSpecID)?.fields.contains { $0.sourceID == field.id } ?? false)
                    || sortOrders.first { $0.orderID == defaultSortOrderID }?.fields.contains {
                        $0.sourceID == field.id
                    } == true
                    || schema.identifierFieldIDs.contains(field.id)
                if used {
                    throw LakehouseError.unsupported(
                        "cannot drop column \"\(name)\": the table's partition spec, sort order or identifier fields use it"
                    )
                }
                schema.fields.removeAll { $0.id == field.id }
            case .renameColumn(let from, let to):
                let position = try index(of: from)
                if from != to { try checkFree(to) }
                schema.fields[position].name = to
            case .promoteColumn(let name, let type):
                let position = try index(of: name)
                let current = schema.fields[position].type
                guard Self.canPromote(current, to: type) else {
                    throw LakehouseError(
                        .datatypeMismatch, "column \"\(name)\" cannot be changed from \(current) to \(type)",
                        detail: "Iceberg allows int to long, float to double and widening a decimal's precision.")
                }
                schema.fields[position].type = type
            case .makeOptional(let name):
                schema.fields[try index(of: name)].required = false
            }
        }
        schema.schemaID = (schemas.map(\.schemaID).max() ?? -1) + 1
        metadata.schemas.append(schema)
        metadata.currentSchemaID = schema.schemaID
        return metadata
    }

    static func canPromote(_ from: IcebergType, to: IcebergType) -> Bool {
        switch (from, to) {
        case _ where from == to: return true
        case (.int, .long), (.float, .double): return true
        case (.decimal(let p1, let s1), .decimal(let p2, let s2)): return s1 == s2 && p2 >= p1
        default: return false
        }
    }

    /// Gives the element, key and value fields of a new nested type fresh ids.
    private func renumberNested(_ type: inout IcebergType, lastID: inout Int) {
        switch type {
        case .list(_, var element, let required):
            lastID += 1
            let id = lastID
            renumberNested(&element, lastID: &lastID)
            type = .list(elementID: id, element: element, elementRequired: required)
        default: break
        }
    }
}
