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

    /// `[NOT] EXISTS (...)` and `x [NOT] IN (...)` at the top of a WHERE clause: `plan` semi- or
    /// anti-joined with the subquery where that is possible (see `bindSubqueryJoin`), else filtered
    /// by the subquery's value computed per row.
    mutating func bindSubqueryCondition(_ condition: ParsedExpression, plan: LogicalPlan, scope: [ScopeColumn])
        throws(BindError)
        -> LogicalPlan
    {
        let before = self
        do {
            if let joined = try bindSubqueryJoin(condition, plan: plan, scope: scope) { return joined }
        } catch {
            guard error.sqlState == .featureNotSupported else { throw error }
        }
        self = before
        attachmentPlanWidth = plan.outputTypes.count
        defer { attachmentPlanWidth = nil }
        let predicate = try coerce(
            try bind(condition, scope: scope), to: .boolean, clause: "WHERE", location: condition.location)
        return .filter(try attachPendingSubqueries(to: plan), predicate: predicate)
    }

    /// `[NOT] EXISTS (...)` and `x [NOT] IN (...)` as semi and anti joins of `plan` with the
    /// subquery (NOT IN with PostgreSQL's NULL semantics). A subquery whose WHERE clause refers to
    /// the outer query is decorrelated: those conditions become the join condition. Returns nil for
    /// any other condition and throws `0A000` for a correlation it cannot turn into a join.
    private mutating func bindSubqueryJoin(_ condition: ParsedExpression, plan: LogicalPlan, scope: [ScopeColumn])
        throws(BindError)
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
        let (inner, innerWidth, correlated, innerValue) = try bindJoinedSubquery(
            subquery.select, outer: scope, wantsValue: lhs != nil)
        // The join condition reads the outer columns, then the subquery's.
        var conditions = correlated.map { Self.combine($0, leftWidth: leftWidth) }
        var joinKind = kind
        if let lhs, let innerValue {
            let outerValue = try bind(lhs, scope: scope)
            let shifted = innerValue.remappingColumns(
                Dictionary(uniqueKeysWithValues: (0..<innerWidth).map { ($0, $0 + leftWidth) }))
            let equal = try bindOperator("=", outerValue, shifted, location: subquery.location)
            if kind == .nullAwareAnti, !correlated.isEmpty {
                // NOT IN's NULL rule holds per outer row, over the subquery rows its correlation picks:
                // a row stays when no picked row equals it or is NULL, and it is not NULL itself
                // (unless none is picked). That is an anti join on the correlation and that test.
                guard case .comparison(.equal, let outerSide, let innerSide) = equal else {
                    throw BindError(
                        .featureNotSupported, "this NOT IN subquery cannot become a join", location: subquery.location)
                }
                conditions.append(.or([equal, .isNull(outerSide, negated: false), .isNull(innerSide, negated: false)]))
                joinKind = .anti
            } else {
                conditions.append(equal)
            }
        }
        return .join(
            left: plan, right: inner, kind: joinKind,
            condition: conditions.isEmpty ? nil : conditions.count == 1 ? conditions[0] : .and(conditions))
    }

    /// Binds a subquery that will be joined: its plan, its width, the WHERE conditions that refer to
    /// the outer query (over inner columns and outer references), and its single output value.
    private mutating func bindJoinedSubquery(_ select: SelectStatement, outer: [ScopeColumn], wantsValue: Bool)
        throws(BindError)
        -> (plan: LogicalPlan, width: Int, correlated: [BoundExpression], value: BoundExpression?)
    {
        let simple =
            select.groupBy.isEmpty && select.having == nil && !select.distinct && select.distinctOn.isEmpty
            && select.limit == nil
            && select.offset == nil && select.values == nil && !select.from.isEmpty
        let beforeAttempt = self
        let enclosingOuter = outerScope
        let enclosingAttachments = (attachmentPlanWidth, pendingAttachments)
        (attachmentPlanWidth, pendingAttachments) = (nil, [])
        defer {
            outerScope = enclosingOuter
            (attachmentPlanWidth, pendingAttachments) = enclosingAttachments
        }
        /// A subquery with its own grouping or limits runs whole, so it may not refer to the outer query.
        func bindWhole(_ binder: inout Binder) throws(BindError) -> (
            plan: LogicalPlan, width: Int, correlated: [BoundExpression], value: BoundExpression?
        ) {
            binder.outerScope = outer
            let referencesBefore = binder.outerReferenceCount
            let (plan, columns) = try binder.bindQuery(select)
            if binder.outerReferenceCount != referencesBefore {
                throw BindError(.featureNotSupported, "this correlated subquery cannot become a join")
            }
            if wantsValue, columns.count != 1 { throw BindError(.syntaxError, "subquery has too many columns") }
            let value = wantsValue ? BoundExpression.column(index: 0, type: columns[0].type) : nil
            return (plan, columns.count, [], value)
        }
        guard simple else { return try bindWhole(&self) }
        outerScope = outer
        let referencesBefore = outerReferenceCount
        var (plan, scope) = try bindFromList(select.from)
        var correlated: [BoundExpression] = []
        var local: [BoundExpression] = []
        let (subqueryConditions, plainConditions) = (select.whereClause.map(Self.conjuncts) ?? []).partitioned(
            by: Self.isSubqueryCondition)
        for conjunct in plainConditions {
            attachmentPlanWidth = plan.outputTypes.count
            let bound = try coerce(
                try bind(conjunct, scope: scope), to: .boolean, clause: "WHERE", location: conjunct.location)
            attachmentPlanWidth = nil
            plan = try attachPendingSubqueries(to: plan)
            if bound.referencedColumns.contains(where: { $0 >= Self.outerReferenceBase }) {
                correlated.append(bound)
            } else {
                local.append(bound)
            }
        }
        if !local.isEmpty { plan = .filter(plan, predicate: local.count == 1 ? local[0] : .and(local)) }
        for conjunct in subqueryConditions { plan = try bindSubqueryCondition(conjunct, plan: plan, scope: scope) }
        if try selectsAggregates(select, scope: scope) {
            // `EXISTS (SELECT max(x) ...)` has one row whatever its FROM holds, and `IN (SELECT max(x) ...)`
            // one value: the subquery runs whole (so it may not refer to the outer query).
            self = beforeAttempt
            (attachmentPlanWidth, pendingAttachments) = (nil, [])
            return try bindWhole(&self)
        }
        var value: BoundExpression?
        if wantsValue {
            guard select.targets.count == 1, case .expression(let target, _) = select.targets[0] else {
                throw BindError(.syntaxError, "subquery has too many columns")
            }
            var bound = try bind(target, scope: scope)
            if bound.type == .unknown { bound = try coerce(bound, to: .text, clause: nil, location: target.location) }
            if bound.referencedColumns.contains(where: { $0 >= Self.outerReferenceBase }) {
                throw BindError(
                    .featureNotSupported, "a subquery whose select list refers to the outer query cannot become a join",
                    location: target.location)
            }
            value = bound
        }
        // Outer references anywhere but in top-level WHERE conditions cannot be decorrelated yet.
        let decorrelated = correlated.reduce(0) { $0 + Self.outerReferences(in: $1) }
        guard outerReferenceCount - referencesBefore == decorrelated else {
            throw BindError(
                .featureNotSupported, "this correlated subquery is not supported yet",
                hint: "Refer to the outer query only in AND-ed conditions of the subquery's WHERE clause.")
        }
        return (plan, scope.count, correlated, value)
    }

    /// True when the select list of `select` (whose FROM is bound as `scope`) calls an aggregate,
    /// which makes it one row per group. Binds the list in a copy of the binder, changing nothing.
    private func selectsAggregates(_ select: SelectStatement, scope: [ScopeColumn]) throws(BindError) -> Bool {
        var probe = self
        probe.aggregation = AggregationState()
        for case .expression(let target, _) in select.targets {
            _ = try probe.bind(target, scope: scope)
        }
        return !(probe.aggregation?.calls.isEmpty ?? true) || !(probe.aggregation?.groupingCalls.isEmpty ?? true)
    }

    /// A correlated scalar subquery of the form `(SELECT f(aggregates) FROM ... WHERE inner = outer
    /// AND ...)`, decorrelated: the subquery is grouped by its correlation columns and left-joined
    /// to the WHERE clause's plan (see `pendingScalarJoins`); the value is read from the joined column.
    mutating func bindCorrelatedScalarSubquery(_ subquery: Subquery, scope: [ScopeColumn]) throws(BindError)
        -> BoundExpression
    {
        let select = subquery.select
        func unsupported() -> BindError {
            BindError(
                .featureNotSupported, "this correlated scalar subquery is not supported yet",
                hint:
                    "Weir decorrelates (SELECT aggregate FROM ... WHERE inner_column = outer_column AND ...) in WHERE conditions.",
                location: subquery.location)
        }
        guard let planWidth = attachmentPlanWidth, select.targets.count == 1,
            case .expression(let target, _) = select.targets[0],
            select.groupBy.isEmpty, select.having == nil, !select.distinct, select.distinctOn.isEmpty,
            select.limit == nil, select.offset == nil,
            select.values == nil, !select.from.isEmpty
        else { throw unsupported() }
        outerScope = scope
        // Every outer reference below ends up in a join key, so none is left for enclosing checks.
        let referencesBefore = outerReferenceCount
        let enclosingAttachments = pendingAttachments
        pendingAttachments = []
        attachmentPlanWidth = nil
        defer {
            outerReferenceCount = referencesBefore
            attachmentPlanWidth = planWidth
        }
        var (plan, innerScope) = try bindFromList(select.from)
        // Outer references inside FROM (a derived table reading an outer column) cannot be join keys.
        if Self.readsOuterReferences(plan) { throw unsupported() }
        var outerKeys: [BoundExpression] = []
        var innerKeys: [BoundExpression] = []
        var local: [BoundExpression] = []
        let isOuter = { (column: Int) in column >= Self.outerReferenceBase }
        for conjunct in select.whereClause.map(Self.conjuncts) ?? [] {
            let bound = try coerce(
                try bind(conjunct, scope: innerScope), to: .boolean, clause: "WHERE", location: conjunct.location)
            let columns = bound.referencedColumns
            guard columns.contains(where: isOuter) else {
                local.append(bound)
                continue
            }
            guard case .comparison(.equal, let lhs, let rhs) = bound else { throw unsupported() }
            let (outerSide, innerSide) = lhs.referencedColumns.allSatisfy(isOuter) ? (lhs, rhs) : (rhs, lhs)
            guard outerSide.referencedColumns.allSatisfy(isOuter), !innerSide.referencedColumns.contains(where: isOuter)
            else {
                throw unsupported()
            }
            outerKeys.append(
                outerSide.remappingColumns(
                    Dictionary(
                        uniqueKeysWithValues: outerSide.referencedColumns.map { ($0, $0 - Self.outerReferenceBase) })))
            innerKeys.append(innerSide)
        }
        outerScope = nil
        if !local.isEmpty { plan = .filter(plan, predicate: local.count == 1 ? local[0] : .and(local)) }
        aggregation = AggregationState()
        var value = try bind(target, scope: innerScope)
        let calls = aggregation?.calls ?? []
        let groupingCalls = aggregation?.groupingCalls ?? []
        aggregation = nil
        guard !calls.isEmpty, groupingCalls.isEmpty, !value.referencedColumns.contains(where: isOuter) else {
            throw unsupported()
        }
        plan = .aggregate(plan, groupKeys: innerKeys, aggregates: calls)
        value = try Grouping(keys: innerKeys, scope: innerScope).rewrite(value)
        let keyColumns = innerKeys.indices.map { BoundExpression.column(index: $0, type: innerKeys[$0].type) }
        let grouped = LogicalPlan.project(plan, expressions: keyColumns + [value])
        guard pendingAttachments.isEmpty else { throw unsupported() }
        pendingAttachments = enclosingAttachments
        let joinedAt = planWidth + pendingAttachments.reduce(0) { $0 + $1.width }
        pendingAttachments.append(.join(plan: grouped, outerKeys: outerKeys, width: innerKeys.count + 1))
        var result = BoundExpression.column(index: joinedAt + innerKeys.count, type: value.type)
        // A count over no rows is 0, not the NULL an unmatched left join gives.
        if calls.count == 1, calls[0].function == .count || calls[0].function == .countStar, case .column = value {
            result = .function(ConditionalFunctions.coalesce(type: value.type), [result, .constant(.int64(0), .int64)])
        }
        return result
    }

    /// `plan` extended by the correlated subqueries bound since the last call: decorrelated ones
    /// left-joined, the others run per row.
    mutating func attachPendingSubqueries(to plan: LogicalPlan) throws(BindError) -> LogicalPlan {
        var plan = plan
        for pending in pendingAttachments {
            switch pending {
            case .join(let grouped, let outerKeys, _):
                let leftWidth = plan.outputTypes.count
                var conditions: [BoundExpression] = []
                for (index, outerKey) in outerKeys.enumerated() {
                    let innerKey = BoundExpression.column(index: leftWidth + index, type: grouped.outputTypes[index])
                    conditions.append(try bindOperator("=", outerKey, innerKey, location: 0))
                }
                plan = .join(
                    left: plan, right: grouped, kind: .left,
                    condition: conditions.count == 1 ? conditions[0] : .and(conditions))
            case .apply(let subquery):
                // Subqueries of one apply all read its input; one that reads an earlier one's value
                // runs in an apply of its own above it.
                if case .apply(let input, let subqueries) = plan,
                    subquery.correlation.allSatisfy({ $0.referencedColumns.allSatisfy { $0 < input.outputTypes.count } }
                    )
                {
                    plan = .apply(input, subqueries: subqueries + [subquery])
                } else {
                    plan = .apply(plan, subqueries: [subquery])
                }
            case .setReturning(let call):
                // The calls of one select list run side by side, not one within another.
                if case .projectSet(let input, let calls) = plan {
                    plan = .projectSet(input, calls: calls + [call])
                } else {
                    plan = .projectSet(plan, calls: [call])
                }
            }
        }
        pendingAttachments = []
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

    /// A subquery used as a value: `(SELECT ...)`, `EXISTS (...)`, `ARRAY(...)`, `x op ANY/ALL (...)`.
    ///
    /// An uncorrelated one runs once before the query (an init plan) and its value is read like a
    /// parameter. A correlated scalar aggregate is decorrelated into a grouped left join where it
    /// can be; any other correlated subquery runs per outer row (see `LogicalPlan.apply`).
    mutating func bindSubqueryValue(_ subquery: Subquery, scope: [ScopeColumn]) throws(BindError) -> BoundExpression {
        let enclosingOuter = outerScope
        let enclosingAggregation = aggregation
        defer {
            outerScope = enclosingOuter
            aggregation = enclosingAggregation
        }
        // The left operand of ANY/ALL belongs to this query; inside the subquery it is an outer value.
        var comparison: (op: String, lhs: BoundExpression, result: SubqueryPlan.Result)?
        switch subquery.kind {
        case .any(let op, let lhs), .all(let op, let lhs):
            let bound = try bind(lhs, scope: scope)
            let outer = bound.remappingColumns(
                Dictionary(uniqueKeysWithValues: bound.referencedColumns.map { ($0, $0 + Self.outerReferenceBase) }))
            if case .any = subquery.kind { comparison = (op, outer, .any) } else { comparison = (op, outer, .all) }
        case .scalar, .exists, .array:
            break
        }
        let before = self
        outerScope = scope
        aggregation = nil
        var (plan, columns) = try bindQuery(subquery.select)
        let result: SubqueryPlan.Result
        switch subquery.kind {
        case .scalar, .array:
            guard columns.count == 1 else {
                throw BindError(.syntaxError, "subquery must return only one column", location: subquery.location)
            }
            result = subquery.kind == .array ? .array : .scalar
        case .exists:
            plan = .project(plan, expressions: [])
            result = .exists
        case .any, .all:
            guard columns.count == 1, let comparison else {
                throw BindError(.syntaxError, "subquery has too many columns", location: subquery.location)
            }
            let value = try bindOperator(
                comparison.op, comparison.lhs, .column(index: 0, type: columns[0].type), location: subquery.location)
            plan = .project(
                plan, expressions: [try coerce(value, to: .boolean, clause: "ANY/ALL", location: subquery.location)])
            result = comparison.result
        }
        let outerColumns = Set(
            plan.expressions.flatMap { $0.referencedColumns.filter { $0 >= Self.outerReferenceBase } }
        ).sorted()
        guard !outerColumns.isEmpty else {
            initPlans.append(SubqueryPlan(plan: plan, result: result))
            return .parameter(
                index: EvaluationContext.subqueryParameterBase + initPlans.count - 1, type: initPlans.last!.type)
        }
        if result == .scalar, attachmentPlanWidth != nil {
            // Bind again as a decorrelated aggregate if it is one; drop what the first attempt produced.
            let afterFirstAttempt = self
            self = before
            do {
                return try bindCorrelatedScalarSubquery(subquery, scope: scope)
            } catch {
                guard error.sqlState == .featureNotSupported else { throw error }
                self = afterFirstAttempt
            }
        }
        guard let planWidth = attachmentPlanWidth else {
            throw BindError(
                .featureNotSupported,
                "correlated subqueries are supported in WHERE conditions and select lists only so far",
                location: subquery.location)
        }
        // The outer values the subquery reads become its parameters: columns of the enclosing FROM,
        // or values earlier subqueries of the same list add (`(SELECT ...) IN (SELECT ...)`).
        var outerTypes: [Int: DataType] = [:]
        for expression in plan.expressions {
            _ = expression.replacing { node in
                if case .column(let index, let type) = node, index >= Self.outerReferenceBase {
                    outerTypes[index] = type
                }
                return nil
            }
        }
        outerReferenceCount = before.outerReferenceCount
        let parameterIndex = Dictionary(uniqueKeysWithValues: outerColumns.enumerated().map { ($0.element, $0.offset) })
        let parameterized = plan.mappingExpressions { expression in
            expression.replacing { node in
                guard case .column(let index, let type) = node, let position = parameterIndex[index] else { return nil }
                return .parameter(index: EvaluationContext.correlationParameterBase + position, type: type)
            }
        }
        let correlation = outerColumns.map {
            BoundExpression.column(index: $0 - Self.outerReferenceBase, type: outerTypes[$0]!)
        }
        let planned = SubqueryPlan(plan: parameterized, result: result)
        let column = planWidth + pendingAttachments.reduce(0) { $0 + $1.width }
        pendingAttachments.append(.apply(LogicalPlan.CorrelatedSubquery(subquery: planned, correlation: correlation)))
        return .column(index: column, type: planned.type)
    }
}

/// A correlated subquery bound in a WHERE condition or select list, waiting to extend the plan
/// that condition or list reads (`Binder.attachPendingSubqueries`).
enum PendingAttachment {
    /// A decorrelated scalar aggregate: its grouped plan, left-joined on `outerKeys`.
    case join(plan: LogicalPlan, outerKeys: [BoundExpression], width: Int)
    /// Any other correlated subquery, run per outer row.
    case apply(LogicalPlan.CorrelatedSubquery)
    /// A set-returning function called in the select list.
    case setReturning(SetReturningCall)

    /// How many columns it adds.
    var width: Int {
        switch self {
        case .join(_, _, let width): return width
        case .apply, .setReturning: return 1
        }
    }
}

extension Array {
    /// The elements that satisfy `predicate`, then the others, each in their original order.
    func partitioned(by predicate: (Element) -> Bool) -> (matching: [Element], others: [Element]) {
        (filter(predicate), filter { !predicate($0) })
    }
}
