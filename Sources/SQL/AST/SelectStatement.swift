/// A query: `SELECT ... FROM ... WHERE ... ORDER BY ... LIMIT ...`.
public struct SelectStatement: Sendable, Equatable {
    public var targets: [SelectTarget] = []
    public var from: [TableReference] = []
    public var whereClause: Expression?
    public var groupBy: [Expression] = []
    /// `GROUP BY DISTINCT`: groupings that repeat an earlier one's keys are dropped.
    public var groupByDistinct = false
    public var having: Expression?
    public var orderBy: [SortItem] = []
    public var limit: Expression?
    public var offset: Expression?
    /// `FETCH FIRST n ROWS WITH TIES`: rows that tie with the last one in ORDER BY order come too.
    public var limitWithTies = false
    public var distinct = false
    /// `DISTINCT ON (expressions)`: the first row (in ORDER BY order) of each group of rows equal in them.
    public var distinctOn: [Expression] = []
    /// Set for `VALUES (...), (...)` lists, whose rows replace targets.
    public var values: [[Expression]]?
    /// `WITH name [(columns)] AS (query), ...` before the query, visible in it by name.
    public var commonTableExpressions: [CommonTableExpression] = []
    /// Set for `left UNION | INTERSECT | EXCEPT [ALL] right`, whose rows replace targets; this
    /// statement's ORDER BY, LIMIT and OFFSET apply to the combined rows.
    public var setOperation: SetOperation?
    /// `WINDOW name AS (...), ...`: windows the select list and ORDER BY may name.
    public var windows: [WindowSpecification] = []

    public init() {}
}

/// Two queries combined by UNION, INTERSECT or EXCEPT. (An indirect enum, so a query can hold
/// the queries it combines.)
public indirect enum SetOperation: Sendable, Equatable {
    public enum Kind: String, Sendable { case union = "UNION", intersect = "INTERSECT", except = "EXCEPT" }

    /// `all` is true for the ALL forms, which keep duplicates.
    case combine(kind: Kind, all: Bool, left: SelectStatement, right: SelectStatement)

    public init(kind: Kind, all: Bool, left: SelectStatement, right: SelectStatement) {
        self = .combine(kind: kind, all: all, left: left, right: right)
    }

    public var kind: Kind {
        switch self {
        case .combine(let kind, _, _, _): return kind
        }
    }
    public var all: Bool {
        switch self {
        case .combine(_, let all, _, _): return all
        }
    }
    public var left: SelectStatement {
        switch self {
        case .combine(_, _, let left, _): return left
        }
    }
    public var right: SelectStatement {
        switch self {
        case .combine(_, _, _, let right): return right
        }
    }
}

/// One `WITH` query.
public struct CommonTableExpression: Sendable, Equatable {
    public var name: String
    public var columnNames: [String]
    public var query: SelectStatement
    /// Declared in `WITH RECURSIVE`: the query may read its own rows.
    public var isRecursive: Bool

    public init(name: String, columnNames: [String], query: SelectStatement, isRecursive: Bool = false) {
        self.name = name
        self.columnNames = columnNames
        self.query = query
        self.isRecursive = isRecursive
    }
}

/// One item of the select list.
public enum SelectTarget: Sendable, Equatable {
    /// `expr [AS alias]`.
    case expression(Expression, alias: String?)
    /// `*` or `qualifier.*`.
    case star(qualifier: String?, location: Int)
}

/// One item of FROM.
public indirect enum TableReference: Sendable, Equatable {
    /// A named table `[catalog.][schema.]name [AS alias]`.
    case table(name: QualifiedName, alias: TableAlias?, location: Int)
    /// A set-returning function in FROM: `generate_series(1, 10) AS g(x)`.
    case function(name: QualifiedName, arguments: [Expression], alias: TableAlias?, location: Int)
    /// A subquery in FROM; a `LATERAL` one may read the columns of the FROM items before it.
    case subquery(SelectStatement, alias: TableAlias?, lateral: Bool)
    /// `left JOIN right ON condition | USING (columns)`; `natural` for NATURAL JOIN, which joins
    /// on every column name the two sides share.
    case join(
        kind: JoinKind, left: TableReference, right: TableReference, condition: Expression?, using: [String],
        natural: Bool)
}

public enum JoinKind: String, Sendable { case inner, left, right, full, cross }

public struct TableAlias: Sendable, Equatable {
    public var name: String
    public var columnNames: [String]

    public init(name: String, columnNames: [String] = []) {
        self.name = name
        self.columnNames = columnNames
    }
}

/// A dotted name, e.g. `pg_catalog.pg_class`.
public struct QualifiedName: Sendable, Hashable, CustomStringConvertible {
    public var parts: [String]
    public init(_ parts: [String]) { self.parts = parts }
    /// The last part: the object's own name.
    public var name: String { parts.last ?? "" }
    public var description: String { parts.joined(separator: ".") }
}

public struct SortItem: Sendable, Equatable {
    public var expression: Expression
    public var descending: Bool
    /// nil: PostgreSQL's default (NULLS LAST ascending, NULLS FIRST descending).
    public var nullsFirst: Bool?

    public init(expression: Expression, descending: Bool = false, nullsFirst: Bool? = nil) {
        self.expression = expression
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}
