import Engine

extension WindowFunctionCall {
    /// The input columns the call reads.
    var referencedColumns: Set<Int> {
        expressions.reduce(into: Set<Int>()) { $0.formUnion($1.referencedColumns) }
    }

    /// The call reading column `mapping[i]` wherever it read column `i`.
    func remappingColumns(_ mapping: [Int: Int]) -> WindowFunctionCall {
        mappingExpressions { $0.remappingColumns(mapping) }
    }

    /// True when both calls partition and order rows the same way, so one sort serves both.
    func sharesSort(with other: WindowFunctionCall) -> Bool {
        partitionBy.count == other.partitionBy.count && orderBy.count == other.orderBy.count
            && zip(partitionBy, other.partitionBy).allSatisfy { $0.isSame(as: $1) }
            && zip(orderBy, other.orderBy).allSatisfy { a, b in
                a.descending == b.descending && a.nullsFirst == b.nullsFirst && a.expression.isSame(as: b.expression)
            }
    }

    /// For each call, the index of the first call that shares its sort (`WindowOperator.sortGroups`).
    static func sortGroups(_ calls: [WindowFunctionCall]) -> [Int] {
        calls.indices.map { index in calls.indices.first { calls[$0].sharesSort(with: calls[index]) }! }
    }
}
