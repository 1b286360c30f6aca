import Engine
import SQL

/// Aggregate (and window function) calls met while binding one query level.
struct AggregationState {
    var calls: [AggregateCall] = []
    /// True while binding an aggregate's own arguments, where another aggregate may not appear.
    var insideCall = false
    /// Window function calls met so far (see `Binder+Windows`); nil where the query level does not
    /// compute window functions.
    var windows: [WindowFunctionCall]?
    /// The query's `WINDOW` definitions by name.
    var windowDefinitions: [String: WindowSpecification] = [:]
    /// The error a window function call meets while a part of the query that allows aggregates but
    /// not window functions is bound (HAVING, window definitions, window function arguments).
    var windowsForbidden: BindError?
    /// The arguments of each `GROUPING(...)` call met so far; the `n`-th call's value is placeholder
    /// column `Binder.groupingPlaceholder(n)` until `Grouping.rewrite` replaces it.
    var groupingCalls: [(arguments: [BoundExpression], location: Int)] = []

    init(windowDefinitions: [String: WindowSpecification]? = nil) {
        self.windows = windowDefinitions == nil ? nil : []
        self.windowDefinitions = windowDefinitions ?? [:]
    }
}

/// Rewrites expressions bound over a query's input so they read the aggregate's output instead:
/// group-key expressions become key columns, collected calls (`.column` with a negative index, see
/// `bindAggregate`) become aggregate columns, and any other input column is an error, as in
/// PostgreSQL.
struct Grouping {
    let keys: [BoundExpression]
    let scope: [Binder.ScopeColumn]
    /// What each `GROUPING(...)` call of the query level reads (see `Binder.groupedPlan`).
    var groupingValues: [BoundExpression] = []

    func rewrite(_ expression: BoundExpression) throws(BindError) -> BoundExpression {
        if let key = keys.firstIndex(where: { $0.isSame(as: expression) }) {
            return .column(index: key, type: expression.type)
        }
        if case .column(let index, let type) = expression {
            // Window functions run after grouping: their placeholders stay for `placeWindows`.
            if Binder.windowCallIndex(index) != nil { return expression }
            if let call = Binder.groupingCallIndex(index) { return groupingValues[call] }
            if index < 0 { return .column(index: keys.count + (-index - 1), type: type) }
            let column = scope[index]
            let name = column.qualifier.map { "\($0).\(column.name)" } ?? column.name
            throw BindError(
                .groupingError,
                "column \"\(name)\" must appear in the GROUP BY clause or be used in an aggregate function")
        }
        return try expression.mappingChildren { child throws(BindError) in try rewrite(child) }
    }
}

extension Binder {
    /// Binds an aggregate call and stands a placeholder in for its result: column `-(n + 1)` for the
    /// query's `n`-th call, resolved by `Grouping.rewrite` once the aggregate node exists.
    mutating func bindAggregate(_ function: AggregateFunction, _ call: FunctionCall, scope: [ScopeColumn])
        throws(BindError)
        -> BoundExpression
    {
        guard var state = aggregation else {
            throw BindError(
                .groupingError, "aggregate functions are not allowed in \(clauseWithoutAggregates)",
                location: call.location)
        }
        if state.insideCall {
            throw BindError(.groupingError, "aggregate function calls cannot be nested", location: call.location)
        }
        state.insideCall = true
        aggregation = state
        defer { aggregation?.insideCall = false }
        let bound = try bindAggregateCall(function, call, scope: scope)
        let index = aggregation?.calls.count ?? 0
        aggregation?.calls.append(bound)
        return .column(index: -(index + 1), type: bound.resultType)
    }

    /// An aggregate call's arguments, FILTER and ORDER BY bound and checked against the function.
    mutating func bindAggregateCall(_ function: AggregateFunction, _ call: FunctionCall, scope: [ScopeColumn])
        throws(BindError) -> AggregateCall
    {
        var arguments = try call.arguments.map { argument throws(BindError) in try bind(argument, scope: scope) }
        if function == .mode {
            guard call.withinGroup, arguments.isEmpty, call.orderBy.count == 1 else {
                throw BindError(
                    .wrongObjectType, "WITHIN GROUP is required for ordered-set aggregate mode", location: call.location
                )
            }
        } else if function.isOrderedSet {
            guard call.withinGroup, arguments.count == 1 else {
                throw BindError(
                    .wrongObjectType, "WITHIN GROUP is required for ordered-set aggregate \(call.name.name)",
                    location: call.location)
            }
            arguments[0] = try coerce(arguments[0], to: .float64, clause: call.name.name, location: call.location)
        } else if call.withinGroup {
            throw BindError(
                .wrongObjectType, "\(call.name.name) is not an ordered-set aggregate, so it cannot have WITHIN GROUP",
                location: call.location)
        }
        if function == .stringAgg, arguments.count == 2 {
            arguments[0] = try coerce(
                arguments[0], to: arguments[0].type == .unknown ? .text : arguments[0].type, clause: nil,
                location: call.location)
            arguments[1] = try coerce(arguments[1], to: .text, clause: "string_agg", location: call.location)
        }
        for index in arguments.indices where arguments[index].type == .unknown {
            arguments[index] = try coerce(arguments[index], to: .text, clause: nil, location: call.location)
        }
        let orderBy = try call.orderBy.map { item throws(BindError) in
            var key = try bind(item.expression, scope: scope)
            if key.type == .unknown {
                key = try coerce(key, to: .text, clause: nil, location: item.expression.location)
            }
            // percentile_cont interpolates in double precision; numbers convert implicitly, as in PostgreSQL.
            if function == .percentileCont, key.type.isNumeric {
                key = try coerce(key, to: .float64, clause: call.name.name, location: item.expression.location)
            }
            return SortKey(key, descending: item.descending, nullsFirst: item.nullsFirst)
        }
        let filter = try call.filter.map { expression throws(BindError) in
            try coerce(
                try bind(expression, scope: scope), to: .boolean, clause: "FILTER", location: expression.location)
        }
        do {
            return try AggregateCall(
                call.star ? .countStar : function, arguments: call.star ? [] : arguments, distinct: call.distinct,
                filter: filter,
                orderBy: orderBy)
        } catch {
            throw BindError(error, location: call.location)
        }
    }

    /// One GROUP BY item: an integer names a select-list item; a bare name that is not an input
    /// column may name a select-list alias; anything else is an expression over the input.
    mutating func bindGroupKey(
        _ item: ParsedExpression, columns: [(name: String, type: DataType)], projections: [BoundExpression],
        scope: [ScopeColumn]
    ) throws(BindError) -> BoundExpression {
        let key: BoundExpression
        if case .literal(.integer(let position), let location) = item {
            guard position >= 1, position <= projections.count else {
                throw BindError(
                    .invalidColumnReference, "GROUP BY position \(position) is not in select list", location: location)
            }
            key = projections[Int(position) - 1]
        } else if case .literal(_, let location) = item {
            throw BindError(.syntaxError, "non-integer constant in GROUP BY", location: location)
        } else if case .column(let parts, _) = item, parts.count == 1,
            !scope.contains(where: { $0.name == parts[0] && !$0.qualifiedOnly }),
            let alias = columns.firstIndex(where: { $0.name == parts[0] })
        {
            key = projections[alias]
        } else {
            key = try bind(item, scope: scope)
        }
        if key.containsWindowPlaceholder {
            throw BindError(.windowingError, "window functions are not allowed in GROUP BY", location: item.location)
        }
        if key.containsAggregatePlaceholder {
            throw BindError(.groupingError, "aggregate functions are not allowed in GROUP BY", location: item.location)
        }
        return key
    }

    /// `DISTINCT ON (...)` expressions over the select list's columns (resolved as ORDER BY items
    /// are; those not in the select list join `ordering.hidden`), checked to lead the ORDER BY as
    /// PostgreSQL requires; nil without DISTINCT ON.
    mutating func bindDistinctOn(
        _ select: SelectStatement, columns: [(name: String, type: DataType)], projections: [BoundExpression],
        ordering: inout (keys: [SortKey], hidden: [BoundExpression]), scope: [ScopeColumn]
    ) throws(BindError) -> [BoundExpression]? {
        guard !select.distinctOn.isEmpty else { return nil }
        let items = select.distinctOn.map { SortItem(expression: $0, descending: false, nullsFirst: nil) }
        let bound = try bindOrdering(items, columns: columns, projections: projections + ordering.hidden, scope: scope)
        ordering.hidden += bound.hidden
        let keys = bound.keys.map { $0.expression }
        for key in ordering.keys.prefix(keys.count) where !keys.contains(where: { $0.isSame(as: key.expression) }) {
            throw BindError(
                .invalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions",
                location: select.distinctOn[0].location)
        }
        return keys
    }

    /// ORDER BY items as sort keys over the select list's columns, plus the expressions that must be
    /// computed only for sorting (`hidden`, appended after the select list and dropped after).
    mutating func bindOrdering(
        _ items: [SortItem], columns: [(name: String, type: DataType)], projections: [BoundExpression],
        scope: [ScopeColumn]
    ) throws(BindError) -> (keys: [SortKey], hidden: [BoundExpression]) {
        var keys: [SortKey] = []
        var hidden: [BoundExpression] = []
        for item in items {
            let position: Int
            if case .literal(.integer(let number), let location) = item.expression {
                guard number >= 1, number <= projections.count else {
                    throw BindError(
                        .invalidColumnReference, "ORDER BY position \(number) is not in select list", location: location
                    )
                }
                position = Int(number) - 1
            } else if case .literal(_, let location) = item.expression {
                throw BindError(.syntaxError, "non-integer constant in ORDER BY", location: location)
            } else if case .column(let parts, let location) = item.expression, parts.count == 1,
                columns.contains(where: { $0.name == parts[0] })
            {
                let matches = columns.indices.filter { columns[$0].name == parts[0] }
                if matches.count > 1,
                    !matches.dropFirst().allSatisfy({ projections[$0].isSame(as: projections[matches[0]]) })
                {
                    throw BindError(.ambiguousColumn, "ORDER BY \"\(parts[0])\" is ambiguous", location: location)
                }
                position = matches[0]
            } else {
                var bound = try bind(item.expression, scope: scope)
                if bound.type == .unknown {
                    bound = try coerce(bound, to: .text, clause: nil, location: item.expression.location)
                }
                if let existing = projections.firstIndex(where: { $0.isSame(as: bound) }) {
                    position = existing
                } else if let existing = hidden.firstIndex(where: { $0.isSame(as: bound) }) {
                    position = projections.count + existing
                } else {
                    hidden.append(bound)
                    position = projections.count + hidden.count - 1
                }
            }
            let type =
                position < projections.count ? projections[position].type : hidden[position - projections.count].type
            keys.append(
                SortKey(.column(index: position, type: type), descending: item.descending, nullsFirst: item.nullsFirst))
        }
        return (keys, hidden)
    }
}

extension BoundExpression {
    /// True when an aggregate placeholder (a negative column index) appears in the expression.
    /// (`GROUPING(...)` placeholders count as aggregates: both are computed by grouping.)
    var containsAggregatePlaceholder: Bool {
        referencedColumns.contains { $0 < 0 && Binder.windowCallIndex($0) == nil }
    }
}
