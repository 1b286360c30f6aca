import Catalog
import Engine
import Planner
import SQL
import WireProtocol

/// Where an INSERT writes: a table of a writable catalog.
struct WriteTarget {
    var catalog: String
    var schema: String
    var name: String
}

/// `CREATE TABLE [AS]`, `INSERT` and `DROP TABLE`. Each statement is one atomic commit of its
/// catalog and takes effect at once, even inside a transaction block (a later ROLLBACK does not
/// undo it).
extension SQLSession {
    /// `SELECT * FROM name`, so the table resolver loads an INSERT's target with the rest.
    static func selectAll(from name: QualifiedName) -> SelectStatement {
        var select = SelectStatement()
        select.targets = [.star(qualifier: nil, location: 0)]
        select.from = [.table(name: name, alias: nil, location: 0)]
        return select
    }

    /// The columns of `CREATE TABLE`, their types resolved as casts resolve them.
    func tableColumns(_ create: CreateTable, sql: String) throws(PostgresError) -> [TableColumn] {
        var columns: [TableColumn] = []
        for definition in create.columns {
            if columns.contains(where: { $0.name == definition.name }) {
                throw PostgresError(
                    sqlState: .duplicateColumn, message: "column \"\(definition.name)\" specified more than once")
            }
            columns.append(
                TableColumn(
                    name: definition.name, type: try resolveDeclaredType(definition.type, sql: sql),
                    isNullable: !definition.notNull))
        }
        return columns
    }

    /// The table rows are written to (resolved with the statement's other tables), which must be a
    /// table (not a view or a metadata table) of a catalog Weir writes; and its columns.
    func writeTarget(_ name: QualifiedName) throws(PostgresError) -> (WriteTarget, [TableColumn]) {
        let display = name.description
        guard let source = currentTables[name] else {
            if currentTables.view(name) != nil {
                throw PostgresError(
                    sqlState: .featureNotSupported, message: "cannot insert into view \"\(display)\"",
                    detail: "Views in Weir are read-only.")
            }
            throw PostgresError(sqlState: .undefinedTable, message: "relation \"\(display)\" does not exist")
        }
        guard let table = source as? any WritableTable, let writableName = table.writableName else {
            throw PostgresError(
                sqlState: .featureNotSupported, message: "cannot insert into \"\(display)\"",
                detail: "Only Iceberg tables, at their current snapshot, take rows.")
        }
        let catalog = name.parts.count == 3 ? name.parts[0] : resolver.defaultCatalog
        let target = WriteTarget(catalog: catalog, schema: writableName.schema, name: writableName.name)
        return (target, table.columns)
    }

    /// Binds INSERT against its target table: the plan of the rows to insert, each followed by its
    /// RETURNING values, and RETURNING's columns (nil without RETURNING).
    func planInsert(_ insert: InsertStatement, sql: String, parameterTypes: [DataType?]) throws(PostgresError)
        -> (WriteTarget, QueryPlan, [ResultColumn]?)
    {
        let (target, columns) = try writeTarget(insert.table)
        var planner = StatementPlanner(context: self, declaredParameterTypes: parameterTypes)
        do {
            let plan = try planner.planInsert(
                insert.query, into: columns, listed: insert.columns, tableName: target.name, qualifier: insert.alias,
                returning: insert.returning)
            return (
                target, plan, insert.returning.isEmpty ? nil : Self.resultColumns(Array(plan.columns[columns.count...]))
            )
        } catch {
            throw PostgresError(converting: error, statementText: sql)
        }
    }

    /// COPY FROM STDIN: the listed columns (all, in table order, when none are listed) by position.
    func planCopyIn(_ table: QualifiedName, columns listed: [String], options: CopyOptions) throws(PostgresError)
        -> StatementPlan
    {
        let (target, columns) = try writeTarget(table)
        var positions: [Int] = []
        for name in listed {
            guard let index = columns.firstIndex(where: { $0.name == name }) else {
                throw PostgresError(
                    sqlState: .undefinedColumn,
                    message: "column \"\(name)\" of relation \"\(target.name)\" does not exist")
            }
            if positions.contains(index) {
                throw PostgresError(sqlState: .duplicateColumn, message: "column \"\(name)\" specified more than once")
            }
            positions.append(index)
        }
        if listed.isEmpty { positions = Array(columns.indices) }
        if options.forceQuoteAll {
            throw PostgresError(
                sqlState: .featureNotSupported, message: "COPY FORCE_QUOTE cannot be used with COPY FROM")
        }
        return .copyIn(target, columns: columns, positions: positions, try copyFormat(options))
    }

    /// Hands the client's rows, arranged into the table's columns (NULL where not listed), to the
    /// catalog as one commit.
    func runCopyIn(
        _ target: WriteTarget, columns: [TableColumn], positions: [Int], format: CopyOutFormat,
        cancellation: QueryCancellation
    ) throws -> QueryResult {
        let catalog = try writableCatalog(of: target)
        let sent = positions.map { ResultColumn(name: columns[$0].name, type: columns[$0].type) }
        let expressions = columns.indices.map { index -> Engine.Expression in
            guard let position = positions.firstIndex(of: index) else { return .constant(.null, columns[index].type) }
            return .column(index: position, type: columns[index].type)
        }
        let evaluator = ExpressionEvaluator(context: runContext(parameters: []))
        let memoryLimit = queryMemoryLimit
        return .copyIn(columns: sent, format: format) { rows in
            let arranged =
                positions == Array(columns.indices)
                ? rows : ProjectOperator(input: rows, expressions: expressions, evaluator: evaluator)
            return try await catalog.insert(
                schema: target.schema, name: target.name, rows: arranged, memoryLimit: memoryLimit,
                cancellation: cancellation)
        }
    }

    /// Appends the plan's rows as one commit: its command tag, or with RETURNING (`returning`
    /// columns after each row's) the RETURNING rows, sent once the commit has succeeded.
    func runInsert(
        _ target: WriteTarget, plan: QueryPlan, returning: [ResultColumn]?, parameters: [Value],
        cancellation: QueryCancellation
    )
        async throws -> QueryResult
    {
        let catalog = try writableCatalog(of: target)
        let stream = try await plan.instantiate(context: runContext(parameters: parameters), cancellation: cancellation)
        guard let returning else {
            let count = try await catalog.insert(
                schema: target.schema, name: target.name, rows: stream, memoryLimit: queryMemoryLimit,
                cancellation: cancellation)
            return .command(tag: "INSERT 0 \(count)")
        }
        let rows = SplitColumnsStream(input: stream, keeping: plan.columns.count - returning.count)
        let count = try await catalog.insert(
            schema: target.schema, name: target.name, rows: rows, memoryLimit: queryMemoryLimit,
            cancellation: cancellation)
        return .rows(columns: returning, stream: MaterializedStream(rows.setAside), verb: "INSERT 0")
    }

    /// CREATE TABLE; with IF NOT EXISTS an existing relation of the name gives a notice instead.
    func runCreateTable(_ create: CreateTable, columns: [TableColumn]) async throws -> QueryResult {
        let catalog = try writableCatalog()
        let schema = try await creationSchema(for: create.name)
        let definition = TableDefinition(
            schema: schema, name: create.name.name, columns: columns, partitionBy: create.partitionBy,
            properties: Dictionary(create.properties.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }))
        do {
            try await catalog.createTable(definition)
        } catch {
            guard error.sqlState == .duplicateTable && create.ifNotExists else { throw error }
            return .withNotices(
                [
                    PostgresError(
                        .notice, sqlState: .duplicateTable,
                        message: "relation \"\(create.name.name)\" already exists, skipping")
                ],
                .command(tag: "CREATE TABLE"))
        }
        return .command(tag: "CREATE TABLE")
    }

    /// CREATE TABLE AS: the table from the query's columns, then its rows as the first commit. If
    /// the rows cannot be written the new table is dropped again.
    func runCreateTableAs(
        _ create: CreateTableAs, plan: QueryPlan, columns: [TableColumn], parameters: [Value],
        cancellation: QueryCancellation
    )
        async throws -> QueryResult
    {
        let catalog = try writableCatalog()
        let schema = try await creationSchema(for: create.name)
        do {
            try await catalog.createTable(TableDefinition(schema: schema, name: create.name.name, columns: columns))
        } catch {
            guard error.sqlState == .duplicateTable && create.ifNotExists else { throw error }
            return .withNotices(
                [
                    PostgresError(
                        .notice, sqlState: .duplicateTable,
                        message: "relation \"\(create.name.name)\" already exists, skipping")
                ],
                .command(tag: "CREATE TABLE AS"))
        }
        guard create.withData else { return .command(tag: "CREATE TABLE AS") }
        do {
            let stream = try await plan.instantiate(
                context: runContext(parameters: parameters), cancellation: cancellation)
            let count = try await catalog.insert(
                schema: schema, name: create.name.name, rows: stream, memoryLimit: queryMemoryLimit,
                cancellation: cancellation)
            return .command(tag: "SELECT \(count)")
        } catch {
            try? await catalog.dropTable(schema: schema, name: create.name.name)
            throw error
        }
    }

    /// The columns of CREATE TABLE AS: the query's, renamed by the listed names.
    func createdTableColumns(_ create: CreateTableAs, columns: [ResultColumn]) throws(PostgresError) -> [TableColumn] {
        guard create.columnNames.count <= columns.count else {
            throw PostgresError(sqlState: .syntaxError, message: "too many column names were specified")
        }
        let named = columns.enumerated().map { index, column in
            TableColumn(
                name: index < create.columnNames.count ? create.columnNames[index] : column.name,
                type: column.type == .unknown ? .text : column.type)
        }
        var seen = Set<String>()
        for column in named where !seen.insert(column.name).inserted {
            throw PostgresError(
                sqlState: .duplicateColumn, message: "column \"\(column.name)\" specified more than once")
        }
        return named
    }

    /// DROP TABLE: every name is checked before anything is dropped; views reading a dropped
    /// table are an error, or with CASCADE dropped first.
    func runDropTable(_ names: [QualifiedName], ifExists: Bool, cascade: Bool) async throws -> QueryResult {
        let catalog = try writableCatalog()
        var found: [(schema: String, name: String)] = []
        var notices: [PostgresError] = []
        for name in names {
            var match: String?
            for schema in try await schemasToSearch(for: name) {
                do {
                    if try await catalog.table(schema: schema, name: name.name) != nil {
                        match = schema
                        break
                    }
                    if let views = catalog as? any ViewCatalog,
                        try await views.view(schema: schema, name: name.name) != nil
                    {
                        throw PostgresError(
                            sqlState: .wrongObjectType, message: "\"\(name.name)\" is not a table",
                            hint: "Use DROP VIEW to remove a view.")
                    }
                } catch let error as EngineError {
                    throw PostgresError(converting: error)
                }
            }
            if let match {
                found.append((match, name.name))
            } else if ifExists {
                notices.append(
                    PostgresError(
                        .notice, sqlState: .successfulCompletion,
                        message: "table \"\(name.description)\" does not exist, skipping"))
            } else {
                throw PostgresError(sqlState: .undefinedTable, message: "table \"\(name.description)\" does not exist")
            }
        }
        let dropping = Set(found.map { "\($0.schema).\($0.name)" })
        let readers = try await viewDependencies().filter { !$0.reads.isDisjoint(with: dropping) }.sorted {
            $0.view < $1.view
        }
        let dependents = readers.map(\.view)
        if let first = readers.first {
            guard cascade else {
                let table = first.reads.intersection(dropping).sorted()[0]
                throw PostgresError(
                    sqlState: .dependentObjectsStillExist,
                    message: "cannot drop table \(table) because other objects depend on it",
                    detail: "view \(first.view) depends on table \(table)",
                    hint: "Use DROP ... CASCADE to drop the dependent objects too.")
            }
            let result = try await runDropView(
                dependents.map { QualifiedName($0.split(separator: ".", maxSplits: 1).map(String.init)) },
                ifExists: true, cascade: true)
            if case .withNotices(let more, _) = result { notices += more }
        }
        do {
            for table in found { try await catalog.dropTable(schema: table.schema, name: table.name) }
        } catch {
            throw PostgresError(converting: error)
        }
        return notices.isEmpty ? .command(tag: "DROP TABLE") : .withNotices(notices, .command(tag: "DROP TABLE"))
    }

    /// The catalog a write target's rows go to.
    func writableCatalog(of target: WriteTarget) throws(PostgresError) -> any WritableTableCatalog {
        guard let catalog = resolver.catalogs[target.catalog] as? any WritableTableCatalog else {
            throw PostgresError(
                sqlState: .featureNotSupported, message: "catalog \"\(target.catalog)\" does not take writes")
        }
        return catalog
    }

    private func writableCatalog() throws(PostgresError) -> any WritableTableCatalog {
        guard let catalog = defaultTableCatalog() as? any WritableTableCatalog else {
            throw PostgresError(
                sqlState: .featureNotSupported,
                message: "catalog \"\(resolver.defaultCatalog)\" cannot hold tables Weir writes")
        }
        return catalog
    }
}

/// Passes on the first `keeping` columns of each batch and sets the rest aside (INSERT's RETURNING
/// values, kept until the rows are committed).
final class SplitColumnsStream: BatchStream {
    private let input: any BatchStream
    private let keeping: Int
    private(set) var setAside: [Batch] = []

    init(input: any BatchStream, keeping: Int) {
        self.input = input
        self.keeping = keeping
    }

    func next() async throws(EngineError) -> Batch? {
        guard let batch = try await input.next() else { return nil }
        setAside.append(Batch(columns: Array(batch.columns[keeping...]), rowCount: batch.rowCount))
        return Batch(columns: Array(batch.columns.prefix(keeping)), rowCount: batch.rowCount)
    }
}
