/// PostgreSQL's bitwise operators on smallint, integer and bigint: `&`, `|`, `#` (xor), `~`, and
/// the shifts `<<` / `>>` (arithmetic, by an integer count taken modulo the width, as in C on x86).
public enum BitwiseFunctions {
    public enum Operator: String, Sendable {
        case and = "&", or = "|", xor = "#", shiftLeft = "<<", shiftRight = ">>"
    }

    /// `a op b` over two columns of `type`, or for shifts a `type` column and an integer column.
    public static func binary(_ op: Operator, type: DataType) -> ScalarFunction {
        ScalarFunction(name: op.rawValue, resultType: type, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            let validity = ValidityBitmap.all(arguments)
            func apply<T: FixedWidthInteger>(_ a: [T], _ b: [T]) -> [T] {
                switch op {
                case .and: return (0..<rowCount).map { a[$0] & b[$0] }
                case .or: return (0..<rowCount).map { a[$0] | b[$0] }
                case .xor: return (0..<rowCount).map { a[$0] ^ b[$0] }
                case .shiftLeft: return (0..<rowCount).map { a[$0] &<< b[$0] }
                case .shiftRight: return (0..<rowCount).map { a[$0] &>> b[$0] }
                }
            }
            func counts<T: FixedWidthInteger>(_: T.Type) -> [T] {
                guard case .int32(let shifts) = arguments[1].storage else {
                    preconditionFailure("shift count is integer")
                }
                return shifts.map { T(truncatingIfNeeded: $0) }
            }
            let shifting = op == .shiftLeft || op == .shiftRight
            let storage: Column.Storage
            switch (arguments[0].storage, arguments[1].storage) {
            case (.int16(let a), .int16(let b)): storage = .int16(apply(a, b))
            case (.int32(let a), .int32(let b)): storage = .int32(apply(a, b))
            case (.int64(let a), .int64(let b)): storage = .int64(apply(a, b))
            case (.int16(let a), _) where shifting: storage = .int16(apply(a, counts(Int16.self)))
            case (.int64(let a), _) where shifting: storage = .int64(apply(a, counts(Int64.self)))
            default: preconditionFailure("bitwise \(op.rawValue) on \(arguments[0].type), \(arguments[1].type)")
            }
            return Column(type: type, count: rowCount, validity: validity, storage: storage)
        }
    }

    /// `~a`: every bit inverted.
    public static func not(type: DataType) -> ScalarFunction {
        ScalarFunction(name: "~", resultType: type, isStrict: true) { arguments, rowCount, _ throws(EngineError) in
            let column = arguments[0]
            let storage: Column.Storage
            switch column.storage {
            case .int16(let v): storage = .int16(v.map { ~$0 })
            case .int32(let v): storage = .int32(v.map { ~$0 })
            case .int64(let v): storage = .int64(v.map { ~$0 })
            default: preconditionFailure("bitwise ~ on \(column.type)")
            }
            return Column(type: type, count: rowCount, validity: column.validity, storage: storage)
        }
    }
}
