import Engine
import SQL

/// Finds the tables a statement names before it is bound, so binding itself stays synchronous.
///
/// A one-part name is looked up in `pg_catalog` first (as PostgreSQL does implicitly), then in the
/// schemas of `search_path`; two parts are `schema.table` in the session's catalog, where
/// `pg_catalog` and `information_schema` are the system catalogs; three parts name the catalog too.
public struct TableResolver: Sendable {
    public let catalogs: [String: any TableCatalog]
    public let defaultCatalog: String

    public init(catalogs: [String: any TableCatalog], defaultCatalog: String) {
        self.catalogs = catalogs
        self.defaultCatalog = defaultCatalog
    }

    /// Every table the queries name that exists, keyed by the name as written (lowercased parts).
    /// Names that resolve to nothing are left out; the binder reports them with their position.
    /// `settings` lists the session's parameters for `pg_settings`; it is called only when that table is read.
    public func resolveTables(
        in selects: [SelectStatement], searchPath: [String], user: String,
        settings: @escaping @Sendable () -> [SessionSetting] = { [] }
    ) async throws(EngineError) -> ResolvedTables {
        var names: [QualifiedName] = []
        for select in selects { Self.collectTableNames(select, into: &names) }
        let system = SystemCatalog(database: defaultCatalog, catalog: catalogs[defaultCatalog], user: user, settings: settings)
        var tables = ResolvedTables()
        if selects.contains(where: Self.asksForCurrentSchema) {
            tables.existingSchemas = Set(["pg_catalog", "information_schema", "public"] + (try await system.userSchemas()))
        }
        for name in names where tables[name] == nil {
            if let table = try await resolve(name, searchPath: searchPath, system: system) { tables.add(name, table) }
        }
        return tables
    }

    func resolve(_ name: QualifiedName, searchPath: [String], system: SystemCatalog) async throws(EngineError) -> (any TableSource)? {
        var parts = name.parts
        if parts.count == 3 {
            guard parts[0] == defaultCatalog || SystemCatalog.schemaNames.contains(parts[1]) else {
                return try await catalogs[parts[0]]?.table(schema: parts[1], name: parts[2])
            }
            parts.removeFirst()
        }
        switch parts.count {
        case 1:
            if let table = system.table(schema: "pg_catalog", name: parts[0]) { return table }
            guard let catalog = catalogs[defaultCatalog] else { return nil }
            for schema in searchPath where !SystemCatalog.schemaNames.contains(schema) {
                if let table = try await catalog.table(schema: schema, name: parts[0]) { return table }
            }
            return nil
        case 2:
            if SystemCatalog.schemaNames.contains(parts[0]) { return system.table(schema: parts[0], name: parts[1]) }
            return try await catalogs[defaultCatalog]?.table(schema: parts[0], name: parts[1])
        default:
            return nil
        }
    }

    /// True when the query calls `current_schema` or `current_schemas`, whose answers depend on
    /// which schemas of the search path exist.
    static func asksForCurrentSchema(_ select: SelectStatement) -> Bool {
        let asks = select.expressions.flatMap(\.descendants).contains { expression in
            switch expression {
            case .specialFunction(.currentSchema, _): return true
            case .function(let call): return ["current_schema", "current_schemas"].contains(call.name.name.lowercased())
            default: return false
            }
        }
        return asks || select.expressionSubqueries.contains(where: asksForCurrentSchema)
            || select.from.contains { item in
                if case .subquery(let inner, _) = item { return asksForCurrentSchema(inner) }
                return false
            }
            || select.commonTableExpressions.contains { asksForCurrentSchema($0.query) }
            || select.setOperation.map { asksForCurrentSchema($0.left) || asksForCurrentSchema($0.right) } ?? false
    }

    static func collectTableNames(_ select: SelectStatement, into names: inout [QualifiedName]) {
        for item in select.from { collectTableNames(item, into: &names) }
        // `'schema.table'::regclass` names a table too.
        for expression in select.expressions.flatMap(\.descendants) {
            if case .cast(.literal(.string(let text), _), let type, _) = expression, type.names.last == "regclass",
                let name = QualifiedName(regclassText: text)
            {
                names.append(name)
            }
        }
        for subquery in select.expressionSubqueries { collectTableNames(subquery, into: &names) }
        for cte in select.commonTableExpressions { collectTableNames(cte.query, into: &names) }
        if let operation = select.setOperation {
            collectTableNames(operation.left, into: &names)
            collectTableNames(operation.right, into: &names)
        }
    }

    static func collectTableNames(_ item: TableReference, into names: inout [QualifiedName]) {
        switch item {
        case .table(let name, _, _): names.append(name)
        case .function: break
        case .subquery(let select, _): collectTableNames(select, into: &names)
        case .join(_, let left, let right, _, _):
            collectTableNames(left, into: &names)
            collectTableNames(right, into: &names)
        }
    }
}

/// The tables a statement names, looked up before binding.
public struct ResolvedTables: Sendable {
    private var tables: [QualifiedName: any TableSource] = [:]
    /// The schemas that exist, when the statement needs to know (see `asksForCurrentSchema`).
    public internal(set) var existingSchemas: Set<String>?

    public init() {}

    public subscript(name: QualifiedName) -> (any TableSource)? { tables[name] }

    mutating func add(_ name: QualifiedName, _ table: any TableSource) { tables[name] = table }
}

extension QualifiedName {
    /// The name in a `regclass` literal: dot-separated parts, lowercased unless double-quoted;
    /// nil when it is not a valid name.
    public init?(regclassText text: String) {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        var characters = Array(text.trimmingCharacters(in: .whitespaces))[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        current.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
                wasQuoted = true
            } else if character == "." {
                guard !current.isEmpty else { return nil }
                parts.append(current)
                current = ""
            } else {
                current += character.lowercased()
            }
        }
        guard !quoted, !current.isEmpty || wasQuoted, parts.count < 3 else { return nil }
        parts.append(current)
        self.init(parts)
    }
}
