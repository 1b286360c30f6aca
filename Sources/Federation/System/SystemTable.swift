import Catalog
import Engine

/// A system catalog table (`pg_catalog.pg_class`, `information_schema.tables`, ...) whose rows are
/// computed when it is scanned, from the catalogs as they are at that moment.
struct SystemTable: TableSource {
    let displayName: String
    let columns: [TableColumn]
    let rows: @Sendable () async throws(EngineError) -> [[Value]]

    init(_ displayName: String, _ columns: [(String, DataType)], rows: @escaping @Sendable () async throws(EngineError) -> [[Value]]) {
        self.displayName = displayName
        self.columns = columns.map { TableColumn(name: $0.0, type: $0.1) }
        self.rows = rows
    }

    func scan(columns projection: [Int], filter: Expression?, context: EvaluationContext, cancellation: QueryCancellation)
        async throws(EngineError) -> any BatchStream
    {
        let rows = try await rows()
        let projected = projection.map { index in Column(type: columns[index].type, values: rows.map { $0[index] }) }
        return MaterializedStream([Batch(columns: projected, rowCount: rows.count)])
    }
}
