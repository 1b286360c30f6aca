import Engine
import SQL

/// A table as a statement resolved it, which INSERT, COPY FROM and the row changes may write into.
public protocol WritableTable: TableSource {
    /// The schema and name its catalog knows the table by; nil when the table as read takes no
    /// rows (Iceberg's at an older snapshot).
    var writableName: (schema: String, name: String)? { get }
}

/// A table whose rows DELETE, UPDATE and MERGE can find again after a query matched them.
public protocol RowIdentifyingTable: TableSource {
    /// This table with one more column after its own: a bigint that identifies each row, meaningful
    /// with the scan's `RowIdentities` (which the catalog reads back when it changes the rows).
    func identifyingRows() -> (table: any TableSource, identities: any RowIdentities)
}

/// What a connector needs, beside a row's identifier, to find the row again (Iceberg: the data files
/// the scan numbered). Opaque to the planner.
public protocol RowIdentities: AnyObject, Sendable {}

/// The rows a statement computes for a catalog to write: a plan the planner built, run when the
/// catalog asks for its rows.
public protocol StatementRows: Sendable {
    /// The rows' column types, in order.
    var columnTypes: [DataType] { get }
    /// Runs the plan; `context` holds the statement's parameter values.
    func open(context: EvaluationContext, cancellation: QueryCancellation) async throws(EngineError) -> any BatchStream
}

/// DELETE, UPDATE or MERGE, bound as a query over the table's rows: the query finds the rows to
/// change, with the statement's FROM / USING tables joined and its WHERE applied, and names each by
/// its identifier; the catalog then rewrites the rows.
public struct RowChange: Sendable {
    public enum Kind: Sendable { case delete, update, merge }

    /// What MERGE does with one row of its query (its second column).
    public enum MergeAction: Int32, Sendable {
        case update = 1, delete = 2, insert = 3
    }

    public var kind: Kind
    /// The table as the statement read it; the change commits on top of the snapshot it was read at.
    public var table: any RowIdentifyingTable
    /// What the row identifiers `rows` produces refer to.
    public var identities: any RowIdentities
    /// One row per row to change: its identifier, then (UPDATE) the new value of every table
    /// column, in table order, then the RETURNING values. For MERGE: the identifier (NULL for a
    /// row to insert), the `MergeAction`, then the new or inserted row.
    public var rows: any StatementRows
    /// True when a row may come more than once (several FROM / USING rows match it); it changes
    /// once. (MERGE refuses a row that comes twice.)
    public var mayRepeatRows: Bool
    /// RETURNING's columns, the last of `rows`'s; nil without RETURNING.
    public var returning: [(name: String, type: DataType)]?

    public init(
        kind: Kind, table: any RowIdentifyingTable, identities: any RowIdentities, rows: any StatementRows,
        mayRepeatRows: Bool,
        returning: [(name: String, type: DataType)]?
    ) {
        self.kind = kind
        self.table = table
        self.identities = identities
        self.rows = rows
        self.mayRepeatRows = mayRepeatRows
        self.returning = returning
    }

    /// How many of `rows`'s columns are the new row (none for DELETE).
    public var newValueCount: Int { kind == .delete ? 0 : table.columns.count }
}

/// A table to create: its columns in order, its Iceberg partitioning and properties.
public struct TableDefinition: Sendable {
    public var schema: String
    public var name: String
    public var columns: [TableColumn]
    public var partitionBy: [PartitionTerm]
    public var properties: [String: String]

    public init(
        schema: String, name: String, columns: [TableColumn], partitionBy: [PartitionTerm] = [],
        properties: [String: String] = [:]
    ) {
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
    func changeRows(
        schema: String, name: String, change: RowChange, context: EvaluationContext, cancellation: QueryCancellation
    )
        async throws(EngineError) -> (count: Int, returned: [Batch])

    /// Removes every row, as one commit.
    func truncateTable(schema: String, name: String) async throws(EngineError)

    /// Applies `alterations` in order, as one commit.
    func alterTable(schema: String, name: String, alterations: [TableChange]) async throws(EngineError)
}

/// A maintenance procedure a catalog runs on one of its tables, with
/// `CALL weir.<name>(table_name, ...)` (Iceberg's snapshot expiry, for one).
public struct TableProcedure: Sendable {
    /// A parameter after `table_name`, passed by position or by name; NULL or left out means its
    /// default.
    public struct Parameter: Sendable {
        public var name: String
        /// As the procedure's signature shows it (`timestamptz`).
        public var typeName: String
        public var type: DataType

        public init(name: String, typeName: String, type: DataType) {
            self.name = name
            self.typeName = typeName
            self.type = type
        }
    }

    public var name: String
    public var parameters: [Parameter]
    public var resultColumns: [(name: String, type: DataType)]
    /// Runs on table `schema.table` with one value per parameter (NULL for a default), when the
    /// statement started at `statementStart` (microseconds since the Unix epoch, as Weir's
    /// timestamptz values count); returns the result rows.
    public var run:
        @Sendable (_ schema: String, _ table: String, _ arguments: [Value], _ statementStart: Int64)
            async throws(EngineError) -> [[Value]]

    public init(
        name: String, parameters: [Parameter], resultColumns: [(name: String, type: DataType)],
        run: @escaping @Sendable (String, String, [Value], Int64) async throws(EngineError) -> [[Value]]
    ) {
        self.name = name
        self.parameters = parameters
        self.resultColumns = resultColumns
        self.run = run
    }
}

/// A catalog with maintenance procedures.
public protocol ProcedureCatalog: TableCatalog {
    var tableProcedures: [TableProcedure] { get }
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
