import Foundation
import Testing

@testable import Lakehouse

/// The requirements and updates a REST commit sends, found from the metadata before and after.
@Suite struct TableChangesTests {
    let base = TableMetadata.newTable(
        schema: IcebergSchema(
            schemaID: 0,
            fields: [
                NestedField(id: 1, name: "id", type: .long, required: true),
                NestedField(id: 2, name: "name", type: .string, required: false),
            ]),
        spec: PartitionSpec(specID: 0, fields: []), location: "s3://bucket/t", properties: ["keep": "1", "drop": "2"])

    func snapshot(_ id: Int64, parent: Int64?, sequence: Int64) -> Snapshot {
        Snapshot(
            snapshotID: id, parentSnapshotID: parent, sequenceNumber: sequence,
            timestampMs: 1_700_000_000_000 + sequence,
            manifestList: "s3://bucket/t/metadata/snap-\(id).avro", summary: ["operation": "append"], schemaID: 0)
    }

    func appended(_ metadata: TableMetadata, _ snapshot: Snapshot) -> TableMetadata {
        var next = metadata
        next.snapshots.append(snapshot)
        next.currentSnapshotID = snapshot.snapshotID
        next.lastSequenceNumber = snapshot.sequenceNumber
        next.refs["main"] = SnapshotReference(snapshotID: snapshot.snapshotID, kind: .branch)
        next.snapshotLog.append(SnapshotLogEntry(timestampMs: snapshot.timestampMs, snapshotID: snapshot.snapshotID))
        return next
    }

    func kinds(_ objects: [[String: Any]], _ key: String) -> [String] { objects.map { $0[key] as? String ?? "?" } }

    @Test func anAppendAddsTheSnapshotAndMovesMainFromWhereItWas() throws {
        let first = appended(base, snapshot(11, parent: nil, sequence: 1))
        let changes = TableChanges(base: base, updated: first)
        #expect(kinds(changes.requirements, "type") == ["assert-table-uuid", "assert-ref-snapshot-id"])
        #expect(changes.requirements[0]["uuid"] as? String == base.tableUUID)
        // A table with no snapshot yet: main must still be absent.
        #expect(changes.requirements[1]["ref"] as? String == "main")
        #expect(changes.requirements[1]["snapshot-id"] is NSNull)
        #expect(kinds(changes.updates, "action") == ["add-snapshot", "set-snapshot-ref"])
        let added = try #require(changes.updates[0]["snapshot"] as? [String: Any])
        #expect(added["snapshot-id"] as? Int64 == 11)
        #expect(added["sequence-number"] as? Int64 == 1)
        #expect(added["manifest-list"] as? String == "s3://bucket/t/metadata/snap-11.avro")
        #expect(changes.updates[1]["ref-name"] as? String == "main")
        #expect(changes.updates[1]["type"] as? String == "branch")
        #expect(changes.updates[1]["snapshot-id"] as? Int64 == 11)

        let second = TableChanges(base: first, updated: appended(first, snapshot(12, parent: 11, sequence: 2)))
        #expect(second.requirements[1]["snapshot-id"] as? Int64 == 11)
        // The body is valid JSON with the identifier.
        let body = second.body(for: TableIdentifier(namespace: ["a", "b"], name: "t"))
        let data = try JSONSerialization.data(withJSONObject: body)
        let parsed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((parsed["identifier"] as? [String: Any])?["namespace"] as? [String] == ["a", "b"])
    }

    @Test func aSchemaChangeAssertsTheFieldIdsAndCurrentSchemaItBuiltOn() throws {
        let evolved = try base.evolvingSchema([
            .addColumn(name: "added", type: .int), .renameColumn(from: "name", to: "label"),
        ])
        let changes = TableChanges(base: base, updated: evolved)
        #expect(
            kinds(changes.requirements, "type") == [
                "assert-table-uuid", "assert-last-assigned-field-id", "assert-current-schema-id",
            ])
        #expect(changes.requirements[1]["last-assigned-field-id"] as? Int == 2)
        #expect(changes.requirements[2]["current-schema-id"] as? Int == 0)
        #expect(kinds(changes.updates, "action") == ["add-schema", "set-current-schema"])
        let schema = try #require(changes.updates[0]["schema"] as? [String: Any])
        let fields = try #require(schema["fields"] as? [[String: Any]])
        #expect(fields.map { $0["name"] as? String } == ["id", "label", "added"])
        #expect(fields.map { $0["id"] as? Int } == [1, 2, 3])
        #expect(changes.updates[0]["last-column-id"] as? Int == 3)
        #expect(changes.updates[1]["schema-id"] as? Int == -1)
    }

    @Test func propertiesAreSetAndRemoved() {
        var updated = base
        updated.properties = ["keep": "1", "new": "3"]
        let changes = TableChanges(base: base, updated: updated)
        #expect(kinds(changes.updates, "action") == ["set-properties", "remove-properties"])
        #expect(changes.updates[0]["updates"] as? [String: String] == ["new": "3"])
        #expect(changes.updates[1]["removals"] as? [String] == ["drop"])
        #expect(TableChanges(base: base, updated: base).isEmpty)
    }

    @Test func expiringSnapshotsAssertsEveryReferenceStaysPut() {
        let first = appended(base, snapshot(11, parent: nil, sequence: 1))
        var second = appended(first, snapshot(12, parent: 11, sequence: 2))
        second.refs["audit"] = SnapshotReference(snapshotID: 12, kind: .tag)
        var expired = second
        expired.snapshots.removeAll { $0.snapshotID == 11 }
        let changes = TableChanges(base: second, updated: expired)
        #expect(kinds(changes.updates, "action") == ["remove-snapshots"])
        #expect(changes.updates[0]["snapshot-ids"] as? [Int64] == [11])
        let refs = changes.requirements.filter { $0["type"] as? String == "assert-ref-snapshot-id" }
        #expect(refs.map { $0["ref"] as? String } == ["audit", "main"])
        #expect(refs.map { $0["snapshot-id"] as? Int64 } == [12, 12])
    }
}
