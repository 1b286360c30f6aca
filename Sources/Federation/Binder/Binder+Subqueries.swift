import Engine
import SQL

extension Binder {
    /// Column indexes at and above this refer to the enclosing query's columns (`outerScope`).
    static let outerReferenceBase = 1 << 40

    /// True for the WHERE conditions `bindSubqueryCondition` turns into joins.
    static func isSubqueryCondition(_ condition: ParsedExpression) -> Bool {
        var expression = condition
        if case .not(let inner) = condition { expression = inner }
        guard case .subquery(let subquery) = expression else { return false }
        switch subquery.kind {
        case .exists, .any("=", _): return true
        default: return false
        }
    }

    /// The conjuncts of a WHERE clause.
    static func conjuncts(_ expression: ParsedExpression) -> [ParsedExpression] {
        if case .and(let items) = expression { return items.flatMap { conjuncts($0) } }
        return [expression]
    }

    /// `[NOT] EXISTS (...)` and `x [NOT] IN (...)` at the top of a WHERE clause become semi and
    /// anti joins of `plan` with the subquery (NOT IN with PostgreSQL's NULL semantics). A
    /// subquery whose WHERE clause refers to the outer query is decorrelated: those conditions
    /// become the join condition. Returns nil for any other condition.
    mutating func bindSubqueryCondition(_ condition: ParsedExpression, plan: LogicalPlan, scope: [ScopeColumn]) throws(BindError)
        -> LogicalPlan?
    {
        var negated = false
        var expression = condition
        if case .not(let inner) = condition {
            negated = true
            expression = inner
        }
        guard case .subquery(let subquery) = expression else { return nil }
        let kind: LogicalPlan.JoinType
        var lhs: ParsedExpression?
        switch subquery.kind {
        case .exists:
            kind = negated ? .anti : .semi
        case .any("=", let left):
            kind = negated ? .nullAwareAnti : .semi
            lhs = left
        default:
            return nil
        }
        // The plan may be wider than the scope: decorrelated scalar subqueries add hidden columns.
        let leftWidth = plan.outputTypes.count
        let (inner, innerWidth, correlated, innerValue) = try bindJoinedSubquery(subquery.select, outer: scope, wantsValue: lhs != nil)
        // The join condition reads the outer columns, then the subquery's.
        var conditions = correlated.map { Self.combine($0, leftWidth: leftWidth) }
        if let lhs, let innerValue {
            let outerValue = try bind(lhs, scope: scope)
            let shifted = innerValue.remappingColumns(Dictionary(uniqueKeysWithValues: (0..<innerWidth).map { ($0, $0 + leftWidth) }))
            conditions.append(try bindOperator("=", outerValue, shifted, location: subquery.location))
        }
        return .join(left: plan, right: inner, kind: kind, condition: conditions.isEmpty ? nil : conditions.count == 1 ? conditions[0] : .and(conditions))
    }

    /// Binds a subquery that will be joined: its plan, its width, the WHERE conditions that refer to
    /// the outer query (over inner columns and outer references), and its single output value.
    private mutating func bindJoinedSubquery(_ select: SelectStatement, outer: [ScopeColumn], wantsValue: Bool) throws(BindError)
        -> (plan: LogicalPlan, width: Int, correlated: [BoundExpression], value: BoundExpression?)
    {
        let simple = select.groupBy.isEmpty && select.having == nil && !select.distinct && select.limit == nil
            && select.offset == nil && select.values == nil && !select.from.isEmpty
        let enclosingOuter = outerScope
        defer { outerScope = enclosingOuter }
        guard simple else {
            // A subquery with its own grouping or limits runs whole; it may not refer to the outer query.
            outerScope = nil
            let (plan, columns) = try bindQuery(select)
            if wantsValue, columns.count != 1 { throw BindError("42601", "subquery has too many columns") }
            let value = wantsValue ? BoundExpression.column(index: 0, type: columns[0].type) : nil
            return (plan, columns.count, [], value)
        }
        outerScope = outer
        let referencesBefore = outerReferenceCount
        var (plan, scope) = try bindFromList(select.from)
        var correlated: [BoundExpression] = []
        var local: [BoundExpression] = []
        let (subqueryConditions, plainConditions) = (select.whereClause.map(Self.conjuncts) ?? []).partitioned(by: Self.isSubqueryCondition)
        for conjunct in plainConditions {
            whereClausePlanWidth = plan.outputTypes.count
            let bound = try coerce(try bind(conjunct, scope: scope), to: .boolean, clause: "WHERE", location: conjunct.location)
            whereClausePlanWidth = nil
            plan = try attachPendingScalarJoins(to: plan)
            if bound.referencedColumns.contains(where: { $0 >= Self.outerReferenceBase }) {
                correlated.append(bound)
            } else {
                local.append(bound)
            }
        }
        if !local.isEmpty { plan = .filter(plan, predicate: local.count == 1 ? local[0] : .and(local)) }
        for conjunct in subqueryConditions {
            if let joined = try bindSubqueryCondition(conjunct, plan: plan, scope: scope) { plan = joined }
        }
        var value: BoundExpression?
        if wantsValue {
            guard select.targets.count == 1, case .expression(let target, _) = select.targets[0] else {
                throw BindError("42601", "subquery has too many columns")
            }
            var bound = try bind(target, scope: scope)
            if bound.type == .unknown { bound = try coerce(bound, to: .text, clause: nil, location: target.location) }
            if bound.referencedColumns.contains(where: { $0 >= Self.outerReferenceBase }) {
                throw BindError("0A000", "a subquery's select list may not refer to the outer query yet", location: target.location)
            }
            value = bound
        }
        // Outer references anywhere but in top-level WHERE conditions cannot be decorrelated yet.
        let decorrelated = correlated.reduce(0) { $0 + Self.outerReferences(in: $1) }
        guard outerReferenceCount - referencesBefore == decorrelated else {
            throw BindError("0A000", "this correlated subquery is not supported yet",
                hint: "Refer to the outer query only in AND-ed conditions of the subquery's WHERE clause.")
        }
        return (plan, scope.count, correlated, value)
    }

    /// A correlated scalar subquery of the form `(SELECT f(aggregates) FROM ... WHERE inner = outer
    /// AND ...)`, decorrelated: the subquery is grouped by its correlation columns and left-joined
    /// to the WHERE clause's plan (see `pendingScalarJoins`); the value is read from the joined column.
    mutating func bindCorrelatedScalarSubquery(_ subquery: Subquery, scope: [ScopeColumn]) throws(BindError) -> BoundExpression {
        let select = subquery.select
        func unsupported() -> BindError {
            BindError("0A000", "this correlated scalar subquery is not supported yet",
                hint: "Weir decorrelates (SELECT aggregate FROM ... WHERE inner_column = outer_column AND ...) in WHERE conditions.",
                location: subquery.location)
        }
        guard let planWidth = whereClausePlanWidth, select.targets.count == 1, case .expression(let target, _) = select.targets[0],
            select.groupBy.isEmpty, select.having == nil, !select.distinct, select.limit == nil, select.offset == nil,
            select.values == nil, !select.from.isEmpty
        else { throw unsupported() }
        outerScope = scope
        // Every outer reference below ends up in a join key, so none is left for enclosing checks.
        let referencesBefore = outerReferenceCount
        defer { outerReferenceCount = referencesBefore }
        var (plan, innerScope) = try bindFromList(select.from)
        var outerKeys: [BoundExpression] = []
        var innerKeys: [BoundExpression] = []
        var local: [BoundExpression] = []
        let isOuter = { (column: Int) in column >= Self.outerReferenceBase }
        for conjunct in select.whereClause.map(Self.conjuncts) ?? [] {
            let bound = try coerce(try bind(conjunct, scope: innerScope), to: .boolean, clause: "WHERE", location: conjunct.location)
            let columns = bound.referencedColumns
            guard columns.contains(where: isOuter) else {
                local.append(bound)
                continue
            }
            guard case .comparison(.equal, let lhs, let rhs) = bound else { throw unsupported() }
            let (outerSide, innerSide) = lhs.referencedColumns.allSatisfy(isOuter) ? (lhs, rhs) : (rhs, lhs)
            guard outerSide.referencedColumns.allSatisfy(isOuter), !innerSide.referencedColumns.contains(where: isOuter) else {
                throw unsupported()
            }
            outerKeys.append(outerSide.remappingColumns(Dictionary(uniqueKeysWithValues: outerSide.referencedColumns.map { ($0, $0 - Self.outerReferenceBase) })))
            innerKeys.append(innerSide)
        }
        outerScope = nil
        if !local.isEmpty { plan = .filter(plan, predicate: local.count == 1 ? local[0] : .and(local)) }
        aggregation = AggregationState()
        var value = try bind(target, scope: innerScope)
        let calls = aggregation?.calls ?? []
        aggregation = nil
        guard !calls.isEmpty, !value.referencedColumns.contains(where: isOuter) else { throw unsupported() }
        plan = .aggregate(plan, groupKeys: innerKeys, aggregates: calls)
        value = try Grouping(keys: innerKeys, scope: innerScope).rewrite(value)
        let keyColumns = innerKeys.indices.map { BoundExpression.column(index: $0, type: innerKeys[$0].type) }
        let grouped = LogicalPlan.project(plan, expressions: keyColumns + [value])
        let joinedAt = planWidth + pendingScalarJoins.reduce(0) { $0 + $1.width }
        pendingScalarJoins.append((grouped, outerKeys, innerKeys.count + 1))
        var result = BoundExpression.column(index: joinedAt + innerKeys.count, type: value.type)
        // A count over no rows is 0, not the NULL an unmatched left join gives.
        if calls.count == 1, calls[0].function == .count || calls[0].function == .countStar, case .column = value {
            result = .function(ConditionalFunctions.coalesce(type: value.type), [result, .constant(.int64(0), .int64)])
        }
        return result
    }

    /// Left-joins the decorrelated scalar subqueries bound since the last call to `plan`.
    mutating func attachPendingScalarJoins(to plan: LogicalPlan) throws(BindError) -> LogicalPlan {
        var plan = plan
        for pending in pendingScalarJoins {
            let leftWidth = plan.outputTypes.count
            var conditions: [BoundExpression] = []
            for (index, outerKey) in pending.outerKeys.enumerated() {
                let innerKey = BoundExpression.column(index: leftWidth + index, type: pending.plan.outputTypes[index])
                conditions.append(try bindOperator("=", outerKey, innerKey, location: 0))
            }
            plan = .join(left: plan, right: pending.plan, kind: .left, condition: conditions.count == 1 ? conditions[0] : .and(conditions))
        }
        pendingScalarJoins = []
        return plan
    }

    static func outerReferences(in expression: BoundExpression) -> Int {
        if case .column(let index, _) = expression { return index >= outerReferenceBase ? 1 : 0 }
        var count = 0
        _ = expression.mappingChildren { child in
            count += outerReferences(in: child)
            return child
        }
        return count
    }

    /// An expression over a subquery's columns and outer references, rewritten over the join's
    /// combined row: outer columns first, then the subquery's.
    static func combine(_ expression: BoundExpression, leftWidth: Int) -> BoundExpression {
        var mapping: [Int: Int] = [:]
        for column in expression.referencedColumns {
            mapping[column] = column >= outerReferenceBase ? column - outerReferenceBase : column + leftWidth
        }
        return expression.remappingColumns(mapping)
    }

    /// `(SELECT ...)` as a value: an uncorrelated subquery runs once before the query (an init
    /// plan) and its value is read like a parameter.
    mutating func bindScalarSubquery(_ subquery: Subquery, scope: [ScopeColumn]) throws(BindError) -> BoundExpression {
        guard case .scalar = subquery.kind else {
            throw BindError(
                "0A000", "EXISTS, IN, ANY and ALL subqueries are supported only as conditions of a WHERE clause so far",
                location: subquery.location)
        }
        let enclosingOuter = outerScope
        let enclosingAggregation = aggregation
        defer {
            outerScope = enclosingOuter
            aggregation = enclosingAggregation
        }
        outerScope = scope
        aggregation = nil
        let referencesBefore = outerReferenceCount
        let planWidth = whereClausePlanWidth
        let initPlansBefore = initPlans.count
        let (plan, columns) = try bindQuery(subquery.select)
        guard outerReferenceCount == referencesBefore else {
            // Bind again as a correlated subquery; drop what the first attempt produced.
            outerReferenceCount = referencesBefore
            whereClausePlanWidth = planWidth
            initPlans.removeSubrange(initPlansBefore...)
            return try bindCorrelatedScalarSubquery(subquery, scope: scope)
        }
        guard columns.count == 1 else { throw BindError("42601", "subquery must return only one column", location: subquery.location) }
        initPlans.append(plan)
        return .parameter(index: EvaluationContext.subqueryParameterBase + initPlans.count - 1, type: columns[0].type)
    }
}

extension Array {
    /// The elements that satisfy `predicate`, then the others, each in their original order.
    func partitioned(by predicate: (Element) -> Bool) -> (matching: [Element], others: [Element]) {
        (filter(predicate), filter { !predicate($0) })
    }
}
