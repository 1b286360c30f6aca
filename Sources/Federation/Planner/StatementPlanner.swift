import Catalog
import Engine
import SQL

/// The planner's one pipeline, for every statement that reads tables (queries with their
/// subqueries, WITH queries and views; the sources of INSERT, DELETE, UPDATE and MERGE; COPY and
/// CREATE TABLE AS): bind (names and types, `Binder`), analyze (the access-control rewrite of every
/// table read, `ApplyAccessControl`), optimize (`OptimizerRule`s in order). The physical step runs
/// when the plan does (`QueryPlan.instantiate`).
public struct StatementPlanner {
    private var binder: Binder
    private let context: any BinderContext

    public init(context: any BinderContext, declaredParameterTypes: [DataType?]) {
        self.context = context
        self.binder = Binder(context: context, declaredParameterTypes: declaredParameterTypes)
    }

    /// A query (SELECT, VALUES, a set operation), with its output columns.
    public mutating func planQuery(_ select: SelectStatement) throws(BindError) -> QueryPlan {
        try finish(try binder.bindSelect(select))
    }

    /// The rows INSERT appends to a table of `columns` (see `Binder.bindInsert`), then RETURNING's values.
    public mutating func planInsert(
        _ query: SelectStatement, into columns: [TableColumn], listed: [String], tableName: String,
        qualifier: String? = nil,
        returning: [SelectTarget] = []
    ) throws(BindError) -> QueryPlan {
        try finish(
            try binder.bindInsert(
                query, into: columns, listed: listed, tableName: tableName, qualifier: qualifier, returning: returning))
    }

    /// DELETE (`assignments` nil) or UPDATE of `table` (see `Binder.bindRowChange`).
    public mutating func planRowChange(
        table: any RowIdentifyingTable, tableName: String, alias: String?, with ctes: [CommonTableExpression] = [],
        from: [TableReference],
        whereClause: SQL.Expression?, assignments: [UpdateStatement.Assignment]?, returning: [SelectTarget]
    ) throws(BindError) -> PlannedRowChange {
        try finish(
            try binder.bindRowChange(
                table: table, tableName: tableName, alias: alias, with: ctes, from: from, whereClause: whereClause,
                assignments: assignments, returning: returning))
    }

    /// MERGE into `table` (see `Binder.bindMerge`).
    public mutating func planMerge(
        into table: any RowIdentifyingTable, tableName: String, alias: String?, with ctes: [CommonTableExpression] = [],
        source: TableReference, condition: SQL.Expression, clauses: [MergeStatement.Clause]
    ) throws(BindError) -> PlannedRowChange {
        try finish(
            try binder.bindMerge(
                into: table, tableName: tableName, alias: alias, with: ctes, source: source, condition: condition,
                clauses: clauses))
    }

    /// Analyze, then optimize, every plan of the query.
    private func finish(_ query: QueryPlan) throws(BindError) -> QueryPlan {
        let accessControl = context.accessControl
        let user = context.currentUser
        let analyzed = try query.mappingPlans { (plan) throws(BindError) in
            try ApplyAccessControl.apply(plan, accessControl: accessControl, user: user)
        }
        // The setting was checked when it was set; an unreadable value switches nothing off.
        let disabled = (try? OptimizerRule.named(in: context.setting(OptimizerRule.disabledRulesSetting) ?? "")) ?? []
        return analyzed.mappingPlans { OptimizerRule.optimize($0, disabled: disabled) }
    }

    private func finish(_ binding: RowChangeBinding) throws(BindError) -> PlannedRowChange {
        let query = try finish(binding.query)
        let change = RowChange(
            kind: binding.kind, table: binding.table, identities: binding.identities, rows: query,
            mayRepeatRows: binding.mayRepeatRows,
            returning: binding.returning)
        return PlannedRowChange(change: change, parameterTypes: query.parameterTypes)
    }
}

/// A planned DELETE, UPDATE or MERGE: the change for the catalog, and the types of the statement's
/// parameters.
public struct PlannedRowChange: Sendable {
    public var change: RowChange
    public var parameterTypes: [DataType]
}
