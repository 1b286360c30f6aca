import Engine

/// A table whose rows are computed when it is scanned, from what they describe as it is at that
/// moment: the system catalogs (`pg_catalog.pg_class`, `information_schema.tables`, ...) and
/// Iceberg's metadata tables (`orders$snapshots`).
public struct ComputedTable: TableSource {
    public let displayName: String
    public let columns: [TableColumn]
    let rows: @Sendable () async throws(EngineError) -> [[Value]]

    public init(
        _ displayName: String, _ columns: [(String, DataType)],
        rows: @escaping @Sendable () async throws(EngineError) -> [[Value]]
    ) {
        self.displayName = displayName
        self.columns = columns.map { TableColumn(name: $0.0, type: $0.1) }
        self.rows = rows
    }

    public func scan(
        columns projection: [Int], filter: Expression?, context: EvaluationContext, cancellation: QueryCancellation
    )
        async throws(EngineError) -> any BatchStream
    {
        let rows = try await rows()
        let projected = projection.map { index in Column(type: columns[index].type, values: rows.map { $0[index] }) }
        return MaterializedStream([Batch(columns: projected, rowCount: rows.count)])
    }
}
