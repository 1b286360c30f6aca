import Catalog
import Engine

/// `pg_catalog` and `information_schema`: virtual tables describing the session's catalog in the
/// shape PostgreSQL clients query (psql's `\d`, driver metadata calls, psqlODBC's type lookups).
///
/// Only the database the session connected to is described, as in PostgreSQL. Rows are computed
/// per scan, so a table created a moment ago shows up at once.
public struct SystemCatalog: SystemCatalogs {
    let database: String
    let catalog: (any TableCatalog)?
    let user: String
    /// The session's settings as `pg_settings` shows them, computed when that table is read.
    var settings: @Sendable () -> [SessionSetting] = { [] }

    public init(
        database: String, catalog: (any TableCatalog)?, user: String,
        settings: @escaping @Sendable () -> [SessionSetting] = { [] }
    ) {
        self.database = database
        self.catalog = catalog
        self.user = user
        self.settings = settings
    }

    /// Makes the system catalogs of each statement.
    public static let factory: SystemCatalogsFactory = { database, catalog, user, settings in
        SystemCatalog(database: database, catalog: catalog, user: user, settings: settings)
    }

    public var schemaNames: Set<String> { ["pg_catalog", "information_schema"] }

    public func viewQueries() async throws(EngineError) -> [UInt32: String] {
        Dictionary(
            try await userViews().compactMap { view in view.viewQuery.map { (view.oid, $0) } },
            uniquingKeysWith: { first, _ in first })
    }

    public func relationSizes() async throws(EngineError) -> [UInt32: Int64] {
        var sizes = Dictionary(uniqueKeysWithValues: ObjectIdentifiers.systemRelations.values.map { ($0, Int64(0)) })
        for table in try await userTables() { sizes[table.oid] = table.storedBytes.map(Int64.init) ?? 0 }
        return sizes
    }

    /// The system table `schema.name`, or nil.
    public func table(schema: String, name: String) -> (any TableSource)? {
        switch (schema, name) {
        case ("pg_catalog", "pg_namespace"): return namespaceTable
        case ("pg_catalog", "pg_class"): return classTable
        case ("pg_catalog", "pg_attribute"): return attributeTable
        case ("pg_catalog", "pg_type"): return typeTable
        case ("pg_catalog", "pg_database"): return databaseTable
        case ("pg_catalog", "pg_am"): return accessMethodTable
        case ("pg_catalog", "pg_roles"), ("pg_catalog", "pg_user"): return rolesTable(name)
        case ("pg_catalog", "pg_settings"): return settingsTable
        case ("pg_catalog", let name) where objectTable(name) != nil: return objectTable(name)
        case ("information_schema", "schemata"): return schemataTable
        case ("information_schema", "tables"): return tablesTable
        case ("information_schema", "views"): return viewsTable
        case ("pg_catalog", "pg_views"): return pgViewsTable
        case ("information_schema", "columns"): return columnsTable
        default: return nil
        }
    }

    // MARK: What the catalog holds

    struct DescribedTable {
        let schema: String
        let name: String
        let columns: [TableColumn]
        /// Bytes its files take in storage, when the source knows.
        let storedBytes: Int?
        /// The view's query for a view; nil for a table.
        var viewQuery: String? = nil
        var oid: UInt32 { ObjectIdentifiers.shared.oid("table:\(schema).\(name)") }
        /// `pg_class.relkind`: `v` for views, `r` for tables.
        var relationKind: String { viewQuery == nil ? "r" : "v" }
    }

    public func userSchemas() async throws(EngineError) -> [String] {
        try await catalog?.schemaNames() ?? []
    }

    func userTables() async throws(EngineError) -> [DescribedTable] {
        guard let catalog else { return [] }
        var tables: [DescribedTable] = []
        for schema in try await catalog.schemaNames() {
            for name in try await catalog.tableNames(schema: schema) {
                guard let table = try await catalog.table(schema: schema, name: name) else { continue }
                tables.append(
                    DescribedTable(schema: schema, name: name, columns: table.columns, storedBytes: table.storedBytes))
            }
            tables += try await userViews(schema: schema)
        }
        return tables
    }

    /// The views of one schema, or of every schema.
    func userViews(schema: String? = nil) async throws(EngineError) -> [DescribedTable] {
        guard let catalog, let views = catalog as? any ViewCatalog else { return [] }
        var described: [DescribedTable] = []
        let schemas: [String]
        if let schema { schemas = [schema] } else { schemas = try await catalog.schemaNames() }
        for schema in schemas {
            for name in try await views.viewNames(schema: schema) {
                guard let view = try await views.view(schema: schema, name: name) else { continue }
                described.append(
                    DescribedTable(
                        schema: schema, name: name, columns: view.columns, storedBytes: nil, viewQuery: view.query))
            }
        }
        return described
    }

    static func namespaceOID(_ schema: String) -> UInt32 { ObjectIdentifiers.namespaceOID(schema) }

    // MARK: pg_catalog

    var namespaceTable: ComputedTable {
        ComputedTable(
            "pg_catalog.pg_namespace",
            [("oid", .oid), ("nspname", .name), ("nspowner", .oid), ("nspacl", .array(.text))]
        ) {
            [user] () async throws(EngineError) in
            let schemas =
                ["pg_catalog", "information_schema", "public"] + (try await userSchemas()).filter { $0 != "public" }
            return schemas.map { schema in
                // As in PostgreSQL 15: the system schemas belong to the bootstrap superuser, `public` to
                // pg_database_owner; Weir shows the connected user as the owner of the others.
                let owner: UInt32
                switch schema {
                case "pg_catalog", "information_schema": owner = ObjectIdentifiers.bootstrapSuperuser
                case "public": owner = ObjectIdentifiers.databaseOwnerRole
                default: owner = ObjectIdentifiers.roleOID(user)
                }
                return [.uint32(Self.namespaceOID(schema)), .text(schema), .uint32(owner), .null]
            }
        }
    }

    var classTable: ComputedTable {
        ComputedTable(
            "pg_catalog.pg_class",
            [
                ("oid", .oid), ("relname", .name), ("relnamespace", .oid), ("reltype", .oid), ("relowner", .oid),
                ("relam", .oid), ("relpages", .int32), ("reltuples", .float32), ("relhasindex", .boolean),
                ("relisshared", .boolean), ("relpersistence", .char), ("relkind", .char), ("relnatts", .int16),
                ("relchecks", .int16), ("relhasrules", .boolean), ("relhastriggers", .boolean),
                ("relhassubclass", .boolean), ("relrowsecurity", .boolean), ("relforcerowsecurity", .boolean),
                ("relispopulated", .boolean), ("relispartition", .boolean), ("relacl", .array(.text)),
                ("reloptions", .array(.text)),
                ("reltoastrelid", .oid), ("relfilenode", .oid), ("reltablespace", .oid), ("reloftype", .oid),
                ("relallvisible", .int32), ("relreplident", .char), ("relpartbound", .text), ("relrewrite", .oid),
            ]
        ) { () async throws(EngineError) in
            try await userTables().map { table in
                [
                    .uint32(table.oid), .text(table.name), .uint32(Self.namespaceOID(table.schema)), .uint32(0),
                    .uint32(ObjectIdentifiers.roleOID(user)), .uint32(2), .int32(0), .float32(-1), .bool(false),
                    .bool(false), .text("p"), .text(table.relationKind), .int16(Int16(table.columns.count)), .int16(0),
                    .bool(table.viewQuery != nil),
                    .bool(false), .bool(false), .bool(false), .bool(false), .bool(true), .bool(false), .null, .null,
                    .uint32(0), .uint32(table.oid), .uint32(0), .uint32(0), .int32(0), .text("d"), .null, .uint32(0),
                ]
            }
        }
    }

    var attributeTable: ComputedTable {
        ComputedTable(
            "pg_catalog.pg_attribute",
            [
                ("attrelid", .oid), ("attname", .name), ("atttypid", .oid), ("attlen", .int16), ("attnum", .int16),
                ("attndims", .int32), ("atttypmod", .int32), ("attbyval", .boolean), ("attnotnull", .boolean),
                ("atthasdef", .boolean), ("atthasmissing", .boolean), ("attidentity", .char), ("attgenerated", .char),
                ("attisdropped", .boolean), ("attislocal", .boolean), ("attinhcount", .int32), ("attcollation", .oid),
                ("attstorage", .char), ("attcompression", .char), ("attstattarget", .int32), ("attacl", .array(.text)),
                ("attoptions", .array(.text)), ("attfdwoptions", .array(.text)),
            ]
        ) { () async throws(EngineError) in
            try await userTables().flatMap { table in
                table.columns.enumerated().map { index, column -> [Value] in
                    [
                        .uint32(table.oid), .text(column.name), .uint32(column.type.postgresOID),
                        .int16(column.type.postgresLength), .int16(Int16(index + 1)), .int32(0),
                        .int32(column.type.postgresTypeModifier), .bool(Self.passedByValue(column.type)),
                        .bool(!column.isNullable), .bool(false), .bool(false), .text(""), .text(""), .bool(false),
                        .bool(true), .int32(0), .uint32(column.type.isString ? 100 : 0),
                        .text(
                            PostgresTypeFunctions.of(typeOID: column.type.postgresOID)?.storage
                                ?? (column.type.postgresLength < 0 ? "x" : "p")),
                        .text(""), .int32(-1), .null, .null, .null,
                    ]
                }
            }
        }
    }

    var typeTable: ComputedTable {
        ComputedTable(
            "pg_catalog.pg_type",
            [
                ("oid", .oid), ("typname", .name), ("typnamespace", .oid), ("typowner", .oid), ("typlen", .int16),
                ("typbyval", .boolean), ("typtype", .char), ("typcategory", .char), ("typispreferred", .boolean),
                ("typisdefined", .boolean), ("typdelim", .char), ("typrelid", .oid), ("typelem", .oid),
                ("typarray", .oid), ("typbasetype", .oid), ("typtypmod", .int32), ("typndims", .int32),
                ("typcollation", .oid), ("typnotnull", .boolean), ("typdefault", .text), ("typinput", .regproc),
                ("typoutput", .regproc), ("typreceive", .regproc), ("typsend", .regproc), ("typmodin", .regproc),
                ("typmodout", .regproc), ("typanalyze", .regproc), ("typalign", .char), ("typstorage", .char),
                ("typacl", .array(.text)),
            ]
        ) { () async throws(EngineError) in
            DataType.catalogTypes.flatMap { type -> [[Value]] in
                func row(_ type: DataType, element: DataType?) -> [Value] {
                    [
                        .uint32(type.postgresOID), .text(element.map { "_" + $0.postgresName } ?? type.postgresName),
                        .uint32(ObjectIdentifiers.pgCatalogNamespace), .uint32(ObjectIdentifiers.bootstrapSuperuser),
                        .int16(element == nil ? type.postgresLength : -1),
                        .bool(element == nil && Self.passedByValue(type)),
                        .text(type == .unknown ? "p" : "b"), .text(element == nil ? Self.category(type) : "A"),
                        .bool(element == nil && Self.isPreferred(type)), .bool(true), .text(","), .uint32(0),
                        .uint32(element?.postgresOID ?? 0), .uint32(element == nil ? type.postgresArrayOID : 0),
                        .uint32(0),
                        .int32(-1), .int32(0), .uint32(type.isString || element?.isString == true ? 100 : 0),
                        .bool(false), .null,
                    ]
                        + Self.typeFunctionColumns(
                            element == nil ? PostgresTypeFunctions.of(typeOID: type.postgresOID) : .array)
                }
                var rows = [row(type, element: nil)]
                if type.postgresArrayOID != 0 { rows.append(row(.array(type), element: type)) }
                return rows
            }
        }
    }

    /// `typinput` ... `typstorage` of a `pg_type` row.
    static func typeFunctionColumns(_ functions: PostgresTypeFunctions?) -> [Value] {
        guard let functions else {
            return [.null, .null, .null, .null, .uint32(0), .uint32(0), .uint32(0), .text("i"), .text("p"), .null]
        }
        return [
            .uint32(functions.input), .uint32(functions.output), .uint32(functions.receive), .uint32(functions.send),
            .uint32(0),
            .uint32(0), .uint32(0), .text(functions.alignment), .text(functions.storage), .null,
        ]
    }

    var databaseTable: ComputedTable {
        ComputedTable(
            "pg_catalog.pg_database",
            [
                ("oid", .oid), ("datname", .name), ("datdba", .oid), ("encoding", .int32), ("datcollate", .name),
                ("datctype", .name), ("datistemplate", .boolean), ("datallowconn", .boolean), ("datconnlimit", .int32),
                ("datacl", .array(.text)), ("datlocprovider", .char), ("daticulocale", .text),
                ("datcollversion", .text),
                ("dattablespace", .oid),
            ]
        ) { [database, user] () async throws(EngineError) in
            [
                [
                    .uint32(ObjectIdentifiers.shared.oid("database:\(database)")), .text(database),
                    .uint32(ObjectIdentifiers.roleOID(user)), .int32(6), .text("C"), .text("C"), .bool(false),
                    .bool(true),
                    .int32(-1), .null, .text("c"), .null, .null, .uint32(1663),
                ]
            ]
        }
    }

    /// Table access methods: Iceberg tables show as `heap`, the default, so clients need no special case.
    var accessMethodTable: ComputedTable {
        ComputedTable(
            "pg_catalog.pg_am", [("oid", .oid), ("amname", .name), ("amhandler", .regproc), ("amtype", .char)]
        ) {
            () async throws(EngineError) in
            [
                [.uint32(2), .text("heap"), .uint32(3), .text("t")],
                [.uint32(403), .text("btree"), .uint32(330), .text("i")],
            ]
        }
    }

    func rolesTable(_ name: String) -> ComputedTable {
        ComputedTable(
            "pg_catalog.\(name)",
            [
                ("oid", .oid), ("rolname", .name), ("rolsuper", .boolean), ("rolinherit", .boolean),
                ("rolcreaterole", .boolean), ("rolcreatedb", .boolean), ("rolcanlogin", .boolean),
                ("rolreplication", .boolean), ("rolconnlimit", .int32), ("rolbypassrls", .boolean),
                ("rolvaliduntil", .timestamptz),
                ("rolpassword", .text), ("rolconfig", .array(.text)),
            ]
        ) { [user] () async throws(EngineError) in
            [
                [
                    .uint32(ObjectIdentifiers.roleOID(user)), .text(user), .bool(false), .bool(true), .bool(false),
                    .bool(false), .bool(true), .bool(false), .int32(-1), .bool(false), .null, .text("********"), .null,
                ]
            ]
        }
    }

    // MARK: information_schema

    var schemataTable: ComputedTable {
        ComputedTable(
            "information_schema.schemata", [("catalog_name", .name), ("schema_name", .name), ("schema_owner", .name)]
        ) { [database, user] () async throws(EngineError) in
            let schemas =
                ["pg_catalog", "information_schema", "public"] + (try await userSchemas()).filter { $0 != "public" }
            return schemas.map { [.text(database), .text($0), .text(user)] }
        }
    }

    var tablesTable: ComputedTable {
        ComputedTable(
            "information_schema.tables",
            [
                ("table_catalog", .name), ("table_schema", .name), ("table_name", .name), ("table_type", .text),
                ("is_insertable_into", .text), ("is_typed", .text),
            ]
        ) { [database] () async throws(EngineError) in
            try await userTables().map { table in
                let isView = table.viewQuery != nil
                return [
                    .text(database), .text(table.schema), .text(table.name), .text(isView ? "VIEW" : "BASE TABLE"),
                    .text(isView ? "NO" : "YES"), .text("NO"),
                ]
            }
        }
    }

    var columnsTable: ComputedTable {
        ComputedTable(
            "information_schema.columns",
            [
                ("table_catalog", .name), ("table_schema", .name), ("table_name", .name), ("column_name", .name),
                ("ordinal_position", .int32), ("column_default", .text), ("is_nullable", .text), ("data_type", .text),
                ("character_maximum_length", .int32), ("numeric_precision", .int32), ("numeric_scale", .int32),
                ("datetime_precision", .int32), ("udt_name", .name),
            ]
        ) { [database] () async throws(EngineError) in
            try await userTables().flatMap { table in
                table.columns.enumerated().map { index, column -> [Value] in
                    let type = column.type
                    return [
                        .text(database), .text(table.schema), .text(table.name), .text(column.name),
                        .int32(Int32(index + 1)), .null,
                        .text(column.isNullable ? "YES" : "NO"), .text(Self.informationSchemaTypeName(type)),
                        Self.characterLength(type), Self.numericPrecision(type), Self.numericScale(type),
                        Self.datetimePrecision(type), .text(type.postgresName),
                    ]
                }
            }
        }
    }

    /// `information_schema.views`: Weir's views are read-only.
    var viewsTable: ComputedTable {
        ComputedTable(
            "information_schema.views",
            [
                ("table_catalog", .name), ("table_schema", .name), ("table_name", .name), ("view_definition", .text),
                ("check_option", .text), ("is_updatable", .text), ("is_insertable_into", .text),
                ("is_trigger_updatable", .text),
                ("is_trigger_deletable", .text), ("is_trigger_insertable_into", .text),
            ]
        ) { [database] () async throws(EngineError) in
            try await userTables().compactMap { table in
                table.viewQuery.map { query in
                    [.text(database), .text(table.schema), .text(table.name), .text(query), .text("NONE")]
                        + Array(repeating: .text("NO"), count: 5)
                }
            }
        }
    }

    var pgViewsTable: ComputedTable {
        ComputedTable(
            "pg_catalog.pg_views",
            [("schemaname", .name), ("viewname", .name), ("viewowner", .name), ("definition", .text)]
        ) {
            [user] () async throws(EngineError) in
            try await userTables().compactMap { table in
                table.viewQuery.map { [.text(table.schema), .text(table.name), .text(user), .text($0)] }
            }
        }
    }
}
