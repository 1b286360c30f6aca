/// PostgreSQL's identity for each `DataType`: OID, name and storage length, as `pg_type` has them.
extension DataType {
    /// The OID of the type in PostgreSQL 15's `pg_type`.
    public var postgresOID: UInt32 {
        switch self {
        case .boolean: return 16
        case .bytea: return 17
        case .char: return 18
        case .name: return 19
        case .int64: return 20
        case .int16: return 21
        case .int32: return 23
        case .regproc: return 24
        case .text: return 25
        case .oid: return 26
        case .json: return 114
        case .float32: return 700
        case .float64: return 701
        case .unknown: return 705
        case .bpchar: return 1042
        case .varchar: return 1043
        case .date: return 1082
        case .time: return 1083
        case .timetz: return 1266
        case .timestamp: return 1114
        case .timestamptz: return 1184
        case .interval: return 1186
        case .numeric: return 1700
        case .regclass: return 2205
        case .regtype: return 2206
        case .regnamespace: return 4089
        case .regrole: return 4096
        case .uuid: return 2950
        case .jsonb: return 3802
        case .record: return 2249
        case .array(let element): return element.postgresArrayOID
        }
    }

    /// The OID of the array type whose elements are this type (`_int4` for `int4`).
    public var postgresArrayOID: UInt32 {
        switch self {
        case .boolean: return 1000
        case .bytea: return 1001
        case .char: return 1002
        case .name: return 1003
        case .int16: return 1005
        case .int32: return 1007
        case .regproc: return 1008
        case .text: return 1009
        case .oid: return 1028
        case .bpchar: return 1014
        case .varchar: return 1015
        case .int64: return 1016
        case .float32: return 1021
        case .float64: return 1022
        case .timestamp: return 1115
        case .date: return 1182
        case .time: return 1183
        case .timetz: return 1270
        case .timestamptz: return 1185
        case .interval: return 1187
        case .numeric: return 1231
        case .json: return 199
        case .regclass: return 2210
        case .regtype: return 2211
        case .regnamespace: return 4090
        case .regrole: return 4097
        case .uuid: return 2951
        case .jsonb: return 3807
        case .record: return 2287
        case .unknown, .array: return 0
        }
    }

    /// The name PostgreSQL's `pg_type.typname` gives this type.
    public var postgresName: String {
        switch self {
        case .boolean: return "bool"
        case .int16: return "int2"
        case .int32: return "int4"
        case .int64: return "int8"
        case .float32: return "float4"
        case .float64: return "float8"
        case .numeric: return "numeric"
        case .text: return "text"
        case .varchar: return "varchar"
        case .bpchar: return "bpchar"
        case .name: return "name"
        case .char: return "char"
        case .bytea: return "bytea"
        case .date: return "date"
        case .time: return "time"
        case .timetz: return "timetz"
        case .timestamp: return "timestamp"
        case .timestamptz: return "timestamptz"
        case .interval: return "interval"
        case .uuid: return "uuid"
        case .json: return "json"
        case .jsonb: return "jsonb"
        case .oid: return "oid"
        case .regclass: return "regclass"
        case .regtype: return "regtype"
        case .regproc: return "regproc"
        case .regnamespace: return "regnamespace"
        case .regrole: return "regrole"
        case .unknown: return "unknown"
        case .record: return "record"
        case .array(let element): return "_" + element.postgresName
        }
    }

    /// `pg_type.typlen`: the fixed byte width, or -1 for variable-length types.
    public var postgresLength: Int16 {
        switch self {
        case .boolean, .char: return 1
        case .int16: return 2
        case .int32, .date, .float32, .oid, .regclass, .regtype, .regproc, .regnamespace, .regrole: return 4
        case .int64, .float64, .time, .timestamp, .timestamptz: return 8
        case .timetz: return 12
        case .interval, .uuid: return 16
        case .name: return 64
        case .unknown: return -2
        default: return -1
        }
    }

    /// The type modifier PostgreSQL reports in RowDescription (`atttypmod`), or -1.
    public var postgresTypeModifier: Int32 {
        switch self {
        case .varchar(let length?), .bpchar(let length?): return Int32(length + 4)
        case .numeric(let precision?, let scale?): return Int32(((precision << 16) | scale) + 4)
        default: return -1
        }
    }

    /// The SQL spelling PostgreSQL's `format_type` prints for this type.
    public var sqlName: String {
        switch self {
        case .boolean: return "boolean"
        case .int16: return "smallint"
        case .int32: return "integer"
        case .int64: return "bigint"
        case .float32: return "real"
        case .float64: return "double precision"
        case .numeric(let precision?, let scale?): return "numeric(\(precision),\(scale))"
        case .numeric: return "numeric"
        case .varchar(let length?): return "character varying(\(length))"
        case .varchar: return "character varying"
        case .bpchar(let length?): return "character(\(length))"
        case .bpchar: return "bpchar"
        case .char: return "\"char\""
        case .time: return "time without time zone"
        case .timetz: return "time with time zone"
        case .timestamp: return "timestamp without time zone"
        case .timestamptz: return "timestamp with time zone"
        case .array(let element): return element.sqlName + "[]"
        default: return postgresName
        }
    }

    /// The type with the given `pg_type` OID, for parameter types a client declares.
    public init?(postgresOID: UInt32) {
        guard postgresOID != 0 else { return nil }
        let scalars: [DataType] = [
            .boolean, .bytea, .char, .name, .int64, .int16, .int32, .regproc, .text, .oid, .json, .float32, .float64,
            .unknown, .bpchar(length: nil), .varchar(length: nil), .date, .time, .timetz, .timestamp, .timestamptz,
            .interval, .variableScaleNumeric, .regclass, .regtype, .regnamespace, .regrole, .uuid, .jsonb,
        ]
        if let match = scalars.first(where: { $0.postgresOID == postgresOID }) {
            self = match
        } else if let element = scalars.first(where: { $0.postgresArrayOID == postgresOID }) {
            self = .array(element)
        } else {
            return nil
        }
    }
}
