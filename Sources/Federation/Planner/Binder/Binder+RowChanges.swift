import Catalog
import Engine
import SQL

/// A DELETE, UPDATE or MERGE as the binder leaves it, before its query is analyzed and optimized.
struct RowChangeBinding {
    var kind: RowChange.Kind
    var table: any RowIdentifyingTable
    var identities: any RowIdentities
    var query: QueryPlan
    var mayRepeatRows: Bool
    var returning: [(name: String, type: DataType)]?
}

extension Binder {
    /// Binds DELETE (`assignments` nil) or UPDATE of `table` (named `tableName`, reachable as
    /// `alias` when given) with its WITH queries, the `from` tables (USING / FROM), WHERE and
    /// RETURNING. The table's
    /// columns come first in scope, as in PostgreSQL: for UPDATE, RETURNING reads their new values.
    mutating func bindRowChange(
        table: any RowIdentifyingTable, tableName: String, alias: String?, with ctes: [CommonTableExpression] = [],
        from: [TableReference],
        whereClause: SQL.Expression?, assignments: [UpdateStatement.Assignment]?, returning: [SelectTarget]
    ) throws(BindError) -> RowChangeBinding {
        let enclosingCTEs = commonTableExpressions
        defer { commonTableExpressions = enclosingCTEs }
        try declare(ctes)
        let columns = table.columns
        let (identifiedTable, identities) = table.identifyingRows()
        let targetScope = columns.map { ScopeColumn(qualifier: alias ?? tableName, name: $0.name, type: $0.type) }
        let enclosingClause = clauseWithoutAggregates
        defer { clauseWithoutAggregates = enclosingClause }

        // The table's columns and its row address, after the FROM tables' columns when there are any.
        var plan = LogicalPlan.scan(table: identifiedTable, columns: Array(0...columns.count), filter: nil)
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
        let rowValues = columns.indices.map {
            newValues[$0] ?? .column(index: targetOffset + $0, type: columns[$0].type)
        }
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
        let newRow =
            assignments == nil ? [] : columns.indices.map { BoundExpression.column(index: $0, type: columns[$0].type) }
        plan = .project(plan, expressions: [.column(index: rowWidth, type: .int64)] + newRow + returned.values)
        let outputColumns =
            [(name: "row_address", type: DataType.int64)]
            + (assignments == nil ? [] : columns.map { ($0.name, $0.type) })
            + returned.columns
        let query = QueryPlan(
            columns: outputColumns, parameterTypes: finalParameterTypes(), root: plan, initPlans: initPlans)
        return RowChangeBinding(
            kind: assignments == nil ? .delete : .update, table: table, identities: identities, query: query,
            mayRepeatRows: !from.isEmpty, returning: returning.isEmpty ? nil : returned.columns)
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
                    .undefinedColumn, "column \"\(assignment.column)\" of relation \"\(tableName)\" does not exist",
                    location: assignment.location)
            }
            if values[index] != nil {
                throw BindError(
                    .syntaxError, "multiple assignments to same column \"\(assignment.column)\"",
                    location: assignment.location)
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
