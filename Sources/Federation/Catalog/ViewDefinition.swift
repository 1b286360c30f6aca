import Engine
import SQL

/// A view as Weir keeps it: its query as written, the schema unqualified names in it belong to,
/// and the columns it had when it was created or replaced.
public struct ViewDefinition: Sendable, Equatable {
    public var schema: String
    public var name: String
    /// The query, in PostgreSQL's dialect.
    public var query: String
    /// The namespace other engines resolve unqualified names in (Iceberg's default namespace).
    public var defaultSchema: String
    /// The schemas Weir looks unqualified table names up in (after `pg_catalog`): the search path
    /// of the session that created the view; just `defaultSchema` for views Weir did not write.
    public var searchPath: [String]
    public var columns: [TableColumn]

    public init(
        schema: String, name: String, query: String, defaultSchema: String, searchPath: [String] = [],
        columns: [TableColumn]
    ) {
        self.schema = schema
        self.name = name
        self.query = query
        self.defaultSchema = defaultSchema
        self.searchPath = searchPath.isEmpty ? [defaultSchema] : searchPath
        self.columns = columns
    }

    public var displayName: String { "\(schema).\(name)" }

    /// The query parsed: exactly one SELECT, else `XX001` (the stored text is damaged).
    public func parsedQuery() throws(EngineError) -> SelectStatement {
        let statements: [ParsedStatement]
        do {
            statements = try SQLParser.parse(query)
        } catch {
            throw EngineError(
                .dataCorrupted, "view \"\(displayName)\" holds a query Weir cannot parse: \(error.message)")
        }
        guard statements.count == 1, case .select(let select) = statements[0].statement else {
            throw EngineError(.dataCorrupted, "view \"\(displayName)\" does not hold exactly one SELECT query")
        }
        return select
    }
}

/// Views in a catalog.
public protocol ViewCatalog: Sendable {
    /// The view `schema.name`, or nil when there is none.
    func view(schema: String, name: String) async throws(EngineError) -> ViewDefinition?
    /// The view names of one schema, sorted.
    func viewNames(schema: String) async throws(EngineError) -> [String]
    /// Stores a new view; `42P07` when a table or view has its name.
    func createView(_ view: ViewDefinition) async throws(EngineError)
    /// Stores a new version of an existing view.
    func replaceView(_ view: ViewDefinition) async throws(EngineError)
    /// Removes a view; `42P01` when there is none.
    func dropView(schema: String, name: String) async throws(EngineError)
}

extension DataType {
    /// The type a view column's recorded type name denotes (`DataType.sqlName` wrote it); nil
    /// when it names nothing Weir knows.
    public init?(recordedTypeName name: String) {
        guard let statements = try? SQLParser.parse("SELECT NULL::\(name)"), statements.count == 1,
            case .select(let select) = statements[0].statement,
            case .expression(.cast(_, let typeName, _), _)? = select.targets.first,
            let type = try? DataType(typeName: typeName)
        else { return nil }
        self = type
    }
}
