import Engine

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

extension PartitionTransform {
    private static let microsPerHour: Int64 = 3_600_000_000
    private static let microsPerDay: Int64 = 86_400_000_000

    /// The partition value for a source value in Weir's value form; nil where the type does not
    /// fit the transform.
    public func apply(_ value: Value, source: IcebergType) -> Value? {
        if value.isNull { return .null }
        switch self {
        case .identity: return value
        case .void: return .null
        case .bucket(let count): return Self.bucket(value, source: source, count: count).map { .int32($0) }
        case .truncate(let width): return Self.truncate(value, width: width, source: source)
        case .year, .month, .day, .hour: return timeUnit(value, source: source).map { .int32($0) }
        }
    }

    private func timeUnit(_ value: Value, source: IcebergType) -> Int32? {
        let days: Int64
        var micros: Int64?
        switch (value, source) {
        case (.int32(let number), .date): days = Int64(number)
        case (.int64(let number), .timestamp), (.int64(let number), .timestamptz),
            (.int64(let number), .timestampNanos), (.int64(let number), .timestamptzNanos):
            micros = number
            days = SingleValueSerialization.floorDivide(number, Self.microsPerDay)
        default: return nil
        }
        switch self {
        case .hour:
            guard let micros else { return nil }
            return Int32(truncatingIfNeeded: SingleValueSerialization.floorDivide(micros, Self.microsPerHour))
        case .day: return Int32(truncatingIfNeeded: days)
        case .month, .year:
            let (year, month) = Self.civilYearMonth(daysSinceEpoch: days)
            return Int32(truncatingIfNeeded: self == .year ? year - 1970 : (year - 1970) * 12 + month - 1)
        default: return nil
        }
    }

    private static func truncate(_ value: Value, width: Int, source: IcebergType) -> Value? {
        let modulus = Int64(width)
        switch value {
        case .int32(let number):
            return .int32(Int32(truncatingIfNeeded: Int64(number) - positiveRemainder(Int64(number), modulus)))
        case .int64(let number): return .int64(number - positiveRemainder(number, modulus))
        case .decimal(let unscaled):
            let remainder = ((unscaled % Int128(width)) + Int128(width)) % Int128(width)
            return .decimal(unscaled - remainder)
        case .bytes(let bytes):
            if source == .string {
                return .bytes(
                    Array(
                        String(decoding: bytes, as: UTF8.self).unicodeScalars.prefix(width).map(String.init).joined()
                            .utf8))
            }
            return .bytes(Array(bytes.prefix(width)))
        default: return nil
        }
    }

    private static func positiveRemainder(_ value: Int64, _ modulus: Int64) -> Int64 {
        ((value % modulus) + modulus) % modulus
    }

    /// Year and month (1...12) of a day count since 1970-01-01 in the proleptic Gregorian calendar.
    static func civilYearMonth(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month)
    }
}
