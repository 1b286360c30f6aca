/// An expression as written, before names and types are resolved.
///
/// `location` fields are byte offsets into the statement text, for error cursors.
public indirect enum Expression: Sendable, Equatable {
    case literal(Literal, location: Int)
    /// A column reference such as `x` or `t.x`.
    case column([String], location: Int)
    /// `$n` (1-based).
    case parameter(Int, location: Int)
    /// `lhs op rhs` for any operator name.
    case binary(String, Expression, Expression, location: Int)
    /// `op operand` (prefix), e.g. `-x`.
    case unary(String, Expression, location: Int)
    case and([Expression])
    case or([Expression])
    case not(Expression)
    case isNull(Expression, negated: Bool)
    case function(FunctionCall)
    case cast(Expression, TypeName, location: Int)
    case caseWhen(operand: Expression?, branches: [CaseBranch], otherwise: Expression?, location: Int)
    /// `CURRENT_USER`, `CURRENT_DATE`, ... (SQL-standard keywords that act as functions).
    case specialFunction(SpecialFunction, location: Int)
    /// `x [NOT] IN (list)`.
    case inList(Expression, [Expression], negated: Bool, location: Int)
    /// `x [NOT] BETWEEN a AND b`.
    case between(Expression, Expression, Expression, negated: Bool, location: Int)
    /// `COALESCE(...)`, `GREATEST(...)`, `LEAST(...)`, `NULLIF(a, b)`.
    case coalesce([Expression], location: Int)
    case nullIf(Expression, Expression, location: Int)
    case greatest([Expression], location: Int)
    case least([Expression], location: Int)
    /// `a IS [NOT] DISTINCT FROM b` (`negated` for NOT DISTINCT).
    case distinctFrom(Expression, Expression, negated: Bool, location: Int)
    /// `x IS [NOT] TRUE/FALSE/UNKNOWN`.
    case booleanTest(Expression, BooleanTest, location: Int)
    /// A subquery used as a value: `EXISTS (...)`, `x IN (...)`, `x op ANY/ALL (...)`, `(SELECT ...)`.
    case subquery(Subquery)
    /// `ARRAY[a, b, ...]`.
    case arrayConstructor([Expression], location: Int)
    /// `array[index]`.
    case arrayElement(Expression, index: Expression, location: Int)
    /// `(record).field`: one field of a composite value.
    case fieldSelection(Expression, field: String, location: Int)
    /// `ROW(a, b, ...)` or `(a, b, ...)`: a composite value.
    case row([Expression], location: Int)
    /// `lhs op ANY (array)` or, with `all`, `lhs op ALL (array)`.
    case quantified(String, Expression, Expression, all: Bool, location: Int)
    /// A GROUP BY item that stands for several groupings: `ROLLUP (...)`, `CUBE (...)`,
    /// `GROUPING SETS (...)` or the empty grouping `()`. A `.row` in `items` is one sublist.
    case groupingSet(GroupingSetKind, [Expression], location: Int)
    /// `GROUPING(a, b, ...)`: which of the grouping expressions the current row's grouping set leaves out.
    case grouping([Expression], location: Int)
    /// An expression form Weir does not handle yet, named for the error message.
    case unsupported(feature: String, location: Int)

    /// The byte offset of the expression in the statement, where known.
    public var location: Int? {
        switch self {
        case .literal(_, let l), .column(_, let l), .parameter(_, let l), .binary(_, _, _, let l), .unary(_, _, let l),
            .cast(_, _, let l), .caseWhen(_, _, _, let l), .specialFunction(_, let l), .inList(_, _, _, let l),
            .between(_, _, _, _, let l), .coalesce(_, let l), .nullIf(_, _, let l), .greatest(_, let l),
            .least(_, let l),
            .booleanTest(_, _, let l), .distinctFrom(_, _, _, let l), .unsupported(_, let l),
            .arrayConstructor(_, let l),
            .arrayElement(_, _, let l), .quantified(_, _, _, _, let l), .fieldSelection(_, _, let l), .row(_, let l),
            .groupingSet(_, _, let l), .grouping(_, let l):
            return l
        case .function(let call): return call.location
        case .subquery(let subquery): return subquery.location
        case .and(let items), .or(let items): return items.first?.location
        case .not(let e), .isNull(let e, _): return e.location
        }
    }
}

/// The GROUP BY forms that stand for several groupings.
public enum GroupingSetKind: Sendable, Equatable {
    /// `()`: one group of all rows.
    case empty
    /// `ROLLUP (a, b, c)`: groupings (a, b, c), (a, b), (a) and ().
    case rollup
    /// `CUBE (a, b)`: every subset, (a, b), (a), (b) and ().
    case cube
    /// `GROUPING SETS (...)`: the groupings its items list, one after another.
    case sets
}

/// A subquery in an expression and how its rows are used.
public struct Subquery: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `EXISTS (subquery)`.
        case exists
        /// `(subquery)`: one column, at most one row.
        case scalar
        /// `ARRAY(subquery)`: one column, its values as an array.
        case array
        /// `lhs op ANY (subquery)`; `x IN (subquery)` is `x = ANY (subquery)`.
        case any(op: String, lhs: Expression)
        /// `lhs op ALL (subquery)`.
        case all(op: String, lhs: Expression)
    }

    public var kind: Kind
    public var select: SelectStatement
    public var location: Int

    public init(kind: Kind, select: SelectStatement, location: Int) {
        self.kind = kind
        self.select = select
        self.location = location
    }
}

public enum Literal: Sendable, Equatable {
    case integer(Int64)
    /// A numeric literal kept as written (`2.5`, `1e10`, or an integer too large for int8).
    case numeric(String)
    case string(String)
    case boolean(Bool)
    case null
}

public struct FunctionCall: Sendable, Equatable {
    public var name: QualifiedName
    public var arguments: [Expression]
    /// `count(*)`.
    public var star: Bool
    public var distinct: Bool
    /// `FILTER (WHERE ...)` on an aggregate.
    public var filter: Expression?
    /// `ORDER BY` inside an aggregate's parentheses, or its `WITHIN GROUP (ORDER BY ...)`.
    public var orderBy: [SortItem] = []
    /// True for ordered-set aggregates: `percentile_cont(0.5) WITHIN GROUP (ORDER BY x)`.
    public var withinGroup = false
    /// The window of a window function call (`OVER ...`); nil for an ordinary call.
    public var over: WindowSpecification?
    public var location: Int

    /// True when the call has an `OVER` clause.
    public var isWindow: Bool { over != nil }
}

public struct CaseBranch: Sendable, Equatable {
    public var condition: Expression
    public var result: Expression

    public init(condition: Expression, result: Expression) {
        self.condition = condition
        self.result = result
    }
}

public enum BooleanTest: String, Sendable {
    case isTrue, isNotTrue, isFalse, isNotFalse, isUnknown, isNotUnknown
}

public enum SpecialFunction: String, Sendable {
    case currentDate, currentTime, currentTimestamp, localTime, localTimestamp
    case currentRole, currentUser, sessionUser, user, currentCatalog, currentSchema
}

/// A type as written: `int4`, `pg_catalog.varchar(10)`, `text[]`.
public struct TypeName: Sendable, Equatable {
    public var names: [String]
    public var modifiers: [Int]
    public var isArray: Bool
    public var location: Int

    public init(names: [String], modifiers: [Int] = [], isArray: Bool = false, location: Int = -1) {
        self.names = names
        self.modifiers = modifiers
        self.isArray = isArray
        self.location = location
    }
}
