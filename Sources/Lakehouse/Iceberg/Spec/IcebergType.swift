import Engine

/// An Iceberg data type (spec "Schemas and Data Types"), primitive or nested.
public indirect enum IcebergType: Sendable, Hashable, Codable, CustomStringConvertible {
    case boolean
    case int
    case long
    case float
    case double
    case decimal(precision: Int, scale: Int)
    case date
    /// Microseconds since midnight.
    case time
    /// Microseconds since the epoch, without a zone.
    case timestamp
    /// Microseconds since the epoch, UTC.
    case timestamptz
    case timestampNanos
    case timestamptzNanos
    case string
    case uuid
    case fixed(length: Int)
    case binary
    case structType([NestedField])
    case list(elementID: Int, element: IcebergType, elementRequired: Bool)
    case map(keyID: Int, key: IcebergType, valueID: Int, value: IcebergType, valueRequired: Bool)

    /// True for every type but struct, list and map.
    public var isPrimitive: Bool {
        switch self {
        case .structType, .list, .map: return false
        default: return true
        }
    }

    /// The Weir type a column of this type reads as; nil for nested types, which the engine does
    /// not handle yet. Nanosecond timestamps read at microsecond precision.
    public var dataType: DataType? {
        switch self {
        case .boolean: return .boolean
        case .int: return .int32
        case .long: return .int64
        case .float: return .float32
        case .double: return .float64
        case .decimal(let precision, let scale): return .numeric(precision: precision, scale: scale)
        case .date: return .date
        case .time: return .time
        case .timestamp, .timestampNanos: return .timestamp
        case .timestamptz, .timestamptzNanos: return .timestamptz
        case .string: return .text
        case .uuid: return .uuid
        case .fixed, .binary: return .bytea
        case .structType, .list, .map: return nil
        }
    }

    /// The type's name as the spec writes it in metadata JSON (`decimal(9,2)`, `fixed[16]`, ...).
    public var description: String {
        switch self {
        case .boolean: return "boolean"
        case .int: return "int"
        case .long: return "long"
        case .float: return "float"
        case .double: return "double"
        case .decimal(let precision, let scale): return "decimal(\(precision),\(scale))"
        case .date: return "date"
        case .time: return "time"
        case .timestamp: return "timestamp"
        case .timestamptz: return "timestamptz"
        case .timestampNanos: return "timestamp_ns"
        case .timestamptzNanos: return "timestamptz_ns"
        case .string: return "string"
        case .uuid: return "uuid"
        case .fixed(let length): return "fixed[\(length)]"
        case .binary: return "binary"
        case .structType: return "struct"
        case .list: return "list"
        case .map: return "map"
        }
    }

    /// The primitive type a spec type name denotes, or nil for a name that is not one.
    public static func primitive(named name: String) -> IcebergType? {
        switch name {
        case "boolean": return .boolean
        case "int": return .int
        case "long": return .long
        case "float": return .float
        case "double": return .double
        case "date": return .date
        case "time": return .time
        case "timestamp": return .timestamp
        case "timestamptz": return .timestamptz
        case "timestamp_ns": return .timestampNanos
        case "timestamptz_ns": return .timestamptzNanos
        case "string": return .string
        case "uuid": return .uuid
        case "binary": return .binary
        default: break
        }
        if name.hasPrefix("fixed[") && name.hasSuffix("]"), let length = Int(name.dropFirst(6).dropLast()) {
            return .fixed(length: length)
        }
        let compact = name.filter { $0 != " " }
        if compact.hasPrefix("decimal(") && compact.hasSuffix(")") {
            let parts = compact.dropFirst(8).dropLast().split(separator: ",")
            if parts.count == 2, let precision = Int(parts[0]), let scale = Int(parts[1]) {
                return .decimal(precision: precision, scale: scale)
            }
        }
        return nil
    }
}
