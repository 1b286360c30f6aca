import Engine

/// A join condition split into hash-join keys and the rest: each conjunct `l = r` where `l` reads
/// only left columns and `r` only right ones (or the reverse), with both sides stored alike,
/// becomes a key pair; everything else stays in the residual, over the combined columns. A side
/// that reads no column at all (`5 = t.c`) is a probe key, computed for each probe batch.
struct JoinCondition {
    var probeKeys: [Expression] = []
    var buildKeys: [Expression] = []
    var residual: Expression?

    init(_ condition: Expression?, leftWidth: Int) {
        var rest: [Expression] = []
        for conjunct in Self.conjuncts(condition) {
            guard case .comparison(.equal, let lhs, let rhs) = conjunct, Self.sameLayout(lhs.type, rhs.type) else {
                rest.append(conjunct)
                continue
            }
            let lhsColumns = lhs.referencedColumns
            let rhsColumns = rhs.referencedColumns
            let leftOnly = { (columns: Set<Int>) in !columns.isEmpty && columns.allSatisfy { $0 < leftWidth } }
            let rightOnly = { (columns: Set<Int>) in !columns.isEmpty && columns.allSatisfy { $0 >= leftWidth } }
            let shift = Dictionary(uniqueKeysWithValues: (lhsColumns.union(rhsColumns)).map { ($0, $0 - leftWidth) })
            if (leftOnly(lhsColumns) || lhsColumns.isEmpty), rightOnly(rhsColumns) {
                probeKeys.append(lhs)
                buildKeys.append(rhs.remappingColumns(shift))
            } else if rightOnly(lhsColumns), leftOnly(rhsColumns) || rhsColumns.isEmpty {
                probeKeys.append(rhs)
                buildKeys.append(lhs.remappingColumns(shift))
            } else {
                rest.append(conjunct)
            }
        }
        residual = rest.isEmpty ? nil : rest.count == 1 ? rest[0] : .and(rest)
    }

    static func conjuncts(_ expression: Expression?) -> [Expression] {
        guard let expression else { return [] }
        if case .and(let items) = expression { return items.flatMap { conjuncts($0) } }
        return [expression]
    }

    /// Hash keys must hash and compare alike: the same storage, and the same scale for numerics.
    static func sameLayout(_ lhs: DataType, _ rhs: DataType) -> Bool {
        if case .numeric(_, let leftScale) = lhs, case .numeric(_, let rightScale) = rhs {
            return leftScale == rightScale
        }
        return lhs.storageKind == rhs.storageKind && lhs.storageKind != .array
    }
}
