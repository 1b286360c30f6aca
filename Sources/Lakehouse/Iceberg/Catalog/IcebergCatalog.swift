/// The name of a table in an Iceberg catalog: its namespace levels and its own name.
public struct TableIdentifier: Sendable, Hashable, Codable, CustomStringConvertible {
    public var namespace: [String]
    public var name: String

    public init(namespace: [String], name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// `namespace.name`, levels joined with dots as SQL catalogs store them.
    public var description: String { (namespace + [name]).joined(separator: ".") }
}

/// A table as a catalog loaded it: where its current metadata file is and what it says.
public struct IcebergTable: Sendable {
    public var identifier: TableIdentifier
    /// The metadata file the catalog pointed at; commits compare against it.
    public var metadataLocation: String
    public var metadata: TableMetadata

    public init(identifier: TableIdentifier, metadataLocation: String, metadata: TableMetadata) {
        self.identifier = identifier
        self.metadataLocation = metadataLocation
        self.metadata = metadata
    }
}

/// A catalog of Iceberg tables: the SQL catalog (`SQLCatalog`) or a REST catalog (`RESTCatalog`).
///
/// A commit makes new metadata current only if the table is still as the writer loaded it, which
/// is what makes concurrent writers safe.
public protocol IcebergCatalog: Sendable {
    /// The catalog's name (`lake` for the embedded default).
    var name: String { get }

    /// Namespaces directly below `parent` (top-level ones for `[]`), each as its full level list.
    func listNamespaces(parent: [String]) async throws -> [[String]]

    /// Tables in `namespace`, sorted by name; `3F000` when the namespace does not exist.
    func listTables(namespace: [String]) async throws -> [TableIdentifier]

    /// Loads the table's current metadata; `42P01` when it does not exist.
    func loadTable(_ identifier: TableIdentifier) async throws -> IcebergTable

    /// Makes `metadata` (built from `base`) the table's current metadata if the table is still at
    /// `base`; returns the table as committed. `40001` when another writer committed first (nothing
    /// of this commit is then visible), `40003` when the catalog could not say whether the commit
    /// happened.
    func commitTable(_ base: IcebergTable, metadata: TableMetadata) async throws -> IcebergTable

    /// Creates a table whose first metadata is `metadata`; `42P07` when the name is taken.
    func createTable(_ identifier: TableIdentifier, metadata: TableMetadata) async throws -> IcebergTable

    /// Removes a table (and with `purge` its files); `42P01` when it does not exist.
    func dropTable(_ identifier: TableIdentifier, purge: Bool) async throws

    /// Gives a table another name (and namespace); `42P07` when the new name is taken.
    func renameTable(_ identifier: TableIdentifier, to newIdentifier: TableIdentifier) async throws

    /// Where a new table's files go; nil when the catalog places new tables itself (a REST
    /// catalog), and `createTable` is then given metadata with an empty location.
    func defaultTableLocation(_ identifier: TableIdentifier) async throws -> String?

    /// Whether the namespace exists.
    func namespaceExists(_ namespace: [String]) async throws -> Bool

    /// Creates the namespace unless it exists.
    func createNamespaceIfMissing(_ namespace: [String]) async throws

    /// Removes an empty namespace; `3F000` when it does not exist, `2BP01` when it is not empty.
    func dropNamespace(_ namespace: [String]) async throws

    /// Views in `namespace`, sorted by name; `3F000` when the namespace does not exist.
    func listViews(namespace: [String]) async throws -> [TableIdentifier]

    /// Loads a view's current metadata; nil when there is no such view.
    func loadView(_ identifier: TableIdentifier) async throws -> IcebergView?

    /// Creates a view; `42P07` when a table or view already has the name.
    func createView(_ identifier: TableIdentifier, metadata: ViewMetadata) async throws -> IcebergView

    /// Points the view at `metadata` if it still points at `expectedMetadataLocation`; `40001` otherwise.
    func replaceView(_ identifier: TableIdentifier, expectedMetadataLocation: String, metadata: ViewMetadata)
        async throws

    /// Removes a view; `42P01` when there is no such view.
    func dropView(_ identifier: TableIdentifier) async throws

    /// Where a new view's files go; nil when the catalog places new views itself (a REST catalog).
    func defaultViewLocation(_ identifier: TableIdentifier) async throws -> String?
}

extension LakehouseError {
    /// A table the catalog does not have.
    public static func noSuchTable(_ identifier: TableIdentifier, catalog: String) -> LakehouseError {
        LakehouseError(.undefinedTable, "relation \"\(identifier)\" does not exist in catalog \"\(catalog)\"")
    }

    /// A namespace the catalog does not have.
    public static func noSuchNamespace(_ namespace: [String], catalog: String) -> LakehouseError {
        LakehouseError(
            .invalidSchemaName,
            "schema \"\(namespace.joined(separator: "."))\" does not exist in catalog \"\(catalog)\"")
    }

    /// The catalog failed in a way that leaves open whether a commit was applied.
    public static func commitStateUnknown(_ identifier: TableIdentifier, _ reason: String) -> LakehouseError {
        LakehouseError(
            .statementCompletionUnknown,
            "could not tell whether the commit to \"\(identifier)\" took effect: \(reason)",
            detail: "Check the table's history (\"\(identifier.name)$snapshots\") before running the statement again.")
    }

    /// Another writer moved the table's metadata between our read and our commit.
    public static func commitConflict(_ identifier: TableIdentifier) -> LakehouseError {
        LakehouseError(
            .serializationFailure, "could not commit to \"\(identifier)\": another writer committed first",
            detail: "The table's metadata location changed since it was read.")
    }
}
