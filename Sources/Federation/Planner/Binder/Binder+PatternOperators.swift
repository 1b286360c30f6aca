import Engine
import SQL

extension Binder {
    /// The operator names of LIKE (`~~`), ILIKE (`~~*`) and the POSIX regex family.
    static let patternOperators: [String: (regex: Bool, caseInsensitive: Bool, negated: Bool)] = [
        "~~": (false, false, false), "!~~": (false, false, true), "~~*": (false, true, false),
        "!~~*": (false, true, true),
        "~": (true, false, false), "!~": (true, false, true), "~*": (true, true, false), "!~*": (true, true, true),
    ]

    /// Binds a LIKE/ILIKE/SIMILAR TO/regex operator; nil when `op` is not one. A constant pattern
    /// is compiled here, once, so a bad one fails before execution with its SQLSTATE.
    mutating func bindPatternOperator(
        _ op: String, _ lhs: BoundExpression, _ rhs: BoundExpression, location: Int
    ) throws(BindError) -> BoundExpression? {
        guard let kind = Self.patternOperators[op] else { return nil }
        guard lhs.type.isString, rhs.type.isString else {
            throw operatorMissing(op, lhs.type, rhs.type, location: location)
        }
        let text = try coerce(lhs, to: .text, clause: nil, location: location)
        let pattern = try foldConstant(try coerce(rhs, to: .text, clause: nil, location: location), location: location)
        let function: ScalarFunction
        if kind.regex {
            let compiled = try constantPattern(pattern, location: location) { text throws(EngineError) in
                try RegexPattern(text, flags: kind.caseInsensitive ? "i" : "")
            }
            function = PatternMatching.regexMatch(
                compiled: compiled, caseInsensitive: kind.caseInsensitive, negated: kind.negated)
        } else {
            let compiled = try constantPattern(pattern, location: location) { text throws(EngineError) in
                try LikePattern(Array(text.utf8), caseInsensitive: kind.caseInsensitive)
            }
            function = PatternMatching.like(
                compiled: compiled, caseInsensitive: kind.caseInsensitive, negated: kind.negated)
        }
        if case .constant(.null, _) = pattern { return .constant(.null, .boolean) }
        return .function(function, [text, pattern])
    }

    /// Compiles a constant pattern; nil when the pattern varies per row.
    func constantPattern<Pattern>(
        _ pattern: BoundExpression, location: Int?, compile: (String) throws(EngineError) -> Pattern
    ) throws(BindError) -> Pattern? {
        guard case .constant(.bytes(let bytes), _) = pattern else { return nil }
        do {
            return try compile(String(decoding: bytes, as: UTF8.self))
        } catch {
            throw BindError(error, location: location)
        }
    }

    /// Evaluates a call of an immutable function whose arguments are all constants, now.
    func foldConstant(_ expression: BoundExpression, location: Int?) throws(BindError) -> BoundExpression {
        guard case .function(_, let arguments) = expression,
            arguments.allSatisfy({ if case .constant = $0 { true } else { false } })
        else { return expression }
        do {
            let column = try ExpressionEvaluator(context: context.evaluationContext).evaluate(
                expression, on: Batch(columns: [], rowCount: 1))
            return .constant(column.value(at: 0), expression.type)
        } catch {
            throw BindError(error, location: location)
        }
    }

    /// `like_escape`, `similar_to_escape`, the regexp functions and `substring(text from pattern)`; nil for other names.
    mutating func bindPatternFunction(
        _ name: String, _ arguments: [BoundExpression], location: Int
    ) throws(BindError) -> BoundExpression? {
        func texts(_ range: ClosedRange<Int>) throws(BindError) -> [BoundExpression] {
            guard range.contains(arguments.count), arguments.allSatisfy({ $0.type.isString }) else {
                throw noFunction(name, arguments, location: location)
            }
            return try arguments.map { argument throws(BindError) in
                try coerce(argument, to: .text, clause: nil, location: location)
            }
        }
        func flags(at index: Int, of bound: [BoundExpression]) throws(BindError) -> String {
            guard index < bound.count else { return "" }
            guard case .constant(.bytes(let bytes), _) = bound[index] else {
                throw BindError(
                    .featureNotSupported, "\(name)() with non-constant flags is not supported yet", location: location)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        switch name {
        case "like_escape":
            return .function(PatternMatching.likeEscape, try texts(2...2))
        case "similar_to_escape", "similar_escape":
            return .function(PatternMatching.similarToEscape, try texts(1...2))
        case "regexp_replace":
            var bound = try texts(3...4)
            let flagText = try flags(at: 3, of: bound)
            bound[1] = try foldConstant(bound[1], location: location)
            let compiled = try constantPattern(bound[1], location: location) { text throws(EngineError) in
                try RegexPattern(text, flags: flagText)
            }
            return .function(PatternMatching.regexpReplace(compiled: compiled, flags: flagText), Array(bound.prefix(3)))
        case "regexp_match", "regexp_split_to_array":
            var bound = try texts(2...3)
            let flagText = try flags(at: 2, of: bound)
            if flagText.contains("g") {
                let hint = name == "regexp_match" ? "Use the regexp_matches function instead." : nil
                throw BindError(
                    .invalidParameterValue, "\(name)() does not support the \"global\" option", hint: hint,
                    location: location)
            }
            bound[1] = try foldConstant(bound[1], location: location)
            let compiled = try constantPattern(bound[1], location: location) { text throws(EngineError) in
                try RegexPattern(text, flags: flagText)
            }
            let function = name == "regexp_match" ? PatternMatching.regexpMatch : PatternMatching.regexpSplit
            return .function(function(compiled, flagText), Array(bound.prefix(2)))
        case "substring" where arguments.count == 2 && arguments[1].type.isString:
            var bound = try texts(2...2)
            bound[1] = try foldConstant(bound[1], location: location)
            let compiled = try constantPattern(bound[1], location: location) { text throws(EngineError) in
                try RegexPattern(text)
            }
            return .function(PatternMatching.substring(compiled: compiled), bound)
        case "substring" where arguments.count == 3 && arguments[1].type.isString && arguments[2].type.isString:
            // substring(text similar pattern escape e): the part between the escape-double-quote separators.
            let bound = try texts(3...3)
            let regex = try foldConstant(
                .function(PatternMatching.similarToEscape, [bound[1], bound[2]]), location: location)
            let compiled = try constantPattern(regex, location: location) { text throws(EngineError) in
                try RegexPattern(text)
            }
            return .function(PatternMatching.substring(compiled: compiled), [bound[0], regex])
        default:
            return nil
        }
    }
}
