import Engine

/// Removes columns no operator reads, down to the table scans, so a scan of `lineitem` for
/// `SELECT l_orderkey ... WHERE l_shipdate ...` fetches two column chunks, not sixteen; and hands
/// filters directly above a scan to the scan, which may use them to skip files.
enum PruneColumns {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        prune(plan, required: Set(plan.outputTypes.indices)).plan
    }

    /// The plan producing at least `required` of `plan`'s columns, and where each old column index
    /// now is.
    private static func prune(_ plan: LogicalPlan, required: Set<Int>) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        switch plan {
        case .recursiveUnion(let anchor, let recursive, let workTable, let distinct):
            // The rounds feed each other by position, so every column stays; pruning happens inside.
            return (
                .recursiveUnion(
                    anchor: apply(anchor), recursive: apply(recursive), workTable: workTable, distinct: distinct),
                identity(plan.outputTypes.count)
            )
        case .singleRow, .values, .generateSeries, .unnest, .workTableScan:
            return (plan, identity(plan.outputTypes.count))
        case .scan(let table, let columns, let filter):
            let kept = required.sorted()
            let mapping = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($0.element, $0.offset) })
            return (
                .scan(table: table, columns: kept.map { columns[$0] }, filter: filter?.remappingColumns(mapping)),
                mapping
            )
        case .filter(let input, let predicate):
            let (pruned, mapping) = prune(input, required: required.union(predicate.referencedColumns))
            let remapped = predicate.remappingColumns(mapping)
            if case .scan(let table, let columns, nil) = pruned {
                return (.filter(.scan(table: table, columns: columns, filter: remapped), predicate: remapped), mapping)
            }
            return (.filter(pruned, predicate: remapped), mapping)
        case .project(let input, let expressions):
            // Only the outputs someone reads are computed, so a projection that restores column
            // order over a join (see `ReorderJoins`) does not keep every joined column alive. One
            // stays when none is read: the rows still count.
            var kept = expressions.indices.filter(required.contains)
            if kept.isEmpty, !expressions.isEmpty { kept = [0] }
            let needed = kept.reduce(into: Set<Int>()) { $0.formUnion(expressions[$1].referencedColumns) }
            let (pruned, inputMapping) = prune(input, required: needed)
            let mapping = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($0.element, $0.offset) })
            return (.project(pruned, expressions: kept.map { expressions[$0].remappingColumns(inputMapping) }), mapping)
        case .limit(let input, let limit, let offset):
            let (pruned, mapping) = prune(input, required: required)
            return (.limit(pruned, limit: limit, offset: offset), mapping)
        case .aggregate(let input, let keys, let aggregates):
            let needed = keys.reduce(into: Set<Int>()) { $0.formUnion($1.referencedColumns) }
                .union(aggregates.reduce(into: Set<Int>()) { $0.formUnion($1.referencedColumns) })
            let (pruned, mapping) = prune(input, required: needed)
            return (
                .aggregate(
                    pruned, groupKeys: keys.map { $0.remappingColumns(mapping) },
                    aggregates: aggregates.map { $0.remappingColumns(mapping) }),
                identity(keys.count + aggregates.count)
            )
        case .window(let input, let functions):
            let inputWidth = input.outputTypes.count
            let inputRequired = Set(required.filter { $0 < inputWidth })
            let kept = functions.indices.filter { required.contains(inputWidth + $0) }
            // Window functions never change the rows, so a window nobody reads is dropped.
            guard !kept.isEmpty else { return prune(input, required: inputRequired) }
            let needed = kept.reduce(into: inputRequired) { $0.formUnion(functions[$1].referencedColumns) }
            let (pruned, inputMapping) = prune(input, required: needed)
            var mapping = inputMapping
            let prunedWidth = pruned.outputTypes.count
            for (position, index) in kept.enumerated() { mapping[inputWidth + index] = prunedWidth + position }
            return (.window(pruned, functions: kept.map { functions[$0].remappingColumns(inputMapping) }), mapping)
        case .union(let inputs):
            // Inputs line up by position, so each keeps all its columns; pruning happens inside them.
            return (.union(inputs.map { apply($0) }), identity(plan.outputTypes.count))
        case .sort(let input, let keys):
            let needed = keys.reduce(into: required) { $0.formUnion($1.expression.referencedColumns) }
            let (pruned, mapping) = prune(input, required: needed)
            return (
                .sort(
                    pruned,
                    keys: keys.map { key in
                        var key = key
                        key.expression = key.expression.remappingColumns(mapping)
                        return key
                    }), mapping
            )
        case .projectSet(let input, let calls):
            return pruneAppending(input, required: required, expressions: calls.map(\.arguments)) { pruned, arguments in
                .projectSet(
                    pruned,
                    calls: zip(calls, arguments).map {
                        SetReturningCall($0.function, arguments: $1, resultType: $0.resultType)
                    })
            }
        case .apply(let input, let subqueries):
            return pruneAppending(input, required: required, expressions: subqueries.map(\.correlation)) {
                pruned, correlations in
                .apply(
                    pruned,
                    subqueries: zip(subqueries, correlations).map {
                        LogicalPlan.CorrelatedSubquery(subquery: $0.subquery, correlation: $1)
                    })
            }
        case .lateral(let input, let subquery, let correlation, let preservesInput):
            // The subquery's columns all stay (it was optimized when bound); the input keeps what
            // is read above and what the subquery reads.
            let inputWidth = input.outputTypes.count
            let needed = correlation.reduce(into: Set(required.filter { $0 < inputWidth })) {
                $0.formUnion($1.referencedColumns)
            }
            let (pruned, inputMapping) = prune(input, required: needed)
            var mapping = inputMapping
            let prunedWidth = pruned.outputTypes.count
            for index in subquery.outputTypes.indices { mapping[inputWidth + index] = prunedWidth + index }
            let remapped = correlation.map { $0.remappingColumns(inputMapping) }
            return (
                .lateral(pruned, subquery: subquery, correlation: remapped, preservesInput: preservesInput), mapping
            )
        case .join(let left, let right, let kind, let condition):
            let leftWidth = left.outputTypes.count
            let needed = required.union(condition?.referencedColumns ?? [])
            let (prunedLeft, leftMapping) = prune(left, required: Set(needed.filter { $0 < leftWidth }))
            let (prunedRight, rightMapping) = prune(
                right, required: Set(needed.filter { $0 >= leftWidth }.map { $0 - leftWidth }))
            let newLeftWidth = prunedLeft.outputTypes.count
            var mapping = leftMapping
            for (old, new) in rightMapping { mapping[old + leftWidth] = new + newLeftWidth }
            return (
                .join(
                    left: prunedLeft, right: prunedRight, kind: kind, condition: condition?.remappingColumns(mapping)),
                mapping
            )
        }
    }

    /// Pruning for a node that appends one column per item to its input's columns, each item
    /// reading `expressions[i]` over the input; `rebuild` makes the node over the pruned input
    /// with the remapped expressions.
    private static func pruneAppending(
        _ input: LogicalPlan, required: Set<Int>, expressions: [[Expression]],
        rebuild: (LogicalPlan, [[Expression]]) -> LogicalPlan
    ) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let inputWidth = input.outputTypes.count
        let needed = expressions.joined().reduce(into: Set(required.filter { $0 < inputWidth })) {
            $0.formUnion($1.referencedColumns)
        }
        let (pruned, inputMapping) = prune(input, required: needed)
        var mapping = inputMapping
        let prunedWidth = pruned.outputTypes.count
        for index in expressions.indices { mapping[inputWidth + index] = prunedWidth + index }
        let remapped = expressions.map { items in items.map { $0.remappingColumns(inputMapping) } }
        return (rebuild(pruned, remapped), mapping)
    }

    private static func identity(_ count: Int) -> [Int: Int] {
        Dictionary(uniqueKeysWithValues: (0..<count).map { ($0, $0) })
    }
}
