import Engine
import Lakehouse
import SQL

/// A table whose rows DELETE and UPDATE can find again after a query matched them.
public protocol RowAddressableTable: TableSource {
    /// This table with one more column after its own: each row's `RowAddress` (bigint), whose data
    /// file `book` names.
    func addressingRows(in book: RowAddressBook) -> any TableSource
}

/// A table to create: its columns in order, its Iceberg partitioning and properties.
public struct TableDefinition: Sendable {
    public var schema: String
    public var name: String
    public var columns: [TableColumn]
    public var partitionBy: [PartitionTerm]
    public var properties: [String: String]

    public init(schema: String, name: String, columns: [TableColumn], partitionBy: [PartitionTerm] = [], properties: [String: String] = [:]) {
        self.schema = schema
        self.name = name
        self.columns = columns
        self.partitionBy = partitionBy
        self.properties = properties
    }
}

/// A catalog whose tables Weir creates, appends to and drops. Each call is one atomic catalog
/// commit: a failed one leaves the table as it was.
public protocol WritableTableCatalog: TableCatalog {
    /// Creates an empty table; `42P07` when a table or view has the name.
    func createTable(_ definition: TableDefinition) async throws(EngineError)

    /// Appends every row of `rows` (one column per table column, in order and of its type) as one
    /// commit; returns how many rows were appended. `memoryLimit` is the statement's limit (nil for
    /// none), which bounds what the writer keeps in memory.
    func insert(schema: String, name: String, rows: any BatchStream, memoryLimit: Int?, cancellation: QueryCancellation)
        async throws(EngineError) -> Int

    /// Removes a table and its files; `42P01` when there is none.
    func dropTable(schema: String, name: String) async throws(EngineError)

    /// Deletes or updates the rows `change` selects, as one commit; returns how many rows it
    /// changed, and its RETURNING rows. `context` holds the statement's parameter values.
    func changeRows(schema: String, name: String, change: RowChange, context: EvaluationContext, cancellation: QueryCancellation)
        async throws(EngineError) -> (count: Int, returned: [Batch])

    /// Removes every row, as one commit.
    func truncateTable(schema: String, name: String) async throws(EngineError)

    /// Applies `alterations` in order, as one commit.
    func alterTable(schema: String, name: String, alterations: [TableChange]) async throws(EngineError)

    /// Expires the snapshots older than `olderThanMs` (keeping the newest `retainLast` and those a
    /// reference points at) and deletes the files only they reached. Returns the counts of expired
    /// snapshots and of deleted data files, manifests and manifest lists.
    func expireSnapshots(schema: String, name: String, olderThanMs: Int64, retainLast: Int) async throws(EngineError) -> [Int]

    /// Deletes files under the table's location that its metadata does not reach and that are
    /// older than `olderThanMs`; returns their locations.
    func removeOrphanFiles(schema: String, name: String, olderThanMs: Int64) async throws(EngineError) -> [String]
}

/// One change of ALTER TABLE, with types resolved.
public enum TableChange: Sendable, Equatable {
    case addColumn(TableColumn)
    case dropColumn(String)
    case renameColumn(from: String, to: String)
    case changeType(column: String, to: DataType)
    case dropNotNull(String)
    /// A new name in the same schema.
    case renameTable(to: String)
}
