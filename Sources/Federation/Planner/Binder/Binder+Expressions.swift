import Catalog
import Engine
import SQL

extension Binder {
    mutating func bind(_ expression: ParsedExpression, scope: [ScopeColumn]) throws(BindError) -> BoundExpression {
        switch expression {
        case .literal(let literal, let location):
            return try bindLiteral(literal, location: location)
        case .column(let parts, let location):
            return try resolveColumn(parts, scope: scope, location: location)
        case .parameter(let number, let location):
            guard number >= 1, number <= 65535 else {
                throw BindError(.undefinedParameter, "there is no parameter $\(number)", location: location)
            }
            if parameterTypes.count < number {
                parameterTypes += Array(repeating: nil, count: number - parameterTypes.count)
            }
            return .parameter(index: number - 1, type: parameterTypes[number - 1] ?? .unknown)
        case .binary(let op, .row(let left, _), .row(let right, _), let location):
            return try bindRowComparison(op, left, right, scope: scope, location: location)
        case .binary(let op, let lhs, let rhs, let location):
            return try bindOperator(op, try bind(lhs, scope: scope), try bind(rhs, scope: scope), location: location)
        case .unary(let op, let operand, let location):
            var bound = try bind(operand, scope: scope)
            if bound.type == .unknown {
                bound = try coerce(bound, to: .numeric(precision: nil, scale: 0), clause: nil, location: location)
            }
            switch op {
            case "-" where bound.type == .interval:
                return try bindOperator("-", .constant(.interval(Interval()), .interval), bound, location: location)
            case "-":
                guard bound.type.isNumeric else { throw operatorMissing(op, nil, bound.type, location: location) }
                if case .constant(.int32(let v), _) = bound, v != Int32.min { return .constant(.int32(-v), .int32) }
                return .negate(bound)
            case "+":
                guard bound.type.isNumeric else { throw operatorMissing(op, nil, bound.type, location: location) }
                return bound
            case "~" where bound.type.isInteger:
                return .function(BitwiseFunctions.not(type: bound.type), [bound])
            default:
                throw operatorMissing(op, nil, bound.type, location: location)
            }
        case .and(let items):
            return .and(
                try items.map { item throws(BindError) in
                    try coerce(try bind(item, scope: scope), to: .boolean, clause: "AND", location: item.location)
                })
        case .or(let items):
            return .or(
                try items.map { item throws(BindError) in
                    try coerce(try bind(item, scope: scope), to: .boolean, clause: "OR", location: item.location)
                })
        case .not(let item):
            return .not(try coerce(try bind(item, scope: scope), to: .boolean, clause: "NOT", location: item.location))
        case .isNull(let item, let negated):
            return .isNull(try bind(item, scope: scope), negated: negated)
        case .booleanTest(let item, let test, let location):
            let bound = try coerce(try bind(item, scope: scope), to: .boolean, clause: "IS", location: location)
            let isTrue = BoundExpression.and([.not(.isNull(bound, negated: false)), bound])
            let isFalse = BoundExpression.and([.not(.isNull(bound, negated: false)), .not(bound)])
            switch test {
            case .isTrue: return isTrue
            case .isNotTrue: return .not(isTrue)
            case .isFalse: return isFalse
            case .isNotFalse: return .not(isFalse)
            case .isUnknown: return .isNull(bound, negated: false)
            case .isNotUnknown: return .isNull(bound, negated: true)
            }
        case .cast(let item, let typeName, let location):
            let target = try resolveType(typeName)
            if case .parameter(let number, _) = item, number >= 1, number <= 65535 {
                if parameterTypes.count < number {
                    parameterTypes += Array(repeating: nil, count: number - parameterTypes.count)
                }
                if parameterTypes[number - 1] == nil { parameterTypes[number - 1] = target }
            }
            if case .arrayConstructor(let items, _) = item, items.isEmpty, case .array = target {
                return .constant(.array([]), target)
            }
            if target == .interval, let mask = typeName.modifiers.first,
                case .literal(.string(let text), let literalLocation) = item,
                let unit = Self.intervalUnit(fieldMask: mask), Double(text.trimmingCharacters(in: .whitespaces)) != nil
            {
                // `INTERVAL '3' MONTH`: a bare number counts units of the qualifier's last field.
                return try coerce(
                    try bind(.literal(.string("\(text) \(unit)"), location: literalLocation), scope: scope), to: target,
                    clause: nil,
                    location: location, explicit: true)
            }
            if case .literal(.numeric(let text), _) = item, let float = Self.floatLiteral(text, as: target) {
                // `1e308::float8`: read as the float itself, past what Weir's numeric holds (PostgreSQL's
                // numeric → float conversion rounds the same decimal text to the same nearest value).
                return float
            }
            let converted = try coerce(
                try bind(item, scope: scope), to: target, clause: nil, location: location, explicit: true)
            switch (converted, target) {
            case (.constant, _): return converted  // a literal was read with the length applied
            case (_, .varchar(_?)), (_, .bpchar(_?)):
                // An explicit cast to a length-limited string cuts longer values to the length.
                return .function(StringFunctions.fitLength(target), [converted])
            default: return converted
            }
        case .caseWhen(let operand, let branches, let otherwise, let location):
            return try bindCase(
                operand: operand, branches: branches, otherwise: otherwise, scope: scope, location: location)
        case .specialFunction(let function, let location):
            return try bindSpecialFunction(function, location: location)
        case .function(let call):
            return try bindFunction(call, scope: scope)
        case .inList(.row(let fields, _), let list, let negated, let location):
            // (a, b) IN ((1, 2), (3, 4)): any of the rows, compared field by field.
            let any = BoundExpression.or(
                try list.map { element throws(BindError) in
                    guard case .row(let candidate, _) = element else {
                        let other = try bind(element, scope: scope).type
                        throw BindError(
                            .undefinedFunction, "operator does not exist: record = \(other.sqlName)",
                            hint:
                                "No operator matches the given name and argument types. You might need to add explicit type casts.",
                            location: location)
                    }
                    return try bindRowComparison("=", fields, candidate, scope: scope, location: location)
                })
            return negated ? .not(any) : any
        case .inList(let item, let list, let negated, let location):
            let lhs = try bind(item, scope: scope)
            let comparisons = try list.map { element throws(BindError) in
                try bindOperator("=", lhs, try bind(element, scope: scope), location: location)
            }
            let any = BoundExpression.or(comparisons)
            return negated ? .not(any) : any
        case .between(let item, let low, let high, let negated, let location):
            let value = try bind(item, scope: scope)
            let range = BoundExpression.and([
                try bindOperator(">=", value, try bind(low, scope: scope), location: location),
                try bindOperator("<=", value, try bind(high, scope: scope), location: location),
            ])
            return negated ? .not(range) : range
        case .coalesce(let items, let location):
            let bound = try items.map { item throws(BindError) in try bind(item, scope: scope) }
            let type = try commonType(bound.map(\.type), context: "COALESCE", location: location)
            let coerced = try bound.map { item throws(BindError) in
                try coerce(item, to: type, clause: "COALESCE", location: location)
            }
            return .function(ConditionalFunctions.coalesce(type: type), coerced)
        case .nullIf(let lhs, let rhs, let location):
            let left = try bind(lhs, scope: scope)
            let equal = try bindOperator("=", left, try bind(rhs, scope: scope), location: location)
            var value = left.type == .unknown ? try coerce(left, to: .text, clause: nil, location: location) : left
            // The result has the type the `=` reads the first argument as: its own where PostgreSQL
            // has a cross-type operator (int4 = int8), else the common type (int4 = float8 is float8).
            if case .comparison(_, let compared, _) = equal, !Self.comparesAcrossTypes(value.type, compared.type) {
                // An integer read as numeric keeps its own (zero) scale.
                let type =
                    value.type.isInteger && compared.type.isNumericDecimal
                    ? .numeric(precision: nil, scale: 0) : compared.type
                value = try coerce(value, to: type, clause: "NULLIF", location: location)
            }
            return .function(ConditionalFunctions.nullIf(type: value.type), [value, equal])
        case .greatest(let items, let location), .least(let items, let location):
            let name: String
            if case .greatest = expression { name = "GREATEST" } else { name = "LEAST" }
            let bound = try items.map { item throws(BindError) in try bind(item, scope: scope) }
            let type = try commonType(bound.map(\.type), context: name, location: location)
            let coerced = try bound.map { item throws(BindError) in
                try coerce(item, to: type, clause: name, location: location)
            }
            return .function(ComparisonFunctions.extreme(type: type, greatest: name == "GREATEST"), coerced)
        case .distinctFrom(let lhs, let rhs, let negated, let location):
            var left = try bind(lhs, scope: scope)
            var right = try bind(rhs, scope: scope)
            left = try inferParameter(left, from: right.type)
            right = try inferParameter(right, from: left.type)
            let type = try comparisonType(left.type, right.type, op: "=", location: location)
            return .function(
                ComparisonFunctions.distinct(negated: negated),
                [
                    try coerce(left, to: type, clause: nil, location: location),
                    try coerce(right, to: type, clause: nil, location: location),
                ])
        case .subquery(let subquery):
            return try bindSubqueryValue(subquery, scope: scope)
        case .arrayConstructor(let items, let location):
            return try bindArrayConstructor(items, scope: scope, location: location)
        case .arrayElement(let array, let index, let location):
            return try bindArrayElement(array, index: index, scope: scope, location: location)
        case .quantified(let op, let lhs, let rhs, let all, let location):
            return try bindQuantified(op, lhs, rhs, all: all, scope: scope, location: location)
        case .row(let items, _):
            return try bindRow(items, scope: scope)
        case .fieldSelection(let record, let field, let location):
            return try bindFieldSelection(record, field: field, scope: scope, location: location)
        case .grouping(let arguments, let location):
            return try bindGroupingCall(arguments, scope: scope, location: location)
        case .groupingSet(_, _, let location):
            throw BindError(.syntaxError, "grouping sets are only allowed in GROUP BY", location: location)
        case .unsupported(let feature, let location):
            throw BindError(.featureNotSupported, "\(feature) is not supported yet", location: location)
        }
    }

    /// A numeric literal cast straight to real or double precision, or nil for other targets.
    /// Literals that overflow or underflow the type are left to the ordinary cast, which refuses them.
    static func floatLiteral(_ text: String, as target: DataType) -> BoundExpression? {
        let isZero = !text.prefix { $0 != "e" && $0 != "E" }.contains { $0.isNumber && $0 != "0" }
        func representable<F: BinaryFloatingPoint>(_ value: F?) -> F? {
            guard let value, value.isFinite, value != 0 || isZero else { return nil }
            return value
        }
        switch target {
        case .float64: return representable(Double(text)).map { .constant(.float64($0), .float64) }
        case .float32: return representable(Float(text)).map { .constant(.float32($0), .float32) }
        default: return nil
        }
    }

    func bindLiteral(_ literal: Literal, location: Int) throws(BindError) -> BoundExpression {
        switch literal {
        case .integer(let value):
            if let small = Int32(exactly: value) { return .constant(.int32(small), .int32) }
            return .constant(.int64(value), .int64)
        case .numeric(let text):
            if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let value = Int64(text) {
                // A negated constant such as -2147483648 arrives here and is int4 when it fits, as in PostgreSQL.
                if let small = Int32(exactly: value) { return .constant(.int32(small), .int32) }
                return .constant(.int64(value), .int64)
            }
            let scale = Self.decimalScale(text)
            let type = DataType.numeric(precision: nil, scale: scale)
            do {
                return .constant(
                    .decimal(try TextInput.parseDecimal(text, scale: scale, original: text, type: type)), type)
            } catch {
                throw BindError(error, location: location)
            }
        case .string(let text):
            return .constant(.text(text), .unknown)
        case .boolean(let value):
            return .constant(.bool(value), .boolean)
        case .null:
            return .constant(.null, .unknown)
        }
    }

    /// The number of digits after the point a numeric literal carries (`1.50` → 2, `1e-3` → 3).
    static func decimalScale(_ text: String) -> Int {
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            mantissa = text[..<e]
        }
        let fraction = mantissa.firstIndex(of: ".").map { mantissa.distance(from: $0, to: mantissa.endIndex) - 1 } ?? 0
        return max(0, fraction - exponent)
    }

    /// The unit of the last field in an interval qualifier's typmod mask (PostgreSQL's
    /// `INTERVAL_MASK` bits: MONTH 1, YEAR 2, DAY 3, HOUR 10, MINUTE 11, SECOND 12).
    static func intervalUnit(fieldMask: Int) -> String? {
        for (bit, unit) in [(12, "seconds"), (11, "minutes"), (10, "hours"), (3, "days"), (1, "months"), (2, "years")]
        where fieldMask & (1 << bit) != 0 {
            return unit
        }
        return nil
    }

    mutating func resolveColumn(_ parts: [String], scope: [ScopeColumn], location: Int) throws(BindError)
        -> BoundExpression
    {
        guard let name = parts.last else {
            throw BindError(.undefinedColumn, "empty column reference", location: location)
        }
        let qualifier = parts.count > 1 ? parts[parts.count - 2] : nil
        let matches = scope.enumerated().filter { column in
            column.element.name == name
                && (qualifier == nil ? !column.element.qualifiedOnly : column.element.qualifier == qualifier)
        }
        if matches.count > 1 {
            throw BindError(.ambiguousColumn, "column reference \"\(name)\" is ambiguous", location: location)
        }
        guard let match = matches.first else {
            if let outerScope,
                let outer = outerScope.indices.first(where: { index in
                    outerScope[index].name == name
                        && (qualifier == nil
                            ? !outerScope[index].qualifiedOnly : outerScope[index].qualifier == qualifier)
                })
            {
                outerReferenceCount += 1
                return .column(index: Self.outerReferenceBase + outer, type: outerScope[outer].type)
            }
            if let qualifier, !scope.contains(where: { $0.qualifier == qualifier }) {
                throw BindError(
                    .undefinedTable, "missing FROM-clause entry for table \"\(qualifier)\"", location: location)
            }
            let near = scope.first { $0.name.lowercased() == name.lowercased() }
            throw BindError(
                .undefinedColumn,
                parts.count == 1
                    ? "column \"\(name)\" does not exist" : "column \(parts.joined(separator: ".")) does not exist",
                hint: near.map { "Perhaps you meant to reference the column \"\($0.name)\"." }, location: location)
        }
        return .column(index: match.offset, type: match.element.type)
    }

    // MARK: Operators

    mutating func bindOperator(_ op: String, _ lhs: BoundExpression, _ rhs: BoundExpression, location: Int)
        throws(BindError) -> BoundExpression
    {
        var lhs = try inferParameter(lhs, from: rhs.type)
        var rhs = try inferParameter(rhs, from: lhs.type)
        switch op {
        case "+", "-", "*", "/", "%":
            if let temporal = try bindTemporalArithmetic(op, lhs, rhs, location: location) { return temporal }
            if lhs.type == .unknown {
                lhs = try coerce(
                    lhs, to: rhs.type == .unknown ? .numeric(precision: nil, scale: 0) : rhs.type, clause: nil,
                    location: location)
            }
            if rhs.type == .unknown { rhs = try coerce(rhs, to: lhs.type, clause: nil, location: location) }
            guard lhs.type.isNumeric, rhs.type.isNumeric else {
                throw operatorMissing(op, lhs.type, rhs.type, location: location)
            }
            let arithmetic = ArithmeticOperator(rawValue: op)!
            if case .numeric(_, let leftScale) = lhs.type, case .numeric(_, let rightScale) = rhs.type {
                switch (arithmetic, leftScale, rightScale) {
                case (.multiply, let leftScale?, let rightScale?):
                    return .arithmetic(
                        arithmetic, lhs, rhs, resultType: .numeric(precision: nil, scale: leftScale + rightScale))
                case (.divide, _, _), (_, nil, _), (_, _, nil):
                    // The quotient's scale depends on the values (PostgreSQL's select_div_scale), and an
                    // operand with per-value scales gives results with per-value scales.
                    let type = DataType.variableScaleNumeric
                    return .arithmetic(
                        arithmetic, try coerce(lhs, to: type, clause: nil, location: location),
                        try coerce(rhs, to: type, clause: nil, location: location), resultType: type)
                case (_, let leftScale?, let rightScale?):
                    let type = DataType.numeric(precision: nil, scale: max(leftScale, rightScale))
                    return .arithmetic(
                        arithmetic, try coerce(lhs, to: type, clause: nil, location: location),
                        try coerce(rhs, to: type, clause: nil, location: location), resultType: type)
                }
            }
            let type = Self.promoted(lhs.type, rhs.type)
            if case .numeric = type {
                // An integer operand becomes numeric with scale 0; the numeric rules above then apply.
                let integerAsNumeric = DataType.numeric(precision: nil, scale: 0)
                return try bindOperator(
                    op,
                    lhs.type.isNumericDecimal
                        ? lhs : try coerce(lhs, to: integerAsNumeric, clause: nil, location: location),
                    rhs.type.isNumericDecimal
                        ? rhs : try coerce(rhs, to: integerAsNumeric, clause: nil, location: location),
                    location: location)
            }
            return .arithmetic(
                arithmetic, try coerce(lhs, to: type, clause: nil, location: location),
                try coerce(rhs, to: type, clause: nil, location: location), resultType: type)
        case "=", "<>", "!=", "<", "<=", ">", ">=":
            let comparison = ComparisonOperator(rawValue: op == "!=" ? "<>" : op)!
            let type = try comparisonType(lhs.type, rhs.type, op: op, location: location)
            return .comparison(
                comparison, try coerce(lhs, to: type, clause: nil, location: location),
                try coerce(rhs, to: type, clause: nil, location: location))
        case "||" where lhs.type.storageKind == .array || rhs.type.storageKind == .array:
            return try bindArrayConcatenation(lhs, rhs, location: location)
        case "^":
            // PostgreSQL's dpow: numbers meet as double precision (numeric ^ numeric is numeric there).
            if lhs.type == .unknown { lhs = try coerce(lhs, to: .float64, clause: nil, location: location) }
            if rhs.type == .unknown { rhs = try coerce(rhs, to: .float64, clause: nil, location: location) }
            guard lhs.type.isNumeric, rhs.type.isNumeric else {
                throw operatorMissing(op, lhs.type, rhs.type, location: location)
            }
            if lhs.type.isNumericDecimal || rhs.type.isNumericDecimal {
                throw BindError(
                    .featureNotSupported, "numeric ^ numeric is not supported yet",
                    hint: "Cast an operand to double precision.", location: location)
            }
            return .function(
                MathFunctions.binary("power"),
                [
                    try coerce(lhs, to: .float64, clause: nil, location: location),
                    try coerce(rhs, to: .float64, clause: nil, location: location),
                ])
        case "&", "|", "#", "<<", ">>":
            return try bindBitwiseOperator(BitwiseFunctions.Operator(rawValue: op)!, lhs, rhs, location: location)
        case "||":
            guard lhs.type.isString || rhs.type.isString || lhs.type == .unknown || rhs.type == .unknown else {
                throw operatorMissing(op, lhs.type, rhs.type, location: location)
            }
            // anynonarray || text: the non-text side is converted with its output function.
            return .function(
                StringFunctions.concatenate,
                [
                    try coerce(lhs, to: .text, clause: nil, location: location, explicit: true),
                    try coerce(rhs, to: .text, clause: nil, location: location, explicit: true),
                ])
        default:
            if let pattern = try bindPatternOperator(op, lhs, rhs, location: location) { return pattern }
            throw BindError(.featureNotSupported, "operator \(op) is not supported yet", location: location)
        }
    }

    /// `&`, `|`, `#` on two integers of the promoted type; `<<` and `>>` shift any integer by an integer count.
    mutating func bindBitwiseOperator(
        _ op: BitwiseFunctions.Operator, _ lhs: BoundExpression, _ rhs: BoundExpression, location: Int
    )
        throws(BindError) -> BoundExpression
    {
        var (left, right) = (lhs, rhs)
        if left.type == .unknown {
            left = try coerce(left, to: right.type.isInteger ? right.type : .int32, clause: nil, location: location)
        }
        if right.type == .unknown {
            right = try coerce(right, to: left.type.isInteger ? left.type : .int32, clause: nil, location: location)
        }
        guard left.type.isInteger, right.type.isInteger else {
            throw operatorMissing(op.rawValue, left.type, right.type, location: location)
        }
        if op == .shiftLeft || op == .shiftRight {
            let count = try coerce(right, to: .int32, clause: nil, location: location)
            return .function(BitwiseFunctions.binary(op, type: left.type), [left, count])
        }
        let type = Self.promoted(left.type, right.type)
        return .function(
            BitwiseFunctions.binary(op, type: type),
            [
                try coerce(left, to: type, clause: nil, location: location),
                try coerce(right, to: type, clause: nil, location: location),
            ])
    }

    /// A parameter of still-unknown type takes the type of the other operand, as PostgreSQL infers it.
    mutating func inferParameter(_ expression: BoundExpression, from other: DataType) throws(BindError)
        -> BoundExpression
    {
        guard case .parameter(let index, .unknown) = expression, other != .unknown else { return expression }
        let type: DataType = other.isString ? .text : other
        parameterTypes[index] = type
        return .parameter(index: index, type: type)
    }

    static func numericRank(_ type: DataType) -> Int {
        switch type {
        case .int16: return 1
        case .int32: return 2
        case .int64: return 3
        case .numeric: return 4
        case .float32: return 5
        case .float64: return 6
        default: return 0
        }
    }

    /// True when PostgreSQL compares values of type `own` with values of `other` by a cross-type
    /// operator, leaving `own` as it is: among integers, among floats, among dates and timestamps.
    static func comparesAcrossTypes(_ own: DataType, _ other: DataType) -> Bool {
        if own == other || (own.isInteger && other.isInteger) { return true }
        // numeric of any scale is one type, numeric, to PostgreSQL.
        if own.isNumericDecimal && other.isNumericDecimal { return true }
        let floats: Set<DataType> = [.float32, .float64]
        let moments: Set<DataType> = [.date, .timestamp, .timestamptz]
        return (floats.contains(own) && floats.contains(other)) || (moments.contains(own) && moments.contains(other))
    }

    /// Two numerics meet at the larger fixed scale; per-value scales stay per value.
    static func commonNumeric(_ a: Int?, _ b: Int?) -> DataType {
        guard let a, let b else { return .variableScaleNumeric }
        return .numeric(precision: nil, scale: max(a, b))
    }

    /// The type two numbers meet in: the higher ranked, except that real beside any other kind of
    /// number is double precision, PostgreSQL's preferred numeric type.
    static func promoted(_ a: DataType, _ b: DataType) -> DataType {
        if (a == .float32) != (b == .float32), a.isNumeric, b.isNumeric { return .float64 }
        return numericRank(a) >= numericRank(b) ? a : b
    }

    func comparisonType(_ a: DataType, _ b: DataType, op: String, location: Int) throws(BindError) -> DataType {
        if case .record = a {
            throw BindError(.featureNotSupported, "comparing records is not supported yet", location: location)
        }
        if case .record = b {
            throw BindError(.featureNotSupported, "comparing records is not supported yet", location: location)
        }
        if a == b { return a == .unknown ? .text : a }
        if a == .unknown { return b.isString ? .text : b }
        if b == .unknown { return a.isString ? .text : a }
        if a.isNumeric && b.isNumeric {
            if case .numeric(_, let sa) = a, case .numeric(_, let sb) = b { return Self.commonNumeric(sa, sb) }
            if case .numeric(_, let s) = a, b.isInteger { return .numeric(precision: nil, scale: s) }
            if case .numeric(_, let s) = b, a.isInteger { return .numeric(precision: nil, scale: s) }
            return Self.promoted(a, b)
        }
        if a.isString && b.isString { return .text }
        // "char" meets text as text, through its implicit cast.
        if (a == .char && b.isString) || (b == .char && a.isString) { return .text }
        if (a == .date || a == .timestamp || a == .timestamptz) && (b == .date || b == .timestamp || b == .timestamptz)
        {
            return a == .timestamptz || b == .timestamptz ? .timestamptz : .timestamp
        }
        if a.storageKind == .uint32 && (b.storageKind == .uint32 || b.isInteger) { return .oid }
        if b.storageKind == .uint32 && a.isInteger { return .oid }
        throw operatorMissing(op, a, b, location: location)
    }

    func operatorMissing(_ op: String, _ lhs: DataType?, _ rhs: DataType, location: Int) -> BindError {
        let signature = lhs.map { "\($0.sqlName) \(op) \(rhs.sqlName)" } ?? "\(op) \(rhs.sqlName)"
        return BindError(
            .undefinedFunction, "operator does not exist: \(signature)",
            hint: "No operator matches the given name and argument types. You might need to add explicit type casts.",
            location: location)
    }

    // MARK: Coercion

    /// Converts `expression` to `type`: folds unknown literals now (so bad input errors at bind time,
    /// as PostgreSQL's do), allows implicit casts, and with `explicit` any supported cast.
    mutating func coerce(
        _ expression: BoundExpression, to type: DataType, clause: String?, location: Int?, explicit: Bool = false
    ) throws(BindError) -> BoundExpression {
        let source = expression.type
        if source == type { return expression }
        if case .constant(let value, .unknown) = expression {
            guard case .bytes(let bytes) = value else { return .constant(.null, type) }
            let text = String(decoding: bytes, as: UTF8.self)
            if type == .regclass {
                // The table was looked up with the others before binding (see `TableResolver`).
                guard let name = QualifiedName(regclassText: text),
                    let displayName = tables[name]?.displayName ?? tables.view(name)?.definition.displayName
                else {
                    throw BindError(.undefinedTable, "relation \"\(text)\" does not exist", location: location)
                }
                return .constant(.uint32(ObjectIdentifiers.relationOID(displayName)), .regclass)
            }
            if type == .regnamespace || type == .regrole {
                guard let name = QualifiedName(regclassText: text), name.parts.count == 1 else {
                    throw BindError(.invalidName, "invalid name syntax", location: location)
                }
                // Schemas were listed before binding when a statement names one (see `TableResolver`).
                if type == .regnamespace, tables.existingSchemas?.contains(name.name) == true {
                    return .constant(.uint32(ObjectIdentifiers.namespaceOID(name.name)), type)
                }
                guard
                    let oid = ObjectIdentifiers.objectOID(
                        type, named: text, searchPath: [], currentUser: context.currentUser)
                else {
                    throw BindError(EngineError.undefinedObject(type, named: text), location: location)
                }
                return .constant(.uint32(oid), type)
            }
            if type == .regtype {
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                let isArray = trimmed.hasSuffix("[]")
                let base = isArray ? String(trimmed.dropLast(2)) : trimmed
                guard
                    let named = try? resolveType(
                        TypeName(names: base.split(separator: ".").map { $0.lowercased() }, isArray: isArray))
                else {
                    throw BindError(.undefinedObject, "type \"\(text)\" does not exist", location: location)
                }
                return .constant(.uint32(named.postgresOID), .regtype)
            }
            do {
                return .constant(
                    try TextInput.parse(text, as: type, timeZone: context.evaluationContext.timeZone), type)
            } catch {
                throw BindError(error, location: location)
            }
        }
        if case .parameter(let index, .unknown) = expression {
            parameterTypes[index] = type
            return .parameter(index: index, type: type)
        }
        let implicit =
            (source.isNumeric && type.isNumeric && Self.numericRank(type) >= Self.numericRank(source))
            || (source.isString && type.isString) || (source == .date && (type == .timestamp || type == .timestamptz))
            || (source == .timestamp && type == .timestamptz) || type == .text && source.isString
            || (source.isNumeric && type.isNumericDecimal) || (source.isInteger && type.storageKind == .uint32)
            || (source.storageKind == .uint32 && type.storageKind == .uint32) || (source == .char && type.isString)
        if !explicit && !implicit {
            if let clause, type == .boolean {
                throw BindError(
                    .datatypeMismatch, "argument of \(clause) must be type boolean, not type \(source.sqlName)",
                    location: location)
            }
            throw BindError(
                .datatypeMismatch,
                "\(clause.map { "argument of \($0)" } ?? "expression") is of type \(source.sqlName) but type \(type.sqlName) was expected",
                hint: "You will need to rewrite or cast the expression.", location: location)
        }
        if case .constant(let value, _) = expression, value.isNull { return .constant(.null, type) }
        return .cast(expression, to: type)
    }

    /// The type several expressions resolve to together (CASE, COALESCE, VALUES), as PostgreSQL's
    /// `select_common_type`: unknown yields to any known type; numerics promote; strings become text.
    func commonType(_ types: [DataType], context: String, location: Int?) throws(BindError) -> DataType {
        let known = types.filter { $0 != .unknown }
        guard var result = known.first else { return .text }
        for type in known.dropFirst() where type != result {
            if result.isNumeric && type.isNumeric {
                if case .numeric(_, let a) = result, case .numeric(_, let b) = type {
                    result = Self.commonNumeric(a, b)
                } else if case .numeric = result, type.isInteger {
                } else if case .numeric = type, result.isInteger {
                    result = type
                }
                // Integers and numerics cast to real implicitly, so beside them real stays real.
                else if result == .float32, type != .float64 {
                } else if type == .float32, result != .float64 {
                    result = type
                } else {
                    result = Self.promoted(result, type)
                }
            } else if (result.isString || result == .char) && (type.isString || type == .char) {
                result = .text
            } else {
                throw BindError(
                    .datatypeMismatch, "\(context) types \(result.sqlName) and \(type.sqlName) cannot be matched",
                    location: location)
            }
        }
        return result
    }

    // MARK: CASE

    mutating func bindCase(
        operand: ParsedExpression?, branches: [CaseBranch], otherwise: ParsedExpression?, scope: [ScopeColumn],
        location: Int
    ) throws(BindError) -> BoundExpression {
        let subject = try operand.map { expression throws(BindError) in try bind(expression, scope: scope) }
        var conditions: [BoundExpression] = []
        var results: [BoundExpression] = []
        for branch in branches {
            let condition: BoundExpression
            if let subject {
                condition = try bindOperator("=", subject, try bind(branch.condition, scope: scope), location: location)
            } else {
                condition = try coerce(
                    try bind(branch.condition, scope: scope), to: .boolean, clause: "CASE/WHEN",
                    location: branch.condition.location)
            }
            conditions.append(condition)
            results.append(try bind(branch.result, scope: scope))
        }
        let fallback = try otherwise.map { expression throws(BindError) in try bind(expression, scope: scope) }
        let type = try commonType(
            results.map(\.type) + (fallback.map { [$0.type] } ?? []), context: "CASE", location: location)
        let coercedResults = try results.map { result throws(BindError) in
            try coerce(result, to: type, clause: "CASE", location: location)
        }
        let coercedFallback = try fallback.map { result throws(BindError) in
            try coerce(result, to: type, clause: "CASE", location: location)
        }
        return .caseWhen(
            Array(zip(conditions, coercedResults)).map { (condition: $0.0, result: $0.1) }, otherwise: coercedFallback,
            resultType: type)
    }
}

extension DataType {
    var isInteger: Bool { self == .int16 || self == .int32 || self == .int64 }
    var isNumericDecimal: Bool { if case .numeric = self { return true } else { return false } }
}
