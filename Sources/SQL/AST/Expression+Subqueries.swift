extension Expression {
    /// The expressions directly inside this one.
    public var children: [Expression] {
        switch self {
        case .literal, .column, .parameter, .specialFunction, .unsupported: return []
        case .binary(_, let lhs, let rhs, _), .nullIf(let lhs, let rhs, _), .distinctFrom(let lhs, let rhs, _, _),
            .arrayElement(let lhs, let rhs, _), .quantified(_, let lhs, let rhs, _, _):
            return [lhs, rhs]
        case .arrayConstructor(let items, _), .row(let items, _), .groupingSet(_, let items, _),
            .grouping(let items, _):
            return items
        case .unary(_, let operand, _), .not(let operand), .isNull(let operand, _), .cast(let operand, _, _),
            .booleanTest(let operand, _, _), .fieldSelection(let operand, _, _):
            return [operand]
        case .and(let items), .or(let items), .coalesce(let items, _), .greatest(let items, _), .least(let items, _):
            return items
        case .function(let call):
            return call.arguments + (call.filter.map { [$0] } ?? []) + call.orderBy.map(\.expression)
        case .caseWhen(let operand, let branches, let otherwise, _):
            return (operand.map { [$0] } ?? []) + branches.flatMap { [$0.condition, $0.result] }
                + (otherwise.map { [$0] } ?? [])
        case .inList(let item, let list, _, _): return [item] + list
        case .between(let item, let low, let high, _, _): return [item, low, high]
        case .subquery(let subquery):
            switch subquery.kind {
            case .exists, .scalar, .array: return []
            case .any(_, let lhs), .all(_, let lhs): return [lhs]
            }
        }
    }

    /// Every subquery in the expression, outermost first (not those nested inside them).
    public var subqueries: [SelectStatement] {
        if case .subquery(let subquery) = self { return [subquery.select] + children.flatMap(\.subqueries) }
        return children.flatMap(\.subqueries)
    }
}

extension SelectStatement {
    /// The expressions written at this query's level (select list, WHERE, GROUP BY, HAVING,
    /// ORDER BY, LIMIT, VALUES, join conditions, function arguments in FROM), not those of
    /// queries nested in FROM.
    public var expressions: [Expression] {
        var expressions: [Expression] = []
        for target in targets {
            if case .expression(let expression, _) = target { expressions.append(expression) }
        }
        expressions +=
            [whereClause, having, limit, offset].compactMap { $0 } + groupBy + orderBy.map(\.expression) + distinctOn
        expressions += (values ?? []).flatMap { $0 }
        func joinConditions(_ item: TableReference) -> [Expression] {
            switch item {
            case .join(_, let left, let right, let condition, _, _):
                return (condition.map { [$0] } ?? []) + joinConditions(left) + joinConditions(right)
            case .function(_, let arguments, _, _): return arguments
            case .table, .subquery: return []
            }
        }
        expressions += from.flatMap(joinConditions)
        return expressions
    }

    /// The queries nested in this one's expressions, not those in FROM.
    public var expressionSubqueries: [SelectStatement] { expressions.flatMap(\.subqueries) }
}

extension Expression {
    /// The expression and every expression inside it (not inside subqueries).
    public var descendants: [Expression] { [self] + children.flatMap(\.descendants) }
}
