import Catalog
import Engine
import Planner
import SQL
import WireProtocol

extension SQLSession {
    /// `CALL weir.expire_snapshots(table_name [, older_than] [, retain_last])` and
    /// `CALL weir.remove_orphan_files(table_name [, older_than])`, arguments by position or name.
    func planCall(_ procedure: QualifiedName, arguments: [CallArgument], sql: String, text: String)
        throws(PostgresError) -> PreparedStatement
    {
        let parts = procedure.parts
        let procedures = (defaultTableCatalog() as? any ProcedureCatalog)?.tableProcedures ?? []
        guard parts.count == 1 || (parts.count == 2 && parts[0] == "weir"),
            let found = procedures.first(where: { $0.name == parts.last })
        else {
            let signatures = procedures.map {
                "weir.\($0.name)(\((["table_name"] + $0.parameters.map(\.name)).joined(separator: ", ")))"
            }
            throw PostgresError(
                sqlState: .undefinedFunction, message: "procedure \(procedure.description)() does not exist",
                hint: signatures.isEmpty
                    ? "Catalog \"\(resolver.defaultCatalog)\" has no procedures."
                    : "Weir's procedures are \(signatures.dropLast().joined(separator: ", ")) and \(signatures.last!).")
        }
        let parameters =
            [TableProcedure.Parameter(name: "table_name", typeName: "text", type: .text)] + found.parameters
        var values: [SQL.Expression?] = Array(repeating: nil, count: parameters.count)
        for (position, argument) in arguments.enumerated() {
            let index: Int?
            if let name = argument.name {
                index = parameters.firstIndex { $0.name == name }
            } else {
                index = position < parameters.count ? position : nil
            }
            guard let index, values[index] == nil else {
                throw PostgresError(
                    sqlState: .undefinedFunction,
                    message:
                        "procedure weir.\(found.name) has no parameter \(argument.name ?? String(position + 1)), or it is given twice"
                )
            }
            values[index] = argument.value
        }
        guard values[0] != nil else {
            throw PostgresError(sqlState: .undefinedFunction, message: "procedure weir.\(found.name) needs table_name")
        }
        var select = SelectStatement()
        select.targets = zip(values, parameters).map { value, parameter in
            .expression(
                .cast(value ?? .literal(.null, location: 0), TypeName(names: [parameter.typeName]), location: 0),
                alias: nil)
        }
        var planner = StatementPlanner(context: self, declaredParameterTypes: [])
        let plan: QueryPlan
        do {
            plan = try planner.planQuery(select)
        } catch {
            throw PostgresError(converting: error, statementText: sql)
        }
        let resultColumns = found.resultColumns.map { ResultColumn(name: $0.name, type: $0.type) }
        return preparedQuery(text, resultColumns: resultColumns, .call(found, plan))
    }

    func runCall(_ procedure: TableProcedure, arguments plan: QueryPlan, cancellation: QueryCancellation) async throws
        -> QueryResult
    {
        let stream = try await plan.instantiate(context: runContext(parameters: []), cancellation: cancellation)
        guard let batch = try await stream.next(), batch.rowCount == 1 else {
            throw PostgresError(sqlState: .internalError, message: "procedure arguments gave no row")
        }
        let values = batch.columns.map { $0.value(at: 0) }
        guard case .bytes(let tableText) = values[0] else {
            throw PostgresError(sqlState: .nullValueNotAllowed, message: "table_name must not be NULL")
        }
        let (schema, table) = try await maintainedTable(String(decoding: tableText, as: UTF8.self))
        let rows: [[Value]]
        do {
            rows = try await procedure.run(schema, table, Array(values.dropFirst()), statementStart)
        } catch {
            throw PostgresError(converting: error)
        }
        let resultColumns = procedure.resultColumns.map { ResultColumn(name: $0.name, type: $0.type) }
        let columns = resultColumns.indices.map { index in
            Column(type: resultColumns[index].type, values: rows.map { $0[index] })
        }
        return .rows(
            columns: resultColumns, stream: MaterializedStream([Batch(columns: columns, rowCount: rows.count)]),
            verb: "CALL")
    }

    /// The table a procedure names (`schema.table`, or a table on the search path).
    private func maintainedTable(_ text: String) async throws -> (schema: String, table: String) {
        guard let name = QualifiedName(regclassText: text) else {
            throw PostgresError(sqlState: .invalidName, message: "invalid name syntax: \"\(text)\"")
        }
        guard let catalog = defaultTableCatalog() else {
            throw PostgresError(
                sqlState: .featureNotSupported,
                message: "catalog \"\(resolver.defaultCatalog)\" has no maintenance procedures")
        }
        for schema in try await schemasToSearch(for: name) {
            do {
                if try await catalog.table(schema: schema, name: name.name) != nil { return (schema, name.name) }
            } catch {
                throw PostgresError(converting: error)
            }
        }
        throw PostgresError(sqlState: .undefinedTable, message: "relation \"\(text)\" does not exist")
    }
}
