import Engine

/// How system catalogs describe types: the `pg_type` rows and the `information_schema` columns.
extension SystemCatalog {
    /// The scalar types `pg_type` lists (each with its array type).

    /// `pg_type.typbyval`: fixed-width types of at most 8 bytes are passed by value.
    static func passedByValue(_ type: DataType) -> Bool {
        switch type {
        case .boolean, .char, .int16, .int32, .int64, .float32, .float64, .date, .time, .timestamp, .timestamptz, .oid,
            .regclass, .regtype, .regproc, .regnamespace, .regrole:
            return true
        default:
            return false
        }
    }

    /// `pg_type.typcategory`.
    static func category(_ type: DataType) -> String {
        switch type {
        case .boolean: return "B"
        case .int16, .int32, .int64, .float32, .float64, .numeric, .oid, .regclass, .regtype, .regproc, .regnamespace,
            .regrole:
            return "N"
        case .text, .varchar, .bpchar, .name: return "S"
        case .date, .time, .timestamp, .timestamptz: return "D"
        case .interval: return "T"
        case .unknown: return "X"
        case .char: return "Z"
        case .array: return "A"
        default: return "U"
        }
    }

    /// `pg_type.typispreferred`: the type implicit casts prefer within its category.
    static func isPreferred(_ type: DataType) -> Bool {
        [.boolean, .float64, .text, .timestamptz, .interval, .oid].contains(type)
    }

    /// `information_schema.columns.data_type`: the SQL name without modifiers.
    static func informationSchemaTypeName(_ type: DataType) -> String {
        switch type {
        case .numeric: return "numeric"
        case .varchar: return "character varying"
        case .bpchar: return "character"
        case .array: return "ARRAY"
        default: return type.sqlName
        }
    }

    static func characterLength(_ type: DataType) -> Value {
        switch type {
        case .varchar(let length?), .bpchar(let length?): return .int32(Int32(length))
        default: return .null
        }
    }

    static func numericPrecision(_ type: DataType) -> Value {
        switch type {
        case .int16: return .int32(16)
        case .int32: return .int32(32)
        case .int64: return .int32(64)
        case .float32: return .int32(24)
        case .float64: return .int32(53)
        case .numeric(let precision?, _): return .int32(Int32(precision))
        default: return .null
        }
    }

    static func numericScale(_ type: DataType) -> Value {
        switch type {
        case .int16, .int32, .int64: return .int32(0)
        case .numeric(_?, let scale?): return .int32(Int32(scale))
        default: return .null
        }
    }

    static func datetimePrecision(_ type: DataType) -> Value {
        switch type {
        case .date: return .int32(0)
        case .time, .timestamp, .timestamptz, .interval: return .int32(6)
        default: return .null
        }
    }
}
