import Catalog
import Engine
import Planner
import SQL
import WireProtocol

/// `CREATE [OR REPLACE] VIEW`, `DROP VIEW`, `CREATE SCHEMA` and `DROP SCHEMA` in the session's
/// default catalog. Each takes effect at once, as its own catalog commit, even inside a transaction
/// block.
extension SQLSession {
    /// The view's columns: its query's, renamed by the listed names; as PostgreSQL checks them.
    func viewColumns(_ create: CreateView, plan: QueryPlan, columns: [ResultColumn]) throws(PostgresError)
        -> [TableColumn]
    {
        guard plan.parameterTypes.isEmpty else {
            throw PostgresError(sqlState: .undefinedParameter, message: "there is no parameter $1")
        }
        guard create.columnNames.count <= columns.count else {
            throw PostgresError(sqlState: .syntaxError, message: "CREATE VIEW specifies more column names than columns")
        }
        let named = columns.enumerated().map { index, column in
            TableColumn(
                name: index < create.columnNames.count ? create.columnNames[index] : column.name, type: column.type)
        }
        var seen = Set<String>()
        for column in named where !seen.insert(column.name).inserted {
            throw PostgresError(
                sqlState: .duplicateColumn, message: "column \"\(column.name)\" specified more than once")
        }
        return named
    }

    func runCreateView(_ create: CreateView, columns: [TableColumn]) async throws -> QueryResult {
        let views = try viewCatalog()
        let schema = try await creationSchema(for: create.name)
        let existingSchemas = try await schemaNames()
        let defaultSchema = searchPath.first { existingSchemas.contains($0) } ?? schema
        let path = searchPath.filter { existingSchemas.contains($0) }
        let view = ViewDefinition(
            schema: schema, name: create.name.name, query: create.queryText, defaultSchema: defaultSchema,
            searchPath: path, columns: columns)
        do {
            if create.replace, let existing = try await views.view(schema: schema, name: view.name) {
                try Self.checkReplacement(of: existing, by: view)
                try await views.replaceView(view)
            } else {
                if create.replace, try await defaultTableCatalog()?.table(schema: schema, name: view.name) != nil {
                    throw PostgresError(sqlState: .wrongObjectType, message: "\"\(view.name)\" is not a view")
                }
                try await views.createView(view)
            }
        } catch let error as EngineError {
            throw PostgresError(converting: error)
        }
        return .command(tag: "CREATE VIEW")
    }

    /// PostgreSQL's rule for CREATE OR REPLACE VIEW: the old columns stay, with their names and
    /// types, and new ones may follow.
    static func checkReplacement(of existing: ViewDefinition, by view: ViewDefinition) throws(PostgresError) {
        guard view.columns.count >= existing.columns.count else {
            throw PostgresError(sqlState: .invalidTableDefinition, message: "cannot drop columns from view")
        }
        for (old, new) in zip(existing.columns, view.columns) {
            if old.name != new.name {
                throw PostgresError(
                    sqlState: .invalidTableDefinition,
                    message: "cannot change name of view column \"\(old.name)\" to \"\(new.name)\"",
                    hint: "Use ALTER VIEW ... RENAME COLUMN ... to change name of view column instead.")
            }
            if old.type != new.type {
                throw PostgresError(
                    sqlState: .invalidTableDefinition,
                    message:
                        "cannot change data type of view column \"\(old.name)\" from \(old.type.sqlName) to \(new.type.sqlName)"
                )
            }
        }
    }

    func runDropView(_ names: [QualifiedName], ifExists: Bool, cascade: Bool) async throws -> QueryResult {
        let views = try viewCatalog()
        var found: [(schema: String, name: String)] = []
        var notices: [PostgresError] = []
        // Every name is checked before any view is dropped, so a bad name drops nothing.
        for name in names {
            let candidates = try await schemasToSearch(for: name)
            var match: String?
            for schema in candidates {
                do {
                    if try await views.view(schema: schema, name: name.name) != nil {
                        match = schema
                        break
                    }
                    if try await defaultTableCatalog()?.table(schema: schema, name: name.name) != nil {
                        throw PostgresError(
                            sqlState: .wrongObjectType, message: "\"\(name.name)\" is not a view",
                            hint: "Use DROP TABLE to remove a table.")
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
                        message: "view \"\(name.parts.joined(separator: "."))\" does not exist, skipping"))
            } else {
                throw PostgresError(
                    sqlState: .undefinedTable, message: "view \"\(name.parts.joined(separator: "."))\" does not exist")
            }
        }
        // Views reading the dropped ones: an error, or with CASCADE dropped too (and those reading them).
        let named = Set(found.map { "\($0.schema).\($0.name)" })
        var dropping = named
        let dependencies = try await viewDependencies()
        var grew = true
        while grew {
            grew = false
            for (view, reads) in dependencies where !dropping.contains(view) && !reads.isDisjoint(with: dropping) {
                guard cascade else {
                    let target = reads.intersection(dropping).sorted()[0]
                    throw PostgresError(
                        sqlState: .dependentObjectsStillExist,
                        message: "cannot drop view \(target) because other objects depend on it",
                        detail: "view \(view) depends on view \(target)",
                        hint: "Use DROP ... CASCADE to drop the dependent objects too.")
                }
                dropping.insert(view)
                grew = true
            }
        }
        let cascaded = dropping.subtracting(named).sorted()
        if cascaded.count == 1 {
            notices.append(
                PostgresError(.notice, sqlState: .successfulCompletion, message: "drop cascades to view \(cascaded[0])")
            )
        } else if cascaded.count > 1 {
            notices.append(
                PostgresError(
                    .notice, sqlState: .successfulCompletion,
                    message: "drop cascades to \(cascaded.count) other objects",
                    detail: cascaded.map { "drop cascades to view \($0)" }.joined(separator: "\n")))
        }
        for name in cascaded {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            found.append((parts[0], parts[1]))
        }
        for view in found {
            do {
                try await views.dropView(schema: view.schema, name: view.name)
            } catch {
                throw PostgresError(converting: error)
            }
        }
        return notices.isEmpty ? .command(tag: "DROP VIEW") : .withNotices(notices, .command(tag: "DROP VIEW"))
    }

    /// Every view of the default catalog (`schema.name`) with the relations its query names,
    /// resolved as the view resolves them (unqualified names in its default schema).
    func viewDependencies() async throws -> [(view: String, reads: Set<String>)] {
        guard let catalog = defaultTableCatalog(), let views = catalog as? any ViewCatalog else { return [] }
        var dependencies: [(view: String, reads: Set<String>)] = []
        do {
            for schema in try await catalog.schemaNames() {
                for name in try await views.viewNames(schema: schema) {
                    guard let definition = try await views.view(schema: schema, name: name),
                        let query = try? definition.parsedQuery()
                    else { continue }
                    // An unqualified name may mean that name in any schema of the view's path.
                    let reads = TableResolver.tableNames(in: query).flatMap { reference -> [String] in
                        var parts = reference.parts
                        if parts.count == 3 {
                            guard parts[0] == resolver.defaultCatalog else { return [] }
                            parts.removeFirst()
                        }
                        return parts.count == 1
                            ? definition.searchPath.map { "\($0).\(parts[0])" } : [parts.joined(separator: ".")]
                    }
                    dependencies.append(("\(schema).\(name)", Set(reads)))
                }
            }
        } catch {
            throw PostgresError(converting: error)
        }
        return dependencies
    }

    // MARK: Schemas

    func runCreateSchema(_ name: String, ifNotExists: Bool) async throws -> QueryResult {
        guard !name.hasPrefix("pg_"), name != "information_schema" else {
            throw PostgresError(
                sqlState: .reservedName, message: "unacceptable schema name \"\(name)\"",
                detail: "The prefix \"pg_\" is reserved for system schemas.")
        }
        guard let catalog = defaultTableCatalog() as? any SchemaCatalog else {
            throw PostgresError(
                sqlState: .featureNotSupported, message: "catalog \"\(resolver.defaultCatalog)\" cannot create schemas")
        }
        do {
            // `public` always exists for clients, whether or not the catalog holds a namespace of that name.
            if name != "public", try await catalog.createSchema(name) { return .command(tag: "CREATE SCHEMA") }
        } catch {
            throw PostgresError(converting: error)
        }
        guard ifNotExists else {
            throw PostgresError(sqlState: .duplicateSchema, message: "schema \"\(name)\" already exists")
        }
        return .withNotices(
            [
                PostgresError(
                    .notice, sqlState: .duplicateSchema, message: "schema \"\(name)\" already exists, skipping")
            ], .command(tag: "CREATE SCHEMA"))
    }

    /// DROP SCHEMA: empty schemas go; with CASCADE their views and tables go first.
    func runDropSchema(_ names: [String], ifExists: Bool, cascade: Bool) async throws -> QueryResult {
        guard let catalog = defaultTableCatalog(), let schemas = catalog as? any SchemaCatalog else {
            throw PostgresError(
                sqlState: .featureNotSupported, message: "catalog \"\(resolver.defaultCatalog)\" cannot drop schemas")
        }
        let existing = try await schemaNames()
        var notices: [PostgresError] = []
        var dropping: [String] = []
        for name in names {
            if name == "pg_catalog" || name == "information_schema" {
                throw PostgresError(
                    sqlState: .dependentObjectsStillExist,
                    message: "cannot drop schema \(name) because other objects depend on it")
            }
            if name == "public" {
                throw PostgresError(
                    sqlState: .featureNotSupported, message: "schema public cannot be dropped in Weir",
                    hint: "Every session sees it.")
            }
            if existing.contains(name) {
                dropping.append(name)
            } else if ifExists {
                notices.append(
                    PostgresError(
                        .notice, sqlState: .successfulCompletion, message: "schema \"\(name)\" does not exist, skipping"
                    ))
            } else {
                throw PostgresError(sqlState: .invalidSchemaName, message: "schema \"\(name)\" does not exist")
            }
        }
        do {
            for name in dropping {
                let tables = try await catalog.tableNames(schema: name)
                let views = try await (catalog as? any ViewCatalog)?.viewNames(schema: name) ?? []
                if !tables.isEmpty || !views.isEmpty {
                    guard cascade else {
                        throw PostgresError(
                            sqlState: .dependentObjectsStillExist,
                            message: "cannot drop schema \(name) because other objects depend on it",
                            detail: (tables.map { "table \(name).\($0) depends on schema \(name)" }
                                + views.map { "view \(name).\($0) depends on schema \(name)" }).joined(separator: "\n"),
                            hint: "Use DROP ... CASCADE to drop the dependent objects too.")
                    }
                    if !views.isEmpty {
                        let result = try await runDropView(
                            views.map { QualifiedName([name, $0]) }, ifExists: true, cascade: true)
                        if case .withNotices(let more, _) = result { notices += more }
                    }
                    if !tables.isEmpty {
                        let result = try await runDropTable(
                            tables.map { QualifiedName([name, $0]) }, ifExists: true, cascade: true)
                        if case .withNotices(let more, _) = result { notices += more }
                    }
                }
                try await schemas.dropSchema(name)
            }
        } catch let error as EngineError {
            throw PostgresError(converting: error)
        }
        return notices.isEmpty ? .command(tag: "DROP SCHEMA") : .withNotices(notices, .command(tag: "DROP SCHEMA"))
    }

    // MARK: Names

    func defaultTableCatalog() -> (any TableCatalog)? { resolver.catalogs[resolver.defaultCatalog] }

    private func viewCatalog() throws(PostgresError) -> any ViewCatalog {
        guard let catalog = defaultTableCatalog() as? any ViewCatalog else {
            throw PostgresError(
                sqlState: .featureNotSupported, message: "catalog \"\(resolver.defaultCatalog)\" cannot hold views")
        }
        return catalog
    }

    func schemaNames() async throws -> Set<String> {
        do {
            return Set(try await defaultTableCatalog()?.schemaNames() ?? [])
        } catch {
            throw PostgresError(converting: error)
        }
    }

    /// The schema a new relation named `name` goes in: the one it names, else the first schema of
    /// the search path that exists.
    func creationSchema(for name: QualifiedName) async throws -> String {
        let schemas = try await schemasToSearch(for: name)
        if name.parts.count > 1 { return schemas[0] }
        let existing = try await schemaNames()
        guard let schema = schemas.first(where: existing.contains) else {
            throw PostgresError(sqlState: .invalidSchemaName, message: "no schema has been selected to create in")
        }
        return schema
    }

    /// The schemas a relation name may be in: the one it names, else the search path's.
    func schemasToSearch(for name: QualifiedName) async throws -> [String] {
        var parts = name.parts
        if parts.count == 3 {
            guard parts[0] == resolver.defaultCatalog else {
                throw PostgresError(
                    sqlState: .featureNotSupported,
                    message: "cross-database references are not implemented: \(parts.joined(separator: "."))")
            }
            parts.removeFirst()
        }
        guard parts.count == 2 else { return searchPath.filter { $0 != "pg_catalog" && $0 != "information_schema" } }
        if parts[0] == "pg_catalog" || parts[0] == "information_schema" {
            throw PostgresError(
                sqlState: .insufficientPrivilege,
                message: "permission denied to create \"\(parts.joined(separator: "."))\"",
                detail: "System catalog modifications are currently disallowed.")
        }
        return [parts[0]]
    }
}
