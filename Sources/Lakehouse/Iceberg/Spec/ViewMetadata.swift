/// An Iceberg view's metadata file (view spec, format version 1): the view's query in one or more
/// SQL dialects, per version, with the schema of its rows.
public struct ViewMetadata: Sendable, Equatable {
    public var viewUUID: String
    public var formatVersion: Int
    /// The view's base location; metadata files go in its `metadata/` folder.
    public var location: String
    public var schemas: [IcebergSchema]
    public var currentVersionID: Int
    public var versions: [ViewVersion]
    /// When each version became current, oldest first.
    public var versionLog: [(versionID: Int, timestampMs: Int64)]
    public var properties: [String: String]

    public init(
        viewUUID: String, formatVersion: Int = 1, location: String, schemas: [IcebergSchema], currentVersionID: Int,
        versions: [ViewVersion], versionLog: [(versionID: Int, timestampMs: Int64)], properties: [String: String] = [:]
    ) {
        self.viewUUID = viewUUID
        self.formatVersion = formatVersion
        self.location = location
        self.schemas = schemas
        self.currentVersionID = currentVersionID
        self.versions = versions
        self.versionLog = versionLog
        self.properties = properties
    }

    /// The version the view reads now.
    public var currentVersion: ViewVersion? { versions.first { $0.versionID == currentVersionID } }

    /// The schema of the current version's rows.
    public var currentSchema: IcebergSchema? {
        currentVersion.flatMap { version in schemas.first { $0.schemaID == version.schemaID } }
    }

    public static func == (lhs: ViewMetadata, rhs: ViewMetadata) -> Bool {
        lhs.viewUUID == rhs.viewUUID && lhs.formatVersion == rhs.formatVersion && lhs.location == rhs.location
            && lhs.schemas == rhs.schemas && lhs.currentVersionID == rhs.currentVersionID
            && lhs.versions == rhs.versions
            && lhs.versionLog.map(\.versionID) == rhs.versionLog.map(\.versionID)
            && lhs.versionLog.map(\.timestampMs) == rhs.versionLog.map(\.timestampMs)
            && lhs.properties == rhs.properties
    }
}

/// One version of a view: its query text per dialect and how to resolve the names in it.
public struct ViewVersion: Sendable, Equatable {
    public var versionID: Int
    public var timestampMs: Int64
    public var schemaID: Int
    /// Free-form facts about the version, such as `engine-name`.
    public var summary: [String: String]
    public var representations: [SQLRepresentation]
    /// The namespace unqualified table names in the query belong to.
    public var defaultNamespace: [String]
    public var defaultCatalog: String?

    public init(
        versionID: Int, timestampMs: Int64, schemaID: Int, summary: [String: String],
        representations: [SQLRepresentation],
        defaultNamespace: [String], defaultCatalog: String? = nil
    ) {
        self.versionID = versionID
        self.timestampMs = timestampMs
        self.schemaID = schemaID
        self.summary = summary
        self.representations = representations
        self.defaultNamespace = defaultNamespace
        self.defaultCatalog = defaultCatalog
    }

    /// The query text in `dialect` (compared without case), if the version has one.
    public func sql(dialect: String) -> String? {
        representations.first { $0.dialect.lowercased() == dialect.lowercased() }?.sql
    }
}

/// A view's query written in one engine's SQL dialect.
public struct SQLRepresentation: Sendable, Equatable {
    public var sql: String
    public var dialect: String

    public init(sql: String, dialect: String) {
        self.sql = sql
        self.dialect = dialect
    }
}
