import Catalog
import Foundation
import Engine
import Planner
import SQL
import WireProtocol

extension SQLSession: BinderContext {
    public var currentUser: String { principal.user }
    public var sessionUser: String { principal.user }
    public var currentDatabase: String { database }
    public func setting(_ name: String) -> String? { settings[name] }
    public var evaluationContext: EvaluationContext { EvaluationContext(textOutput: textOutput) }
    public var tables: ResolvedTables { currentTables }
}

extension SQLSession {
    /// Looks up the tables `statement` names (catalogs read metadata, so this is async) and keeps
    /// them for the binder.
    func resolveTables(for statement: Statement) async throws(PostgresError) {
        let selects = Self.queries(in: statement)
        guard !selects.isEmpty else {
            currentTables = ResolvedTables()
            return
        }
        do {
            let settings = self.settings
            currentTables = try await resolver.resolveTables(
                in: selects, searchPath: searchPath, user: principal.user, settings: { settings.described })
        } catch {
            throw PostgresError(converting: error)
        }
    }

    /// The schemas one-part table names are looked up in, from `search_path` (computed again only
    /// after a setting changes).
    var searchPath: [String] {
        if let cachedSearchPath { return cachedSearchPath }
        let path = (settings["search_path"] ?? "").split(separator: ",").compactMap { item -> String? in
            var name = item.trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
                name = String(name.dropFirst().dropLast())
            }
            if name == "$user" { return principal.user }
            return name.isEmpty ? nil : name
        }
        cachedSearchPath = path
        return path
    }

    static func queries(in statement: Statement) -> [SelectStatement] {
        switch statement {
        case .select(let select), .copyToStdout(let select, _), .declareCursor(_, let select, _),
            .explain(let select, _):
            return [select]
        case .createView(let create): return [create.query]
        case .createTableAs(let create): return [create.query]
        case .insert(let insert):
            var target = selectAll(from: insert.table)
            target.targets += insert.returning
            return [insert.query, target]
        case .copyFromStdin(let table, _, _): return [selectAll(from: table)]
        case .alterTable(let table, _, _): return [selectAll(from: table)]
        case .truncate(let tables): return tables.map(selectAll(from:))
        case .delete(let delete):
            var select = selectAll(from: delete.table)
            select.commonTableExpressions = delete.with
            select.from += delete.using
            select.whereClause = delete.whereClause
            select.targets += delete.returning
            return [select]
        case .update(let update):
            var select = selectAll(from: update.table)
            select.commonTableExpressions = update.with
            select.from += update.from
            select.whereClause = update.whereClause
            select.targets +=
                update.assignments.compactMap { $0.value.map { .expression($0, alias: nil) } } + update.returning
            return [select]
        case .merge(let merge):
            var select = selectAll(from: merge.table)
            select.commonTableExpressions = merge.with
            select.from.append(merge.source)
            select.whereClause = merge.condition
            for clause in merge.clauses {
                if let condition = clause.condition { select.targets.append(.expression(condition, alias: nil)) }
                switch clause.action {
                case .update(let assignments):
                    select.targets += assignments.compactMap { $0.value.map { .expression($0, alias: nil) } }
                case .insert(_, let values):
                    select.targets += values.compactMap { $0.map { .expression($0, alias: nil) } }
                case .delete, .doNothing: break
                }
            }
            return [select]
        case .prepare(_, _, let inner): return queries(in: inner)
        default: return []
        }
    }
}

extension SQLSession {
    /// Binds one parsed statement into a prepared query with its plan. A plan that reads tables
    /// holds them at the snapshot they had now, so it also keeps what planning it again takes.
    func plan(_ statement: Statement, text: String, sql: String, parameterTypes: [DataType?]) throws(PostgresError)
        -> PreparedStatement
    {
        let prepared = try bind(statement, text: text, sql: sql, parameterTypes: parameterTypes)
        guard !currentTables.isEmpty, let planned = prepared.plan else { return prepared }
        return PreparedStatement(
            text: prepared.text, parameterTypes: prepared.parameterTypes, resultColumns: prepared.resultColumns,
            isEmpty: prepared.isEmpty, finishesQuickly: prepared.finishesQuickly,
            plan: SessionPlan(
                plan: planned.plan, replanning: SessionPlan.Replanning(statement: statement, text: text, sql: sql)))
    }

    /// The plan `query` runs with now. Its first execution right after it was prepared runs the plan
    /// as bound; later ones, of a statement that reads tables, bind it again with its tables looked
    /// up anew, so a statement prepared once and executed many times (as pgjdbc and psycopg do)
    /// reads each table's current snapshot and schema. The parameter types stay those first
    /// inferred; a result whose columns changed is refused, as PostgreSQL refuses it.
    func executablePlan(_ query: PreparedStatement) async throws(PostgresError) -> StatementPlan {
        guard let planned = query.plan else {
            throw PostgresError(sqlState: .internalError, message: "internal error: an empty statement has no plan")
        }
        let fresh = freshlyPrepared === query
        freshlyPrepared = nil
        guard let replanning = planned.replanning, !fresh else { return planned.plan }
        try await resolveTables(for: replanning.statement)
        let again = try bind(
            replanning.statement, text: replanning.text, sql: replanning.sql, parameterTypes: query.parameterTypes)
        guard let plan = again.plan?.plan, again.parameterTypes == query.parameterTypes else {
            throw PostgresError(
                sqlState: .internalError, message: "internal error: a prepared statement's parameters changed")
        }
        guard again.resultColumns == query.resultColumns else {
            throw PostgresError(
                sqlState: .featureNotSupported, message: "cached plan must not change result type",
                hint:
                    "A table the statement reads changed its columns since the statement was prepared; prepare it again."
            )
        }
        return plan
    }

    /// Binds one parsed statement into a prepared query with its plan.
    private func bind(_ statement: Statement, text: String, sql: String, parameterTypes: [DataType?])
        throws(PostgresError) -> PreparedStatement
    {
        func bindQuery(_ select: SelectStatement) throws(PostgresError) -> (QueryPlan, [ResultColumn]) {
            var planner = StatementPlanner(context: self, declaredParameterTypes: parameterTypes)
            do {
                let plan = try planner.planQuery(select)
                return (plan, Self.resultColumns(plan.columns))
            } catch {
                throw PostgresError(converting: error, statementText: sql)
            }
        }
        switch statement {
        case .select(let select):
            let (plan, columns) = try bindQuery(select)
            return preparedQuery(text, parameterTypes: plan.parameterTypes, resultColumns: columns, .query(plan))
        case .copyToStdout(let select, let options):
            let (plan, _) = try bindQuery(select)
            return commandQuery(text, .copyOut(plan, try copyFormat(options)))
        case .set(let name, let value, let isLocal):
            return commandQuery(text, .set(name: name, value: value, isLocal: isLocal))
        case .reset(let name):
            return commandQuery(text, .reset(name: name))
        case .show(let name):
            let columns: [ResultColumn] =
                name == "all"
                ? [
                    ResultColumn(name: "name", type: .text), ResultColumn(name: "setting", type: .text),
                    ResultColumn(name: "description", type: .text),
                ]
                : [ResultColumn(name: SessionSettings.displayName(name), type: .text)]
            return preparedQuery(text, resultColumns: columns, .show(name: name))
        case .transaction(let command):
            return commandQuery(text, .transaction(command))
        case .prepare(let name, let types, let inner):
            var declared: [DataType?] = []
            for typeName in types {
                declared.append(try resolveDeclaredType(typeName, sql: sql))
            }
            let innerQuery = try plan(inner, text: text, sql: sql, parameterTypes: declared)
            return commandQuery(text, .prepare(name: name, innerQuery))
        case .execute(let name, let arguments):
            guard let prepared = preparedStatements[name] else {
                throw PostgresError(
                    sqlState: .invalidSqlStatementName, message: "prepared statement \"\(name)\" does not exist")
            }
            return preparedQuery(
                text, resultColumns: prepared.resultColumns, .execute(name: name, arguments: arguments, sql: sql))
        case .deallocate(let name):
            return commandQuery(text, .deallocate(name: name))
        case .declareCursor(let name, let select, let withHold):
            let (plan, _) = try bindQuery(select)
            return commandQuery(text, .declareCursor(name: name, plan, withHold: withHold))
        case .fetch(let cursor, let direction, let move):
            if case .unsupported(let kind) = direction {
                throw PostgresError(
                    sqlState: .featureNotSupported, message: "cursor can only scan forward",
                    hint:
                        "\(kind.replacingPrefix("FETCH_", with: "")) needs a SCROLL cursor, which Weir does not support yet."
                )
            }
            let columns = move ? nil : cursors[cursor]?.columns
            if !move, columns == nil {
                throw PostgresError(sqlState: .invalidCursorName, message: "cursor \"\(cursor)\" does not exist")
            }
            return preparedQuery(text, resultColumns: columns, .fetch(cursor: cursor, direction: direction, move: move))
        case .closeCursor(let name):
            return commandQuery(text, .closeCursor(name: name))
        case .discardAll:
            return commandQuery(text, .discardAll)
        case .explain(let select, let analyze):
            let (plan, _) = try bindQuery(select)
            return preparedQuery(
                text, resultColumns: [ResultColumn(name: "QUERY PLAN", type: .text)], .explain(plan, analyze: analyze))
        case .createView(let create):
            let (plan, columns) = try bindQuery(create.query)
            return commandQuery(
                text, .createView(create, columns: try viewColumns(create, plan: plan, columns: columns)))
        case .dropView(let names, let ifExists, let cascade):
            return commandQuery(text, .dropView(names: names, ifExists: ifExists, cascade: cascade))
        case .createSchema(let name, let ifNotExists):
            return commandQuery(text, .createSchema(name: name, ifNotExists: ifNotExists))
        case .createTable(let create):
            return commandQuery(text, .createTable(create, columns: try tableColumns(create, sql: sql)))
        case .createTableAs(let create):
            let (plan, columns) = try bindQuery(create.query)
            return commandQuery(
                text, .createTableAs(create, plan, columns: try createdTableColumns(create, columns: columns)))
        case .insert(let insert):
            let (target, plan, returning) = try planInsert(insert, sql: sql, parameterTypes: parameterTypes)
            return preparedQuery(
                text, parameterTypes: plan.parameterTypes, resultColumns: returning, .insert(target, plan))
        case .dropTable(let names, let ifExists, let cascade):
            return commandQuery(text, .dropTable(names: names, ifExists: ifExists, cascade: cascade))
        case .copyFromStdin(let table, let columns, let options):
            return commandQuery(text, try planCopyIn(table, columns: columns, options: options))
        case .delete(let delete):
            let (target, bound) = try planRowChange(
                delete.table, alias: delete.alias, with: delete.with, from: delete.using,
                whereClause: delete.whereClause,
                assignments: nil, returning: delete.returning, sql: sql, parameterTypes: parameterTypes)
            return preparedQuery(
                text, parameterTypes: bound.parameterTypes,
                resultColumns: bound.change.returning.map(Self.resultColumns),
                .changeRows(target, bound.change))
        case .update(let update):
            let (target, bound) = try planRowChange(
                update.table, alias: update.alias, with: update.with, from: update.from,
                whereClause: update.whereClause,
                assignments: update.assignments, returning: update.returning, sql: sql, parameterTypes: parameterTypes)
            return preparedQuery(
                text, parameterTypes: bound.parameterTypes,
                resultColumns: bound.change.returning.map(Self.resultColumns),
                .changeRows(target, bound.change))
        case .merge(let merge):
            let (target, bound) = try planMerge(merge, sql: sql, parameterTypes: parameterTypes)
            return preparedQuery(
                text, parameterTypes: bound.parameterTypes, resultColumns: nil, .changeRows(target, bound.change))
        case .alterTable(let table, let ifExists, let alterations):
            return commandQuery(text, try planAlterTable(table, ifExists: ifExists, alterations: alterations, sql: sql))
        case .call(let procedure, let arguments):
            return try planCall(procedure, arguments: arguments, sql: sql, text: text)
        case .truncate(let tables):
            var targets: [WriteTarget] = []
            for table in tables { targets.append(try writeTarget(table).0) }
            return commandQuery(text, .truncate(targets))
        case .dropSchema(let names, let ifExists, let cascade):
            return commandQuery(text, .dropSchema(names: names, ifExists: ifExists, cascade: cascade))
        case .unsupported(let feature):
            if ["LISTEN", "UNLISTEN", "NOTIFY"].contains(feature) {
                throw PostgresError(
                    sqlState: .featureNotSupported, message: "\(feature) is not supported",
                    hint: "Weir is a query gateway; asynchronous notifications are not available.")
            }
            throw PostgresError(sqlState: .featureNotSupported, message: "\(feature) is not supported yet")
        }
    }

    /// Result columns for the wire.
    static func resultColumns(_ columns: [(name: String, type: DataType)]) -> [ResultColumn] {
        columns.map { ResultColumn(name: $0.name, type: $0.type) }
    }

    func commandQuery(_ text: String, _ plan: StatementPlan) -> PreparedStatement {
        preparedQuery(text, resultColumns: nil, plan)
    }

    func preparedQuery(
        _ text: String, parameterTypes: [DataType] = [], resultColumns: [ResultColumn]?, _ plan: StatementPlan
    ) -> PreparedStatement {
        PreparedStatement(
            text: text, parameterTypes: parameterTypes, resultColumns: resultColumns,
            finishesQuickly: plan.finishesQuickly,
            plan: SessionPlan(plan: plan, replanning: nil))
    }

    func resolveDeclaredType(_ typeName: TypeName, sql: String) throws(PostgresError) -> DataType {
        var select = SelectStatement()
        select.targets = [
            .expression(.cast(.literal(.null, location: 0), typeName, location: typeName.location), alias: nil)
        ]
        var planner = StatementPlanner(context: self, declaredParameterTypes: [])
        do {
            return try planner.planQuery(select).columns[0].type
        } catch {
            throw PostgresError(converting: error, statementText: sql)
        }
    }

    func copyFormat(_ options: CopyOptions) throws(PostgresError) -> CopyOutFormat {
        func singleByte(_ text: String?, _ what: String) throws(PostgresError) -> UInt8? {
            guard let text else { return nil }
            guard text.utf8.count == 1 else {
                throw PostgresError(
                    sqlState: .featureNotSupported, message: "COPY \(what) must be a single one-byte character")
            }
            return text.utf8.first
        }
        let kind: CopyOutFormat.Kind
        switch options.format {
        case .text: kind = .text
        case .csv: kind = .csv
        case .binary: kind = .binary
        }
        if kind == .binary, options.delimiter != nil || options.null != nil || options.header {
            throw PostgresError(
                sqlState: .syntaxError, message: "cannot specify DELIMITER, NULL or HEADER in BINARY mode")
        }
        if kind != .csv, options.quote != nil || options.escape != nil || options.forceQuoteAll {
            throw PostgresError(
                sqlState: .featureNotSupported,
                message: "COPY quote, escape and force_quote are available only in CSV mode")
        }
        return CopyOutFormat(
            kind: kind, delimiter: try singleByte(options.delimiter, "delimiter"),
            null: options.null.map { Array($0.utf8) },
            header: options.header, quote: try singleByte(options.quote, "quote") ?? UInt8(ascii: "\""),
            escape: try singleByte(options.escape, "escape"), forceQuoteAll: options.forceQuoteAll)
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}

/// What a `PreparedStatement` holds for the session.
public struct SessionPlan {
    /// The statement as bound when it was prepared.
    let plan: StatementPlan
    /// For a statement that reads tables: what binding it again takes (see `executablePlan`).
    let replanning: Replanning?

    struct Replanning {
        let statement: Statement
        let text: String
        let sql: String
    }
}
