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

/// A catalog of Iceberg tables: the SQL catalog on SQLite now, the REST catalog later.
///
/// A commit swaps a table's metadata location only if it is still the one the writer read
/// (`expectedMetadataLocation`), which is what makes concurrent writers safe.
public protocol IcebergCatalog: Sendable {
    /// The catalog's name (`lake` for the embedded default).
    var name: String { get }

    /// Namespaces directly below `parent` (top-level ones for `[]`), each as its full level list.
    func listNamespaces(parent: [String]) async throws -> [[String]]

    /// Tables in `namespace`, sorted by name; `3F000` when the namespace does not exist.
    func listTables(namespace: [String]) async throws -> [TableIdentifier]

    /// Loads the table's current metadata; `42P01` when it does not exist.
    func loadTable(_ identifier: TableIdentifier) async throws -> IcebergTable

    /// Points the table at `newMetadataLocation` if it still points at `expectedMetadataLocation`;
    /// `40001` when another writer committed first.
    func commitTable(_ identifier: TableIdentifier, expectedMetadataLocation: String, newMetadataLocation: String)
        async throws

    /// Creates a table whose first metadata is `metadata`; `42P07` when the name is taken.
    func createTable(_ identifier: TableIdentifier, metadata: TableMetadata) async throws -> IcebergTable

    /// Removes a table (and with `purge` its files); `42P01` when it does not exist.
    func dropTable(_ identifier: TableIdentifier, purge: Bool) async throws

    /// Gives a table another name (and namespace); `42P07` when the new name is taken.
    func renameTable(_ identifier: TableIdentifier, to newIdentifier: TableIdentifier) async throws

    /// Where a new table's files go.
    func defaultTableLocation(_ identifier: TableIdentifier) -> String

    /// Whether the namespace exists.
    func namespaceExists(_ namespace: [String]) throws -> Bool

    /// Creates the namespace unless it exists.
    func createNamespaceIfMissing(_ namespace: [String]) throws

    /// Removes an empty namespace; `3F000` when it does not exist, `2BP01` when it is not empty.
    func dropNamespace(_ namespace: [String]) throws

    /// Views in `namespace`, sorted by name; `3F000` when the namespace does not exist.
    func listViews(namespace: [String]) async throws -> [TableIdentifier]

    /// Loads a view's current metadata; nil when there is no such view.
    func loadView(_ identifier: TableIdentifier) async throws -> IcebergView?

    /// Creates a view; `42P07` when a table or view already has the name.
    func createView(_ identifier: TableIdentifier, metadata: ViewMetadata) async throws -> IcebergView

    /// Points the view at `metadata` if it still points at `expectedMetadataLocation`; `40001` otherwise.
    func replaceView(_ identifier: TableIdentifier, expectedMetadataLocation: String, metadata: ViewMetadata) async throws

    /// Removes a view; `42P01` when there is no such view.
    func dropView(_ identifier: TableIdentifier) async throws

    /// Where a new view's files go.
    func defaultViewLocation(_ identifier: TableIdentifier) -> String
}

extension LakehouseError {
    /// A table the catalog does not have.
    public static func noSuchTable(_ identifier: TableIdentifier, catalog: String) -> LakehouseError {
        LakehouseError("42P01", "relation \"\(identifier)\" does not exist in catalog \"\(catalog)\"")
    }

    /// A namespace the catalog does not have.
    public static func noSuchNamespace(_ namespace: [String], catalog: String) -> LakehouseError {
        LakehouseError(
            "3F000", "schema \"\(namespace.joined(separator: "."))\" does not exist in catalog \"\(catalog)\"")
    }

    /// Another writer moved the table's metadata between our read and our commit.
    public static func commitConflict(_ identifier: TableIdentifier) -> LakehouseError {
        LakehouseError(
            "40001", "could not commit to \"\(identifier)\": another writer committed first",
            detail: "The table's metadata location changed since it was read.")
    }
}
