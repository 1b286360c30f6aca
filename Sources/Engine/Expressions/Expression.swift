/// A bound, typed scalar expression, evaluated a whole batch at a time.
public indirect enum Expression: Sendable {
    /// Column `index` of the input batch.
    case column(index: Int, type: DataType)
    case constant(Value, DataType)
    /// Bind parameter `index` (0-based `$n - 1`), read from `EvaluationContext.parameters`.
    case parameter(index: Int, type: DataType)
    case arithmetic(ArithmeticOperator, Expression, Expression, resultType: DataType)
    case negate(Expression)
    case comparison(ComparisonOperator, Expression, Expression)
    case and([Expression])
    case or([Expression])
    case not(Expression)
    case isNull(Expression, negated: Bool)
    case cast(Expression, to: DataType)
    /// `CASE WHEN c1 THEN r1 ... ELSE e END`; a missing ELSE yields NULL.
    case caseWhen([(condition: Expression, result: Expression)], otherwise: Expression?, resultType: DataType)
    /// A call of a registered scalar function.
    case function(ScalarFunction, [Expression])

    /// The type of the values this expression yields.
    public var type: DataType {
        switch self {
        case .column(_, let type), .constant(_, let type), .parameter(_, let type): return type
        case .arithmetic(_, _, _, let type): return type
        case .negate(let operand): return operand.type
        case .comparison, .and, .or, .not, .isNull: return .boolean
        case .cast(_, let type): return type
        case .caseWhen(_, _, let type): return type
        case .function(let function, _): return function.resultType
        }
    }
}

public enum ArithmeticOperator: String, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"
}

public enum ComparisonOperator: String, Sendable {
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}

/// A scalar function bound to argument types, with a whole-batch implementation.
public struct ScalarFunction: Sendable {
    public let name: String
    public let resultType: DataType
    /// Computes the result column from the evaluated argument columns.
    public let evaluate: @Sendable ([Column], Int, EvaluationContext) throws(EngineError) -> Column
    /// True when the result depends on the arguments alone (PostgreSQL's IMMUTABLE): not on the
    /// session's settings, the clock, the catalogs or chance. Such calls over constants are
    /// evaluated once, when the statement is planned.
    public let isImmutable: Bool
    /// True for COALESCE: each argument is evaluated only on the rows all earlier ones left NULL
    /// (by `ExpressionEvaluator`, which then picks the first non-NULL itself).
    public let evaluatesArgumentsInTurn: Bool
    /// True when a NULL argument makes the result NULL (PostgreSQL's STRICT): a call with a NULL
    /// constant argument is NULL without computing the others. Every function states it, as
    /// `pg_proc.proisstrict` does, since a wrong guess either way changes answers or errors.
    public let isStrict: Bool

    public init(
        name: String, resultType: DataType, isImmutable: Bool = false, isStrict: Bool,
        evaluatesArgumentsInTurn: Bool = false,
        evaluate: @escaping @Sendable ([Column], Int, EvaluationContext) throws(EngineError) -> Column
    ) {
        self.name = name
        self.resultType = resultType
        self.isImmutable = isImmutable
        self.isStrict = isStrict
        self.evaluatesArgumentsInTurn = evaluatesArgumentsInTurn
        self.evaluate = evaluate
    }
}

/// The session's settings as `set_config` changes them while a statement runs.
public protocol SettingsWriter: Sendable {
    /// Sets (or with a nil value resets) a setting; returns its new value as `SHOW` prints it.
    func setConfig(_ name: String, _ value: String?, isLocal: Bool) throws(EngineError) -> String?
}

/// What evaluation needs from the session: settings that change how values convert.
public struct EvaluationContext: Sendable {
    public var textOutput: TextOutput
    /// Values bound to `$1...$n` for this execution.
    public var parameters: [Value]
    /// Results of uncorrelated scalar subqueries, computed before the query runs (PostgreSQL's
    /// init plans); `.parameter(index: subqueryParameterBase + k)` reads the `k`-th.
    public var subqueryValues: [Value] = []
    public static let subqueryParameterBase = 1 << 30
    /// The outer row's values while a correlated subquery runs for it;
    /// `.parameter(index: correlationParameterBase + k)` reads the `k`-th.
    public var correlationValues: [Value] = []
    public static let correlationParameterBase = 1 << 29
    /// Where `set_config` records setting changes; nil where settings cannot change.
    public var settingsWriter: (any SettingsWriter)?
    public var timeZone: SessionTimeZone { textOutput.timeZone }

    /// When the statement started (`now()`), microseconds since 1970 UTC; read when it runs, so a
    /// prepared statement executed later sees its own execution's time.
    public var statementTimestamp: Int64 = 0

    /// The bytes the statement's operators may hold in hash tables, sort buffers and aggregate
    /// state, shared by all of them (one per statement run); nil for no limit.
    public var memoryBudget: MemoryBudget?

    public init(textOutput: TextOutput = TextOutput(), parameters: [Value] = []) {
        self.textOutput = textOutput
        self.parameters = parameters
    }
}
