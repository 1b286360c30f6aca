/// Whole-column comparisons producing boolean columns (NULL where either side is NULL).
enum ComparisonKernels {
    static func compare(_ op: ComparisonOperator, _ lhs: Column, _ rhs: Column) -> Column {
        let validity = ValidityBitmap.intersect(lhs.validity, rhs.validity)
        let result: [UInt8]
        switch (lhs.storage, rhs.storage) {
        case (.bool(let a), .bool(let b)): result = fixed(op, a, b)
        case (.int16(let a), .int16(let b)): result = fixed(op, a, b)
        case (.int32(let a), .int32(let b)): result = fixed(op, a, b)
        case (.uint32(let a), .uint32(let b)): result = fixed(op, a, b)
        case (.int64(let a), .int64(let b)): result = fixed(op, a, b)
        case (.float32(let a), .float32(let b)): result = floating(op, a, b)
        case (.float64(let a), .float64(let b)): result = floating(op, a, b)
        case (.decimal(let a), .decimal(let b)) where lhs.type.isVariableScaleNumeric:
            result = fixed(
                op, a.map { ScaledDecimal(packed: $0).orderKey }, b.map { ScaledDecimal(packed: $0).orderKey })
        case (.decimal(let a), .decimal(let b)): result = fixed(op, a, b)
        case (.bytes(let ao, let ad), .bytes(let bo, let bd)): result = bytes(op, ao, ad, bo, bd)
        case (.interval(let a), .interval(let b)):
            result = (0..<a.count).map { outcome(op, compareIntervals(a[$0], b[$0])) ? 1 : 0 }
        case (.array, .array):
            result = (0..<lhs.count).map { row in
                lhs.isNull(row) || rhs.isNull(row)
                    ? 0 : (outcome(op, compareValues(lhs.value(at: row), rhs.value(at: row))) ? 1 : 0)
            }
        default: preconditionFailure("comparison on mismatched storage \(lhs.type) \(op.rawValue) \(rhs.type)")
        }
        return Column(type: .boolean, count: lhs.count, validity: validity, storage: .bool(result))
    }

    @inline(__always)
    static func outcome(_ op: ComparisonOperator, _ order: Int) -> Bool {
        switch op {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        }
    }

    static func fixed<T: Comparable>(_ op: ComparisonOperator, _ a: [T], _ b: [T]) -> [UInt8] {
        let count = a.count
        return [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    switch op {
                    case .equal: for i in 0..<count { out[i] = a[i] == b[i] ? 1 : 0 }
                    case .notEqual: for i in 0..<count { out[i] = a[i] != b[i] ? 1 : 0 }
                    case .less: for i in 0..<count { out[i] = a[i] < b[i] ? 1 : 0 }
                    case .lessOrEqual: for i in 0..<count { out[i] = a[i] <= b[i] ? 1 : 0 }
                    case .greater: for i in 0..<count { out[i] = a[i] > b[i] ? 1 : 0 }
                    case .greaterOrEqual: for i in 0..<count { out[i] = a[i] >= b[i] ? 1 : 0 }
                    }
                }
            }
            initialized = count
        }
    }

    /// PostgreSQL orders NaN above every other float and equal to itself.
    static func floating<T: BinaryFloatingPoint>(_ op: ComparisonOperator, _ a: [T], _ b: [T]) -> [UInt8] {
        (0..<a.count).map { i in
            let x = a[i]
            let y = b[i]
            let order: Int
            if x.isNaN || y.isNaN {
                order = x.isNaN ? (y.isNaN ? 0 : 1) : -1
            } else {
                order = x < y ? -1 : (x == y ? 0 : 1)
            }
            return outcome(op, order) ? 1 : 0
        }
    }

    /// Byte-wise (C collation) comparison of variable-width values.
    static func bytes(_ op: ComparisonOperator, _ ao: [Int32], _ ad: [UInt8], _ bo: [Int32], _ bd: [UInt8]) -> [UInt8] {
        let count = ao.count - 1
        return ad.withUnsafeBufferPointer { ad in
            bd.withUnsafeBufferPointer { bd in
                (0..<count).map { i in
                    let a = UnsafeBufferPointer(rebasing: ad[Int(ao[i])..<Int(ao[i + 1])])
                    let b = UnsafeBufferPointer(rebasing: bd[Int(bo[i])..<Int(bo[i + 1])])
                    return outcome(op, compareBytes(a, b)) ? 1 : 0
                }
            }
        }
    }

    /// PostgreSQL compares intervals by their length with a month taken as 30 days.
    static func compareIntervals(_ a: Interval, _ b: Interval) -> Int {
        func span(_ value: Interval) -> Int128 {
            (Int128(value.months) * 30 + Int128(value.days)) * 86_400_000_000 + Int128(value.microseconds)
        }
        let (x, y) = (span(a), span(b))
        return x < y ? -1 : (x == y ? 0 : 1)
    }

    /// Orders two values of one type as PostgreSQL's btree comparison does; arrays compare element
    /// by element (NULL elements after all others), then by length.
    static func compareValues(_ a: Value, _ b: Value) -> Int {
        func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return 1
        case (_, .null): return -1
        case (.bool(let x), .bool(let y)): return order(x ? 1 : 0, y ? 1 : 0)
        case (.int16(let x), .int16(let y)): return order(x, y)
        case (.int32(let x), .int32(let y)): return order(x, y)
        case (.uint32(let x), .uint32(let y)): return order(x, y)
        case (.int64(let x), .int64(let y)): return order(x, y)
        case (.decimal(let x), .decimal(let y)): return order(x, y)
        case (.float32(let x), .float32(let y)):
            return x.isNaN || y.isNaN ? order(x.isNaN ? 1 : 0, y.isNaN ? 1 : 0) : order(x, y)
        case (.float64(let x), .float64(let y)):
            return x.isNaN || y.isNaN ? order(x.isNaN ? 1 : 0, y.isNaN ? 1 : 0) : order(x, y)
        case (.interval(let x), .interval(let y)): return compareIntervals(x, y)
        case (.bytes(let x), .bytes(let y)):
            return x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in compareBytes(x, y) } }
        case (.array(let x), .array(let y)):
            for (left, right) in zip(x, y) {
                let result = compareValues(left, right)
                if result != 0 { return result }
            }
            return order(x.count, y.count)
        default:
            preconditionFailure("comparison of values of different types: \(a) and \(b)")
        }
    }

    @inline(__always)
    static func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(a.count, b.count)
        if common > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let c = memcmp(pa, pb, common)
            if c != 0 { return c < 0 ? -1 : 1 }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
