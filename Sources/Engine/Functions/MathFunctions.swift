import Foundation

/// double precision math functions with PostgreSQL's domain errors: one typed loop per call.
public enum MathFunctions {
    /// The float8 functions of one argument, by SQL name.
    public static let unaryNames: Set<String> = [
        "sqrt", "cbrt", "exp", "ln", "log", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "cot",
        "degrees", "radians", "ceil", "ceiling", "floor", "round", "trunc", "sign", "abs",
    ]

    /// `name(float8)`; nil when `name` is not one of `unaryNames`.
    public static func unary(_ name: String) -> ScalarFunction {
        ScalarFunction(name: name, resultType: .float64, isStrict: true) { arguments, rowCount, _ throws(EngineError) in
            let input = arguments[0].float64Values
            let validity = arguments[0].validity
            var output = [Double](repeating: 0, count: rowCount)
            for row in 0..<rowCount where validity?[row] ?? true {
                output[row] = try apply(name, input[row])
            }
            return Column(type: .float64, count: rowCount, validity: validity, storage: .float64(output))
        }
    }

    static func apply(_ name: String, _ x: Double) throws(EngineError) -> Double {
        switch name {
        case "sqrt":
            guard x >= 0 || x.isNaN else {
                throw EngineError(.invalidArgumentForPowerFunction, "cannot take square root of a negative number")
            }
            return x.squareRoot()
        case "cbrt": return Foundation.cbrt(x)
        case "exp":
            let y = Foundation.exp(x)
            if y.isInfinite && x.isFinite { throw EngineError(.numericValueOutOfRange, "value out of range: overflow") }
            if y == 0 && x.isFinite { throw EngineError(.numericValueOutOfRange, "value out of range: underflow") }
            return y
        case "ln", "log", "log10":
            if x == 0 { throw EngineError(.invalidArgumentForLogarithm, "cannot take logarithm of zero") }
            if x < 0 { throw EngineError(.invalidArgumentForLogarithm, "cannot take logarithm of a negative number") }
            return name == "ln" ? Foundation.log(x) : Foundation.log10(x)
        case "sin", "cos", "tan", "cot":
            if x.isInfinite { throw EngineError(.numericValueOutOfRange, "input is out of range") }
            switch name {
            case "sin": return Foundation.sin(x)
            case "cos": return Foundation.cos(x)
            case "tan": return Foundation.tan(x)
            default: return 1 / Foundation.tan(x)
            }
        case "asin", "acos":
            guard x.isNaN || (-1...1).contains(x) else {
                throw EngineError(.numericValueOutOfRange, "input is out of range")
            }
            return name == "asin" ? Foundation.asin(x) : Foundation.acos(x)
        case "atan": return Foundation.atan(x)
        case "degrees": return x * (180 / Double.pi)
        case "radians": return x * (Double.pi / 180)
        case "ceil", "ceiling": return x.rounded(.up)
        case "floor": return x.rounded(.down)
        // PostgreSQL's float round() uses rint(): halves go to the even neighbour.
        case "round": return x.rounded(.toNearestOrEven)
        case "trunc": return x.rounded(.towardZero)
        case "sign": return x > 0 ? 1 : (x < 0 ? -1 : 0)
        case "abs": return Swift.abs(x)
        default: preconditionFailure("unknown float function \(name)")
        }
    }

    /// `power(float8, float8)` and `atan2(float8, float8)`.
    public static func binary(_ name: String) -> ScalarFunction {
        ScalarFunction(name: name, resultType: .float64, isStrict: true) { arguments, rowCount, _ throws(EngineError) in
            let a = arguments[0].float64Values
            let b = arguments[1].float64Values
            let validity = ValidityBitmap.all(arguments)
            var output = [Double](repeating: 0, count: rowCount)
            for row in 0..<rowCount where validity?[row] ?? true {
                let x = a[row]
                let y = b[row]
                if name == "atan2" { output[row] = Foundation.atan2(x, y); continue }
                if x == 0 && y < 0 {
                    throw EngineError(.invalidArgumentForPowerFunction, "zero raised to a negative power is undefined")
                }
                if x < 0 && y.rounded() != y && y.isFinite {
                    throw EngineError(
                        .invalidArgumentForPowerFunction,
                        "a negative number raised to a non-integer power yields a complex result")
                }
                let result = Foundation.pow(x, y)
                if result.isInfinite && x.isFinite && y.isFinite {
                    throw EngineError(.numericValueOutOfRange, "value out of range: overflow")
                }
                output[row] = result
            }
            return Column(type: .float64, count: rowCount, validity: validity, storage: .float64(output))
        }
    }

    /// `random()`: uniform in [0, 1), a fresh value per row.
    public static let random = ScalarFunction(name: "random", resultType: .float64, isStrict: true) {
        _, rowCount, _ throws(EngineError) in
        var generator = SystemRandomNumberGenerator()
        let values = (0..<rowCount).map { _ in Double.random(in: 0..<1, using: &generator) }
        return Column(type: .float64, count: rowCount, validity: nil, storage: .float64(values))
    }

    /// `width_bucket(operand, low, high, count)` over float8.
    public static let widthBucket = ScalarFunction(name: "width_bucket", resultType: .int32, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let operand = arguments[0].float64Values
        let low = arguments[1].float64Values
        let high = arguments[2].float64Values
        let counts = arguments[3].int32Values
        return try RowwiseKernels.int32(arguments, rowCount: rowCount) { row throws(EngineError) in
            guard counts[row] > 0 else {
                throw EngineError(.invalidArgumentForWidthBucketFunction, "count must be greater than zero")
            }
            let (x, lo, hi, n) = (operand[row], low[row], high[row], Double(counts[row]))
            guard lo != hi else {
                throw EngineError(.invalidArgumentForWidthBucketFunction, "lower bound cannot equal upper bound")
            }
            if lo < hi {
                if x < lo { return 0 }
                if x >= hi { return counts[row] + 1 }
                return Int32(n * (x - lo) / (hi - lo)) + 1
            }
            if x > lo { return 0 }
            if x <= hi { return counts[row] + 1 }
            return Int32(n * (lo - x) / (lo - hi)) + 1
        }
    }
}
