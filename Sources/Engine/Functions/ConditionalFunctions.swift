/// COALESCE, NULLIF, GREATEST and LEAST over columns already coerced to one type.
public enum ConditionalFunctions {
    /// The first non-NULL argument per row.
    public static func coalesce(type: DataType) -> ScalarFunction {
        ScalarFunction(name: "coalesce", resultType: type) { arguments, rowCount, _ in
            var builder = ColumnBuilder(type: type, capacity: rowCount)
            for row in 0..<rowCount {
                builder.append(arguments.first(where: { !$0.isNull(row) })?.value(at: row) ?? .null)
            }
            return builder.build()
        }
    }

    /// NULL where the arguments are equal, else the first (the binder passes `a = b` as the second column).
    public static func nullIf(type: DataType) -> ScalarFunction {
        ScalarFunction(name: "nullif", resultType: type) { arguments, rowCount, _ in
            guard case .bool(let equal) = arguments[1].storage else { preconditionFailure("nullif without comparison") }
            var result = arguments[0]
            var validity = result.validity ?? ValidityBitmap(count: rowCount, allValid: true)
            for row in 0..<rowCount where !arguments[1].isNull(row) && equal[row] != 0 { validity[row] = false }
            result.validity = validity
            return result
        }
    }
}
