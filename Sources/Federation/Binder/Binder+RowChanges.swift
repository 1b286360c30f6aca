import Engine
import Lakehouse
import SQL

/// DELETE or UPDATE, bound as a query over the table's rows: the query finds the rows to change,
/// with the statement's FROM / USING tables joined and its WHERE applied, and names each by its
/// `RowAddress`; the catalog then rewrites the files those rows are in.
public struct RowChange: Sendable {
    public enum Kind: Sendable { case delete, update, merge }

    /// What MERGE does with one row of its query (its second column).
    public enum MergeAction: Int32, Sendable {
        case update = 1, delete = 2, insert = 3
    }

    public var kind: Kind
    /// The table as the statement read it; the change commits on top of the snapshot it was read at.
    public var table: any RowAddressableTable
    /// Names the data files of the addresses `query` produces.
    public var addresses: RowAddressBook
    /// One row per row to change: its address, then (UPDATE) the new value of every table column,
    /// in table order, then the RETURNING values. For MERGE: the address (NULL for a row to
    /// insert), the `MergeAction`, then the new or inserted row.
    public var query: QueryPlan
    /// True when a row may come more than once (several FROM / USING rows match it); it changes
    /// once. (MERGE refuses a row that comes twice.)
    public var mayRepeatRows: Bool
    /// RETURNING's columns, the last of `query`'s; nil without RETURNING.
    public var returning: [(name: String, type: DataType)]?

    /// How many of `query`'s columns are the new row (none for DELETE).
    public var newValueCount: Int { kind == .delete ? 0 : table.columns.count }
}

extension Binder {
    /// Binds DELETE (`assignments` nil) or UPDATE of `table` (named `tableName`, reachable as
    /// `alias` when given) with its WITH queries, the `from` tables (USING / FROM), WHERE and
    /// RETURNING. The table's
    /// columns come first in scope, as in PostgreSQL: for UPDATE, RETURNING reads their new values.
    public mutating func bindRowChange(
        table: any RowAddressableTable, tableName: String, alias: String?, with ctes: [CommonTableExpression] = [], from: [TableReference],
        whereClause: SQL.Expression?, assignments: [UpdateStatement.Assignment]?, returning: [SelectTarget]
    ) throws(BindError) -> RowChange {
        let enclosingCTEs = commonTableExpressions
        defer { commonTableExpressions = enclosingCTEs }
        try declare(ctes)
        let columns = table.columns
        let addresses = RowAddressBook()
        let targetScope = columns.map { ScopeColumn(qualifier: alias ?? tableName, name: $0.name, type: $0.type) }
        let enclosingClause = clauseWithoutAggregates
        defer { clauseWithoutAggregates = enclosingClause }

        // The table's columns and its row address, after the FROM tables' columns when there are any.
        var plan = LogicalPlan.scan(table: table.addressingRows(in: addresses), columns: Array(0...columns.count), filter: nil)
        var scope = targetScope
        var fromScope: [ScopeColumn] = []
        if !from.isEmpty {
            let (fromPlan, boundScope) = try bindFromList(from)
            try checkDistinctQualifiers(boundScope, targetScope)
            fromScope = boundScope
            plan = .join(left: fromPlan, right: plan, kind: .cross, condition: nil)
            scope = fromScope + targetScope
        }
        let targetOffset = fromScope.count
        let address = BoundExpression.column(index: targetOffset + columns.count, type: .int64)
        if let whereClause { plan = try bindWhere(whereClause, plan: plan, scope: scope) }

        var newValues: [Int: BoundExpression] = [:]
        if let assignments {
            attachmentPlanWidth = plan.outputTypes.count
            newValues = try bindAssignments(assignments, columns: columns, scope: scope, tableName: tableName)
            attachmentPlanWidth = nil
            plan = try attachPendingSubqueries(to: plan)
        }

        // The rows as RETURNING sees them (the table's new or deleted values, then the FROM
        // tables'), the address last.
        let rowValues = columns.indices.map { newValues[$0] ?? .column(index: targetOffset + $0, type: columns[$0].type) }
        let fromValues = fromScope.indices.map { BoundExpression.column(index: $0, type: fromScope[$0].type) }
        plan = .project(plan, expressions: rowValues + fromValues + [address])
        let rowWidth = columns.count + fromScope.count
        var returned: (columns: [(name: String, type: DataType)], values: [BoundExpression]) = ([], [])
        if !returning.isEmpty {
            clauseWithoutAggregates = "RETURNING"
            attachmentPlanWidth = rowWidth + 1
            returned = try bindTargets(returning, scope: targetScope + fromScope)
            attachmentPlanWidth = nil
            plan = try attachPendingSubqueries(to: plan)
        }
        let newRow = assignments == nil ? [] : columns.indices.map { BoundExpression.column(index: $0, type: columns[$0].type) }
        plan = .project(plan, expressions: [.column(index: rowWidth, type: .int64)] + newRow + returned.values)
        let outputColumns =
            [(name: "row_address", type: DataType.int64)] + (assignments == nil ? [] : columns.map { ($0.name, $0.type) })
            + returned.columns
        return RowChange(
            kind: assignments == nil ? .delete : .update, table: table, addresses: addresses,
            query: QueryPlan(columns: outputColumns, parameterTypes: finalParameterTypes(), root: optimize(plan), initPlans: initPlans),
            mayRepeatRows: !from.isEmpty,
            returning: returning.isEmpty ? nil : returned.columns)
    }

    /// `SET column = value, ...` over `scope`: the new value of each column set, by column index.
    mutating func bindAssignments(
        _ assignments: [UpdateStatement.Assignment], columns: [TableColumn], scope: [ScopeColumn], tableName: String
    ) throws(BindError) -> [Int: BoundExpression] {
        clauseWithoutAggregates = "UPDATE"
        var values: [Int: BoundExpression] = [:]
        for assignment in assignments {
            guard let index = columns.firstIndex(where: { $0.name == assignment.column }) else {
                throw BindError(
                    .undefinedColumn, "column \"\(assignment.column)\" of relation \"\(tableName)\" does not exist", location: assignment.location)
            }
            if values[index] != nil {
                throw BindError(.syntaxError, "multiple assignments to same column \"\(assignment.column)\"", location: assignment.location)
            }
            if let value = assignment.value {
                values[index] = try assign(try bind(value, scope: scope), to: columns[index], location: value.location)
            } else {
                // No column has a default yet, so DEFAULT is NULL.
                values[index] = .constant(.null, columns[index].type)
            }
        }
        return values
    }

    /// RETURNING of INSERT over `plan`, whose columns are the inserted rows of a table of `columns`
    /// (reachable as `qualifier`): the plan extended with the RETURNING values after the row.
    mutating func bindInsertReturning(
        _ returning: [SelectTarget], plan: LogicalPlan, columns: [TableColumn], qualifier: String
    ) throws(BindError) -> (LogicalPlan, [(name: String, type: DataType)]) {
        let enclosingClause = clauseWithoutAggregates
        defer { clauseWithoutAggregates = enclosingClause }
        clauseWithoutAggregates = "RETURNING"
        attachmentPlanWidth = columns.count
        let scope = columns.map { ScopeColumn(qualifier: qualifier, name: $0.name, type: $0.type) }
        let returned = try bindTargets(returning, scope: scope)
        attachmentPlanWidth = nil
        let extended = try attachPendingSubqueries(to: plan)
        let row = columns.indices.map { BoundExpression.column(index: $0, type: columns[$0].type) }
        return (.project(extended, expressions: row + returned.values), returned.columns)
    }
}
