import Engine
import Federation
import SQL
import WireProtocol

/// A table maintenance procedure, run with `CALL weir.<name>(...)`.
struct MaintenanceProcedure {
    struct Parameter {
        var name: String
        var typeName: String
        var type: DataType
    }

    var name: String
    var parameters: [Parameter]
    var resultColumns: [ResultColumn]

    static let all = [
        MaintenanceProcedure(
            name: "expire_snapshots",
            parameters: [
                Parameter(name: "table_name", typeName: "text", type: .text),
                Parameter(name: "older_than", typeName: "timestamptz", type: .timestamptz),
                Parameter(name: "retain_last", typeName: "int4", type: .int32),
            ],
            resultColumns: [
                ResultColumn(name: "expired_snapshots", type: .int64), ResultColumn(name: "deleted_data_files", type: .int64),
                ResultColumn(name: "deleted_manifest_files", type: .int64), ResultColumn(name: "deleted_manifest_lists", type: .int64),
            ]),
        MaintenanceProcedure(
            name: "remove_orphan_files",
            parameters: [
                Parameter(name: "table_name", typeName: "text", type: .text),
                Parameter(name: "older_than", typeName: "timestamptz", type: .timestamptz),
            ],
            resultColumns: [ResultColumn(name: "orphan_file_location", type: .text)]),
    ]

    /// Snapshots younger than this are kept by default (Iceberg's `history.expire.max-snapshot-age-ms`).
    static let defaultSnapshotAge: Int64 = 5 * 86_400 * 1_000_000
    /// Files younger than this are never orphans by default: a write may still be committing them.
    static let defaultOrphanAge: Int64 = 3 * 86_400 * 1_000_000
}

extension SQLSession {
    /// `CALL weir.expire_snapshots(table_name [, older_than] [, retain_last])` and
    /// `CALL weir.remove_orphan_files(table_name [, older_than])`, arguments by position or name.
    func planCall(_ procedure: QualifiedName, arguments: [CallArgument], sql: String, text: String) throws(PostgresError) -> PreparedQuery {
        let parts = procedure.parts
        guard parts.count == 1 || (parts.count == 2 && parts[0] == "weir"),
            let found = MaintenanceProcedure.all.first(where: { $0.name == parts.last })
        else {
            throw PostgresError(
                sqlState: .undefinedFunction, message: "procedure \(procedure.description)() does not exist",
                hint: "Weir's procedures are weir.expire_snapshots(table_name, older_than, retain_last) and weir.remove_orphan_files(table_name, older_than).")
        }
        var values: [SQL.Expression?] = Array(repeating: nil, count: found.parameters.count)
        for (position, argument) in arguments.enumerated() {
            let index: Int?
            if let name = argument.name {
                index = found.parameters.firstIndex { $0.name == name }
            } else {
                index = position < found.parameters.count ? position : nil
            }
            guard let index, values[index] == nil else {
                throw PostgresError(sqlState: .undefinedFunction, message: "procedure weir.\(found.name) has no parameter \(argument.name ?? String(position + 1)), or it is given twice")
            }
            values[index] = argument.value
        }
        guard values[0] != nil else {
            throw PostgresError(sqlState: .undefinedFunction, message: "procedure weir.\(found.name) needs table_name")
        }
        var select = SelectStatement()
        select.targets = zip(values, found.parameters).map { value, parameter in
            .expression(.cast(value ?? .literal(.null, location: 0), TypeName(names: [parameter.typeName]), location: 0), alias: nil)
        }
        var binder = Binder(context: self, declaredParameterTypes: [])
        let plan: QueryPlan
        do {
            plan = try binder.bindSelect(select)
        } catch {
            throw PostgresError(converting: error, statementText: sql)
        }
        return preparedQuery(text, resultColumns: found.resultColumns, .call(found, plan))
    }

    func runCall(_ procedure: MaintenanceProcedure, arguments plan: QueryPlan, cancellation: QueryCancellation) async throws -> QueryResult {
        let stream = try await plan.instantiate(context: runContext(parameters: []), cancellation: cancellation)
        guard let batch = try await stream.next(), batch.rowCount == 1 else {
            throw PostgresError(sqlState: .internalError, message: "procedure arguments gave no row")
        }
        let values = batch.columns.map { $0.value(at: 0) }
        guard case .bytes(let tableText) = values[0] else {
            throw PostgresError(sqlState: .nullValueNotAllowed, message: "table_name must not be NULL")
        }
        let (catalog, schema, table) = try await maintainedTable(String(decoding: tableText, as: UTF8.self))
        func olderThan(defaultAge: Int64) -> Int64 {
            if case .int64(let micros) = values[1] { return micros / 1000 }
            return (statementStart - defaultAge) / 1000
        }
        let rows: [[Value]]
        switch procedure.name {
        case "expire_snapshots":
            var retainLast = 1
            if case .int32(let count) = values[2] {
                guard count >= 1 else { throw PostgresError(sqlState: .invalidParameterValue, message: "retain_last must be at least 1") }
                retainLast = Int(count)
            }
            let counts = try await catalog.expireSnapshots(
                schema: schema, name: table, olderThanMs: olderThan(defaultAge: MaintenanceProcedure.defaultSnapshotAge), retainLast: retainLast)
            rows = [counts.map { .int64(Int64($0)) }]
        default:
            let orphans = try await catalog.removeOrphanFiles(
                schema: schema, name: table, olderThanMs: olderThan(defaultAge: MaintenanceProcedure.defaultOrphanAge))
            rows = orphans.map { [.bytes(Array($0.utf8))] }
        }
        let columns = procedure.resultColumns.indices.map { index in
            Column(type: procedure.resultColumns[index].type, values: rows.map { $0[index] })
        }
        return .rows(columns: procedure.resultColumns, stream: MaterializedStream([Batch(columns: columns, rowCount: rows.count)]), verb: "CALL")
    }

    /// The table a procedure names (`schema.table`, or a table on the search path).
    private func maintainedTable(_ text: String) async throws -> (any WritableTableCatalog, String, String) {
        guard let name = QualifiedName(regclassText: text) else {
            throw PostgresError(sqlState: .invalidName, message: "invalid name syntax: \"\(text)\"")
        }
        guard let catalog = defaultTableCatalog() as? any WritableTableCatalog else {
            throw PostgresError(sqlState: .featureNotSupported, message: "catalog \"\(resolver.defaultCatalog)\" has no maintenance procedures")
        }
        for schema in try await schemasToSearch(for: name) {
            do {
                if try await catalog.table(schema: schema, name: name.name) != nil { return (catalog, schema, name.name) }
            } catch {
                throw PostgresError(converting: error)
            }
        }
        throw PostgresError(sqlState: .undefinedTable, message: "relation \"\(text)\" does not exist")
    }
}
