/// A SQL data type as Weir's engine sees it, with PostgreSQL's semantics.
///
/// Each type has one physical layout in a `Column` (see `Column.Storage`); the PostgreSQL
/// type OID and name live here too because both the wire layer and the system catalogs need them.
public indirect enum DataType: Hashable, Sendable {
    case boolean
    case int16
    case int32
    case int64
    case float32
    case float64
    /// Decimal stored as a scaled 128-bit integer. With a `scale`, every value has that many digits
    /// after the point; without one (`variableScaleNumeric`), each value carries its own scale as a
    /// `ScaledDecimal`, the way PostgreSQL's `numeric` shows `1 / 3.0` and `1.50` side by side.
    case numeric(precision: Int?, scale: Int?)
    case text
    case varchar(length: Int?)
    case bpchar(length: Int?)
    case name
    /// PostgreSQL's one-byte `"char"`, the type of catalog codes such as `pg_class.relkind`.
    case char
    case bytea
    /// Days since 1970-01-01.
    case date
    /// Microseconds since midnight.
    case time
    /// A time of day with a UTC offset, packed as a `TimeWithTimeZone`.
    case timetz
    /// Microseconds since 1970-01-01 00:00:00 (no time zone).
    case timestamp
    /// Microseconds since 1970-01-01 00:00:00 UTC.
    case timestamptz
    case interval
    case uuid
    case json
    case jsonb
    case oid
    case regclass
    case regtype
    case regproc
    /// A schema's OID, printed as its name.
    case regnamespace
    /// A role's OID, printed as its name.
    case regrole
    /// The type of a string literal not yet resolved by context (PostgreSQL's `unknown`).
    case unknown
    /// A one-dimensional array of `element`.
    case array(DataType)
    /// A composite value (PostgreSQL's anonymous `record`), such as `ROW(1, 'a')` or what
    /// `_pg_expandarray` returns. Values are kept in PostgreSQL's record text form, `(1,a)`, which is
    /// what clients receive; `RecordText` reads fields back by position.
    case record([RecordField])

    /// `numeric` whose values each carry their own display scale (see `ScaledDecimal`).
    public static let variableScaleNumeric = DataType.numeric(precision: nil, scale: nil)

    /// True for `variableScaleNumeric`, whose `decimal` storage holds packed `ScaledDecimal`s.
    public var isVariableScaleNumeric: Bool {
        if case .numeric(_, nil) = self { return true }
        return false
    }

    /// True for the OID types that print as the name of a catalog object the session looks up:
    /// `regclass`, `regnamespace`, `regrole` (see `TextOutput.objectName`).
    public var namesCatalogObject: Bool {
        switch self {
        case .regclass, .regnamespace, .regrole: return true
        default: return false
        }
    }

    /// The physical layout values of this type use.
    public var storageKind: StorageKind {
        switch self {
        case .boolean: return .bool
        case .int16: return .int16
        case .int32, .date: return .int32
        case .oid, .regclass, .regtype, .regproc, .regnamespace, .regrole: return .uint32
        case .int64, .time, .timetz, .timestamp, .timestamptz: return .int64
        case .float32: return .float32
        case .float64: return .float64
        case .numeric: return .decimal
        case .interval: return .interval
        case .text, .varchar, .bpchar, .name, .char, .bytea, .json, .jsonb, .unknown, .uuid, .record: return .bytes
        case .array: return .array
        }
    }

    /// True for the string types PostgreSQL puts in its string category.
    public var isString: Bool {
        switch self {
        case .text, .varchar, .bpchar, .name, .unknown: return true
        default: return false
        }
    }

    /// True for `character(n)`, whose values are padded with spaces to their length.
    public var isBlankPadded: Bool {
        if case .bpchar = self { return true }
        return false
    }

    /// True for the integer, floating-point and numeric types.
    public var isNumeric: Bool {
        switch self {
        case .int16, .int32, .int64, .float32, .float64, .numeric: return true
        default: return false
        }
    }
}

/// The in-memory representation family of a column's values.
public enum StorageKind: Sendable {
    case bool, int16, int32, uint32, int64, float32, float64, decimal, interval, bytes, array
}

/// One field of a `record` type.
public struct RecordField: Hashable, Sendable {
    public var name: String
    public var type: DataType

    public init(_ name: String, _ type: DataType) {
        self.name = name
        self.type = type
    }
}
