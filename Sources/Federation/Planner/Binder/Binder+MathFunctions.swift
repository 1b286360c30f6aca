import Engine
import SQL

extension Binder {
    /// Binds a math function; nil when `name` is not one. Integer arguments go to the float8
    /// version where PostgreSQL has no integer one (`round(5)` is double precision), numeric
    /// arguments keep exact numeric where Weir's fixed-scale numeric can hold the result.
    mutating func bindMathFunction(_ name: String, _ arguments: [BoundExpression], location: Int) throws(BindError)
        -> BoundExpression?
    {
        let signature = FunctionSignature(name: name, arguments: arguments, location: location)
        let first = arguments.first?.type
        switch name {
        case "pi":
            guard arguments.isEmpty else { throw noFunction(name, arguments, location: location) }
            return .constant(.float64(Double.pi), .float64)
        case "random":
            guard arguments.isEmpty else { throw noFunction(name, arguments, location: location) }
            return .function(MathFunctions.random, [])
        case "abs" where arguments.count == 1 && (first!.isInteger || first!.isNumericDecimal):
            return .function(NumericFunctions.abs(type: first!), arguments)
        case "abs" where arguments.count == 1 && first == .float32:
            // real's abs is real; through double precision it is exact.
            let absolute = BoundExpression.function(MathFunctions.unary(name), try bindArguments(signature, [.float64]))
            return .cast(absolute, to: .float32)
        case "ceil", "ceiling", "floor", "round", "trunc", "sign":
            if case .numeric(_, let scale) = first {
                if name == "sign" { return .function(NumericFunctions.sign, try bindArguments(signature, [first!])) }
                var digits = 0
                if arguments.count == 2, name == "round" || name == "trunc" {
                    guard
                        case .constant(let value, _) = try coerce(
                            arguments[1], to: .int32, clause: nil, location: location),
                        case .int32(let constant) = value
                    else {
                        throw BindError(
                            .featureNotSupported,
                            "\(name)(numeric, integer) with a non-constant scale is not supported yet",
                            location: location)
                    }
                    digits = Int(constant)
                } else if arguments.count != 1 {
                    throw noFunction(name, arguments, location: location)
                }
                let mode: NumericFunctions.Rounding =
                    name == "round" ? .round : name == "trunc" ? .trunc : name == "floor" ? .floor : .ceil
                return .function(NumericFunctions.rescale(mode, from: scale, digits: digits), [arguments[0]])
            }
            if arguments.count == 2, name == "round" || name == "trunc", first!.isInteger {
                let numeric = try coerce(
                    arguments[0], to: .numeric(precision: nil, scale: 0), clause: nil, location: location)
                return try bindMathFunction(name, [numeric, arguments[1]], location: location)
            }
            return .function(MathFunctions.unary(name), try bindArguments(signature, [.float64]))
        case _ where MathFunctions.unaryNames.contains(name) && arguments.count == 1:
            if first!.isNumericDecimal { throw numericGap(name, location: location) }
            return .function(MathFunctions.unary(name), try bindArguments(signature, [.float64]))
        case "log" where arguments.count == 2:
            throw numericGap(name, location: location)
        case "power", "pow", "atan2":
            if arguments.contains(where: { $0.type.isNumericDecimal }) { throw numericGap(name, location: location) }
            return .function(
                MathFunctions.binary(name == "atan2" ? "atan2" : "power"),
                try bindArguments(signature, [.float64, .float64]))
        case "mod":
            guard arguments.count == 2,
                arguments.allSatisfy({ $0.type.isInteger || $0.type.isNumericDecimal || $0.type == .unknown })
            else {
                throw noFunction(name, arguments, location: location)
            }
            return try bindOperator("%", arguments[0], arguments[1], location: location)
        case "div":
            guard arguments.count == 2,
                arguments.allSatisfy({ $0.type.isInteger || $0.type.isNumericDecimal || $0.type == .unknown })
            else {
                throw noFunction(name, arguments, location: location)
            }
            let scales = arguments.map { argument -> Int? in
                if case .numeric(_, let scale) = argument.type { return scale }
                return 0
            }
            let type =
                scales.contains(nil)
                ? DataType.variableScaleNumeric : .numeric(precision: nil, scale: scales.map { $0! }.max() ?? 0)
            return .function(NumericFunctions.div, try bindArguments(signature, [type, type]))
        case "gcd", "lcm":
            guard arguments.count == 2, arguments.allSatisfy({ $0.type.isInteger || $0.type == .unknown }) else {
                throw noFunction(name, arguments, location: location)
            }
            let type: DataType = arguments.contains { $0.type == .int64 } ? .int64 : .int32
            return .function(
                NumericFunctions.gcdOrLCM(lcm: name == "lcm", type: type), try bindArguments(signature, [type, type]))
        case "width_bucket":
            guard arguments.count == 4 else { throw noFunction(name, arguments, location: location) }
            return .function(
                MathFunctions.widthBucket, try bindArguments(signature, [.float64, .float64, .float64, .int32]))
        default:
            return nil
        }
    }

    func numericGap(_ name: String, location: Int) -> BindError {
        BindError(
            .featureNotSupported, "\(name)() on numeric is not supported yet",
            hint: "Cast the argument to double precision.", location: location)
    }
}
