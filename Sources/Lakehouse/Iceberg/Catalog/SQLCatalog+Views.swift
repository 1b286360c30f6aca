import Foundation

/// Iceberg views in the SQL catalog, as Iceberg's JDBC catalog keeps them: a row of
/// `iceberg_tables` with `iceberg_type = 'VIEW'` pointing at the view's current metadata file.
/// (PyIceberg's `SqlCatalog` lists only tables, so it does not see them.)
extension SQLCatalog {
    private func namespaceText(_ identifier: TableIdentifier) -> String { identifier.namespace.joined(separator: ".") }

    /// Views in `namespace`, sorted by name; `3F000` when the namespace does not exist.
    public func listViews(namespace: [String]) async throws -> [TableIdentifier] {
        guard try namespaceExists(namespace) else { throw LakehouseError.noSuchNamespace(namespace, catalog: name) }
        let rows = try connectToCatalog().query(
            """
            SELECT table_name FROM iceberg_tables WHERE catalog_name = ?1 AND table_namespace = ?2 AND iceberg_type = 'VIEW'
            ORDER BY table_name
            """, [.text(name), .text(namespace.joined(separator: "."))])
        return rows.compactMap { $0.first?.text }.map { TableIdentifier(namespace: namespace, name: $0) }
    }

    /// The view's metadata location, or nil when there is no such view.
    func viewMetadataLocation(_ identifier: TableIdentifier, connection: any CatalogDatabaseConnection) throws
        -> String?
    {
        try connection.query(
            """
            SELECT metadata_location FROM iceberg_tables
            WHERE catalog_name = ?1 AND table_namespace = ?2 AND table_name = ?3 AND iceberg_type = 'VIEW'
            """, [.text(name), .text(namespaceText(identifier)), .text(identifier.name)]
        ).first?.first?.text
    }

    /// Loads a view's current metadata; nil when there is no such view.
    public func loadView(_ identifier: TableIdentifier) async throws -> IcebergView? {
        guard let location = try viewMetadataLocation(identifier, connection: try connectToCatalog()) else {
            return nil
        }
        let metadata = try ViewMetadataSerde.parse(try await store.read(location), location: location)
        return IcebergView(identifier: identifier, metadataLocation: location, metadata: metadata)
    }

    /// Creates a view whose first metadata is `metadata`: writes the metadata file under the view's
    /// location, then adds the catalog row. `42P07` when a table or view already has the name.
    public func createView(_ identifier: TableIdentifier, metadata: ViewMetadata) async throws -> IcebergView {
        guard try namespaceExists(identifier.namespace) else {
            throw LakehouseError.noSuchNamespace(identifier.namespace, catalog: name)
        }
        var metadata = metadata
        if metadata.location.isEmpty { metadata.location = viewLocation(for: identifier) }
        let location = try await writeViewMetadata(metadata, sequence: 0)
        try await addCatalogRow(identifier, type: "VIEW", metadataLocation: location)
        return IcebergView(identifier: identifier, metadataLocation: location, metadata: metadata)
    }

    /// Points the view at new metadata if it still points at `expectedMetadataLocation`; `40001`
    /// when another writer replaced it first, `42P01` when it was dropped.
    public func replaceView(_ identifier: TableIdentifier, expectedMetadataLocation: String, metadata: ViewMetadata)
        async throws
    {
        let location = try await writeViewMetadata(metadata, sequence: metadata.versions.count - 1)
        let connection = try connectToCatalog()
        let changed: Int
        do {
            changed = try connection.transaction {
                try connection.run(
                    """
                    UPDATE iceberg_tables SET metadata_location = ?1, previous_metadata_location = ?2
                    WHERE catalog_name = ?3 AND table_namespace = ?4 AND table_name = ?5 AND metadata_location = ?2
                    AND iceberg_type = 'VIEW'
                    """,
                    [
                        .text(location), .text(expectedMetadataLocation), .text(name), .text(namespaceText(identifier)),
                        .text(identifier.name),
                    ])
            }
        } catch {
            try? await store.delete(location)
            throw error
        }
        guard changed == 1 else {
            try? await store.delete(location)
            guard try viewMetadataLocation(identifier, connection: connection) != nil else {
                throw LakehouseError.noSuchView(identifier, catalog: name)
            }
            throw LakehouseError.commitConflict(identifier)
        }
    }

    /// Removes the view's catalog row, then its metadata files; `42P01` when there is no such view.
    public func dropView(_ identifier: TableIdentifier) async throws {
        let connection = try connectToCatalog()
        let locations = try connection.transaction { () throws -> [String] in
            let rows = try connection.query(
                """
                SELECT metadata_location, previous_metadata_location FROM iceberg_tables
                WHERE catalog_name = ?1 AND table_namespace = ?2 AND table_name = ?3 AND iceberg_type = 'VIEW'
                """, [.text(name), .text(namespaceText(identifier)), .text(identifier.name)])
            guard let row = rows.first else { throw LakehouseError.noSuchView(identifier, catalog: name) }
            try connection.run(
                "DELETE FROM iceberg_tables WHERE catalog_name = ?1 AND table_namespace = ?2 AND table_name = ?3 AND iceberg_type = 'VIEW'",
                [.text(name), .text(namespaceText(identifier)), .text(identifier.name)])
            return row.compactMap(\.text)
        }
        // The row is gone, so the view is; files left behind by a failed delete are only garbage.
        for location in locations { try? await store.delete(location) }
    }

    /// Writes view metadata to `<location>/metadata/<sequence>-<uuid>.metadata.json`, never over an existing file.
    private func writeViewMetadata(_ metadata: ViewMetadata, sequence: Int) async throws -> String {
        let base = metadata.location.hasSuffix("/") ? String(metadata.location.dropLast()) : metadata.location
        let file =
            base + "/metadata/" + String(format: "%05d", sequence) + "-" + UUID().uuidString.lowercased()
            + ".metadata.json"
        guard try await store.writeIfAbsent(file, bytes: try ViewMetadataSerde.serialize(metadata)) else {
            throw LakehouseError.io(file, "view metadata file already exists")
        }
        return file
    }

    /// Where a new view's files go: `<warehouse>/<namespace levels>/<name>`, as for tables.
    public func viewLocation(for identifier: TableIdentifier) -> String {
        let base = warehouse.hasSuffix("/") ? String(warehouse.dropLast()) : warehouse
        return ([base] + identifier.namespace + [identifier.name]).joined(separator: "/")
    }

    public func defaultViewLocation(_ identifier: TableIdentifier) -> String? { viewLocation(for: identifier) }
}

/// A view as the catalog loaded it.
public struct IcebergView: Sendable {
    public var identifier: TableIdentifier
    public var metadataLocation: String
    public var metadata: ViewMetadata

    public init(identifier: TableIdentifier, metadataLocation: String, metadata: ViewMetadata) {
        self.identifier = identifier
        self.metadataLocation = metadataLocation
        self.metadata = metadata
    }
}

extension LakehouseError {
    /// A view the catalog does not have.
    public static func noSuchView(_ identifier: TableIdentifier, catalog: String) -> LakehouseError {
        LakehouseError(.undefinedTable, "view \"\(identifier)\" does not exist in catalog \"\(catalog)\"")
    }

    /// A table or view already has the name.
    public static func relationExists(_ identifier: TableIdentifier) -> LakehouseError {
        LakehouseError(.duplicateTable, "relation \"\(identifier.name)\" already exists")
    }
}
