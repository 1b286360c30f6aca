import Engine
import SQL
import Synchronization

/// Hands out the OIDs system catalogs show for schemas and tables, stable for the life of the
/// process: the first time a name is seen it gets the next free OID (from 16384, PostgreSQL's
/// first user OID), and keeps it.
public final class ObjectIdentifiers: Sendable {
    package static let shared = ObjectIdentifiers()

    /// PostgreSQL's fixed OIDs, which clients sometimes hard-code.
    package static let pgCatalogNamespace: UInt32 = 11
    package static let publicNamespace: UInt32 = 2200
    package static let informationSchemaNamespace: UInt32 = 13_000
    package static let bootstrapSuperuser: UInt32 = 10
    /// The `pg_database_owner` role, owner of the `public` schema since PostgreSQL 15.
    package static let databaseOwnerRole: UInt32 = 6171
    package static let systemNamespaces: [String: UInt32] = [
        "pg_catalog": pgCatalogNamespace, "public": publicNamespace, "information_schema": informationSchemaNamespace,
    ]

    private let assigned = Mutex<(next: UInt32, byName: [String: UInt32], byOID: [UInt32: String])>((16_384, [:], [:]))

    /// The OID of the object with the fully qualified `name` (e.g. `namespace:lake.tpch`).
    package func oid(_ name: String) -> UInt32 {
        assigned.withLock { state in
            if let oid = state.byName[name] { return oid }
            let oid = state.next
            state.next += 1
            state.byName[name] = oid
            state.byOID[oid] = name
            return oid
        }
    }

    /// The OID of the role a user name signs in as.
    package static func roleOID(_ user: String) -> UInt32 { shared.oid("role:" + user) }

    /// The roles the catalogs name, OID and name: the connected user (owner of Weir's schemas,
    /// tables and database), the bootstrap superuser (system schemas) and pg_database_owner (`public`).
    package static func knownRoles(currentUser: String) -> [(oid: UInt32, name: String)] {
        [
            (roleOID(currentUser), currentUser), (bootstrapSuperuser, "postgres"),
            (databaseOwnerRole, "pg_database_owner"),
        ]
    }

    /// The OID of the schema `name` (a system schema's fixed one, else the one handed out).
    package static func namespaceOID(_ schema: String) -> UInt32 {
        systemNamespaces[schema] ?? shared.oid("namespace:" + schema)
    }

    /// How a `regnamespace`, `regrole` or `regclass` value prints; nil when the OID names nothing
    /// the catalogs have shown, so it prints as a number (as PostgreSQL prints a dangling OID).
    public static func objectName(_ type: DataType, _ oid: UInt32, searchPath: [String], currentUser: String) -> String?
    {
        switch type {
        case .regclass:
            return relationName(oid, searchPath: searchPath)
        case .regnamespace:
            let name = systemNamespaces.first { $0.value == oid }?.key ?? shared.name(of: oid, kind: "namespace")
            return name.map(quotedIdentifier)
        case .regrole:
            return knownRoles(currentUser: currentUser).first { $0.oid == oid }.map { quotedIdentifier($0.name) }
        default:
            return nil
        }
    }

    /// The OID a `regnamespace`, `regrole` or `regclass` name stands for; nil when it names nothing
    /// (a schema counts once the catalogs have shown it).
    public static func objectOID(_ type: DataType, named text: String, searchPath: [String], currentUser: String)
        -> UInt32?
    {
        switch type {
        case .regclass:
            return relationOID(named: text, searchPath: searchPath)
        case .regnamespace:
            guard let name = QualifiedName(regclassText: text), name.parts.count == 1 else { return nil }
            return systemNamespaces[name.name] ?? shared.handedOut("namespace:" + name.name)
        case .regrole:
            guard let name = QualifiedName(regclassText: text), name.parts.count == 1 else { return nil }
            return knownRoles(currentUser: currentUser).first { $0.name == name.name }?.oid
        default:
            return nil
        }
    }

    /// PostgreSQL's fixed OIDs of the system catalogs clients name in `'pg_class'::regclass`.
    package static let systemRelations: [String: UInt32] = [
        "pg_catalog.pg_type": 1247, "pg_catalog.pg_attribute": 1249, "pg_catalog.pg_proc": 1255,
        "pg_catalog.pg_class": 1259,
        "pg_catalog.pg_database": 1262, "pg_catalog.pg_namespace": 2615, "pg_catalog.pg_constraint": 2606,
        "pg_catalog.pg_description": 2609, "pg_catalog.pg_index": 2610, "pg_catalog.pg_am": 2601,
        "pg_catalog.pg_attrdef": 2604,
        "pg_catalog.pg_inherits": 2611, "pg_catalog.pg_trigger": 2620, "pg_catalog.pg_rewrite": 2618,
        "pg_catalog.pg_collation": 3456, "pg_catalog.pg_enum": 3501, "pg_catalog.pg_extension": 3079,
        "pg_catalog.pg_tablespace": 1213, "pg_catalog.pg_policy": 3256, "pg_catalog.pg_roles": 12_001,
    ]

    /// The OID of the table `schema.name` (a system catalog's fixed one, else the one handed out).
    package static func relationOID(_ qualifiedName: String) -> UInt32 {
        systemRelations[qualifiedName] ?? shared.oid("table:" + qualifiedName)
    }

    /// The OID of the table a `regclass` literal names, among the system catalogs and the tables
    /// the catalogs have listed; nil when there is none.
    public static func relationOID(named text: String, searchPath: [String]) -> UInt32? {
        guard let name = QualifiedName(regclassText: text) else { return nil }
        let candidates =
            name.parts.count == 2
            ? [name.parts.joined(separator: ".")] : (["pg_catalog"] + searchPath).map { $0 + "." + name.name }
        for candidate in candidates {
            if let oid = systemRelations[candidate] ?? shared.handedOut("table:" + candidate) { return oid }
        }
        return nil
    }

    /// The schema of the table with this OID, or nil when it names no table.
    package static func schema(ofRelation oid: UInt32) -> String? {
        let name = systemRelations.first { $0.value == oid }?.key ?? shared.name(of: oid, kind: "table")
        return name.flatMap { $0.split(separator: ".", maxSplits: 1).first.map(String.init) }
    }

    /// The name an OID was handed out for as a `kind` (`table`, `namespace`), without the kind:
    /// `tpch.orders` for `table:tpch.orders`; nil for other OIDs.
    package func name(of oid: UInt32, kind: String) -> String? {
        guard let name = assigned.withLock({ $0.byOID[oid] }), name.hasPrefix(kind + ":") else { return nil }
        return String(name.dropFirst(kind.count + 1))
    }

    /// The OID already handed out for `name`, without handing out a new one.
    package func handedOut(_ name: String) -> UInt32? {
        assigned.withLock { $0.byName[name] }
    }

    /// How a `regclass` value prints: the table's name, qualified unless its schema is on the
    /// search path (as PostgreSQL's output function does); nil for an OID that names no table.
    public static func relationName(_ oid: UInt32, searchPath: [String]) -> String? {
        guard
            let qualified = systemRelations.first(where: { $0.value == oid })?.key
                ?? shared.name(of: oid, kind: "table")
        else { return nil }
        guard let dot = qualified.firstIndex(of: ".") else { return String(qualified) }
        let schema = String(qualified[..<dot])
        let table = String(qualified[qualified.index(after: dot)...])
        let visible = schema == "pg_catalog" || searchPath.contains(schema)
        return visible ? quotedIdentifier(table) : quotedIdentifier(schema) + "." + quotedIdentifier(table)
    }

    /// `name` as PostgreSQL prints an identifier: bare when lowercase letters, digits and
    /// underscores (not starting with a digit), else double-quoted.
    package static func quotedIdentifier(_ name: String) -> String {
        let plain =
            !name.isEmpty && name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
            && !(name.utf8.first! >= 48 && name.utf8.first! <= 57)
        return plain ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
