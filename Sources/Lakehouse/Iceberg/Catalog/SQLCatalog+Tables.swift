import Foundation

/// Creating and dropping tables in the SQL catalog, as PyIceberg's `SqlCatalog` does: the first
/// metadata file under the table's location, then a `TABLE` row pointing at it.
extension SQLCatalog {
    /// Creates a table whose first metadata is `metadata`; `42P07` when a table or view already
    /// has the name, `3F000` when the namespace does not exist.
    public func createTable(_ identifier: TableIdentifier, metadata: TableMetadata) async throws -> IcebergTable {
        guard try namespaceExists(identifier.namespace) else {
            throw LakehouseError.noSuchNamespace(identifier.namespace, catalog: name)
        }
        var metadata = metadata
        if metadata.location.isEmpty { metadata.location = tableLocation(for: identifier) }
        let location = metadata.metadataDirectory + "/" + TableMetadata.metadataFileName(after: "")
        guard try await store.writeIfAbsent(location, bytes: try TableMetadataSerializer.serialize(metadata)) else {
            throw LakehouseError.io(location, "table metadata file already exists")
        }
        try await addCatalogRow(identifier, type: "TABLE", metadataLocation: location)
        return IcebergTable(identifier: identifier, metadataLocation: location, metadata: metadata)
    }

    /// Adds the catalog row of a new table or view (`type` `TABLE` or `VIEW`) pointing at its first
    /// metadata file, which is removed again if the row cannot be added: `42P07` when a table or
    /// view already has the name.
    func addCatalogRow(_ identifier: TableIdentifier, type: String, metadataLocation location: String) async throws {
        let connection = try connectToCatalog()
        let namespace = identifier.namespace.joined(separator: ".")
        do {
            try connection.transaction {
                let taken = try connection.query(
                    "SELECT 1 FROM iceberg_tables WHERE catalog_name = ?1 AND table_namespace = ?2 AND table_name = ?3",
                    [.text(name), .text(namespace), .text(identifier.name)])
                guard taken.isEmpty else { throw LakehouseError.relationExists(identifier) }
                try connection.run(
                    """
                    INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location, iceberg_type)
                    VALUES (?1, ?2, ?3, ?4, NULL, ?5)
                    """, [.text(name), .text(namespace), .text(identifier.name), .text(location), .text(type)])
            }
        } catch {
            try? await store.delete(location)
            // Another writer added the name between our check and our insert.
            if let error = error as? LakehouseError, error.sqlState == .uniqueViolation {
                throw LakehouseError.relationExists(identifier)
            }
            throw error
        }
    }

    /// Removes the table's catalog row; with `purge`, then every file under its location (data,
    /// manifests and metadata). `42P01` when there is no such table.
    public func dropTable(_ identifier: TableIdentifier, purge: Bool) async throws {
        let table = try await loadTable(identifier)
        let connection = try connectToCatalog()
        let removed = try connection.transaction {
            try connection.run(
                """
                DELETE FROM iceberg_tables WHERE catalog_name = ?1 AND table_namespace = ?2 AND table_name = ?3
                AND metadata_location = ?4
                """,
                [
                    .text(name), .text(identifier.namespace.joined(separator: ".")), .text(identifier.name),
                    .text(table.metadataLocation),
                ])
        }
        guard removed == 1 else {
            _ = try metadataLocation(of: identifier)
            throw LakehouseError.commitConflict(identifier)
        }
        guard purge else { return }
        // The row is gone, so the table is; files a failed delete leaves are only garbage.
        let base = table.metadata.location.hasSuffix("/") ? table.metadata.location : table.metadata.location + "/"
        for location in (try? await store.list(prefix: base)) ?? [] { try? await store.delete(location) }
    }

    /// Renames the table's catalog row, as PyIceberg's `rename_table` does (its files stay where
    /// they are). `42P01` when there is no such table, `42P07` when the new name is taken,
    /// `3F000` when the new namespace does not exist.
    public func renameTable(_ identifier: TableIdentifier, to newIdentifier: TableIdentifier) async throws {
        guard try namespaceExists(newIdentifier.namespace) else {
            throw LakehouseError.noSuchNamespace(newIdentifier.namespace, catalog: name)
        }
        _ = try metadataLocation(of: identifier)
        let connection = try connectToCatalog()
        try connection.transaction {
            let taken = try connection.query(
                "SELECT 1 FROM iceberg_tables WHERE catalog_name = ?1 AND table_namespace = ?2 AND table_name = ?3",
                [.text(name), .text(newIdentifier.namespace.joined(separator: ".")), .text(newIdentifier.name)])
            guard taken.isEmpty else { throw LakehouseError.relationExists(newIdentifier) }
            try connection.run(
                """
                UPDATE iceberg_tables SET table_namespace = ?4, table_name = ?5
                WHERE catalog_name = ?1 AND table_namespace = ?2 AND table_name = ?3
                """,
                [
                    .text(name), .text(identifier.namespace.joined(separator: ".")), .text(identifier.name),
                    .text(newIdentifier.namespace.joined(separator: ".")), .text(newIdentifier.name),
                ])
        }
    }

    /// Where a new table's files go, as PyIceberg's `SqlCatalog` places them: under the
    /// namespace's `location` property when it has one (which may be on S3 while the warehouse is
    /// local), else `<warehouse>/<namespace levels>/<name>`.
    public func tableLocation(for identifier: TableIdentifier) -> String {
        let rows = try? connectToCatalog().query(
            """
            SELECT property_value FROM iceberg_namespace_properties
            WHERE catalog_name = ?1 AND namespace = ?2 AND property_key = 'location'
            """, [.text(name), .text(identifier.namespace.joined(separator: "."))])
        if let location = rows?.first?.first?.text, !location.isEmpty {
            return (location.hasSuffix("/") ? String(location.dropLast()) : location) + "/" + identifier.name
        }
        return viewLocation(for: identifier)
    }

    public func defaultTableLocation(_ identifier: TableIdentifier) -> String? { tableLocation(for: identifier) }
}
