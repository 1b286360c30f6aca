import Engine
import Lakehouse
import SQL

/// `MERGE`: the source joined to the table (a left join, so source rows no table row matches come
/// too), and for each joined row the action of the first `WHEN` clause that applies to it.
extension Binder {
    /// Binds MERGE into `table` (named `tableName`, reachable as `alias` when given) as a
    /// `RowChange` of kind `.merge`: its query gives, for every joined row some clause acts on, the
    /// table row's address (NULL when no table row matched), the `MergeAction`, and the row as the
    /// action leaves it (the updated row, or the row to insert).
    ///
    /// `WHEN MATCHED` clauses see the source's and the table's columns; `WHEN NOT MATCHED` ones
    /// only the source's, as in PostgreSQL.
    public mutating func bindMerge(
        into table: any RowAddressableTable, tableName: String, alias: String?, with ctes: [CommonTableExpression] = [],
        source: TableReference, condition: SQL.Expression, clauses: [MergeStatement.Clause]
    ) throws(BindError) -> RowChange {
        let enclosingCTEs = commonTableExpressions
        defer { commonTableExpressions = enclosingCTEs }
        try declare(ctes)
        let columns = table.columns
        let addresses = RowAddressBook()
        let targetScope = columns.map { ScopeColumn(qualifier: alias ?? tableName, name: $0.name, type: $0.type) }
        let enclosingClause = clauseWithoutAggregates
        defer { clauseWithoutAggregates = enclosingClause }

        let (sourcePlan, sourceScope) = try bindFromItem(source)
        try checkDistinctQualifiers(sourceScope, targetScope)
        let scope = sourceScope + targetScope
        let targetOffset = sourceScope.count
        let target = LogicalPlan.scan(table: table.addressingRows(in: addresses), columns: Array(0...columns.count), filter: nil)
        clauseWithoutAggregates = "MERGE"
        let joinCondition = try coerce(try bind(condition, scope: scope), to: .boolean, clause: "JOIN/ON", location: condition.location)
        try refuseCorrelatedSubqueries(at: condition.location)
        let plan = LogicalPlan.join(left: sourcePlan, right: target, kind: .left, condition: joinCondition)
        let address = BoundExpression.column(index: targetOffset + columns.count, type: .int64)
        let matched = BoundExpression.isNull(address, negated: true)

        // Per clause: when it acts (matched or not, and its condition), and the row it leaves.
        var actions: [(condition: BoundExpression, result: BoundExpression)] = []
        var rowsByAction: [(action: BoundExpression, row: [BoundExpression])] = []
        for (index, clause) in clauses.enumerated() {
            let visible = clause.matched ? scope : sourceScope
            var applies = clause.matched ? matched : .isNull(address, negated: false)
            if let condition = clause.condition {
                clauseWithoutAggregates = "WHEN"
                let bound = try coerce(try bind(condition, scope: visible), to: .boolean, clause: "WHEN", location: condition.location)
                try refuseCorrelatedSubqueries(at: condition.location)
                applies = .and([applies, bound])
            }
            let code: RowChange.MergeAction?
            var row: [BoundExpression] = []
            switch clause.action {
            case .doNothing:
                code = nil
            case .delete:
                code = .delete
            case .update(let assignments):
                code = .update
                row = try mergeUpdate(assignments, columns: columns, targetOffset: targetOffset, scope: scope, tableName: tableName)
            case .insert(let listed, let values):
                code = .insert
                row = try mergeInsert(listed, values: values, columns: columns, scope: sourceScope, tableName: tableName, at: clause.location)
            }
            // DO NOTHING still stops the clauses after it; its rows are dropped below.
            let result = BoundExpression.constant(.int32(code?.rawValue ?? 0), .int32)
            actions.append((applies, result))
            if !row.isEmpty { rowsByAction.append((.constant(.int32(Int32(index)), .int32), row)) }
        }
        // The clause index that acts on each row picks the row it leaves; the action code follows.
        let clauseIndex = BoundExpression.caseWhen(
            actions.indices.map { (actions[$0].condition, BoundExpression.constant(.int32(Int32($0)), .int32)) },
            otherwise: .constant(.int32(-1), .int32), resultType: .int32)
        let actionCode = BoundExpression.caseWhen(actions, otherwise: .constant(.int32(0), .int32), resultType: .int32)
        let newRow = columns.indices.map { column -> BoundExpression in
            let old = BoundExpression.column(index: targetOffset + column, type: columns[column].type)
            guard !rowsByAction.isEmpty else { return old }
            return .caseWhen(
                rowsByAction.map { (condition: .comparison(.equal, clauseIndex, $0.action), result: $0.row[column]) },
                otherwise: old, resultType: columns[column].type)
        }
        var projected = LogicalPlan.project(plan, expressions: [address, actionCode] + newRow)
        projected = .filter(projected, predicate: .comparison(.greater, .column(index: 1, type: .int32), .constant(.int32(0), .int32)))
        let outputColumns = [(name: "row_address", type: DataType.int64), (name: "merge_action", type: .int32)] + columns.map { ($0.name, $0.type) }
        return RowChange(
            kind: .merge, table: table, addresses: addresses,
            query: QueryPlan(columns: outputColumns, parameterTypes: finalParameterTypes(), root: Self.optimize(projected), initPlans: initPlans),
            mayRepeatRows: true, returning: nil)
    }

    /// The table row as a `WHEN MATCHED THEN UPDATE SET ...` leaves it.
    private mutating func mergeUpdate(
        _ assignments: [UpdateStatement.Assignment], columns: [TableColumn], targetOffset: Int, scope: [ScopeColumn], tableName: String
    ) throws(BindError) -> [BoundExpression] {
        let values = try bindAssignments(assignments, columns: columns, scope: scope, tableName: tableName)
        try refuseCorrelatedSubqueries(at: assignments.first?.location)
        return columns.indices.map { values[$0] ?? .column(index: targetOffset + $0, type: columns[$0].type) }
    }

    /// The row a `WHEN NOT MATCHED THEN INSERT [(columns)] VALUES (...)` inserts: the values in the
    /// listed columns (the first columns when none are listed), NULL in the rest.
    private mutating func mergeInsert(
        _ listed: [String], values: [SQL.Expression?], columns: [TableColumn], scope: [ScopeColumn], tableName: String, at location: Int
    ) throws(BindError) -> [BoundExpression] {
        clauseWithoutAggregates = "VALUES"
        var targets: [Int] = []
        for name in listed {
            guard let index = columns.firstIndex(where: { $0.name == name }) else {
                throw BindError("42703", "column \"\(name)\" of relation \"\(tableName)\" does not exist", location: location)
            }
            if targets.contains(index) { throw BindError("42701", "column \"\(name)\" specified more than once", location: location) }
            targets.append(index)
        }
        if listed.isEmpty {
            if values.count > columns.count {
                throw BindError("42601", "INSERT has more expressions than target columns", location: location)
            }
            targets = Array(columns.indices.prefix(values.count))
        } else if values.count != targets.count {
            throw BindError(
                "42601", values.count > targets.count ? "INSERT has more expressions than target columns" : "INSERT has more target columns than expressions",
                location: location)
        }
        var row = columns.map { BoundExpression.constant(.null, $0.type) }
        for (value, target) in zip(values, targets) {
            guard let value else { continue }
            row[target] = try assign(try bind(value, scope: scope), to: columns[target], location: value.location)
            try refuseCorrelatedSubqueries(at: value.location)
        }
        return row
    }

    /// MERGE's expressions are evaluated per joined row, outside any plan a correlated subquery
    /// could join to.
    private mutating func refuseCorrelatedSubqueries(at location: Int?) throws(BindError) {
        guard pendingAttachments.isEmpty else {
            pendingAttachments = []
            throw BindError("0A000", "correlated subqueries in MERGE are not supported yet", location: location)
        }
    }
}
