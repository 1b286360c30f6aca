import Foundation

/// COALESCE, NULLIF, GREATEST and LEAST over columns already coerced to one type.
public enum ConditionalFunctions {
    /// The first non-NULL argument per row.
    public static func coalesce(type: DataType) -> ScalarFunction {
        ScalarFunction(
            name: "coalesce", resultType: type, isImmutable: true, isStrict: false, evaluatesArgumentsInTurn: true
        ) { arguments, rowCount, _ throws(EngineError) in
            var builder = ColumnBuilder(type: type, capacity: rowCount)
            for row in 0..<rowCount {
                builder.append(arguments.first(where: { !$0.isNull(row) })?.value(at: row) ?? .null)
            }
            return builder.build()
        }
    }

    /// NULL where the arguments are equal, else the first (the binder passes `a = b` as the second column).
    public static func nullIf(type: DataType) -> ScalarFunction {
        ScalarFunction(name: "nullif", resultType: type, isImmutable: true, isStrict: false) {
            arguments, rowCount, _ throws(EngineError) in
            guard case .bool(let equal) = arguments[1].storage else { preconditionFailure("nullif without comparison") }
            var result = arguments[0]
            var validity = result.validity ?? ValidityBitmap(count: rowCount, allValid: true)
            for row in 0..<rowCount where !arguments[1].isNull(row) && equal[row] != 0 { validity[row] = false }
            result.validity = validity
            return result
        }
    }
}

extension ConditionalFunctions {
    /// `num_nulls(...)` / `num_nonnulls(...)`: how many arguments are (not) NULL per row.
    public static func countNulls(nonNull: Bool) -> ScalarFunction {
        ScalarFunction(name: nonNull ? "num_nonnulls" : "num_nulls", resultType: .int32, isStrict: false) {
            arguments, rowCount, _ throws(EngineError) in
            var counts = [Int32](repeating: 0, count: rowCount)
            for argument in arguments {
                for row in 0..<rowCount where argument.isNull(row) != nonNull { counts[row] += 1 }
            }
            return Column(type: .int32, count: rowCount, validity: nil, storage: .int32(counts))
        }
    }

    /// `gen_random_uuid()`: a version 4 UUID per row.
    public static let randomUUID = ScalarFunction(name: "gen_random_uuid", resultType: .uuid, isStrict: true) {
        _, rowCount, _ throws(EngineError) in
        var writer = BytesColumnWriter(rowCount: rowCount, dataCapacity: rowCount * 36)
        for _ in 0..<rowCount {
            writer.append(contentsOf: UUID().uuidString.lowercased().utf8)
            writer.endRow()
        }
        return writer.build(type: .uuid)
    }
}
