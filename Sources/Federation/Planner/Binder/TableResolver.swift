import Catalog
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
    /// Makes `pg_catalog` and `information_schema` for each statement.
    public let systemCatalogs: SystemCatalogsFactory

    public init(
        catalogs: [String: any TableCatalog], defaultCatalog: String, systemCatalogs: @escaping SystemCatalogsFactory
    ) {
        self.catalogs = catalogs
        self.defaultCatalog = defaultCatalog
        self.systemCatalogs = systemCatalogs
    }

    /// Every table the queries name that exists, keyed by the name as written (lowercased parts).
    /// Names that resolve to nothing are left out; the binder reports them with their position.
    /// `settings` lists the session's parameters for `pg_settings`; it is called only when that table is read.
    public func resolveTables(
        in selects: [SelectStatement], searchPath: [String], user: String,
        settings: @escaping @Sendable () -> [SessionSetting] = { [] }
    ) async throws(EngineError) -> ResolvedTables {
        try await resolveTables(in: selects, searchPath: searchPath, user: user, settings: settings, viewDepth: 0)
    }

    /// How deeply views may read views; deeper means a view reads itself.
    static let maximumViewDepth = 32

    private func resolveTables(
        in selects: [SelectStatement], searchPath: [String], user: String,
        settings: @escaping @Sendable () -> [SessionSetting],
        viewDepth: Int
    ) async throws(EngineError) -> ResolvedTables {
        var names: [QualifiedName] = []
        var lookups: CatalogLookups = []
        for select in selects { Self.collectNames(select, into: &names, lookups: &lookups) }
        let system = systemCatalogs(defaultCatalog, catalogs[defaultCatalog], user, settings)
        var tables = ResolvedTables()
        if lookups.contains(.existingSchemas) {
            tables.existingSchemas = system.schemaNames.union(["public"]).union(try await system.userSchemas())
        }
        if lookups.contains(.viewQueries) {
            tables.viewQueries = try await system.viewQueries()
        }
        if lookups.contains(.relationSizes) {
            tables.relationSizes = try await system.relationSizes()
        }
        for name in names where !tables.contains(name) {
            switch try await resolve(name, searchPath: searchPath, system: system) {
            case .table(let table):
                tables.add(name, table)
            case .view(let view):
                guard viewDepth < Self.maximumViewDepth else {
                    throw EngineError(
                        .invalidObjectDefinition,
                        "infinite recursion detected in rules for relation \"\(view.displayName)\"")
                }
                let query = try view.parsedQuery()
                // The view's own names resolve on its creator's search path, whatever this session's is.
                let inner = try await resolveTables(
                    in: [query], searchPath: view.searchPath, user: user, settings: settings, viewDepth: viewDepth + 1)
                tables.add(name, ResolvedView(definition: view, query: query, tables: inner))
            case nil:
                break
            }
        }
        return tables
    }

    /// What a name denotes: a table (or system table) or a view.
    enum Relation {
        case table(any TableSource)
        case view(ViewDefinition)
    }

    func resolve(_ name: QualifiedName, searchPath: [String], system: any SystemCatalogs) async throws(EngineError)
        -> Relation?
    {
        var parts = name.parts
        if parts.count == 3 {
            guard parts[0] == defaultCatalog || system.schemaNames.contains(parts[1]) else {
                guard let catalog = catalogs[parts[0]] else { return nil }
                return try await relation(in: catalog, schema: parts[1], name: parts[2])
            }
            parts.removeFirst()
        }
        switch parts.count {
        case 1:
            if let table = system.table(schema: "pg_catalog", name: parts[0]) { return .table(table) }
            guard let catalog = catalogs[defaultCatalog] else { return nil }
            for schema in searchPath where !system.schemaNames.contains(schema) {
                if let relation = try await relation(in: catalog, schema: schema, name: parts[0]) { return relation }
            }
            return nil
        case 2:
            if system.schemaNames.contains(parts[0]) {
                return system.table(schema: parts[0], name: parts[1]).map(Relation.table)
            }
            guard let catalog = catalogs[defaultCatalog] else { return nil }
            return try await relation(in: catalog, schema: parts[0], name: parts[1])
        default:
            return nil
        }
    }

    /// The table or view `schema.name` of one catalog (tables and views share names, so at most one exists).
    private func relation(in catalog: any TableCatalog, schema: String, name: String) async throws(EngineError)
        -> Relation?
    {
        if let table = try await catalog.table(schema: schema, name: name) { return .table(table) }
        if let views = catalog as? any ViewCatalog, let view = try await views.view(schema: schema, name: name) {
            return .view(view)
        }
        return nil
    }

    /// What a statement needs the catalogs to list before binding, beyond the tables it names.
    struct CatalogLookups: OptionSet {
        let rawValue: Int
        /// Which schemas exist: for `current_schema(s)` (their answers depend on which schemas of
        /// the search path exist) and `'name'::regnamespace` literals.
        static let existingSchemas = CatalogLookups(rawValue: 1)
        /// Every table's size in storage: for `pg_table_size` and its relatives.
        static let relationSizes = CatalogLookups(rawValue: 2)
        /// Every view's query: for `pg_get_viewdef`.
        static let viewQueries = CatalogLookups(rawValue: 4)
    }

    static let sizeFunctions: Set<String> = [
        "pg_table_size", "pg_relation_size", "pg_total_relation_size", "pg_indexes_size", "pg_database_size",
    ]

    /// The table names a query and its subqueries mention.
    public static func tableNames(in select: SelectStatement) -> [QualifiedName] {
        var names: [QualifiedName] = []
        var lookups: CatalogLookups = []
        collectNames(select, into: &names, lookups: &lookups)
        return names
    }

    /// Collects, in one walk over the statement and its subqueries, the tables it names and the
    /// catalog lookups its expressions need.
    static func collectNames(
        _ select: SelectStatement, into names: inout [QualifiedName], lookups: inout CatalogLookups
    ) {
        for item in select.from { collectNames(item, into: &names, lookups: &lookups) }
        for expression in select.expressions.flatMap(\.descendants) {
            switch expression {
            case .cast(.literal(.string(let text), _), let type, _):
                // `'schema.table'::regclass` names a table too.
                if type.names.last == "regclass", let name = QualifiedName(regclassText: text) { names.append(name) }
                if type.names.last == "regnamespace" { lookups.insert(.existingSchemas) }
            case .specialFunction(.currentSchema, _):
                lookups.insert(.existingSchemas)
            case .function(let call):
                let name = call.name.name.lowercased()
                if name == "current_schema" || name == "current_schemas" { lookups.insert(.existingSchemas) }
                if name == "pg_get_viewdef" { lookups.insert(.viewQueries) }
                if sizeFunctions.contains(name) {
                    lookups.insert(.relationSizes)
                    // `pg_table_size('schema.table')` names the table as a regclass literal does.
                    if case .literal(.string(let text), _)? = call.arguments.first,
                        let table = QualifiedName(regclassText: text)
                    {
                        names.append(table)
                    }
                }
            default:
                break
            }
        }
        for subquery in select.expressionSubqueries { collectNames(subquery, into: &names, lookups: &lookups) }
        for cte in select.commonTableExpressions { collectNames(cte.query, into: &names, lookups: &lookups) }
        if let operation = select.setOperation {
            collectNames(operation.left, into: &names, lookups: &lookups)
            collectNames(operation.right, into: &names, lookups: &lookups)
        }
    }

    static func collectNames(_ item: TableReference, into names: inout [QualifiedName], lookups: inout CatalogLookups) {
        switch item {
        case .table(let name, _, _): names.append(name)
        case .function: break
        case .subquery(let select, _, _): collectNames(select, into: &names, lookups: &lookups)
        case .join(_, let left, let right, _, _, _):
            collectNames(left, into: &names, lookups: &lookups)
            collectNames(right, into: &names, lookups: &lookups)
        }
    }
}

/// The tables a statement names, looked up before binding.
public struct ResolvedTables: Sendable {
    private var tables: [QualifiedName: any TableSource] = [:]
    /// The schemas that exist, when the statement needs to know (see `CatalogLookups`).
    public internal(set) var existingSchemas: Set<String>?
    /// Bytes each table (by OID) takes in storage, when the statement asks for sizes; system
    /// catalogs take none.
    public internal(set) var relationSizes: [UInt32: Int64]?
    /// Each view's query by OID, when the statement asks for them.
    public internal(set) var viewQueries: [UInt32: String]?

    public init() {}

    /// Views by the name as written, each with the tables its query names.
    private var views: [QualifiedName: ResolvedView] = [:]

    public subscript(name: QualifiedName) -> (any TableSource)? { tables[name] }

    /// The view a name as written denotes, if it denotes one.
    public func view(_ name: QualifiedName) -> ResolvedView? { views[name] }

    func contains(_ name: QualifiedName) -> Bool { tables[name] != nil || views[name] != nil }

    /// True when the statement named no table and needed no catalog lookup.
    public var isEmpty: Bool {
        tables.isEmpty && views.isEmpty && existingSchemas == nil && relationSizes == nil && viewQueries == nil
    }

    mutating func add(_ name: QualifiedName, _ table: any TableSource) { tables[name] = table }
    mutating func add(_ name: QualifiedName, _ view: ResolvedView) { views[name] = view }
}

/// A view a statement reads: its definition, its query parsed, and the tables that query names
/// (resolved in the view's default schema).
public struct ResolvedView: Sendable {
    public let definition: ViewDefinition
    let query: SelectStatement
    let tables: ResolvedTables
}
