import Catalog
import Engine
import Planner
import SQL
import WireProtocol

/// `DELETE`, `UPDATE` and `ALTER TABLE` on tables Weir writes. Like INSERT, each is one catalog
/// commit that takes effect at once, even inside a transaction block.
extension SQLSession {
    /// Binds DELETE (`assignments` nil) or UPDATE against its target table, with the `from` tables
    /// (USING / FROM) and RETURNING.
    func planRowChange(
        _ table: QualifiedName, alias: String?, with ctes: [CommonTableExpression], from: [TableReference],
        whereClause: SQL.Expression?,
        assignments: [UpdateStatement.Assignment]?, returning: [SelectTarget], sql: String, parameterTypes: [DataType?]
    ) throws(PostgresError) -> (WriteTarget, PlannedRowChange) {
        let (target, _) = try writeTarget(table)
        guard let source = currentTables[table] as? any RowIdentifyingTable else {
            throw PostgresError(
                sqlState: .featureNotSupported, message: "cannot change rows of \"\(table.description)\"")
        }
        var planner = StatementPlanner(context: self, declaredParameterTypes: parameterTypes)
        do {
            let change = try planner.planRowChange(
                table: source, tableName: target.name, alias: alias, with: ctes, from: from, whereClause: whereClause,
                assignments: assignments, returning: returning)
            return (target, change)
        } catch {
            throw PostgresError(converting: error, statementText: sql)
        }
    }

    /// Binds MERGE against its target table.
    func planMerge(_ merge: MergeStatement, sql: String, parameterTypes: [DataType?]) throws(PostgresError) -> (
        WriteTarget, PlannedRowChange
    ) {
        let (target, _) = try writeTarget(merge.table)
        guard let source = currentTables[merge.table] as? any RowIdentifyingTable else {
            throw PostgresError(
                sqlState: .featureNotSupported, message: "cannot change rows of \"\(merge.table.description)\"")
        }
        var planner = StatementPlanner(context: self, declaredParameterTypes: parameterTypes)
        do {
            let change = try planner.planMerge(
                into: source, tableName: target.name, alias: merge.alias, with: merge.with, source: merge.source,
                condition: merge.condition, clauses: merge.clauses)
            return (target, change)
        } catch {
            throw PostgresError(converting: error, statementText: sql)
        }
    }

    /// Runs DELETE or UPDATE as one commit: its command tag, or with RETURNING its rows (sent once
    /// the commit has succeeded).
    func runRowChange(_ target: WriteTarget, change: RowChange, parameters: [Value], cancellation: QueryCancellation)
        async throws -> QueryResult
    {
        let catalog = try writableCatalog(of: target)
        let (count, returned) = try await catalog.changeRows(
            schema: target.schema, name: target.name, change: change, context: runContext(parameters: parameters),
            cancellation: cancellation)
        let verb =
            switch change.kind {
            case .delete: "DELETE"
            case .update: "UPDATE"
            case .merge: "MERGE"
            }
        guard let returning = change.returning else { return .command(tag: "\(verb) \(count)") }
        return .rows(columns: Self.resultColumns(returning), stream: MaterializedStream(returned), verb: verb)
    }

    /// ALTER TABLE's changes with their types resolved; IF [NOT] EXISTS that find nothing to do
    /// become notices, as in PostgreSQL.
    func planAlterTable(_ table: QualifiedName, ifExists: Bool, alterations: [TableAlteration], sql: String)
        throws(PostgresError) -> StatementPlan
    {
        if ifExists, currentTables[table] == nil, currentTables.view(table) == nil {
            return .alterTable(
                nil, [],
                notices: [
                    PostgresError(
                        .notice, sqlState: .successfulCompletion,
                        message: "relation \"\(table.description)\" does not exist, skipping")
                ])
        }
        let (target, columns) = try writeTarget(table)
        var names = columns.map(\.name)
        var changes: [TableChange] = []
        var notices: [PostgresError] = []
        for alteration in alterations {
            switch alteration {
            case .addColumn(let definition, let ifNotExists):
                if names.contains(definition.name) {
                    guard ifNotExists else {
                        throw PostgresError(
                            sqlState: .duplicateColumn,
                            message: "column \"\(definition.name)\" of relation \"\(target.name)\" already exists")
                    }
                    notices.append(
                        PostgresError(
                            .notice, sqlState: .duplicateColumn,
                            message:
                                "column \"\(definition.name)\" of relation \"\(target.name)\" already exists, skipping")
                    )
                    continue
                }
                names.append(definition.name)
                changes.append(
                    .addColumn(
                        TableColumn(
                            name: definition.name, type: try resolveDeclaredType(definition.type, sql: sql),
                            isNullable: !definition.notNull)))
            case .dropColumn(let name, let ifExists):
                guard let index = names.firstIndex(of: name) else {
                    guard ifExists else {
                        throw PostgresError(
                            sqlState: .undefinedColumn,
                            message: "column \"\(name)\" of relation \"\(target.name)\" does not exist")
                    }
                    notices.append(
                        PostgresError(
                            .notice, sqlState: .successfulCompletion,
                            message: "column \"\(name)\" of relation \"\(target.name)\" does not exist, skipping"))
                    continue
                }
                names.remove(at: index)
                changes.append(.dropColumn(name))
            case .alterColumnType(let name, let type):
                changes.append(.changeType(column: name, to: try resolveDeclaredType(type, sql: sql)))
            case .dropNotNull(let name):
                changes.append(.dropNotNull(name))
            case .renameColumn(let from, let to):
                if let index = names.firstIndex(of: from) { names[index] = to }
                changes.append(.renameColumn(from: from, to: to))
            case .renameTable(let name):
                changes.append(.renameTable(to: name))
            }
        }
        return .alterTable(target, changes, notices: notices)
    }

    func runAlterTable(_ target: WriteTarget?, changes: [TableChange], notices: [PostgresError]) async throws
        -> QueryResult
    {
        if let target, !changes.isEmpty {
            let catalog = try writableCatalog(of: target)
            try await catalog.alterTable(schema: target.schema, name: target.name, alterations: changes)
        }
        return notices.isEmpty ? .command(tag: "ALTER TABLE") : .withNotices(notices, .command(tag: "ALTER TABLE"))
    }
}
