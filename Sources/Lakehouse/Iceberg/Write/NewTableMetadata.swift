import Foundation

extension TableMetadata {
    /// The first metadata of a new table (format v2 unless `formatVersion` says otherwise): the
    /// schema as schema 0, the spec as spec 0 (partition field ids from 1000), unsorted, no
    /// snapshot yet.
    public static func newTable(
        schema: IcebergSchema, spec: PartitionSpec, location: String, properties: [String: String],
        formatVersion: Int = 2
    ) -> TableMetadata {
        var maxID = 0
        func visit(_ type: IcebergType) {
            switch type {
            case .structType(let fields):
                for field in fields {
                    maxID = max(maxID, field.id)
                    visit(field.type)
                }
            case .list(let elementID, let element, _):
                maxID = max(maxID, elementID)
                visit(element)
            case .map(let keyID, let key, let valueID, let value, _):
                maxID = max(maxID, keyID, valueID)
                visit(key)
                visit(value)
            default: break
            }
        }
        visit(.structType(schema.fields))
        var firstSchema = schema
        firstSchema.schemaID = 0
        var firstSpec = spec
        firstSpec.specID = 0
        return TableMetadata(
            formatVersion: formatVersion, tableUUID: UUID().uuidString.lowercased(), location: location,
            lastSequenceNumber: 0,
            lastUpdatedMs: Int64(Date().timeIntervalSince1970 * 1000), lastColumnID: maxID, schemas: [firstSchema],
            currentSchemaID: 0,
            partitionSpecs: [firstSpec], defaultSpecID: 0,
            lastPartitionID: firstSpec.fields.map(\.fieldID).max() ?? 999,
            properties: properties, currentSnapshotID: nil, snapshots: [], snapshotLog: [], metadataLog: [],
            sortOrders: [SortOrder(orderID: 0, fields: [])], defaultSortOrderID: 0, refs: [:])
    }
}
