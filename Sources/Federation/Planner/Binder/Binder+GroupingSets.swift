import Engine
import SQL

/// GROUP BY lists with `ROLLUP`, `CUBE`, `GROUPING SETS` and `()`, and the `GROUPING(...)` function.
///
/// Such a list stands for several groupings; the query's rows are the groups of each grouping one
/// after another, with the keys a grouping leaves out read as NULL. The plan is a UNION ALL of one
/// aggregate per grouping, each projected to the full key list, the aggregates and the values of
/// the query's `GROUPING(...)` calls (constants per grouping).
extension Binder {
    /// PostgreSQL's limit on the groupings one GROUP BY list may stand for.
    static let maximumGroupingSets = 4096

    /// Placeholder columns for `GROUPING(...)` calls sit between aggregate placeholders (small
    /// negative numbers) and window placeholders (below `windowPlaceholderBase`).
    static let groupingPlaceholderBase = -(1 << 32)

    static func groupingPlaceholder(_ index: Int) -> Int { groupingPlaceholderBase - index }

    /// The `GROUPING(...)` call a placeholder column stands for, or nil for any other column.
    static func groupingCallIndex(_ column: Int) -> Int? {
        column <= groupingPlaceholderBase && column > windowPlaceholderBase ? groupingPlaceholderBase - column : nil
    }

    /// Binds `GROUPING(a, b, ...)`, an `int4` whose bits (the last argument lowest) are set for the
    /// arguments the row's grouping leaves out; resolved once the GROUP BY list is bound.
    mutating func bindGroupingCall(_ arguments: [ParsedExpression], scope: [ScopeColumn], location: Int)
        throws(BindError)
        -> BoundExpression
    {
        guard let state = aggregation else {
            throw BindError(
                .groupingError, "grouping operations are not allowed in \(clauseWithoutAggregates)", location: location)
        }
        if state.insideCall {
            throw BindError(
                .groupingError, "aggregate function calls cannot contain grouping operations", location: location)
        }
        guard arguments.count <= 31 else {
            throw BindError(.tooManyArguments, "GROUPING must have fewer than 32 arguments", location: location)
        }
        let bound = try arguments.map { argument throws(BindError) in try bind(argument, scope: scope) }
        let index = state.groupingCalls.count
        aggregation?.groupingCalls.append((bound, location))
        return .column(index: Self.groupingPlaceholder(index), type: .int32)
    }

    /// The GROUP BY list bound: its distinct key expressions, and each grouping it stands for as
    /// indexes into them (one grouping of every key for a list without grouping sets).
    mutating func bindGroupings(
        _ items: [ParsedExpression], distinct: Bool, columns: [(name: String, type: DataType)],
        projections: [BoundExpression],
        scope: [ScopeColumn]
    ) throws(BindError) -> (keys: [BoundExpression], groupings: [[Int]]) {
        var keys: [BoundExpression] = []
        var groupings: [[Int]] = []
        for grouping in try Self.expandGroupingSets(items) {
            var members: [Int] = []
            for item in grouping {
                let key = try bindGroupKey(item, columns: columns, projections: projections, scope: scope)
                let index = keys.firstIndex(where: { $0.isSame(as: key) }) ?? keys.count
                if index == keys.count { keys.append(key) }
                if !members.contains(index) { members.append(index) }
            }
            // GROUP BY DISTINCT drops groupings that repeat an earlier one's keys in any order.
            if distinct, groupings.contains(where: { Set($0) == Set(members) }) { continue }
            groupings.append(members)
        }
        return (keys, groupings)
    }

    /// The groupings a GROUP BY list stands for, each as the items it groups by: the cross product
    /// of what its items stand for (`a, ROLLUP (b, c)` is (a, b, c), (a, b), (a)).
    static func expandGroupingSets(_ items: [ParsedExpression]) throws(BindError) -> [[ParsedExpression]] {
        var groupings: [[ParsedExpression]] = [[]]
        for item in items {
            let alternatives = try groupingsOf(item)
            guard groupings.count * alternatives.count <= maximumGroupingSets else {
                throw BindError(
                    .programLimitExceeded, "too many grouping sets present (maximum \(maximumGroupingSets))",
                    location: item.location)
            }
            groupings = groupings.flatMap { prefix in alternatives.map { prefix + $0 } }
        }
        return groupings
    }

    /// The groupings one GROUP BY item (or one entry of `GROUPING SETS (...)`) stands for.
    private static func groupingsOf(_ item: ParsedExpression) throws(BindError) -> [[ParsedExpression]] {
        guard case .groupingSet(let kind, let entries, let location) = item else { return [sublist(item)] }
        switch kind {
        case .empty:
            return [[]]
        case .rollup:
            let lists = entries.map(sublist)
            return (0...lists.count).reversed().map { lists.prefix($0).flatMap { $0 } }
        case .cube:
            guard entries.count <= 12 else {
                throw BindError(.tooManyColumns, "CUBE is limited to 12 elements", location: location)
            }
            let lists = entries.map(sublist)
            // Every subset, the full one first and the empty one last.
            return (0..<(1 << lists.count)).reversed().map { mask in
                lists.indices.filter { mask & (1 << (lists.count - 1 - $0)) != 0 }.flatMap { lists[$0] }
            }
        case .sets:
            var groupings: [[ParsedExpression]] = []
            for entry in entries {
                groupings += try groupingsOf(entry)
                guard groupings.count <= maximumGroupingSets else {
                    throw BindError(
                        .programLimitExceeded, "too many grouping sets present (maximum \(maximumGroupingSets))",
                        location: location)
                }
            }
            return groupings
        }
    }

    /// A parenthesized list inside a grouping set groups by all its items together.
    private static func sublist(_ item: ParsedExpression) -> [ParsedExpression] {
        if case .row(let items, _) = item { return items }
        return [item]
    }

    /// The grouped rows of `input`: the keys, then the aggregates, then one column per
    /// `GROUPING(...)` call when there are several groupings. Returns the plan and what each
    /// `GROUPING(...)` call reads in it.
    func groupedPlan(
        _ input: LogicalPlan, keys: [BoundExpression], groupings: [[Int]], aggregates: [AggregateCall],
        groupingCalls: [(arguments: [BoundExpression], location: Int)]
    ) throws(BindError) -> (plan: LogicalPlan, groupingValues: [BoundExpression]) {
        // Each GROUPING argument as the index of the key it must be.
        let groupingArguments = try groupingCalls.map { call throws(BindError) in
            try call.arguments.map { argument throws(BindError) in
                guard let key = keys.firstIndex(where: { $0.isSame(as: argument) }) else {
                    throw BindError(
                        .groupingError,
                        "arguments to GROUPING must be grouping expressions of the associated query level",
                        location: call.location)
                }
                return key
            }
        }
        func mask(_ arguments: [Int], _ grouping: [Int]) -> Int32 {
            arguments.reduce(0) { bits, key in bits << 1 | (grouping.contains(key) ? 0 : 1) }
        }
        if groupings.count == 1 {
            let grouping = groupings[0]
            let plan = LogicalPlan.aggregate(input, groupKeys: grouping.map { keys[$0] }, aggregates: aggregates)
            return (plan, groupingArguments.map { .constant(.int32(mask($0, grouping)), .int32) })
        }
        let branches = groupings.map { grouping in
            let aggregate = LogicalPlan.aggregate(input, groupKeys: grouping.map { keys[$0] }, aggregates: aggregates)
            var outputs: [BoundExpression] = keys.indices.map { key in
                grouping.firstIndex(of: key).map { .column(index: $0, type: keys[key].type) }
                    ?? .constant(.null, keys[key].type)
            }
            outputs += aggregates.indices.map { .column(index: grouping.count + $0, type: aggregates[$0].resultType) }
            outputs += groupingArguments.map { .constant(.int32(mask($0, grouping)), .int32) }
            return LogicalPlan.project(aggregate, expressions: outputs)
        }
        let first = keys.count + aggregates.count
        return (.union(branches), groupingCalls.indices.map { .column(index: first + $0, type: .int32) })
    }
}
