import Engine

/// One of the session's configuration parameters, as `pg_settings` and `SHOW ALL` show it.
public struct SessionSetting: Sendable {
    public let name: String
    public let value: String
    /// The value the session started with (`boot_val` / `reset_val`).
    public let defaultValue: String
    /// Fixed by the server (`context = 'internal'`); others can be SET.
    public let readOnly: Bool

    public init(name: String, value: String, defaultValue: String, readOnly: Bool) {
        self.name = name
        self.value = value
        self.defaultValue = defaultValue
        self.readOnly = readOnly
    }
}

/// The system catalogs of one statement (`pg_catalog` and `information_schema` over the database
/// the session connected to), which the planner resolves system table names in and asks what the
/// catalog functions (`pg_get_viewdef`, `pg_relation_size`) report.
public protocol SystemCatalogs: Sendable {
    /// The schemas the system catalogs hold.
    var schemaNames: Set<String> { get }
    /// The system table `schema.name`, or nil.
    func table(schema: String, name: String) -> (any TableSource)?
    /// The schemas of the database's own catalog.
    func userSchemas() async throws(EngineError) -> [String]
    /// Each view's query, by the view's OID.
    func viewQueries() async throws(EngineError) -> [UInt32: String]
    /// The bytes each relation's files take, by OID (system relations take none).
    func relationSizes() async throws(EngineError) -> [UInt32: Int64]
}

/// Makes the system catalogs of one statement from the database's name and catalog, the user, and
/// the session's settings (read only when `pg_settings` is).
public typealias SystemCatalogsFactory =
    @Sendable (
        _ database: String, _ catalog: (any TableCatalog)?, _ user: String,
        _ settings: @escaping @Sendable () -> [SessionSetting]
    ) -> any SystemCatalogs
