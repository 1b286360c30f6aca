import Catalog
import Engine

/// The `pg_catalog` tables for kinds of objects Weir's catalogs do not have yet — column defaults,
/// indexes, constraints, inheritance, policies, publications, extended statistics, comments,
/// functions — with PostgreSQL's columns and no rows (or the built-in rows PostgreSQL always has),
/// so client metadata queries that join them get correct, empty answers.
extension SystemCatalog {
    func objectTable(_ name: String) -> ComputedTable? {
        guard let (columns, rows) = Self.objectTables[name] else { return nil }
        return ComputedTable("pg_catalog.\(name)", columns) { () async throws(EngineError) in rows }
    }

    private static let int2vector = DataType.array(.int16)
    private static let oidvector = DataType.array(.oid)

    private static let objectTables: [String: (columns: [(String, DataType)], rows: [[Value]])] = [
        "pg_sequence": (
            [
                ("seqrelid", .oid), ("seqtypid", .oid), ("seqstart", .int64), ("seqincrement", .int64),
                ("seqmax", .int64),
                ("seqmin", .int64), ("seqcache", .int64), ("seqcycle", .boolean),
            ], []
        ),
        "pg_opclass": (
            [
                ("oid", .oid), ("opcmethod", .oid), ("opcname", .name), ("opcnamespace", .oid), ("opcowner", .oid),
                ("opcfamily", .oid), ("opcintype", .oid), ("opcdefault", .boolean), ("opckeytype", .oid),
            ], []
        ),
        "pg_range": (
            [
                ("rngtypid", .oid), ("rngsubtype", .oid), ("rngmultitypid", .oid), ("rngcollation", .oid),
                ("rngsubopc", .oid),
                ("rngcanonical", .regproc), ("rngsubdiff", .regproc),
            ], []
        ),
        "pg_auth_members": (
            [("oid", .oid), ("roleid", .oid), ("member", .oid), ("grantor", .oid), ("admin_option", .boolean)], []
        ),
        "pg_attrdef": ([("oid", .oid), ("adrelid", .oid), ("adnum", .int16), ("adbin", .text)], []),
        "pg_collation": (
            [
                ("oid", .oid), ("collname", .name), ("collnamespace", .oid), ("collowner", .oid),
                ("collprovider", .text),
                ("collisdeterministic", .boolean), ("collencoding", .int32), ("collcollate", .text),
                ("collctype", .text),
            ],
            [
                [
                    .uint32(100), .text("default"), .uint32(11), .uint32(10), .text("d"), .bool(true), .int32(-1),
                    .null, .null,
                ],
                [
                    .uint32(950), .text("C"), .uint32(11), .uint32(10), .text("c"), .bool(true), .int32(-1), .text("C"),
                    .text("C"),
                ],
                [
                    .uint32(951), .text("POSIX"), .uint32(11), .uint32(10), .text("c"), .bool(true), .int32(-1),
                    .text("POSIX"), .text("POSIX"),
                ],
            ]
        ),
        "pg_index": (
            [
                ("indexrelid", .oid), ("indrelid", .oid), ("indnatts", .int16), ("indnkeyatts", .int16),
                ("indisunique", .boolean),
                ("indnullsnotdistinct", .boolean), ("indisprimary", .boolean), ("indisexclusion", .boolean),
                ("indimmediate", .boolean), ("indisclustered", .boolean), ("indisvalid", .boolean),
                ("indcheckxmin", .boolean),
                ("indisready", .boolean), ("indislive", .boolean), ("indisreplident", .boolean), ("indkey", int2vector),
                ("indcollation", oidvector), ("indclass", oidvector), ("indoption", int2vector), ("indexprs", .text),
                ("indpred", .text),
            ], []
        ),
        "pg_constraint": (
            [
                ("oid", .oid), ("conname", .name), ("connamespace", .oid), ("contype", .char),
                ("condeferrable", .boolean),
                ("condeferred", .boolean), ("convalidated", .boolean), ("conrelid", .oid), ("contypid", .oid),
                ("conindid", .oid),
                ("conparentid", .oid), ("confrelid", .oid), ("confupdtype", .char), ("confdeltype", .char),
                ("confmatchtype", .char), ("conislocal", .boolean), ("coninhcount", .int32), ("connoinherit", .boolean),
                ("conkey", int2vector), ("confkey", int2vector), ("conbin", .text),
            ], []
        ),
        "pg_inherits": (
            [("inhrelid", .oid), ("inhparent", .oid), ("inhseqno", .int32), ("inhdetachpending", .boolean)], []
        ),
        "pg_policy": (
            [
                ("oid", .oid), ("polname", .name), ("polrelid", .oid), ("polcmd", .char), ("polpermissive", .boolean),
                ("polroles", .array(.oid)), ("polqual", .text), ("polwithcheck", .text),
            ], []
        ),
        "pg_publication": (
            [
                ("oid", .oid), ("pubname", .name), ("pubowner", .oid), ("puballtables", .boolean),
                ("pubinsert", .boolean),
                ("pubupdate", .boolean), ("pubdelete", .boolean), ("pubtruncate", .boolean), ("pubviaroot", .boolean),
            ], []
        ),
        "pg_publication_namespace": ([("oid", .oid), ("pnpubid", .oid), ("pnnspid", .oid)], []),
        "pg_publication_rel": (
            [("oid", .oid), ("prpubid", .oid), ("prrelid", .oid), ("prqual", .text), ("prattrs", int2vector)], []
        ),
        "pg_statistic_ext": (
            [
                ("oid", .oid), ("stxrelid", .oid), ("stxname", .name), ("stxnamespace", .oid), ("stxowner", .oid),
                ("stxstattarget", .int32), ("stxkeys", int2vector), ("stxkind", .array(.text)), ("stxexprs", .text),
            ], []
        ),
        "pg_description": ([("objoid", .oid), ("classoid", .oid), ("objsubid", .int32), ("description", .text)], []),
        "pg_trigger": (
            [
                ("oid", .oid), ("tgrelid", .oid), ("tgname", .name), ("tgfoid", .oid), ("tgtype", .int16),
                ("tgenabled", .char),
                ("tgisinternal", .boolean),
            ], []
        ),
        "pg_rewrite": (
            [("oid", .oid), ("rulename", .name), ("ev_class", .oid), ("ev_type", .char), ("is_instead", .boolean)], []
        ),
        "pg_enum": ([("oid", .oid), ("enumtypid", .oid), ("enumsortorder", .float32), ("enumlabel", .name)], []),
        "pg_extension": (
            [
                ("oid", .oid), ("extname", .name), ("extowner", .oid), ("extnamespace", .oid),
                ("extrelocatable", .boolean),
                ("extversion", .text),
            ], []
        ),
        "pg_proc": (
            [
                ("oid", .oid), ("proname", .name), ("pronamespace", .oid), ("proowner", .oid), ("prolang", .oid),
                ("procost", .float32), ("prorows", .float32), ("provariadic", .oid), ("prosupport", .regproc),
                ("prokind", .char), ("prosecdef", .boolean), ("proleakproof", .boolean), ("proisstrict", .boolean),
                ("proretset", .boolean), ("provolatile", .char), ("proparallel", .char), ("pronargs", .int16),
                ("pronargdefaults", .int16), ("prorettype", .oid), ("proargtypes", oidvector),
                ("proallargtypes", .array(.oid)),
                ("proargmodes", .array(.text)), ("proargnames", .array(.text)), ("proargdefaults", .text),
                ("prosrc", .text),
                ("probin", .text), ("proconfig", .array(.text)), ("proacl", .text),
            ], []
        ),
        "pg_tablespace": (
            [("oid", .oid), ("spcname", .name), ("spcowner", .oid), ("spcacl", .text), ("spcoptions", .array(.text))],
            [
                [.uint32(1663), .text("pg_default"), .uint32(10), .null, .null],
                [.uint32(1664), .text("pg_global"), .uint32(10), .null, .null],
            ]
        ),
    ]
}
