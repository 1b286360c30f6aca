import Catalog
import Engine
import Planner
import SQL
import WireProtocol

extension SQLSession {
    /// The evaluation context of one statement run, recording its `set_config` calls.
    func runContext(parameters: [Value]) -> EvaluationContext {
        var context = EvaluationContext(textOutput: textOutput, parameters: parameters)
        context.statementTimestamp = statementStart
        context.memoryBudget = queryMemoryLimit.map { MemoryBudget(limit: $0) }
        let changes = SettingChanges(settings: settings)
        pendingSettingChanges.append(changes)
        context.settingsWriter = changes
        return context
    }

    /// Applies the `set_config` calls of statements that have finished.
    func applyPendingSettingChanges() {
        let pending = pendingSettingChanges
        pendingSettingChanges = []
        for change in pending.flatMap(\.changes) {
            // Each was checked against the same settings when it was made.
            if let value = change.value {
                try? settings.set(change.name, to: value, isLocal: change.isLocal)
            } else {
                try? settings.reset(change.name)
            }
        }
    }

    /// Runs a planned statement. Errors are `EngineError` or `PostgresError`.
    func run(_ plan: StatementPlan, query: PreparedStatement, parameters: [Value], cancellation: QueryCancellation)
        async throws -> QueryResult
    {
        switch plan {
        case .query(let queryPlan):
            let context = runContext(parameters: parameters)
            let stream = try await queryPlan.instantiate(context: context, cancellation: cancellation)
            return .rows(columns: query.resultColumns ?? [], stream: stream, verb: "SELECT")
        case .explain(let queryPlan, let analyze):
            var lines: [String]
            if analyze {
                let statistics = ExecutionStatistics()
                let context = runContext(parameters: parameters)
                let started = ContinuousClock.now
                let stream = try await queryPlan.instantiate(
                    context: context, cancellation: cancellation, statistics: statistics)
                while try await stream.next() != nil {}
                let elapsed = ContinuousClock.now - started
                lines = PlanExplainer.lines(queryPlan, statistics: statistics)
                let milliseconds =
                    Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                lines.append("Execution Time: \((milliseconds * 1000).rounded() / 1000) ms")
            } else {
                lines = PlanExplainer.lines(queryPlan)
            }
            let column = Column(type: .text, values: lines.map { .text($0) })
            return .rows(
                columns: query.resultColumns ?? [],
                stream: MaterializedStream([Batch(columns: [column], rowCount: lines.count)]), verb: "EXPLAIN")
        case .copyOut(let queryPlan, let format):
            let context = runContext(parameters: parameters)
            let stream = try await queryPlan.instantiate(context: context, cancellation: cancellation)
            let columns = Self.resultColumns(queryPlan.columns)
            return .copyOut(columns: columns, stream: stream, format: format)
        case .createView(let create, let columns):
            return try await runCreateView(create, columns: columns)
        case .dropView(let names, let ifExists, let cascade):
            return try await runDropView(names, ifExists: ifExists, cascade: cascade)
        case .createSchema(let name, let ifNotExists):
            return try await runCreateSchema(name, ifNotExists: ifNotExists)
        case .createTable(let create, let columns):
            return try await runCreateTable(create, columns: columns)
        case .createTableAs(let create, let queryPlan, let columns):
            return try await runCreateTableAs(
                create, plan: queryPlan, columns: columns, parameters: parameters, cancellation: cancellation)
        case .insert(let target, let queryPlan):
            return try await runInsert(
                target, plan: queryPlan, returning: query.resultColumns, parameters: parameters,
                cancellation: cancellation)
        case .dropTable(let names, let ifExists, let cascade):
            return try await runDropTable(names, ifExists: ifExists, cascade: cascade)
        case .call(let procedure, let arguments):
            return try await runCall(procedure, arguments: arguments, cancellation: cancellation)
        case .truncate(let targets):
            for target in targets {
                let catalog = try writableCatalog(of: target)
                try await catalog.truncateTable(schema: target.schema, name: target.name)
            }
            return .command(tag: "TRUNCATE TABLE")
        case .changeRows(let target, let change):
            return try await runRowChange(target, change: change, parameters: parameters, cancellation: cancellation)
        case .alterTable(let target, let changes, let notices):
            return try await runAlterTable(target, changes: changes, notices: notices)
        case .copyIn(let target, let columns, let positions, let format):
            return try runCopyIn(
                target, columns: columns, positions: positions, format: format, cancellation: cancellation)
        case .dropSchema(let names, let ifExists, let cascade):
            return try await runDropSchema(names, ifExists: ifExists, cascade: cascade)
        case .set(let name, let value, let isLocal):
            return try runSet(name: name, value: value, isLocal: isLocal)
        case .reset(let name):
            if let name { try settings.reset(name) } else { settings.resetAll() }
            return .command(tag: "RESET")
        case .show(let name):
            return try runShow(name, columns: query.resultColumns ?? [])
        case .transaction(let command):
            return try runTransaction(command)
        case .prepare(let name, let inner):
            guard preparedStatements[name] == nil else {
                throw PostgresError(
                    sqlState: .duplicatePreparedStatement, message: "prepared statement \"\(name)\" already exists")
            }
            preparedStatements[name] = inner
            return .command(tag: "PREPARE")
        case .execute(let name, let arguments, let sql):
            guard let prepared = preparedStatements[name] else {
                throw PostgresError(
                    sqlState: .invalidSqlStatementName, message: "prepared statement \"\(name)\" does not exist")
            }
            guard arguments.count == prepared.parameterTypes.count else {
                throw PostgresError(
                    sqlState: .syntaxError,
                    message: "wrong number of parameters for prepared statement \"\(name)\"",
                    detail: "Expected \(prepared.parameterTypes.count) parameters but got \(arguments.count).")
            }
            let values = try await evaluateArguments(arguments, types: prepared.parameterTypes, sql: sql)
            return try await run(
                try await executablePlan(prepared), query: prepared, parameters: values, cancellation: cancellation)
        case .deallocate(let name):
            guard let name else {
                preparedStatements.removeAll()
                return .command(tag: "DEALLOCATE ALL")
            }
            guard preparedStatements.removeValue(forKey: name) != nil else {
                throw PostgresError(
                    sqlState: .invalidSqlStatementName, message: "prepared statement \"\(name)\" does not exist")
            }
            return .command(tag: "DEALLOCATE")
        case .declareCursor(let name, let queryPlan, let withHold):
            guard transaction.status != .idle || withHold else {
                throw PostgresError(
                    sqlState: .noActiveSqlTransaction, message: "DECLARE CURSOR can only be used in transaction blocks")
            }
            guard cursors[name] == nil else {
                throw PostgresError(sqlState: .duplicateCursor, message: "cursor \"\(name)\" already exists")
            }
            let context = runContext(parameters: parameters)
            let stream = try await queryPlan.instantiate(context: context, cancellation: QueryCancellation())
            let columns = Self.resultColumns(queryPlan.columns)
            cursors[name] = Cursor(columns: columns, stream: stream, withHold: withHold)
            return .command(tag: "DECLARE CURSOR")
        case .fetch(let name, let direction, let move):
            guard let cursor = cursors[name] else {
                throw PostgresError(sqlState: .invalidCursorName, message: "cursor \"\(name)\" does not exist")
            }
            let limit: Int?
            switch direction {
            case .forward(let count): limit = count
            case .all: limit = nil
            case .unsupported: limit = 0
            }
            let stream = CursorFetchStream(cursor: cursor, limit: limit, cancellation: cancellation)
            if move { return .rows(columns: [], stream: stream, verb: "MOVE") }
            return .rows(columns: cursor.columns, stream: stream, verb: "FETCH")
        case .closeCursor(let name):
            if let name {
                guard cursors.removeValue(forKey: name) != nil else {
                    throw PostgresError(sqlState: .invalidCursorName, message: "cursor \"\(name)\" does not exist")
                }
            } else {
                cursors.removeAll()
            }
            return .command(tag: "CLOSE CURSOR")
        case .discardAll:
            guard transaction.status == .idle else {
                throw PostgresError(
                    sqlState: .activeSqlTransaction, message: "DISCARD ALL cannot run inside a transaction block")
            }
            settings.resetAll()
            preparedStatements.removeAll()
            cursors.removeAll()
            return .command(tag: "DISCARD ALL")
        }
    }

    func runSet(name: String, value: SetValue, isLocal: Bool) throws -> QueryResult {
        if name == "transaction" || name == "session characteristics" { return .command(tag: "SET") }
        if isLocal && transaction.status == .idle {
            return .withNotices(
                [
                    PostgresError(
                        .warning, sqlState: .noActiveSqlTransaction,
                        message: "SET LOCAL can only be used in transaction blocks")
                ],
                .command(tag: "SET"))
        }
        switch value {
        case .default:
            if isLocal {
                try settings.set(
                    name, to: SessionSettings.definitions[name.lowercased()]?.defaultValue ?? "", isLocal: true)
            } else {
                try settings.reset(name)
            }
        case .values(let values):
            let items = name == "search_path" ? values.map(Self.quotedIdentifierIfNeeded) : values
            try settings.set(name, to: items.joined(separator: ", "), isLocal: isLocal)
        }
        return .command(tag: "SET")
    }

    /// `search_path` shows schema names as identifiers: quoted unless plain lowercase.
    static func quotedIdentifierIfNeeded(_ name: String) -> String {
        let plain = name.allSatisfy { $0.isLetter || $0 == "_" } && name == name.lowercased()
        return plain ? name : "\"\(name)\""
    }

    func runShow(_ name: String, columns: [ResultColumn]) throws -> QueryResult {
        if name == "all" {
            var names = ColumnBuilder(type: .text)
            var values = ColumnBuilder(type: .text)
            var descriptions = ColumnBuilder(type: .text)
            for (settingName, value) in settings.all {
                names.append(.text(settingName))
                values.append(.text(value))
                descriptions.append(.text(""))
            }
            let batch = Batch(columns: [names.build(), values.build(), descriptions.build()], rowCount: names.count)
            return .rows(columns: columns, stream: MaterializedStream([batch]), verb: "SHOW")
        }
        guard let value = settings[name] else {
            throw PostgresError(sqlState: .undefinedObject, message: "unrecognized configuration parameter \"\(name)\"")
        }
        let batch = Batch(columns: [Column(type: .text, values: [.text(value)])], rowCount: 1)
        return .rows(columns: columns, stream: MaterializedStream([batch]), verb: "SHOW")
    }

    func runTransaction(_ command: TransactionCommand) throws -> QueryResult {
        switch command {
        case .begin, .startTransaction:
            let tag = command == .begin ? "BEGIN" : "START TRANSACTION"
            if transaction.status != .idle {
                return .withNotices(
                    [
                        PostgresError(
                            .warning, sqlState: .activeSqlTransaction,
                            message: "there is already a transaction in progress")
                    ],
                    .command(tag: tag))
            }
            transaction.status = .inBlock
            settings.transactionStarted()
            return .command(tag: tag)
        case .commit, .rollback:
            let wasFailed = transaction.status == .failed
            if transaction.status == .idle {
                return .withNotices(
                    [
                        PostgresError(
                            .warning, sqlState: .noActiveSqlTransaction, message: "there is no transaction in progress")
                    ],
                    .command(tag: command == .commit ? "COMMIT" : "ROLLBACK"))
            }
            endTransaction(committed: command == .commit && !wasFailed)
            return .command(tag: command == .commit && !wasFailed ? "COMMIT" : "ROLLBACK")
        case .savepoint(let name):
            guard transaction.status == .inBlock else {
                throw PostgresError(
                    sqlState: .noActiveSqlTransaction, message: "SAVEPOINT can only be used in transaction blocks")
            }
            transaction.savepoints.append(name)
            return .command(tag: "SAVEPOINT")
        case .release(let name):
            guard let index = transaction.savepoints.lastIndex(of: name) else {
                throw PostgresError(
                    sqlState: .invalidSavepointSpecification, message: "savepoint \"\(name)\" does not exist")
            }
            transaction.savepoints.removeSubrange(index...)
            return .command(tag: "RELEASE")
        case .rollbackTo(let name):
            guard transaction.status != .idle else {
                throw PostgresError(
                    sqlState: .noActiveSqlTransaction,
                    message: "ROLLBACK TO SAVEPOINT can only be used in transaction blocks")
            }
            guard let index = transaction.savepoints.lastIndex(of: name) else {
                throw PostgresError(
                    sqlState: .invalidSavepointSpecification, message: "savepoint \"\(name)\" does not exist")
            }
            transaction.savepoints.removeSubrange((index + 1)...)
            transaction.status = .inBlock
            return .command(tag: "ROLLBACK")
        case .prepareTransaction, .commitPrepared, .rollbackPrepared:
            throw PostgresError(sqlState: .featureNotSupported, message: "two-phase commit is not supported")
        }
    }

    func endTransaction(committed: Bool) {
        transaction = TransactionState()
        settings.transactionEnded(committed: committed)
        cursors = cursors.filter { $0.value.withHold }
    }

    /// Evaluates `EXECUTE name(args)` arguments as constants of the declared parameter types.
    func evaluateArguments(_ arguments: [SQL.Expression], types: [DataType], sql: String) async throws -> [Value] {
        var select = SelectStatement()
        select.targets = zip(arguments, types).map { argument, type in
            .expression(
                .cast(argument, TypeName(names: [type.postgresName]), location: argument.location ?? 0), alias: nil)
        }
        var planner = StatementPlanner(context: self, declaredParameterTypes: [])
        let plan: QueryPlan
        do {
            plan = try planner.planQuery(select)
        } catch {
            throw PostgresError(converting: error, statementText: sql)
        }
        let stream = try await plan.instantiate(context: evaluationContext, cancellation: QueryCancellation())
        guard let batch = try await stream.next() else { return [] }
        return batch.columns.map { $0.value(at: 0) }
    }
}

/// Pulls at most `limit` rows from a cursor, keeping the rest for the next FETCH.
final class CursorFetchStream: BatchStream {
    let cursor: Cursor
    var remaining: Int?
    let cancellation: QueryCancellation

    init(cursor: Cursor, limit: Int?, cancellation: QueryCancellation) {
        self.cursor = cursor
        self.remaining = limit
        self.cancellation = cancellation
    }

    func next() async throws(EngineError) -> Batch? {
        if let remaining, remaining <= 0 { return nil }
        try cancellation.check()
        let batch: Batch
        if let pending = cursor.pending {
            batch = pending
            cursor.pending = nil
        } else {
            guard let next = try await cursor.stream.next() else { return nil }
            batch = next
        }
        guard let limit = remaining, batch.rowCount > limit else {
            remaining = remaining.map { $0 - batch.rowCount }
            return batch
        }
        cursor.pending = batch.slice(limit..<batch.rowCount)
        remaining = 0
        return batch.slice(0..<limit)
    }
}
