import Engine
import Foundation
import Testing

@testable import Lakehouse

/// Iceberg views in the SQL catalog: metadata files written and read back, the catalog row kept
/// apart from tables, and concurrent replacements refused.
@Suite struct SQLCatalogViewTests {
    /// A fresh embedded catalog with namespace `app` in a temporary directory.
    func catalog() throws -> (SQLCatalog, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weir-views-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let catalog = try SQLCatalog.embedded(dataDirectory: directory.path, store: LocalObjectStore())
        try catalog.createNamespaceIfMissing(["app"])
        return (catalog, directory)
    }

    func metadata(_ catalog: SQLCatalog, _ identifier: TableIdentifier, sql: String) -> ViewMetadata {
        let schema = IcebergSchema(
            schemaID: 0,
            fields: [
                NestedField(id: 1, name: "id", type: .long, required: false, doc: "bigint"),
                NestedField(
                    id: 2, name: "tags", type: .list(elementID: 3, element: .string, elementRequired: false),
                    required: false),
            ])
        let version = ViewVersion(
            versionID: 1, timestampMs: 1_700_000_000_000, schemaID: 0, summary: ["engine-name": "weir"],
            representations: [SQLRepresentation(sql: sql, dialect: "postgres")], defaultNamespace: ["app"],
            defaultCatalog: "lake")
        return ViewMetadata(
            viewUUID: "00000000-0000-0000-0000-000000000001", location: catalog.viewLocation(for: identifier),
            schemas: [schema],
            currentVersionID: 1, versions: [version], versionLog: [(1, 1_700_000_000_000)],
            properties: ["comment": "test"])
    }

    @Test func metadataSurvivesARoundTrip() throws {
        let (catalog, directory) = try catalog()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = metadata(catalog, TableIdentifier(namespace: ["app"], name: "v"), sql: "SELECT 1 AS id")
        let parsed = try ViewMetadataSerde.parse(try ViewMetadataSerde.serialize(original), location: "memory")
        #expect(parsed == original)
        #expect(parsed.currentVersion?.sql(dialect: "Postgres") == "SELECT 1 AS id")
        #expect(parsed.currentSchema?.fields.map(\.doc) == ["bigint", nil])
    }

    @Test func createLoadReplaceDrop() async throws {
        let (catalog, directory) = try catalog()
        defer { try? FileManager.default.removeItem(at: directory) }
        let identifier = TableIdentifier(namespace: ["app"], name: "recent")
        let created = try await catalog.createView(
            identifier, metadata: metadata(catalog, identifier, sql: "SELECT 1 AS id"))
        #expect(created.metadataLocation.hasPrefix("file://\(directory.path)/warehouse/app/recent/metadata/00000-"))
        #expect(try await catalog.listViews(namespace: ["app"]) == [identifier])
        // A view is not a table, for Weir as for PyIceberg.
        #expect(try await catalog.listTables(namespace: ["app"]).isEmpty)
        await #expect(throws: LakehouseError.noSuchTable(identifier, catalog: "lake")) {
            try await catalog.loadTable(identifier)
        }
        await #expect(throws: LakehouseError.relationExists(identifier)) {
            _ = try await catalog.createView(identifier, metadata: metadata(catalog, identifier, sql: "SELECT 2 AS id"))
        }

        var next = created.metadata
        next.versions.append(
            ViewVersion(
                versionID: 2, timestampMs: 1_700_000_001_000, schemaID: 0, summary: [:],
                representations: [SQLRepresentation(sql: "SELECT 3 AS id", dialect: "postgres")],
                defaultNamespace: ["app"]))
        next.currentVersionID = 2
        try await catalog.replaceView(identifier, expectedMetadataLocation: created.metadataLocation, metadata: next)
        let loaded = try #require(try await catalog.loadView(identifier))
        #expect(loaded.metadata.currentVersion?.sql(dialect: "postgres") == "SELECT 3 AS id")
        #expect(loaded.metadataLocation.contains("/metadata/00001-"))
        // A writer that read the first version loses.
        await #expect(throws: LakehouseError.commitConflict(identifier)) {
            try await catalog.replaceView(
                identifier, expectedMetadataLocation: created.metadataLocation, metadata: next)
        }

        try await catalog.dropView(identifier)
        #expect(try await catalog.loadView(identifier) == nil)
        #expect(!FileManager.default.fileExists(atPath: String(loaded.metadataLocation.dropFirst("file://".count))))
        await #expect(throws: LakehouseError.noSuchView(identifier, catalog: "lake")) {
            try await catalog.dropView(identifier)
        }
    }

    @Test func corruptViewMetadataIsReportedWithItsFile() throws {
        #expect(throws: LakehouseError.self) {
            try ViewMetadataSerde.parse(Array("{\"format-version\": 1}".utf8), location: "v.json")
        }
        let error = #expect(throws: LakehouseError.self) {
            try ViewMetadataSerde.parse(Array("not json".utf8), location: "v.json")
        }
        #expect(error?.sqlState == .dataCorrupted)
    }
}
