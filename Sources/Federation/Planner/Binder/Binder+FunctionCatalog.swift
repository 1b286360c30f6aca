import Engine
import SQL

/// Resolution of the built-in scalar functions by name and argument types, PostgreSQL-style:
/// unknown literals take the parameter's type, integers widen to float8 where only a float8
/// version exists, and a call no signature accepts is `42883`.
extension Binder {
    /// Binds a string, math or miscellaneous function; nil when `name` is not one of them.
    mutating func bindCatalogFunction(_ name: String, _ arguments: [BoundExpression], location: Int) throws(BindError)
        -> BoundExpression?
    {
        if let math = try bindMathFunction(name, arguments, location: location) { return math }
        if let dateTime = try bindDateTimeFunction(name, arguments, location: location) { return dateTime }
        let signature = FunctionSignature(name: name, arguments: arguments, location: location)
        switch name {
        case "initcap", "reverse", "md5", "quote_ident", "quote_literal", "quote_nullable", "ascii":
            var bound = arguments
            if name.hasPrefix("quote_l") || name.hasPrefix("quote_n"), arguments.count == 1, !arguments[0].type.isString
            {
                // quote_literal(anyelement) quotes the value's text form.
                bound = [try asText(arguments[0], location: location)]
            }
            bound = try bindArguments(FunctionSignature(name: name, arguments: bound, location: location), [.text])
            let functions: [String: ScalarFunction] = [
                "initcap": StringFormattingFunctions.initcap, "reverse": StringEditingFunctions.reverse,
                "md5": StringFormattingFunctions.md5, "quote_ident": StringFormattingFunctions.quoteIdent,
                "quote_literal": StringFormattingFunctions.quoteLiteral(nullable: false),
                "quote_nullable": StringFormattingFunctions.quoteLiteral(nullable: true),
                "ascii": StringFormattingFunctions.ascii,
            ]
            return .function(functions[name]!, bound)
        case "bit_length":
            let bound = try bindArguments(signature, [.text])
            return .arithmetic(
                .multiply, .function(StringFunctions.octetLength, bound), .constant(.int32(8), .int32),
                resultType: .int32)
        case "substring", "substr":
            let bound = try bindArguments(signature, arguments.count == 2 ? [.text, .int32] : [.text, .int32, .int32])
            return .function(StringEditingFunctions.substring, bound)
        case "strpos", "position":
            return .function(StringEditingFunctions.strpos, try bindArguments(signature, [.text, .text]))
        case "btrim", "ltrim", "rtrim":
            let bound = try bindArguments(signature, arguments.count == 1 ? [.text] : [.text, .text])
            return .function(StringEditingFunctions.trim(leading: name != "rtrim", trailing: name != "ltrim"), bound)
        case "lpad", "rpad":
            let bound = try bindArguments(signature, arguments.count == 2 ? [.text, .int32] : [.text, .int32, .text])
            return .function(StringEditingFunctions.pad(left: name == "lpad"), bound)
        case "left", "right":
            return .function(
                StringEditingFunctions.side(left: name == "left"), try bindArguments(signature, [.text, .int32]))
        case "replace":
            return .function(StringEditingFunctions.replace, try bindArguments(signature, [.text, .text, .text]))
        case "encode":
            return .function(BinaryEncodingFunctions.encode, try bindArguments(signature, [.bytea, .text]))
        case "decode":
            return .function(BinaryEncodingFunctions.decode, try bindArguments(signature, [.text, .text]))
        case "translate":
            return .function(StringEditingFunctions.translate, try bindArguments(signature, [.text, .text, .text]))
        case "overlay":
            let bound = try bindArguments(
                signature, arguments.count == 3 ? [.text, .text, .int32] : [.text, .text, .int32, .int32])
            return .function(StringEditingFunctions.overlay, bound)
        case "repeat":
            return .function(StringEditingFunctions.repeatText, try bindArguments(signature, [.text, .int32]))
        case "split_part":
            return .function(StringEditingFunctions.splitPart, try bindArguments(signature, [.text, .text, .int32]))
        case "starts_with":
            return .function(StringEditingFunctions.startsWith, try bindArguments(signature, [.text, .text]))
        case "chr":
            return .function(StringFormattingFunctions.chr, try bindArguments(signature, [.int32]))
        case "to_hex":
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            let type: DataType = arguments[0].type == .int64 ? .int64 : .int32
            return .function(StringFormattingFunctions.toHex, try bindArguments(signature, [type]))
        case "concat_ws", "format":
            guard let first = arguments.first, first.type.isString else {
                throw noFunction(name, arguments, location: location)
            }
            var bound = [try coerce(first, to: .text, clause: nil, location: location)]
            for argument in arguments.dropFirst() { bound.append(try asText(argument, location: location)) }
            return .function(
                name == "format" ? StringFormattingFunctions.format : StringFormattingFunctions.concatWithSeparator,
                bound)
        case "num_nulls", "num_nonnulls":
            guard !arguments.isEmpty else { throw noFunction(name, arguments, location: location) }
            return .function(ConditionalFunctions.countNulls(nonNull: name == "num_nonnulls"), arguments)
        case "gen_random_uuid":
            guard arguments.isEmpty else { throw noFunction(name, arguments, location: location) }
            return .function(ConditionalFunctions.randomUUID, [])
        case "pg_typeof":
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            return .constant(.uint32(arguments[0].type.postgresOID), .regtype)
        default:
            return nil
        }
    }

    /// A call's name, arguments and position, for argument coercion and its errors.
    struct FunctionSignature {
        let name: String
        let arguments: [BoundExpression]
        let location: Int
    }

    /// Coerces each argument to `types` implicitly (text parameters also accept any string type);
    /// a count or type no implicit cast bridges is "function does not exist".
    mutating func bindArguments(_ signature: FunctionSignature, _ types: [DataType]) throws(BindError)
        -> [BoundExpression]
    {
        guard signature.arguments.count == types.count else {
            throw noFunction(signature.name, signature.arguments, location: signature.location)
        }
        var bound: [BoundExpression] = []
        for (argument, type) in zip(signature.arguments, types) {
            let source = argument.type
            let accepted: Bool
            switch type {
            case .text: accepted = source.isString
            case .int32: accepted = source == .int16 || source == .int32 || source == .unknown
            case .int64: accepted = source.isInteger || source == .unknown
            case .float64: accepted = source.isNumeric || source == .unknown
            case .numeric: accepted = source.isInteger || source.isNumericDecimal || source == .unknown
            default: accepted = source == type || source == .unknown
            }
            guard accepted else { throw noFunction(signature.name, signature.arguments, location: signature.location) }
            bound.append(try coerce(argument, to: type, clause: nil, location: signature.location))
        }
        return bound
    }

    /// Any value as text through its output function (the `any` parameters of concat_ws and format).
    /// An argument of `concat`, `concat_ws` or `format` as text: strings as they are, other values
    /// as their output function writes them.
    mutating func asText(_ argument: BoundExpression, location: Int) throws(BindError) -> BoundExpression {
        if argument.type.isString || argument.type == .unknown {
            return try coerce(argument, to: .text, clause: nil, location: location)
        }
        return .function(StringFunctions.outputText, [argument])
    }
}
