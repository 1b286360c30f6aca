import Foundation

/// A change to a table as a REST catalog commits it: the requirements the table must still meet
/// and the updates that turn `base` into `updated` (the spec's `CommitTableRequest`).
///
/// Weir's writers build the whole new metadata; this finds what they changed. Each kind of change
/// carries the requirement that makes it safe against a concurrent writer: new snapshots and moved
/// references assert every changed reference's snapshot, new schemas the last assigned field id,
/// a new current schema the old current one, and so on, so the catalog refuses the commit (409,
/// `40001` here) exactly when another writer's commit would otherwise be lost.
struct TableChanges {
    var requirements: [[String: Any]] = []
    var updates: [[String: Any]] = []

    init(base: TableMetadata, updated: TableMetadata) {
        if let uuid = base.tableUUID { requirements.append(["type": "assert-table-uuid", "uuid": uuid]) }
        if updated.formatVersion > base.formatVersion {
            updates.append(["action": "upgrade-format-version", "format-version": updated.formatVersion])
        }
        addSchemaChanges(base: base, updated: updated)
        addPartitionSpecChanges(base: base, updated: updated)
        addSortOrderChanges(base: base, updated: updated)
        if updated.location != base.location {
            updates.append(["action": "set-location", "location": updated.location])
        }
        addPropertyChanges(base: base, updated: updated)
        addSnapshotChanges(base: base, updated: updated)
    }

    /// The request body for the table `identifier`.
    func body(for identifier: TableIdentifier) -> [String: Any] {
        [
            "identifier": ["namespace": identifier.namespace, "name": identifier.name],
            "requirements": requirements, "updates": updates,
        ]
    }

    var isEmpty: Bool { updates.isEmpty }

    private mutating func addSchemaChanges(base: TableMetadata, updated: TableMetadata) {
        let known = Set(base.schemas.map(\.schemaID))
        let added = updated.schemas.filter { !known.contains($0.schemaID) }
        if !added.isEmpty {
            requirements.append(["type": "assert-last-assigned-field-id", "last-assigned-field-id": base.lastColumnID])
            for schema in added {
                updates.append([
                    "action": "add-schema", "schema": IcebergSchemaJSON.schema(schema),
                    "last-column-id": updated.lastColumnID,
                ])
            }
        }
        if updated.currentSchemaID != base.currentSchemaID {
            requirements.append(["type": "assert-current-schema-id", "current-schema-id": base.currentSchemaID])
            // -1 is "the schema added last", since the catalog may number added schemas itself.
            let id = added.last?.schemaID == updated.currentSchemaID ? -1 : updated.currentSchemaID
            updates.append(["action": "set-current-schema", "schema-id": id])
        }
    }

    private mutating func addPartitionSpecChanges(base: TableMetadata, updated: TableMetadata) {
        let known = Set(base.partitionSpecs.map(\.specID))
        let added = updated.partitionSpecs.filter { !known.contains($0.specID) }
        if !added.isEmpty {
            requirements.append([
                "type": "assert-last-assigned-partition-id",
                "last-assigned-partition-id": base.lastPartitionID
                    ?? (base.partitionSpecs.flatMap { $0.fields.map(\.fieldID) }.max() ?? 999),
            ])
            for spec in added {
                updates.append(["action": "add-spec", "spec": TableMetadataSerializer.specJSON(spec)])
            }
        }
        if updated.defaultSpecID != base.defaultSpecID {
            requirements.append(["type": "assert-default-spec-id", "default-spec-id": base.defaultSpecID])
            let id = added.last?.specID == updated.defaultSpecID ? -1 : updated.defaultSpecID
            updates.append(["action": "set-default-spec", "spec-id": id])
        }
    }

    private mutating func addSortOrderChanges(base: TableMetadata, updated: TableMetadata) {
        let known = Set(base.sortOrders.map(\.orderID))
        let added = updated.sortOrders.filter { !known.contains($0.orderID) }
        for order in added {
            updates.append(["action": "add-sort-order", "sort-order": TableMetadataSerializer.sortOrderJSON(order)])
        }
        if updated.defaultSortOrderID != base.defaultSortOrderID {
            requirements.append([
                "type": "assert-default-sort-order-id", "default-sort-order-id": base.defaultSortOrderID,
            ])
            let id = added.last?.orderID == updated.defaultSortOrderID ? -1 : updated.defaultSortOrderID
            updates.append(["action": "set-default-sort-order", "sort-order-id": id])
        }
    }

    private mutating func addPropertyChanges(base: TableMetadata, updated: TableMetadata) {
        let changed = updated.properties.filter { base.properties[$0.key] != $0.value }
        if !changed.isEmpty { updates.append(["action": "set-properties", "updates": changed]) }
        let removed = base.properties.keys.filter { updated.properties[$0] == nil }.sorted()
        if !removed.isEmpty { updates.append(["action": "remove-properties", "removals": removed]) }
    }

    private mutating func addSnapshotChanges(base: TableMetadata, updated: TableMetadata) {
        let known = Set(base.snapshots.map(\.snapshotID))
        for snapshot in updated.snapshots where !known.contains(snapshot.snapshotID) {
            updates.append([
                "action": "add-snapshot",
                "snapshot": TableMetadataSerializer.snapshotJSON(snapshot, formatVersion: updated.formatVersion),
            ])
        }
        let movedRefs = updated.refs.filter { base.refs[$0.key] != $0.value }.keys.sorted()
        let removedRefs = base.refs.keys.filter { updated.refs[$0] == nil }.sorted()
        let remaining = Set(updated.snapshots.map(\.snapshotID))
        let removedSnapshots = base.snapshots.map(\.snapshotID).filter { !remaining.contains($0) }
        // Removing snapshots is safe only while no reference has moved onto one of them.
        let assertedRefs =
            removedSnapshots.isEmpty ? movedRefs + removedRefs : Array(Set(base.refs.keys).union(movedRefs)).sorted()
        for name in assertedRefs {
            var requirement: [String: Any] = ["type": "assert-ref-snapshot-id", "ref": name]
            requirement["snapshot-id"] = base.refs[name].map { $0.snapshotID as Any } ?? NSNull()
            requirements.append(requirement)
        }
        for name in movedRefs {
            guard let reference = updated.refs[name] else { continue }
            var update = TableMetadataSerializer.referenceJSON(reference)
            update["action"] = "set-snapshot-ref"
            update["ref-name"] = name
            updates.append(update)
        }
        for name in removedRefs { updates.append(["action": "remove-snapshot-ref", "ref-name": name]) }
        if !removedSnapshots.isEmpty {
            updates.append(["action": "remove-snapshots", "snapshot-ids": removedSnapshots])
        }
    }
}
