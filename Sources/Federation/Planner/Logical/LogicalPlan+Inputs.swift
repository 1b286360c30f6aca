import Engine

extension LogicalPlan {
    /// The node with `transform` applied to each of its relational inputs (both sides of a join,
    /// every branch of a union, the anchor and recursive term of a recursive union). The plans of
    /// the subqueries a node runs are not inputs (see `mappingSubqueryPlans`).
    func mappingInputs<E: Error>(_ transform: (LogicalPlan) throws(E) -> LogicalPlan) throws(E) -> LogicalPlan {
        switch self {
        case .singleRow, .values, .generateSeries, .unnest, .scan, .workTableScan:
            return self
        case .filter(let input, let predicate): return .filter(try transform(input), predicate: predicate)
        case .project(let input, let expressions): return .project(try transform(input), expressions: expressions)
        case .limit(let input, let limit, let offset): return .limit(try transform(input), limit: limit, offset: offset)
        case .aggregate(let input, let keys, let aggregates):
            return .aggregate(try transform(input), groupKeys: keys, aggregates: aggregates)
        case .sort(let input, let keys): return .sort(try transform(input), keys: keys)
        case .window(let input, let functions): return .window(try transform(input), functions: functions)
        case .union(let inputs):
            var mapped: [LogicalPlan] = []
            for input in inputs { mapped.append(try transform(input)) }
            return .union(mapped)
        case .join(let left, let right, let kind, let condition):
            return .join(left: try transform(left), right: try transform(right), kind: kind, condition: condition)
        case .apply(let input, let subqueries): return .apply(try transform(input), subqueries: subqueries)
        case .lateral(let input, let subquery, let correlation, let preservesInput):
            return .lateral(
                try transform(input), subquery: subquery, correlation: correlation, preservesInput: preservesInput)
        case .projectSet(let input, let calls): return .projectSet(try transform(input), calls: calls)
        case .recursiveUnion(let anchor, let recursive, let workTable, let distinct):
            return .recursiveUnion(
                anchor: try transform(anchor), recursive: try transform(recursive), workTable: workTable,
                distinct: distinct)
        }
    }

    /// The node with `transform` applied to the plans of the subqueries it runs itself: the
    /// correlated subqueries of an `apply`, the subquery of a `lateral`. Not recursive.
    func mappingSubqueryPlans<E: Error>(_ transform: (LogicalPlan) throws(E) -> LogicalPlan) throws(E) -> LogicalPlan {
        switch self {
        case .apply(let input, let subqueries):
            var mapped: [CorrelatedSubquery] = []
            for var subquery in subqueries {
                subquery.subquery.plan = try transform(subquery.subquery.plan)
                mapped.append(subquery)
            }
            return .apply(input, subqueries: mapped)
        case .lateral(let input, let subquery, let correlation, let preservesInput):
            return .lateral(
                input, subquery: try transform(subquery), correlation: correlation, preservesInput: preservesInput)
        default:
            return self
        }
    }

    /// The plan with `transform` applied to every node, inputs before the node that reads them,
    /// inside the plans of the subqueries nodes run too.
    func transformingEveryNode<E: Error>(_ transform: (LogicalPlan) throws(E) -> LogicalPlan) throws(E) -> LogicalPlan {
        let rebuilt = try mappingInputs { (input) throws(E) in try input.transformingEveryNode(transform) }
            .mappingSubqueryPlans { (plan) throws(E) in try plan.transformingEveryNode(transform) }
        return try transform(rebuilt)
    }
}

extension QueryPlan {
    /// The query with `transform` applied to its root plan and the plan of each init plan.
    func mappingPlans<E: Error>(_ transform: (LogicalPlan) throws(E) -> LogicalPlan) throws(E) -> QueryPlan {
        var initPlans: [SubqueryPlan] = []
        for var initPlan in self.initPlans {
            initPlan.plan = try transform(initPlan.plan)
            initPlans.append(initPlan)
        }
        return QueryPlan(
            columns: columns, parameterTypes: parameterTypes, root: try transform(root), initPlans: initPlans)
    }
}
