import Foundation

/// Writes table metadata JSON (spec "Table Metadata"), the inverse of `TableMetadataParser`;
/// schemas and specs in the form `IcebergSchemaJSON` shares with the manifest writer.
///
/// Format v1 documents also get the v1-required `schema` and `partition-spec` copies of the
/// current schema and default spec.
public enum TableMetadataSerializer {
    public static func serialize(_ metadata: TableMetadata) throws -> [UInt8] {
        var root: [String: Any] = [
            "format-version": metadata.formatVersion,
            "location": metadata.location,
            "last-updated-ms": metadata.lastUpdatedMs,
            "last-column-id": metadata.lastColumnID,
            "current-schema-id": metadata.currentSchemaID,
            "schemas": metadata.schemas.map(IcebergSchemaJSON.schema),
            "default-spec-id": metadata.defaultSpecID,
            "partition-specs": metadata.partitionSpecs.map(specJSON),
            "last-partition-id": metadata.lastPartitionID
                ?? (metadata.partitionSpecs.flatMap { $0.fields.map(\.fieldID) }.max() ?? 999),
            "default-sort-order-id": metadata.defaultSortOrderID,
            "sort-orders": metadata.sortOrders.map(sortOrderJSON),
            "properties": metadata.properties,
            "snapshots": metadata.snapshots.map { snapshotJSON($0, formatVersion: metadata.formatVersion) },
            "snapshot-log": metadata.snapshotLog.map {
                ["timestamp-ms": $0.timestampMs, "snapshot-id": $0.snapshotID]
            },
            "metadata-log": metadata.metadataLog.map {
                ["timestamp-ms": $0.timestampMs, "metadata-file": $0.metadataFile] as [String: Any]
            },
            "refs": metadata.refs.mapValues(referenceJSON),
        ]
        if let uuid = metadata.tableUUID { root["table-uuid"] = uuid }
        if let current = metadata.currentSnapshotID { root["current-snapshot-id"] = current }
        if metadata.formatVersion >= 2 {
            root["last-sequence-number"] = metadata.lastSequenceNumber
        } else {
            if let schema = metadata.currentSchema { root["schema"] = IcebergSchemaJSON.schema(schema) }
            root["partition-spec"] =
                metadata.partitionSpec(id: metadata.defaultSpecID).map(IcebergSchemaJSON.partitionFields) ?? []
        }
        return Array(try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    static func specJSON(_ spec: PartitionSpec) -> [String: Any] {
        ["spec-id": spec.specID, "fields": IcebergSchemaJSON.partitionFields(spec)]
    }

    static func sortOrderJSON(_ order: SortOrder) -> [String: Any] {
        [
            "order-id": order.orderID,
            "fields": order.fields.map { field -> [String: Any] in
                [
                    "source-id": field.sourceID, "transform": field.transform.description,
                    "direction": field.direction.rawValue,
                    "null-order": field.nullOrder.rawValue,
                ]
            },
        ]
    }

    static func snapshotJSON(_ snapshot: Snapshot, formatVersion: Int) -> [String: Any] {
        var object: [String: Any] = [
            "snapshot-id": snapshot.snapshotID,
            "timestamp-ms": snapshot.timestampMs,
            "summary": snapshot.summary,
        ]
        if formatVersion >= 2 { object["sequence-number"] = snapshot.sequenceNumber }
        if let parent = snapshot.parentSnapshotID { object["parent-snapshot-id"] = parent }
        if let list = snapshot.manifestList { object["manifest-list"] = list }
        if !snapshot.manifests.isEmpty { object["manifests"] = snapshot.manifests }
        if let schemaID = snapshot.schemaID { object["schema-id"] = schemaID }
        return object
    }

    static func referenceJSON(_ reference: SnapshotReference) -> [String: Any] {
        var object: [String: Any] = ["snapshot-id": reference.snapshotID, "type": reference.kind.rawValue]
        if let age = reference.maxRefAgeMs { object["max-ref-age-ms"] = age }
        if let age = reference.maxSnapshotAgeMs { object["max-snapshot-age-ms"] = age }
        if let count = reference.minSnapshotsToKeep { object["min-snapshots-to-keep"] = count }
        return object
    }
}
