import Engine
import SQL

/// `INSERT`: the source rows converted to the target table's columns as PostgreSQL's assignment
/// casts convert them, with NULL in every column the statement does not list.
extension Binder {
    /// The plan producing the rows to append to a table of `columns`: one output column per table
    /// column, in table order. `listed` are the statement's target column names (all columns, in
    /// order, when empty); `tableName` names the table in errors. With `returning`, the RETURNING
    /// values (over the inserted rows, reachable as `qualifier`) follow the row's columns.
    public mutating func bindInsert(
        _ query: SelectStatement, into columns: [TableColumn], listed: [String], tableName: String, qualifier: String? = nil,
        returning: [SelectTarget] = []
    ) throws(BindError) -> QueryPlan {
        var targets: [Int] = []
        for name in listed {
            guard let index = columns.firstIndex(where: { $0.name == name }) else {
                throw BindError("42703", "column \"\(name)\" of relation \"\(tableName)\" does not exist")
            }
            if targets.contains(index) { throw BindError("42701", "column \"\(name)\" specified more than once") }
            targets.append(index)
        }
        if listed.isEmpty { targets = Array(columns.indices) }

        var plan: LogicalPlan
        var sourceWidth: Int
        if let rows = query.values, query.targets.isEmpty, query.orderBy.isEmpty, query.limit == nil, query.offset == nil,
            query.commonTableExpressions.isEmpty
        {
            // VALUES rows convert item by item to the target types, so '2024-01-01' is a date here.
            sourceWidth = rows.first?.count ?? 0
            if listed.isEmpty { targets = Array(columns.indices.prefix(sourceWidth)) }
            try checkWidth(sourceWidth, targets: listed.isEmpty ? columns.count : targets.count, listed: !listed.isEmpty, location: rows.first?.first?.location)
            var bound: [[BoundExpression]] = []
            for row in rows {
                guard row.count == sourceWidth else {
                    throw BindError("42601", "VALUES lists must all be the same length", location: row.first?.location)
                }
                var values: [BoundExpression] = []
                for (item, target) in zip(row, targets) {
                    values.append(try assign(try bind(item, scope: []), to: columns[target], location: item.location))
                }
                bound.append(values)
            }
            plan = .values(rows: bound, types: targets.map { columns[$0].type })
        } else {
            let (source, sourceColumns) = try bindQuery(query)
            sourceWidth = sourceColumns.count
            if listed.isEmpty { targets = Array(columns.indices.prefix(sourceWidth)) }
            try checkWidth(sourceWidth, targets: listed.isEmpty ? columns.count : targets.count, listed: !listed.isEmpty, location: nil)
            var converted: [BoundExpression] = []
            for (index, target) in targets.enumerated() {
                let column = BoundExpression.column(index: index, type: sourceColumns[index].type)
                converted.append(
                    sourceColumns[index].type == .unknown
                        ? .cast(column, to: columns[target].type) : try assign(column, to: columns[target], location: nil))
            }
            plan = .project(source, expressions: converted)
        }
        let output = columns.indices.map { index -> BoundExpression in
            guard let position = targets.firstIndex(of: index) else { return .constant(.null, columns[index].type) }
            return .column(index: position, type: columns[index].type)
        }
        if output.count != targets.count || targets != Array(columns.indices) { plan = .project(plan, expressions: output) }
        var returned: [(name: String, type: DataType)] = []
        if !returning.isEmpty {
            (plan, returned) = try bindInsertReturning(returning, plan: plan, columns: columns, qualifier: qualifier ?? tableName)
        }
        return QueryPlan(
            columns: columns.map { (name: $0.name, type: $0.type) } + returned, parameterTypes: finalParameterTypes(),
            root: Self.optimize(plan), initPlans: initPlans)
    }

    /// Without a column list, the values fill the table's first columns and the rest are NULL, as
    /// in PostgreSQL; a listed column needs a value.
    private func checkWidth(_ width: Int, targets: Int, listed: Bool, location: Int?) throws(BindError) {
        if width > targets { throw BindError("42601", "INSERT has more expressions than target columns", location: location) }
        if width < targets, listed { throw BindError("42601", "INSERT has more target columns than expressions", location: location) }
    }

    /// `value` converted to `column`'s type by an assignment cast: what an implicit cast allows, any
    /// number to any number, anything to a string type, and timestamps to dates and times.
    mutating func assign(_ value: BoundExpression, to column: TableColumn, location: Int?) throws(BindError) -> BoundExpression {
        let source = value.type
        let target = column.type
        if source == target { return value }
        let timestamps: Set<DataType> = [.timestamp, .timestamptz]
        let assignable =
            source == .unknown || (source.isNumeric && target.isNumeric) || target.isString
            || (timestamps.contains(source) && (target == .date || target == .time || timestamps.contains(target)))
            || (source == .date && timestamps.contains(target))
        guard assignable else {
            if case .constant(let constant, _) = value, constant.isNull { return .constant(.null, target) }
            throw BindError(
                "42804", "column \"\(column.name)\" is of type \(target.sqlName) but expression is of type \(source.sqlName)",
                hint: "You will need to rewrite or cast the expression.", location: location)
        }
        return try coerce(value, to: target, clause: nil, location: location, explicit: true)
    }
}
