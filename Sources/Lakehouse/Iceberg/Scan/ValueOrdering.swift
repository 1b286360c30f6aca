import Engine

/// Orders boxed values of one column for pruning: integers of any width together, floating
/// point together, decimals by unscaled value, bytes lexicographically (UTF-8 order for text).
enum ValueOrdering {
    /// -1, 0 or 1; nil when the two cannot be compared (different families, NaN, null).
    static func compare(_ left: Value, _ right: Value) -> Int? {
        switch (left, right) {
        case (.bool(let a), .bool(let b)): return sign(a == b ? 0 : (a ? 1 : -1))
        case (.decimal(let a), .decimal(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.bytes(let a), .bytes(let b)):
            for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
            return sign(a.count - b.count)
        default:
            if let a = integer(left), let b = integer(right) { return a < b ? -1 : (a == b ? 0 : 1) }
            if let a = floating(left), let b = floating(right), !a.isNaN, !b.isNaN {
                return a < b ? -1 : (a == b ? 0 : 1)
            }
            return nil
        }
    }

    private static func sign(_ value: Int) -> Int { value < 0 ? -1 : (value == 0 ? 0 : 1) }

    private static func integer(_ value: Value) -> Int64? {
        switch value {
        case .int16(let number): return Int64(number)
        case .int32(let number): return Int64(number)
        case .uint32(let number): return Int64(number)
        case .int64(let number): return number
        default: return nil
        }
    }

    private static func floating(_ value: Value) -> Double? {
        switch value {
        case .float32(let number): return Double(number)
        case .float64(let number): return number
        default: return integer(value).map { Double($0) }
        }
    }
}
