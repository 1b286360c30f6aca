import Engine

extension LogicalPlan {
    /// The plan with `transform` applied to every expression of every node (not inside the plans
    /// of subqueries it runs, which have their own expressions).
    func mappingExpressions(_ transform: (Expression) -> Expression) -> LogicalPlan {
        func sortKeys(_ keys: [SortKey]) -> [SortKey] {
            keys.map { key in
                var key = key
                key.expression = transform(key.expression)
                return key
            }
        }
        switch self {
        case .singleRow, .workTableScan: return self
        case .recursiveUnion(let anchor, let recursive, let workTable, let distinct):
            return .recursiveUnion(
                anchor: anchor.mappingExpressions(transform), recursive: recursive.mappingExpressions(transform), workTable: workTable,
                distinct: distinct)
        case .values(let rows, let types): return .values(rows: rows.map { $0.map(transform) }, types: types)
        case .generateSeries(let start, let stop, let step, let type):
            return .generateSeries(start: transform(start), stop: transform(stop), step: step.map(transform), type: type)
        case .unnest(let array, let element): return .unnest(transform(array), element: element)
        case .scan(let table, let columns, let filter): return .scan(table: table, columns: columns, filter: filter.map(transform))
        case .filter(let input, let predicate): return .filter(input.mappingExpressions(transform), predicate: transform(predicate))
        case .project(let input, let expressions):
            return .project(input.mappingExpressions(transform), expressions: expressions.map(transform))
        case .limit(let input, let limit, let offset):
            return .limit(input.mappingExpressions(transform), limit: limit.map(transform), offset: offset.map(transform))
        case .aggregate(let input, let keys, let aggregates):
            let calls = aggregates.map { call in
                var call = call
                call.arguments = call.arguments.map(transform)
                call.filter = call.filter.map(transform)
                call.orderBy = sortKeys(call.orderBy)
                return call
            }
            return .aggregate(input.mappingExpressions(transform), groupKeys: keys.map(transform), aggregates: calls)
        case .sort(let input, let keys): return .sort(input.mappingExpressions(transform), keys: sortKeys(keys))
        case .window(let input, let functions):
            return .window(input.mappingExpressions(transform), functions: functions.map { $0.mappingExpressions(transform) })
        case .union(let inputs): return .union(inputs.map { $0.mappingExpressions(transform) })
        case .join(let left, let right, let kind, let condition):
            return .join(
                left: left.mappingExpressions(transform), right: right.mappingExpressions(transform), kind: kind,
                condition: condition.map(transform))
        case .projectSet(let input, let calls):
            let mapped = calls.map { call in SetReturningCall(call.function, arguments: call.arguments.map(transform), resultType: call.resultType) }
            return .projectSet(input.mappingExpressions(transform), calls: mapped)
        case .apply(let input, let subqueries):
            let mapped = subqueries.map { subquery in
                CorrelatedSubquery(subquery: subquery.subquery, correlation: subquery.correlation.map(transform))
            }
            return .apply(input.mappingExpressions(transform), subqueries: mapped)
        case .lateral(let input, let subquery, let correlation, let preservesInput):
            return .lateral(
                input.mappingExpressions(transform), subquery: subquery, correlation: correlation.map(transform), preservesInput: preservesInput)
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
