/// GREATEST, LEAST and IS [NOT] DISTINCT FROM over columns already coerced to one type.
public enum ComparisonFunctions {
    /// `GREATEST(...)` / `LEAST(...)`: NULL arguments are ignored; NULL only when all are NULL.
    public static func extreme(type: DataType, greatest: Bool) -> ScalarFunction {
        ScalarFunction(name: greatest ? "greatest" : "least", resultType: type, isImmutable: true, isStrict: false) {
            arguments, rowCount, _ throws(EngineError) in
            var result = arguments[0]
            for candidate in arguments.dropFirst() {
                let better = ComparisonKernels.compare(greatest ? .greater : .less, candidate, result)
                guard case .bool(let flags) = better.storage else { preconditionFailure("comparison not boolean") }
                let take = (0..<rowCount).map { row in
                    !candidate.isNull(row) && (result.isNull(row) || flags[row] != 0)
                }
                result = choose(take, candidate, otherwise: result)
            }
            return result
        }
    }

    /// `a IS DISTINCT FROM b` (or `IS NOT DISTINCT FROM` when `negated`): NULL compares as a value.
    public static func distinct(negated: Bool) -> ScalarFunction {
        ScalarFunction(
            name: negated ? "is not distinct from" : "is distinct from", resultType: .boolean, isImmutable: true,
            isStrict: false
        ) { arguments, rowCount, _ throws(EngineError) in
            let equal = ComparisonKernels.compare(.equal, arguments[0], arguments[1])
            guard case .bool(let flags) = equal.storage else { preconditionFailure("comparison not boolean") }
            let result = [UInt8](unsafeUninitializedCapacity: rowCount) { out, initialized in
                for row in 0..<rowCount {
                    let leftNull = arguments[0].isNull(row)
                    let rightNull = arguments[1].isNull(row)
                    let same = leftNull || rightNull ? leftNull == rightNull : flags[row] != 0
                    out[row] = same == negated ? 1 : 0
                }
                initialized = rowCount
            }
            return Column(type: .boolean, count: rowCount, validity: nil, storage: .bool(result))
        }
    }

    /// Row `i` from `chosen` where `take[i]`, else from `other`; both columns share a type.
    static func choose(_ take: [Bool], _ chosen: Column, otherwise other: Column) -> Column {
        let count = take.count
        var validity = ValidityBitmap(count: count, allValid: true)
        var anyNull = false
        for row in 0..<count where (take[row] ? chosen : other).isNull(row) {
            validity[row] = false
            anyNull = true
        }
        func pick<T>(_ a: [T], _ b: [T]) -> [T] { (0..<count).map { take[$0] ? a[$0] : b[$0] } }
        let storage: Column.Storage
        switch (chosen.storage, other.storage) {
        case (.bool(let a), .bool(let b)): storage = .bool(pick(a, b))
        case (.int16(let a), .int16(let b)): storage = .int16(pick(a, b))
        case (.int32(let a), .int32(let b)): storage = .int32(pick(a, b))
        case (.uint32(let a), .uint32(let b)): storage = .uint32(pick(a, b))
        case (.int64(let a), .int64(let b)): storage = .int64(pick(a, b))
        case (.float32(let a), .float32(let b)): storage = .float32(pick(a, b))
        case (.float64(let a), .float64(let b)): storage = .float64(pick(a, b))
        case (.decimal(let a), .decimal(let b)): storage = .decimal(pick(a, b))
        case (.interval(let a), .interval(let b)): storage = .interval(pick(a, b))
        case (.bytes, .bytes):
            let a = chosen.byteBuffers
            let b = other.byteBuffers
            var writer = BytesColumnWriter(rowCount: count, dataCapacity: max(a.data.count, b.data.count))
            for row in 0..<count {
                writer.append(contentsOf: Column.slice(take[row] ? a : b, row))
                writer.endRow()
            }
            storage = writer.build().storage
        default:
            return Column(
                type: chosen.type, values: (0..<count).map { take[$0] ? chosen.value(at: $0) : other.value(at: $0) })
        }
        return Column(type: chosen.type, count: count, validity: anyNull ? validity : nil, storage: storage)
    }
}
