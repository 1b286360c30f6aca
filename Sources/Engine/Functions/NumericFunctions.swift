/// Exact numeric and integer math: rounding to a scale, sign, abs, div, gcd/lcm.
///
/// Numerics are scaled `Int128`s; the binder fixes each result's scale from the argument types
/// and constant scale arguments, so a kernel only moves digits.
public enum NumericFunctions {
    public enum Rounding: Sendable { case round, trunc, ceil, floor }

    /// `round/trunc/ceil/floor(numeric [, digits])` keeping `digits` decimals (negative rounds left of
    /// the point); the result has scale `max(0, digits)`. `from` is the input's scale, nil when each
    /// value carries its own (`variableScaleNumeric`).
    public static func rescale(_ mode: Rounding, from: Int?, digits: Int) -> ScalarFunction {
        let resultScale = max(0, digits)
        let type = DataType.numeric(precision: nil, scale: resultScale)
        return ScalarFunction(name: "\(mode)", resultType: type, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            let column = arguments[0]
            let values = column.decimalValues
            var output = [Int128](repeating: 0, count: rowCount)
            for row in 0..<rowCount where !column.isNull(row) {
                if let from {
                    output[row] = try rescaled(values[row], from: from, digits: digits, mode: mode)
                } else {
                    let value = ScaledDecimal(packed: values[row])
                    output[row] = try rescaled(value.digits, from: value.scale, digits: digits, mode: mode)
                }
            }
            return Column(type: type, count: rowCount, validity: column.validity, storage: .decimal(output))
        }
    }

    static func rescaled(_ value: Int128, from scale: Int, digits: Int, mode: Rounding) throws(EngineError) -> Int128 {
        if digits >= scale { return try ScaledDecimal.rescale(value, from: scale, to: digits) }
        guard let divisor = ScaledDecimal.powerOfTen(scale - digits) else {
            // The divisor is past Int128, so it exceeds the value: the quotient is 0 and the
            // remainder the value itself (floor(-5e-21) is -1, not 0).
            var quotient: Int128 = 0
            if mode == .ceil, value > 0 { quotient = 1 }
            if mode == .floor, value < 0 { quotient = -1 }
            return digits < 0 ? try ScaledDecimal.rescale(quotient, from: 0, to: -digits) : quotient
        }
        var quotient = value / divisor
        let remainder = value % divisor
        switch mode {
        case .round: if remainder.magnitude * 2 >= divisor.magnitude { quotient += value < 0 ? -1 : 1 }
        case .trunc: break
        case .ceil: if remainder > 0 { quotient += 1 }
        case .floor: if remainder < 0 { quotient -= 1 }
        }
        return digits < 0 ? try ScaledDecimal.rescale(quotient, from: 0, to: -digits) : quotient
    }

    /// `sign(numeric)`: -1, 0 or 1, with scale 0 as PostgreSQL prints it.
    public static let sign = ScalarFunction(
        name: "sign", resultType: .numeric(precision: nil, scale: 0), isStrict: true
    ) {
        arguments, rowCount, _ throws(EngineError) in
        let column = arguments[0]
        let variable = column.type.isVariableScaleNumeric
        let output = column.decimalValues.map { value -> Int128 in
            let digits = variable ? ScaledDecimal(packed: value).digits : value
            return digits > 0 ? 1 : (digits < 0 ? -1 : 0)
        }
        return Column(
            type: .numeric(precision: nil, scale: 0), count: rowCount, validity: column.validity,
            storage: .decimal(output))
    }

    /// `abs` over any integer or numeric column; the most negative integer has no absolute value.
    public static func abs(type: DataType) -> ScalarFunction {
        ScalarFunction(name: "abs", resultType: type, isStrict: true) { arguments, rowCount, _ throws(EngineError) in
            let column = arguments[0]
            func magnitudes<T: FixedWidthInteger & SignedInteger>(_ values: [T], _ name: String) throws(EngineError)
                -> [T]
            {
                var output = values
                for row in 0..<rowCount where !column.isNull(row) {
                    guard values[row] != T.min else { throw EngineError.outOfRange(name) }
                    output[row] = Swift.abs(values[row])
                }
                return output
            }
            let storage: Column.Storage
            switch column.storage {
            case .int16(let v): storage = .int16(try magnitudes(v, "smallint"))
            case .int32(let v): storage = .int32(try magnitudes(v, "integer"))
            case .int64(let v): storage = .int64(try magnitudes(v, "bigint"))
            case .decimal(let v) where type.isVariableScaleNumeric:
                storage = .decimal(
                    v.map { value in
                        let scaled = ScaledDecimal(packed: value)
                        return scaled.digits < 0
                            ? (try? ScaledDecimal(digits: -scaled.digits, scale: scaled.scale).packed) ?? value : value
                    })
            case .decimal(let v): storage = .decimal(v.map { Swift.abs($0) })
            default: preconditionFailure("abs on \(column.type)")
            }
            return Column(type: type, count: rowCount, validity: column.validity, storage: storage)
        }
    }

    /// `div(numeric, numeric)`: the truncated integer quotient; both arguments at scale `scale`.
    public static let div = ScalarFunction(name: "div", resultType: .numeric(precision: nil, scale: 0), isStrict: true)
    { arguments, rowCount, _ throws(EngineError) in
        let a = arguments[0].decimalValues
        let b = arguments[1].decimalValues
        let validity = ValidityBitmap.all(arguments)
        let variable = arguments[0].type.isVariableScaleNumeric
        var output = [Int128](repeating: 0, count: rowCount)
        for row in 0..<rowCount where validity?[row] ?? true {
            var (x, y) = (a[row], b[row])
            if variable {
                let (left, right) = (ScaledDecimal(packed: x), ScaledDecimal(packed: y))
                let scale = max(left.scale, right.scale)
                (x, y) = (try left.digits(atScale: scale), try right.digits(atScale: scale))
            }
            guard y != 0 else { throw EngineError.divisionByZero() }
            output[row] = x / y
        }
        return Column(
            type: .numeric(precision: nil, scale: 0), count: rowCount, validity: validity, storage: .decimal(output))
    }

    /// `gcd` / `lcm` over int4 or int8 columns of one type.
    public static func gcdOrLCM(lcm: Bool, type: DataType) -> ScalarFunction {
        ScalarFunction(name: lcm ? "lcm" : "gcd", resultType: type, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            let validity = ValidityBitmap.all(arguments)
            let typeName = type == .int32 ? "integer" : "bigint"
            func compute(_ a: Int64, _ b: Int64) throws(EngineError) -> Int64 {
                var (x, y) = (a.magnitude, b.magnitude)
                while y != 0 { (x, y) = (y, x % y) }
                let gcd = x
                if !lcm {
                    guard let value = type == .int32 ? Int64(exactly: Int32(exactly: gcd) ?? 0) : Int64(exactly: gcd),
                        gcd == 0 || value != 0
                    else { throw EngineError.outOfRange(typeName) }
                    return value
                }
                if a == 0 || b == 0 { return 0 }
                let (product, overflow) = (a.magnitude / gcd).multipliedReportingOverflow(by: b.magnitude)
                guard !overflow, let value = Int64(exactly: product), type == .int64 || Int32(exactly: value) != nil
                else {
                    throw EngineError.outOfRange(typeName)
                }
                return value
            }
            switch (arguments[0].storage, arguments[1].storage) {
            case (.int32(let a), .int32(let b)):
                var output = [Int32](repeating: 0, count: rowCount)
                for row in 0..<rowCount where validity?[row] ?? true {
                    output[row] = Int32(try compute(Int64(a[row]), Int64(b[row])))
                }
                return Column(type: type, count: rowCount, validity: validity, storage: .int32(output))
            case (.int64(let a), .int64(let b)):
                var output = [Int64](repeating: 0, count: rowCount)
                for row in 0..<rowCount where validity?[row] ?? true { output[row] = try compute(a[row], b[row]) }
                return Column(type: type, count: rowCount, validity: validity, storage: .int64(output))
            default:
                preconditionFailure("gcd on \(type)")
            }
        }
    }
}
