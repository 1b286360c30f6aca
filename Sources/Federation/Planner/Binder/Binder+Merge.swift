import Engine
import Catalog
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
    mutating func bindMerge(
        into table: any RowIdentifyingTable, tableName: String, alias: String?, with ctes: [CommonTableExpression] = [],
        source: TableReference, condition: SQL.Expression, clauses: [MergeStatement.Clause]
    ) throws(BindError) -> RowChangeBinding {
        let enclosingCTEs = commonTableExpressions
        defer { commonTableExpressions = enclosingCTEs }
        try declare(ctes)
        let columns = table.columns
        let (identifiedTable, identities) = table.identifyingRows()
        let targetScope = columns.map { ScopeColumn(qualifier: alias ?? tableName, name: $0.name, type: $0.type) }
        let enclosingClause = clauseWithoutAggregates
        defer { clauseWithoutAggregates = enclosingClause }

        let (sourcePlan, sourceScope) = try bindFromItem(source)
        try checkDistinctQualifiers(sourceScope, targetScope)
        let scope = sourceScope + targetScope
        let targetOffset = sourceScope.count
        let target = LogicalPlan.scan(table: identifiedTable, columns: Array(0...columns.count), filter: nil)
        clauseWithoutAggregates = "MERGE"
        let joinCondition = try coerce(
            try bind(condition, scope: scope), to: .boolean, clause: "JOIN/ON", location: condition.location)
        try refuseCorrelatedSubqueries(at: condition.location)
        let plan = LogicalPlan.join(left: sourcePlan, right: target, kind: .left, condition: joinCondition)
        let address = BoundExpression.column(index: targetOffset + columns.count, type: .int64)
        let matched = BoundExpression.isNull(address, negated: true)

        // Per clause: when it acts (matched or not, and its condition), what it does, and the row it leaves.
        var conditions: [BoundExpression] = []
        var codes: [RowChange.MergeAction?] = []
        var rows: [Int: [BoundExpression]] = [:]
        for (index, clause) in clauses.enumerated() {
            let visible = clause.matched ? scope : sourceScope
            var applies = clause.matched ? matched : .isNull(address, negated: false)
            if let condition = clause.condition {
                clauseWithoutAggregates = "WHEN"
                let bound = try coerce(
                    try bind(condition, scope: visible), to: .boolean, clause: "WHEN", location: condition.location)
                try refuseCorrelatedSubqueries(at: condition.location)
                applies = .and([applies, bound])
            }
            conditions.append(applies)
            switch clause.action {
            case .doNothing:
                // DO NOTHING still stops the clauses after it; its rows are dropped below.
                codes.append(nil)
            case .delete:
                codes.append(.delete)
            case .update(let assignments):
                codes.append(.update)
                rows[index] = try mergeUpdate(
                    assignments, columns: columns, targetOffset: targetOffset, scope: scope, tableName: tableName)
            case .insert(let listed, let values):
                codes.append(.insert)
                rows[index] = try mergeInsert(
                    listed, values: values, columns: columns, scope: sourceScope, tableName: tableName,
                    at: clause.location)
            }
        }
        // The index of the clause that acts on each joined row (-1 for none), computed once as a
        // column; the action code and the row it leaves read that column.
        let width = plan.outputTypes.count
        let clauseIndex = BoundExpression.caseWhen(
            conditions.indices.map { (conditions[$0], BoundExpression.constant(.int32(Int32($0)), .int32)) },
            otherwise: .constant(.int32(-1), .int32), resultType: .int32)
        let indexed = LogicalPlan.project(
            plan,
            expressions: plan.outputTypes.enumerated().map {
                BoundExpression.column(index: $0.offset, type: $0.element)
            } + [clauseIndex])
        let chosen = BoundExpression.column(index: width, type: .int32)
        func isClause(_ index: Int) -> BoundExpression {
            .comparison(.equal, chosen, .constant(.int32(Int32(index)), .int32))
        }
        let acting = codes.indices.compactMap { index in
            codes[index].map { (isClause(index), BoundExpression.constant(.int32($0.rawValue), .int32)) }
        }
        let actionCode =
            acting.isEmpty
            ? BoundExpression.constant(.int32(0), .int32)
            : .caseWhen(acting, otherwise: .constant(.int32(0), .int32), resultType: .int32)
        let newRow = columns.indices.map { column -> BoundExpression in
            let old = BoundExpression.column(index: targetOffset + column, type: columns[column].type)
            guard !rows.isEmpty else { return old }
            return .caseWhen(
                rows.keys.sorted().map { (condition: isClause($0), result: rows[$0]![column]) }, otherwise: old,
                resultType: columns[column].type)
        }
        var projected = LogicalPlan.project(indexed, expressions: [address, actionCode] + newRow)
        projected = .filter(
            projected, predicate: .comparison(.greater, .column(index: 1, type: .int32), .constant(.int32(0), .int32)))
        let outputColumns =
            [(name: "row_address", type: DataType.int64), (name: "merge_action", type: .int32)]
            + columns.map { ($0.name, $0.type) }
        let query = QueryPlan(
            columns: outputColumns, parameterTypes: finalParameterTypes(), root: projected, initPlans: initPlans)
        return RowChangeBinding(
            kind: .merge, table: table, identities: identities, query: query, mayRepeatRows: true, returning: nil)
    }

    /// The table row as a `WHEN MATCHED THEN UPDATE SET ...` leaves it.
    private mutating func mergeUpdate(
        _ assignments: [UpdateStatement.Assignment], columns: [TableColumn], targetOffset: Int, scope: [ScopeColumn],
        tableName: String
    ) throws(BindError) -> [BoundExpression] {
        let values = try bindAssignments(assignments, columns: columns, scope: scope, tableName: tableName)
        try refuseCorrelatedSubqueries(at: assignments.first?.location)
        return columns.indices.map { values[$0] ?? .column(index: targetOffset + $0, type: columns[$0].type) }
    }

    /// The row a `WHEN NOT MATCHED THEN INSERT [(columns)] VALUES (...)` inserts: the values in the
    /// listed columns (the first columns when none are listed), NULL in the rest.
    private mutating func mergeInsert(
        _ listed: [String], values: [SQL.Expression?], columns: [TableColumn], scope: [ScopeColumn], tableName: String,
        at location: Int
    ) throws(BindError) -> [BoundExpression] {
        clauseWithoutAggregates = "VALUES"
        let targets = try insertTargets(
            try insertColumns(listed, of: columns, tableName: tableName, location: location),
            columnCount: columns.count,
            valueCount: values.count, location: location)
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
            throw BindError(
                .featureNotSupported, "correlated subqueries in MERGE are not supported yet", location: location)
        }
    }
}
