import Foundation

/// The Iceberg SQL catalog, with the schema PyIceberg's `SqlCatalog` (and Iceberg's JDBC catalog)
/// use, so both see the same tables: on an SQLite file (the embedded default,
/// `SqlCatalog("lake", uri="sqlite:///<data-dir>/catalog.db", warehouse="file://<data-dir>/warehouse")`)
/// or in a PostgreSQL database.
///
/// Each SQLite operation opens its own connection, and SQLite's locking (with a busy timeout)
/// orders Weir's operations against PyIceberg's; PostgreSQL connections come from a small pool,
/// and row locks order the compare-and-swap of concurrent commits.
public struct SQLCatalog: IcebergCatalog {
    public let name: String
    /// Where the catalog's two tables are.
    public let database: CatalogDatabase
    /// Where new tables go (`file:///.../warehouse` or `s3://bucket/prefix`).
    public let warehouse: String
    /// Reads metadata files.
    public let store: any ObjectStore
    private let postgres: PostgresCatalogDatabase?

    /// Opens the catalog, creating its two tables when missing (and an SQLite file with them; in
    /// PostgreSQL at the first operation).
    public init(name: String, database: CatalogDatabase, warehouse: String, store: any ObjectStore) throws {
        self.name = name
        self.database = database
        self.warehouse = warehouse
        self.store = store
        if case .postgres(let connectionString, let password) = database {
            // Connected on first use, so the server starts while the catalog database is down.
            postgres = PostgresCatalogDatabase(connectionString: connectionString, password: password)
        } else {
            postgres = nil
            try Self.createTablesIfMissing(try connect(creating: true))
        }
    }

    /// The embedded default: catalog `lake` at `<dataDirectory>/catalog.db`, warehouse
    /// `file://<dataDirectory>/warehouse`. Tables whose files live elsewhere (on S3) are read
    /// through `store`, which picks the store for each location's scheme.
    public static func embedded(
        dataDirectory: String, store: any ObjectStore = SchemeDispatchingObjectStore(s3: nil)
    ) throws -> SQLCatalog {
        let directory = dataDirectory.hasSuffix("/") ? String(dataDirectory.dropLast()) : dataDirectory
        return try SQLCatalog(
            name: embeddedName, database: .sqlite(path: directory + "/catalog.db"),
            warehouse: "file://" + directory + "/warehouse",
            store: store)
    }

    /// The embedded catalog's name.
    public static let embeddedName = "lake"

    private static func createTablesIfMissing(_ connection: any CatalogDatabaseConnection) throws {
        // The DDL SQLAlchemy emits for PyIceberg's models (schema v1, with iceberg_type), which
        // both SQLite and PostgreSQL accept.
        for statement in [
            """
            CREATE TABLE IF NOT EXISTS iceberg_tables (
                catalog_name VARCHAR(255) NOT NULL,
                table_namespace VARCHAR(255) NOT NULL,
                table_name VARCHAR(255) NOT NULL,
                metadata_location VARCHAR(1000),
                previous_metadata_location VARCHAR(1000),
                iceberg_type VARCHAR(5),
                PRIMARY KEY (catalog_name, table_namespace, table_name)
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (
                catalog_name VARCHAR(255) NOT NULL,
                namespace VARCHAR(255) NOT NULL,
                property_key VARCHAR(255) NOT NULL,
                property_value VARCHAR(1000) NOT NULL,
                PRIMARY KEY (catalog_name, namespace, property_key)
            )
            """,
        ] {
            try connection.execute(statement)
        }
    }

    func connectToCatalog() throws -> any CatalogDatabaseConnection {
        try connect(creating: false)
    }

    private func connect(creating: Bool) throws -> any CatalogDatabaseConnection {
        switch database {
        case .sqlite(let path): return try SQLiteConnection(path: path, create: creating)
        case .postgres:
            return try postgres!.connect(createTables: Self.createTablesIfMissing)
        }
    }

    /// Whether `iceberg_tables` has the `iceberg_type` column (PyIceberg's v1 catalog schema); rows
    /// of other types (views written by other engines) are not tables.
    private func tableTypeFilter(_ connection: any CatalogDatabaseConnection) throws -> String {
        let hasType = try connection.columns(of: "iceberg_tables").contains("iceberg_type")
        return hasType ? " AND (iceberg_type = 'TABLE' OR iceberg_type IS NULL)" : ""
    }

    public func listNamespaces(parent: [String] = []) async throws -> [[String]] {
        let connection = try connectToCatalog()
        let rows = try connection.query(
            """
            SELECT table_namespace FROM iceberg_tables WHERE catalog_name = ?1
            UNION SELECT namespace FROM iceberg_namespace_properties WHERE catalog_name = ?1
            """, [.text(name)])
        var found = Set<[String]>()
        for row in rows {
            guard let text = row.first?.text else { continue }
            let levels = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard levels.count > parent.count, Array(levels.prefix(parent.count)) == parent else { continue }
            found.insert(Array(levels.prefix(parent.count + 1)))
        }
        return found.sorted { $0.joined(separator: ".") < $1.joined(separator: ".") }
    }

    /// Whether the namespace has a row in either catalog table.
    public func namespaceExists(_ namespace: [String]) throws -> Bool {
        let connection = try connectToCatalog()
        let rows = try connection.query(
            """
            SELECT 1 FROM iceberg_tables WHERE catalog_name = ?1 AND table_namespace = ?2
            UNION SELECT 1 FROM iceberg_namespace_properties WHERE catalog_name = ?1 AND namespace = ?2
            """, [.text(name), .text(namespace.joined(separator: "."))])
        return !rows.isEmpty
    }

    /// Creates a namespace the way PyIceberg does (an `exists` property row) if it is missing.
    public func createNamespaceIfMissing(_ namespace: [String]) throws {
        let connection = try connectToCatalog()
        try connection.run(
            """
            INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value)
            VALUES (?1, ?2, 'exists', 'true') ON CONFLICT DO NOTHING
            """, [.text(name), .text(namespace.joined(separator: "."))])
    }

    /// Removes an empty namespace, as PyIceberg's `drop_namespace` does: its property rows go.
    /// `3F000` when it does not exist, `2BP01` while a table or view is in it.
    public func dropNamespace(_ namespace: [String]) throws {
        let connection = try connectToCatalog()
        let text = namespace.joined(separator: ".")
        try connection.transaction {
            guard try namespaceExists(namespace) else { throw LakehouseError.noSuchNamespace(namespace, catalog: name) }
            let members = try connection.query(
                "SELECT 1 FROM iceberg_tables WHERE catalog_name = ?1 AND table_namespace = ?2 LIMIT 1",
                [.text(name), .text(text)])
            guard members.isEmpty else {
                throw LakehouseError(
                    .dependentObjectsStillExist, "cannot drop schema \(text) because other objects depend on it",
                    detail: "It still holds tables or views.")
            }
            try connection.run(
                "DELETE FROM iceberg_namespace_properties WHERE catalog_name = ?1 AND namespace = ?2",
                [.text(name), .text(text)])
        }
    }

    public func listTables(namespace: [String]) async throws -> [TableIdentifier] {
        guard try namespaceExists(namespace) else { throw LakehouseError.noSuchNamespace(namespace, catalog: name) }
        let connection = try connectToCatalog()
        let rows = try connection.query(
            "SELECT table_name FROM iceberg_tables WHERE catalog_name = ?1 AND table_namespace = ?2"
                + (try tableTypeFilter(connection)) + " ORDER BY table_name",
            [.text(name), .text(namespace.joined(separator: "."))])
        return rows.compactMap { $0.first?.text }.map { TableIdentifier(namespace: namespace, name: $0) }
    }

    /// The metadata location the catalog holds for a table; `42P01` when there is no such table.
    public func metadataLocation(of identifier: TableIdentifier) throws -> String {
        let connection = try connectToCatalog()
        let rows = try connection.query(
            """
            SELECT metadata_location FROM iceberg_tables
            WHERE catalog_name = ?1 AND table_namespace = ?2 AND table_name = ?3
            """ + (try tableTypeFilter(connection)),
            [.text(name), .text(identifier.namespace.joined(separator: ".")), .text(identifier.name)])
        guard let location = rows.first?.first?.text else {
            throw LakehouseError.noSuchTable(identifier, catalog: name)
        }
        return location
    }

    public func loadTable(_ identifier: TableIdentifier) async throws -> IcebergTable {
        let location = try metadataLocation(of: identifier)
        let store = self.store
        let metadata = try await IcebergFileCache.shared.value("metadata:" + location) {
            let bytes = try await store.read(location)
            return (try TableMetadataParser.parse(bytes, location: location), bytes.count)
        }
        return IcebergTable(identifier: identifier, metadataLocation: location, metadata: metadata)
    }

    /// Writes `metadata` as the next metadata file beside `base`'s (recording `base`'s file in the
    /// metadata log), then swaps the catalog row to it if the row still points at `base`'s file.
    /// The new file is removed again when the swap finds another writer's commit (`40001`).
    public func commitTable(_ base: IcebergTable, metadata: TableMetadata) async throws -> IcebergTable {
        var metadata = metadata
        metadata.appendMetadataLog(previous: base.metadataLocation)
        metadata.lastUpdatedMs = max(Int64(Date().timeIntervalSince1970 * 1000), base.metadata.lastUpdatedMs + 1)
        let location =
            base.metadata.metadataDirectory + "/" + TableMetadata.metadataFileName(after: base.metadataLocation)
        guard try await store.writeIfAbsent(location, bytes: try TableMetadataSerializer.serialize(metadata)) else {
            throw LakehouseError.commitConflict(base.identifier)
        }
        let identifier = base.identifier
        let changed: Int
        do {
            let connection = try connectToCatalog()
            changed = try connection.transaction {
                try connection.run(
                    """
                    UPDATE iceberg_tables SET metadata_location = ?1, previous_metadata_location = ?2
                    WHERE catalog_name = ?3 AND table_namespace = ?4 AND table_name = ?5 AND metadata_location = ?2
                    """,
                    [
                        .text(location), .text(base.metadataLocation), .text(name),
                        .text(identifier.namespace.joined(separator: ".")), .text(identifier.name),
                    ])
            }
        } catch {
            try? await store.delete(location)
            throw error
        }
        guard changed == 1 else {
            try? await store.delete(location)
            _ = try metadataLocation(of: identifier)
            throw LakehouseError.commitConflict(identifier)
        }
        return IcebergTable(identifier: identifier, metadataLocation: location, metadata: metadata)
    }
}
