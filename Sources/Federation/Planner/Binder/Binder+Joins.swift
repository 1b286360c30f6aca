import Engine
import SQL

extension Binder {
    /// Binds the FROM list: several items are joined as a cross join, left to right.
    mutating func bindFromList(_ items: [TableReference]) throws(BindError) -> (LogicalPlan, [ScopeColumn]) {
        var (plan, scope) = try bindFromItem(items[0])
        for item in items.dropFirst() {
            let (right, rightScope) =
                Self.isLateral(item) ? try bindLateralItem(item, leftScope: scope) : try bindFromItem(item)
            try checkDistinctQualifiers(scope, rightScope)
            if Self.isLateral(item), Self.readsOuterReferences(right) {
                plan = lateralJoin(plan, right, condition: nil, preservesInput: false)
            } else {
                plan = .join(left: plan, right: right, kind: .cross, condition: nil)
            }
            scope += rightScope
        }
        return (plan, scope)
    }

    /// Binds `left JOIN right ON ... | USING (...)`. The output is the left columns, then the right
    /// ones; with USING, the merged columns come first, as PostgreSQL orders them for `*`.
    mutating func bindJoin(
        kind: SQL.JoinKind, left: TableReference, right: TableReference, condition: ParsedExpression?, using: [String],
        natural: Bool = false
    ) throws(BindError) -> (LogicalPlan, [ScopeColumn]) {
        let (leftPlan, leftScope) = try bindFromItem(left)
        let (rightPlan, rightScope) =
            Self.isLateral(right) ? try bindLateralItem(right, leftScope: leftScope) : try bindFromItem(right)
        let joinKind = LogicalPlan.JoinType(kind)
        try checkDistinctQualifiers(leftScope, rightScope)
        var scope = leftScope + rightScope
        var using = using
        if natural {
            // NATURAL JOIN is USING every column name both sides have, in the left side's order;
            // with none in common it is a cross join.
            let rightNames = Set(rightScope.filter { !$0.qualifiedOnly }.map(\.name))
            var seen = Set<String>()
            using = leftScope.filter {
                !$0.qualifiedOnly && rightNames.contains($0.name) && seen.insert($0.name).inserted
            }.map(\.name)
        }
        // A lateral item that reads left columns runs per left row, with the join condition inside it.
        let lateral = Self.isLateral(right) && Self.readsOuterReferences(rightPlan)
        if lateral, joinKind != .inner, joinKind != .left, joinKind != .cross {
            var error = BindError(
                .invalidColumnReference,
                "invalid reference to FROM-clause entry for table \"\(leftScope.first?.qualifier ?? "?")\"")
            error.detail = "The combining JOIN type must be INNER or LEFT for a LATERAL reference."
            throw error
        }
        func join(_ condition: BoundExpression?) -> LogicalPlan {
            lateral
                ? lateralJoin(leftPlan, rightPlan, condition: condition, preservesInput: joinKind == .left)
                : .join(left: leftPlan, right: rightPlan, kind: joinKind, condition: condition)
        }
        guard !using.isEmpty else {
            clauseWithoutAggregates = "JOIN conditions"
            let bound = try condition.map { expression throws(BindError) in
                try coerce(
                    try bind(expression, scope: scope), to: .boolean, clause: "JOIN/ON", location: expression.location)
            }
            return (join(bound), scope)
        }
        var equalities: [BoundExpression] = []
        var merged: [BoundExpression] = []
        var mergedScope: [ScopeColumn] = []
        for name in using {
            let leftMatches = leftScope.indices.filter { leftScope[$0].name == name && !leftScope[$0].qualifiedOnly }
            let rightMatches = rightScope.indices.filter {
                rightScope[$0].name == name && !rightScope[$0].qualifiedOnly
            }
            guard leftMatches.count == 1, rightMatches.count == 1 else {
                let side = leftMatches.count != 1 ? "left" : "right"
                let count = leftMatches.count != 1 ? leftMatches.count : rightMatches.count
                throw BindError(
                    .undefinedColumn,
                    count == 0
                        ? "column \"\(name)\" specified in USING clause does not exist in \(side) table"
                        : "common column name \"\(name)\" appears more than once in \(side) table")
            }
            let leftIndex = leftMatches[0]
            let rightIndex = leftScope.count + rightMatches[0]
            var leftColumn: BoundExpression = .column(index: leftIndex, type: scope[leftIndex].type)
            var rightColumn: BoundExpression = .column(index: rightIndex, type: scope[rightIndex].type)
            let type = try commonType([leftColumn.type, rightColumn.type], context: "JOIN/USING", location: nil)
            leftColumn = try coerce(leftColumn, to: type, clause: "JOIN/USING", location: nil)
            rightColumn = try coerce(rightColumn, to: type, clause: "JOIN/USING", location: nil)
            equalities.append(.comparison(.equal, leftColumn, rightColumn))
            switch joinKind {
            case .right: merged.append(rightColumn)
            case .full: merged.append(.function(ConditionalFunctions.coalesce(type: type), [leftColumn, rightColumn]))
            default: merged.append(leftColumn)
            }
            mergedScope.append(ScopeColumn(qualifier: nil, name: name, type: type))
            scope[leftIndex].qualifiedOnly = true
            scope[rightIndex].qualifiedOnly = true
        }
        let passthrough = scope.indices.map { BoundExpression.column(index: $0, type: scope[$0].type) }
        return (
            .project(join(equalities.count == 1 ? equalities[0] : .and(equalities)), expressions: merged + passthrough),
            mergedScope + scope
        )
    }

    /// Two FROM items may not share a name (`FROM t, t`), as in PostgreSQL.
    func checkDistinctQualifiers(_ left: [ScopeColumn], _ right: [ScopeColumn]) throws(BindError) {
        let leftNames = Set(left.compactMap(\.qualifier))
        if let repeated = right.compactMap(\.qualifier).first(where: leftNames.contains) {
            throw BindError(.duplicateAlias, "table name \"\(repeated)\" specified more than once")
        }
    }
}

extension LogicalPlan.JoinType {
    init(_ kind: SQL.JoinKind) {
        switch kind {
        case .inner: self = .inner
        case .left: self = .left
        case .right: self = .right
        case .full: self = .full
        case .cross: self = .cross
        }
    }
}
