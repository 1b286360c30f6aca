/// How a partition field derives its value from a source column (spec "Partition Transforms").
public enum PartitionTransform: Sendable, Hashable, Codable, CustomStringConvertible {
    case identity
    case bucket(Int)
    case truncate(Int)
    case year
    case month
    case day
    case hour
    case void

    /// Parses a transform as metadata JSON writes it (`identity`, `bucket[16]`, `truncate[4]`, ...);
    /// `0A000` for a transform Weir does not know.
    public static func parse(_ text: String) throws -> PartitionTransform {
        switch text {
        case "identity": return .identity
        case "year": return .year
        case "month": return .month
        case "day": return .day
        case "hour": return .hour
        case "void", "alwaysNull": return .void
        default: break
        }
        for (prefix, make) in [("bucket[", PartitionTransform.bucket), ("truncate[", PartitionTransform.truncate)]
        where text.hasPrefix(prefix) && text.hasSuffix("]") {
            if let width = Int(text.dropFirst(prefix.count).dropLast()), width > 0 { return make(width) }
        }
        throw LakehouseError.unsupported("partition transform \"\(text)\" is not supported")
    }

    public var description: String {
        switch self {
        case .identity: return "identity"
        case .bucket(let count): return "bucket[\(count)]"
        case .truncate(let width): return "truncate[\(width)]"
        case .year: return "year"
        case .month: return "month"
        case .day: return "day"
        case .hour: return "hour"
        case .void: return "void"
        }
    }

    /// The type of the partition values this transform produces from `source`.
    public func resultType(source: IcebergType) -> IcebergType {
        switch self {
        case .identity, .truncate, .void: return source
        case .bucket, .year, .month, .day, .hour: return .int
        }
    }

    /// True when `a <= b` implies `transform(a) <= transform(b)`, so range predicates on the
    /// source project onto the partition value.
    public var preservesOrder: Bool {
        switch self {
        case .identity, .truncate, .year, .month, .day, .hour: return true
        case .bucket, .void: return false
        }
    }
}
