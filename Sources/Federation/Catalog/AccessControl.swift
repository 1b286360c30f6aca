import Engine

/// What the planner's analyzer asks about every table a statement reads (directly, through a view,
/// in a subquery or as the source of a write): may this user read it, and which rows and values.
/// Governance implements it; until then `AllowEverything` is the answer.
public protocol AccessControl: Sendable {
    /// How `user` may read `table`: unrestricted, behind a row filter and column masks, or refused
    /// with an error (`42501`, naming the table) when the user may not read it at all.
    func readPolicy(table: any TableSource, user: String) throws(EngineError) -> ReadPolicy
}

/// What one user may see of one table.
public struct ReadPolicy: Sendable {
    /// The rows the user may see: those for which it is true. An expression over the table's
    /// columns, by their position in `TableSource.columns`.
    public var rowFilter: Expression?
    /// Values the user sees replaced, by the position of their column: each an expression over the
    /// table's columns, of the column's type.
    public var columnMasks: [Int: Expression]

    public init(rowFilter: Expression? = nil, columnMasks: [Int: Expression] = [:]) {
        self.rowFilter = rowFilter
        self.columnMasks = columnMasks
    }

    public static let unrestricted = ReadPolicy()

    public var isUnrestricted: Bool { rowFilter == nil && columnMasks.isEmpty }
}

/// Every user reads every table unrestricted: the default until governance is configured.
public struct AllowEverything: AccessControl {
    public init() {}

    public func readPolicy(table: any TableSource, user: String) throws(EngineError) -> ReadPolicy { .unrestricted }
}
