import Engine
import SQL

extension Binder {
    /// `ARRAY[a, b, ...]`: the elements coerced to their common type.
    mutating func bindArrayConstructor(_ items: [ParsedExpression], scope: [ScopeColumn], location: Int)
        throws(BindError) -> BoundExpression
    {
        let bound = try items.map { item throws(BindError) in try bind(item, scope: scope) }
        guard !bound.isEmpty else {
            throw BindError(
                .indeterminateDatatype, "cannot determine type of empty array",
                hint: "Explicitly cast to the desired type, for example ARRAY[]::integer[].", location: location)
        }
        var element = try commonType(bound.map(\.type), context: "ARRAY", location: location)
        if element == .unknown { element = .text }
        if case .array = element {
            throw BindError(.featureNotSupported, "multidimensional arrays are not supported yet", location: location)
        }
        let coerced = try bound.map { item throws(BindError) in
            try coerce(item, to: element, clause: "ARRAY", location: location)
        }
        return .function(ArrayFunctions.constructor(element: element), coerced)
    }

    /// `array[index]`.
    mutating func bindArrayElement(
        _ array: ParsedExpression, index: ParsedExpression, scope: [ScopeColumn], location: Int
    ) throws(BindError)
        -> BoundExpression
    {
        let value = try bind(array, scope: scope)
        guard case .array(let element) = value.type else {
            throw BindError(
                .datatypeMismatch,
                "cannot subscript type \(value.type.sqlName) because it does not support subscripting",
                location: location)
        }
        let position = try coerce(
            try bind(index, scope: scope), to: .int32, clause: "array subscript", location: location)
        return .function(ArrayFunctions.element(of: element), [value, position])
    }

    /// `x op ANY (array)` and `x op ALL (array)`: the operator bound as for one element, applied to each.
    mutating func bindQuantified(
        _ op: String, _ lhs: ParsedExpression, _ rhs: ParsedExpression, all: Bool, scope: [ScopeColumn], location: Int
    )
        throws(BindError) -> BoundExpression
    {
        var left = try bind(lhs, scope: scope)
        var array = try bind(rhs, scope: scope)
        if array.type == .unknown {
            // `x = ANY ('{1,2}')`: the literal is an array of the left operand's type.
            if left.type == .unknown { left = try coerce(left, to: .text, clause: nil, location: location) }
            array = try coerce(array, to: .array(left.type), clause: nil, location: location)
        }
        guard case .array(let element) = array.type else {
            throw BindError(.wrongObjectType, "op ANY/ALL (array) requires array on right side", location: location)
        }
        if left.type == .unknown { left = try coerce(left, to: element, clause: nil, location: location) }
        let comparison = try bindOperator(
            op, .column(index: 0, type: left.type), .column(index: 1, type: element), location: location)
        guard comparison.type == .boolean else {
            throw BindError(
                .wrongObjectType, "op ANY/ALL (array) requires operator to yield boolean", location: location)
        }
        return .function(ArrayFunctions.quantified(comparison, all: all), [left, array])
    }

    /// `unnest`, `generate_series`, `generate_subscripts` and `_pg_expandarray` in a select list: a column of the
    /// ProjectSet node added below the select list (see `PendingAttachment.setReturning`).
    mutating func bindSetReturningCall(_ name: String, _ call: FunctionCall, scope: [ScopeColumn]) throws(BindError)
        -> BoundExpression
    {
        guard setReturningFunctionsAllowed, let planWidth = attachmentPlanWidth else {
            throw BindError(
                .featureNotSupported,
                "set-returning functions are not allowed here; call \(name) in a select list or in FROM",
                location: call.location)
        }
        // Arguments are bound as ordinary expressions, where no other set-returning call may appear.
        setReturningFunctionsAllowed = false
        defer { setReturningFunctionsAllowed = true }
        var arguments = try call.arguments.map { argument throws(BindError) in try bind(argument, scope: scope) }
        let signature = BindError(
            .undefinedFunction,
            "function \(name)(\(arguments.map(\.type.sqlName).joined(separator: ", "))) does not exist",
            hint: "No function matches the given name and argument types. You might need to add explicit type casts.",
            location: call.location)
        let bound: SetReturningCall
        switch name {
        case "unnest":
            guard arguments.count == 1, case .array(let element) = arguments[0].type else { throw signature }
            bound = SetReturningCall(.unnest, arguments: arguments, resultType: element)
        case "_pg_expandarray":
            guard arguments.count == 1, case .array(let element) = arguments[0].type else { throw signature }
            bound = SetReturningCall(
                .expandArray, arguments: arguments,
                resultType: .record([RecordField("x", element), RecordField("n", .int32)]))
        case "generate_subscripts":
            guard arguments.count == 2 || arguments.count == 3, case .array = arguments[0].type else { throw signature }
            arguments[1] = try coerce(arguments[1], to: .int32, clause: name, location: call.location)
            if arguments.count == 3 {
                arguments[2] = try coerce(arguments[2], to: .boolean, clause: name, location: call.location)
            }
            bound = SetReturningCall(.generateSubscripts, arguments: arguments, resultType: .int32)
        default:
            guard arguments.count == 2 || arguments.count == 3,
                arguments.allSatisfy({ $0.type.isInteger || $0.type == .unknown })
            else {
                throw signature
            }
            let type: DataType = arguments.contains { $0.type == .int64 } ? .int64 : .int32
            arguments = try arguments.map { argument throws(BindError) in
                try coerce(argument, to: type, clause: name, location: call.location)
            }
            bound = SetReturningCall(.generateSeries, arguments: arguments, resultType: type)
        }
        let column = planWidth + pendingAttachments.reduce(0) { $0 + $1.width }
        pendingAttachments.append(.setReturning(bound))
        return .column(index: column, type: bound.resultType)
    }

    /// `array || array`, `array || element` and `element || array`.
    mutating func bindArrayConcatenation(_ lhs: BoundExpression, _ rhs: BoundExpression, location: Int)
        throws(BindError) -> BoundExpression
    {
        var (left, right) = (lhs, rhs)
        // An untyped literal next to an array is an array of the same type, as in PostgreSQL.
        if left.type == .unknown { left = try coerce(left, to: right.type, clause: nil, location: location) }
        if right.type == .unknown { right = try coerce(right, to: left.type, clause: nil, location: location) }
        let leftElement: DataType? = if case .array(let element) = left.type { element } else { nil }
        let rightElement: DataType? = if case .array(let element) = right.type { element } else { nil }
        let element = try commonType(
            [leftElement ?? left.type, rightElement ?? right.type], context: "||", location: location)
        if leftElement == nil {
            left = .function(
                ArrayFunctions.constructor(element: element),
                [try coerce(left, to: element, clause: nil, location: location)])
        }
        if rightElement == nil {
            right = .function(
                ArrayFunctions.constructor(element: element),
                [try coerce(right, to: element, clause: nil, location: location)])
        }
        left = try coerce(left, to: .array(element), clause: nil, location: location)
        right = try coerce(right, to: .array(element), clause: nil, location: location)
        return .function(ArrayFunctions.concatenate(element: element), [left, right])
    }

    /// `string_to_array`, `array_to_string`, `array_length`, `array_upper`, `array_lower`, `cardinality`; nil for other names.
    mutating func bindArrayFunction(_ name: String, _ arguments: [BoundExpression], location: Int) throws(BindError)
        -> BoundExpression?
    {
        switch name {
        case "array_to_string":
            guard arguments.count == 2 || arguments.count == 3, case .array = arguments[0].type else { return nil }
            let texts = try arguments.dropFirst().map { argument throws(BindError) in
                try coerce(argument, to: .text, clause: name, location: location)
            }
            return .function(ArrayFunctions.toText, [arguments[0]] + texts)
        case "string_to_array":
            guard arguments.count == 2 || arguments.count == 3 else { return nil }
            let texts = try arguments.map { argument throws(BindError) in
                try coerce(argument, to: .text, clause: name, location: location)
            }
            return .function(ArrayFunctions.fromText, texts)
        case "array_length", "array_upper", "array_lower":
            guard arguments.count == 2, case .array = arguments[0].type else { return nil }
            return .function(
                ArrayFunctions.dimension(name),
                [arguments[0], try coerce(arguments[1], to: .int32, clause: name, location: location)])
        case "cardinality":
            guard arguments.count == 1, case .array = arguments[0].type else { return nil }
            return .function(ArrayFunctions.dimension(name), arguments)
        default:
            return nil
        }
    }
}
