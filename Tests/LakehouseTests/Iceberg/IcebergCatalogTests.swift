import Engine
import Foundation
import Testing

@testable import Lakehouse

/// The SQLite catalog and metadata parsing, checked against what PyIceberg wrote and reports.
@Suite struct IcebergCatalogTests {
    @Test func listsNamespacesAndTablesPyIcebergCreated() async throws {
        let fixture = try await PyIcebergFixture.shared.value
        let catalog = try fixture.catalog
        #expect(try await catalog.listNamespaces(parent: []) == [["fixtures"]])
        #expect(
            try await catalog.listTables(namespace: ["fixtures"]).map(\.name)
                == ["evolved", "history", "partitioned", "plain"])
        await #expect(throws: LakehouseError.noSuchNamespace(["nope"], catalog: "lake")) {
            try await catalog.listTables(namespace: ["nope"])
        }
        let missing = TableIdentifier(namespace: ["fixtures"], name: "missing")
        await #expect(throws: LakehouseError.noSuchTable(missing, catalog: "lake")) {
            try await catalog.loadTable(missing)
        }
    }

    @Test(arguments: ["plain", "partitioned", "evolved", "history"])
    func loadsMetadataAsPyIcebergSeesIt(table name: String) async throws {
        let fixture = try await PyIcebergFixture.shared.value
        let facts = fixture.facts(name)
        let table = try await fixture.catalog.loadTable(TableIdentifier(namespace: ["fixtures"], name: name))
        #expect(table.metadataLocation == facts["metadata_location"] as? String)
        #expect(table.metadata.formatVersion == (facts["format_version"] as? NSNumber)?.intValue)
        #expect(table.metadata.currentSnapshotID == (facts["current_snapshot_id"] as? NSNumber)?.int64Value)
        #expect(table.metadata.currentSchemaID == (facts["current_schema_id"] as? NSNumber)?.intValue)

        let fields = try #require(table.metadata.currentSchema).fields
        let expectedFields = facts["fields"] as? [[String: Any]] ?? []
        #expect(fields.map(\.id) == expectedFields.map { ($0["id"] as? NSNumber)?.intValue ?? -1 })
        #expect(fields.map(\.name) == expectedFields.map { $0["name"] as? String ?? "" })
        #expect(fields.map(\.type.description) == expectedFields.map { $0["type"] as? String ?? "" })
        #expect(fields.map(\.required) == expectedFields.map { ($0["required"] as? Bool) ?? true })

        let snapshots = facts["snapshots"] as? [[String: Any]] ?? []
        #expect(
            table.metadata.snapshots.map(\.snapshotID)
                == snapshots.map { ($0["snapshot_id"] as? NSNumber)?.int64Value ?? 0 })
        #expect(
            table.metadata.snapshots.map(\.sequenceNumber)
                == snapshots.map { ($0["sequence_number"] as? NSNumber)?.int64Value ?? -1 })
        #expect(table.metadata.snapshots.map(\.operation) == snapshots.map { $0["operation"] as? String })
        #expect(table.metadata.snapshots.map(\.schemaID) == snapshots.map { ($0["schema_id"] as? NSNumber)?.intValue })
        #expect(
            table.metadata.snapshots.map(\.parentSnapshotID)
                == snapshots.map { ($0["parent_snapshot_id"] as? NSNumber)?.int64Value })

        let specs = facts["specs"] as? [[String: Any]] ?? []
        #expect(
            table.metadata.partitionSpecs.map(\.specID) == specs.map { ($0["spec_id"] as? NSNumber)?.intValue ?? -1 })
        for (spec, expected) in zip(table.metadata.partitionSpecs, specs) {
            let expectedFields = expected["fields"] as? [[String: Any]] ?? []
            #expect(spec.fields.map(\.transform.description) == expectedFields.map { $0["transform"] as? String ?? "" })
            #expect(spec.fields.map(\.fieldID) == expectedFields.map { ($0["field_id"] as? NSNumber)?.intValue ?? -1 })
            #expect(
                spec.fields.map(\.sourceID) == expectedFields.map { ($0["source_id"] as? NSNumber)?.intValue ?? -1 })
        }
    }

    @Test func schemaEvolutionKeepsFieldIdentity() async throws {
        let fixture = try await PyIcebergFixture.shared.value
        let table = try await fixture.catalog.loadTable(TableIdentifier(namespace: ["fixtures"], name: "evolved"))
        let expectedSchemas = fixture.facts("evolved")["schemas"] as? [[String: Any]] ?? []
        #expect(table.metadata.schemas.count == expectedSchemas.count)
        for (schema, expected) in zip(table.metadata.schemas, expectedSchemas) {
            let fields = expected["fields"] as? [[String: Any]] ?? []
            #expect(schema.fields.map(\.name) == fields.map { $0["name"] as? String ?? "" })
            #expect(schema.fields.map(\.id) == fields.map { ($0["id"] as? NSNumber)?.intValue ?? -1 })
        }
        let current = try #require(table.metadata.currentSchema)
        #expect(current.field(named: "new_name")?.id == 2)
        #expect(current.field(named: "dropped") == nil)
        #expect(table.metadata.field(id: 3)?.name == "dropped")
        #expect(try current.fields.map { try $0.columnType() } == [.int64, .text, .float64])
    }

    @Test func commitMakesNewMetadataCurrentOnlyOverTheLoadedOne() async throws {
        let table = try await DeleteFileTable.create("commits")
        defer { table.remove() }
        let base = try await table.catalog.loadTable(table.identifier)
        var renamed = base.metadata
        renamed.properties["owner"] = "first"
        let committed = try await table.catalog.commitTable(base, metadata: renamed)
        #expect(committed.metadataLocation != base.metadataLocation)
        #expect(committed.metadata.metadataLog.last?.metadataFile == base.metadataLocation)
        let reloaded = try await table.catalog.loadTable(table.identifier)
        #expect(reloaded.metadataLocation == committed.metadataLocation)
        #expect(reloaded.metadata.properties["owner"] == "first")

        // A second writer that loaded `base` too loses, and its metadata file does not stay behind.
        var stale = base.metadata
        stale.properties["owner"] = "second"
        await #expect(throws: LakehouseError.commitConflict(table.identifier)) {
            try await table.catalog.commitTable(base, metadata: stale)
        }
        #expect(try await table.catalog.loadTable(table.identifier).metadata.properties["owner"] == "first")
        let metadataFiles = try FileManager.default.contentsOfDirectory(
            atPath: table.location.dropFirst("file://".count) + "/metadata")
        #expect(metadataFiles.filter { $0.hasSuffix(".metadata.json") }.count == 2)
    }
}
