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
    public func resolveTables(in selects: [SelectStatement], searchPath: [String], user: String) async throws(EngineError)
        -> ResolvedTables
    {
        var names: [QualifiedName] = []
        for select in selects { Self.collectTableNames(select, into: &names) }
        let system = SystemCatalog(database: defaultCatalog, catalog: catalogs[defaultCatalog], user: user)
        var tables = ResolvedTables()
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

    static func collectTableNames(_ select: SelectStatement, into names: inout [QualifiedName]) {
        for item in select.from { collectTableNames(item, into: &names) }
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

    public init() {}

    public subscript(name: QualifiedName) -> (any TableSource)? { tables[name] }

    mutating func add(_ name: QualifiedName, _ table: any TableSource) { tables[name] = table }
}
