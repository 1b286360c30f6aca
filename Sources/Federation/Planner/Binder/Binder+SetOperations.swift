import Engine
import SQL

extension Binder {
    /// `left UNION | INTERSECT | EXCEPT [ALL] right`, then the statement's ORDER BY and LIMIT over
    /// the combined rows. Columns line up by position, take the left query's names and are cast to
    /// a common type. UNION removes duplicates with a grouping; INTERSECT and EXCEPT count each
    /// row's occurrences on both sides the same way (NULLs compare equal, as set operations require).
    mutating func bindSetOperation(_ operation: SetOperation, select: SelectStatement) throws(BindError)
        -> (LogicalPlan, [(name: String, type: DataType)])
    {
        let enclosingKeepsUnknown = keepsUnknownOutputs
        keepsUnknownOutputs = true
        var (left, leftColumns) = try bindQuery(operation.left)
        var (right, rightColumns) = try bindQuery(operation.right)
        keepsUnknownOutputs = enclosingKeepsUnknown
        let name = operation.kind.rawValue
        guard leftColumns.count == rightColumns.count else {
            throw BindError(.syntaxError, "each \(name) query must have the same number of columns")
        }
        var types: [DataType] = []
        for (leftColumn, rightColumn) in zip(leftColumns, rightColumns) {
            do {
                let common = try commonType([leftColumn.type, rightColumn.type], context: name, location: nil)
                // Untyped on both sides: text, unless an enclosing set operation decides.
                types.append(common == .unknown && !enclosingKeepsUnknown ? .text : common)
            } catch {
                throw BindError(
                    .datatypeMismatch,
                    "\(name) types \(leftColumn.type.sqlName) and \(rightColumn.type.sqlName) cannot be matched")
            }
        }
        left = try castColumns(left, from: leftColumns.map(\.type), to: types)
        right = try castColumns(right, from: rightColumns.map(\.type), to: types)
        let columns = zip(leftColumns, types).map { (name: $0.0.name, type: $0.1) }
        let keys = types.indices.map { BoundExpression.column(index: $0, type: types[$0]) }
        var plan: LogicalPlan
        switch (operation.kind, operation.all) {
        case (.union, true):
            plan = .union([left, right])
        case (.union, false):
            plan = .aggregate(.union([left, right]), groupKeys: keys, aggregates: [])
        case (.intersect, _), (.except, _):
            plan = try countedSetOperation(operation.kind, all: operation.all, left: left, right: right, keys: keys)
        }
        // ORDER BY over the combined rows may name output columns or positions only.
        let ordering = try bindOrdering(select.orderBy, columns: columns, projections: keys, scope: [])
        if !ordering.keys.isEmpty { plan = .sort(plan, keys: ordering.keys) }
        plan = try bindLimit(select, plan)
        return (plan, columns)
    }

    /// INTERSECT and EXCEPT: each distinct row counted on both sides (NULLs equal, as set operations
    /// compare them). Without ALL a row is kept once when both sides hold it (INTERSECT) or only the
    /// left does (EXCEPT); with ALL it is repeated min(left, right) times, or left - right times.
    func countedSetOperation(
        _ kind: SetOperation.Kind, all: Bool, left: LogicalPlan, right: LogicalPlan, keys: [BoundExpression]
    )
        throws(BindError) -> LogicalPlan
    {
        let width = keys.count
        let one = BoundExpression.constant(.int64(1), .int64)
        let none = BoundExpression.constant(.null, .int64)
        let zero = BoundExpression.constant(.int64(0), .int64)
        let tagged = LogicalPlan.union([
            .project(left, expressions: keys + [one, none]), .project(right, expressions: keys + [none, one]),
        ])
        let counts: [AggregateCall]
        do {
            counts = [
                try AggregateCall(.count, arguments: [.column(index: width, type: .int64)]),
                try AggregateCall(.count, arguments: [.column(index: width + 1, type: .int64)]),
            ]
        } catch {
            throw BindError(error, location: nil)
        }
        let counted = LogicalPlan.aggregate(tagged, groupKeys: keys, aggregates: counts)
        let inLeft = BoundExpression.column(index: width, type: .int64)
        let inRight = BoundExpression.column(index: width + 1, type: .int64)
        guard all else {
            let leftHolds = BoundExpression.comparison(.greater, inLeft, zero)
            let rightHolds = BoundExpression.comparison(.greater, inRight, zero)
            let keep =
                kind == .intersect
                ? BoundExpression.and([leftHolds, rightHolds]) : .and([leftHolds, .not(rightHolds)])
            return .project(.filter(counted, predicate: keep), expressions: keys)
        }
        let times: BoundExpression =
            kind == .intersect
            ? .function(ComparisonFunctions.extreme(type: .int64, greatest: false), [inLeft, inRight])
            : .arithmetic(.subtract, inLeft, inRight, resultType: .int64)
        let repeated = LogicalPlan.projectSet(
            .filter(
                .project(counted, expressions: keys + [times]),
                predicate: .comparison(.greater, .column(index: width, type: .int64), zero)),
            calls: [
                SetReturningCall(
                    .generateSeries, arguments: [one, .column(index: width, type: .int64)], resultType: .int64)
            ])
        return .project(repeated, expressions: keys)
    }

    /// `plan` with its columns cast to `types` where they differ.
    mutating func castColumns(_ plan: LogicalPlan, from current: [DataType], to types: [DataType]) throws(BindError)
        -> LogicalPlan
    {
        guard current != types else { return plan }
        var expressions: [BoundExpression] = []
        for (index, (from, to)) in zip(current, types).enumerated() {
            let column = BoundExpression.column(index: index, type: from)
            // An untyped literal column converts from its text, as an unknown literal would.
            expressions.append(
                from == .unknown ? .cast(column, to: to) : try coerce(column, to: to, clause: nil, location: nil))
        }
        return .project(plan, expressions: expressions)
    }
}
