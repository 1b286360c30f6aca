import Engine

/// Where an expression of a plan sits: a condition (WHERE, HAVING, JOIN ON, a scan's filter), where
/// NULL counts as false, or anywhere else, where it is a value. An aggregate's FILTER and NOT IN's
/// join condition count as values: PostgreSQL does not simplify them as conditions either.
enum ExpressionRole {
    case value, condition
}

extension LogicalPlan {
    /// The plan with `transform` applied to every expression of every node (not inside the plans
    /// of subqueries it runs, which have their own expressions).
    func mappingExpressions(_ transform: (Expression) -> Expression) -> LogicalPlan {
        mappingExpressions(roles: { expression, _ in transform(expression) })
    }

    /// Like `mappingExpressions(_:)`, telling `transform` whether each expression is a condition.
    func mappingExpressions(roles transform: (Expression, ExpressionRole) -> Expression) -> LogicalPlan {
        func value(_ expression: Expression) -> Expression { transform(expression, .value) }
        func condition(_ expression: Expression) -> Expression { transform(expression, .condition) }
        func sortKeys(_ keys: [SortKey]) -> [SortKey] {
            keys.map { key in
                var key = key
                key.expression = value(key.expression)
                return key
            }
        }
        switch self {
        case .singleRow, .workTableScan: return self
        case .recursiveUnion(let anchor, let recursive, let workTable, let distinct):
            return .recursiveUnion(
                anchor: anchor.mappingExpressions(roles: transform),
                recursive: recursive.mappingExpressions(roles: transform), workTable: workTable,
                distinct: distinct)
        case .values(let rows, let types): return .values(rows: rows.map { $0.map(value) }, types: types)
        case .generateSeries(let start, let stop, let step, let type):
            return .generateSeries(start: value(start), stop: value(stop), step: step.map(value), type: type)
        case .unnest(let array, let element): return .unnest(value(array), element: element)
        case .scan(let table, let columns, let filter):
            return .scan(table: table, columns: columns, filter: filter.map(condition))
        case .filter(let input, let predicate):
            return .filter(input.mappingExpressions(roles: transform), predicate: condition(predicate))
        case .project(let input, let expressions):
            return .project(input.mappingExpressions(roles: transform), expressions: expressions.map(value))
        case .limit(let input, let limit, let offset):
            return .limit(
                input.mappingExpressions(roles: transform), limit: limit.map(value), offset: offset.map(value))
        case .aggregate(let input, let keys, let aggregates):
            let calls = aggregates.map { call in
                var call = call
                call.arguments = call.arguments.map(value)
                call.filter = call.filter.map(value)
                call.orderBy = sortKeys(call.orderBy)
                return call
            }
            return .aggregate(input.mappingExpressions(roles: transform), groupKeys: keys.map(value), aggregates: calls)
        case .sort(let input, let keys): return .sort(input.mappingExpressions(roles: transform), keys: sortKeys(keys))
        case .window(let input, let functions):
            return .window(
                input.mappingExpressions(roles: transform), functions: functions.map { $0.mappingExpressions(value) })
        case .union(let inputs): return .union(inputs.map { $0.mappingExpressions(roles: transform) })
        case .join(let left, let right, let kind, let joinCondition):
            return .join(
                left: left.mappingExpressions(roles: transform), right: right.mappingExpressions(roles: transform),
                kind: kind,
                // NOT IN's null-aware anti join tells a NULL comparison from a false one.
                condition: joinCondition.map(kind == .nullAwareAnti ? value : condition))
        case .projectSet(let input, let calls):
            let mapped = calls.map { call in
                SetReturningCall(call.function, arguments: call.arguments.map(value), resultType: call.resultType)
            }
            return .projectSet(input.mappingExpressions(roles: transform), calls: mapped)
        case .apply(let input, let subqueries):
            let mapped = subqueries.map { subquery in
                CorrelatedSubquery(subquery: subquery.subquery, correlation: subquery.correlation.map(value))
            }
            return .apply(input.mappingExpressions(roles: transform), subqueries: mapped)
        case .lateral(let input, let subquery, let correlation, let preservesInput):
            return .lateral(
                input.mappingExpressions(roles: transform), subquery: subquery, correlation: correlation.map(value),
                preservesInput: preservesInput)
        }
    }

    /// Every expression of every node, as `mappingExpressions` visits them.
    var expressions: [Expression] {
        var collected: [Expression] = []
        _ = mappingExpressions { expression in
            collected.append(expression)
            return expression
        }
        return collected
    }
}

extension Expression {
    /// The expression with each subexpression for which `replacement` returns a value replaced by
    /// it (outermost first; a replaced subexpression is not visited further).
    func replacing(_ replacement: (Expression) -> Expression?) -> Expression {
        if let replaced = replacement(self) { return replaced }
        return mappingChildren { $0.replacing(replacement) }
    }
}
