import Engine

/// A column of a table as the binder sees it.
public struct TableColumn: Sendable, Equatable {
    public var name: String
    public var type: DataType
    public var isNullable: Bool

    public init(name: String, type: DataType, isNullable: Bool = true) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
    }
}

/// A table the binder can resolve and the planner can scan: the seam every connector (Iceberg,
/// PostgreSQL sources, system catalogs) plugs into.
public protocol TableSource: Sendable {
    /// The name to show in messages, e.g. `tpch.lineitem`.
    var displayName: String { get }
    var columns: [TableColumn] { get }
    /// About how many rows a scan returns, for ordering joins; nil when unknown.
    var estimatedRowCount: Int? { get }
    /// Bytes the table's files take in storage (what `pg_table_size` reports); nil when unknown.
    var storedBytes: Int? { get }
    /// Opens a stream of batches holding `columns` (indexes into `columns`) of every row.
    /// `filter` is a predicate over those projected columns that the source may use to skip data;
    /// the caller still applies it to the rows returned.
    func scan(columns: [Int], filter: Expression?, context: EvaluationContext, cancellation: QueryCancellation)
        async throws(EngineError) -> any BatchStream
    /// Up to `count` streams that together produce what `scan` produces, for reading in parallel;
    /// each is used by one task. Sources that cannot split return one stream.
    func scanPartitions(
        count: Int, columns: [Int], filter: Expression?, context: EvaluationContext, cancellation: QueryCancellation
    ) async throws(EngineError) -> [any BatchStream]
}

extension TableSource {
    public var estimatedRowCount: Int? { nil }
    public var storedBytes: Int? { nil }

    public func scanPartitions(
        count: Int, columns: [Int], filter: Expression?, context: EvaluationContext, cancellation: QueryCancellation
    ) async throws(EngineError) -> [any BatchStream] {
        [try await scan(columns: columns, filter: filter, context: context, cancellation: cancellation)]
    }
}

/// A named collection of schemas and tables: the lakehouse catalog or a PostgreSQL source.
public protocol TableCatalog: Sendable {
    var name: String { get }
    /// The table `schema.table`, or nil when it does not exist.
    func table(schema: String, name: String) async throws(EngineError) -> (any TableSource)?
    /// The schema names, sorted.
    func schemaNames() async throws(EngineError) -> [String]
    /// The table names of one schema, sorted.
    func tableNames(schema: String) async throws(EngineError) -> [String]
}

/// Schemas a catalog can create and drop.
public protocol SchemaCatalog: Sendable {
    /// Creates the schema; returns false when it already exists.
    func createSchema(_ name: String) async throws(EngineError) -> Bool
    /// Drops an empty schema; `3F000` when there is none, `2BP01` when it holds tables or views.
    func dropSchema(_ name: String) async throws(EngineError)
}

/// What one scan did, for EXPLAIN ANALYZE: a connector's counters (files and row groups read and
/// skipped, bytes fetched), shared by every stream of the scan.
public protocol ScanMetrics: AnyObject, Sendable {
    /// The line EXPLAIN ANALYZE prints for a scan of `table`.
    func explainLine(table: String) -> String
}

/// A scan stream that keeps `ScanMetrics`.
public protocol MeasuredScanStream: BatchStream {
    /// Shared by every stream of one scan.
    var scanMetrics: any ScanMetrics { get }
}
