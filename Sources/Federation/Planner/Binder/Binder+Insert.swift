import Catalog
import Engine
import SQL

/// `INSERT`: the source rows converted to the target table's columns as PostgreSQL's assignment
/// casts convert them, with NULL in every column the statement does not list.
extension Binder {
    /// The plan producing the rows to append to a table of `columns`: one output column per table
    /// column, in table order. `listed` are the statement's target column names (all columns, in
    /// order, when empty); `tableName` names the table in errors. With `returning`, the RETURNING
    /// values (over the inserted rows, reachable as `qualifier`) follow the row's columns.
    mutating func bindInsert(
        _ query: SelectStatement, into columns: [TableColumn], listed: [String], tableName: String,
        qualifier: String? = nil,
        returning: [SelectTarget] = []
    ) throws(BindError) -> QueryPlan {
        let listedColumns = try insertColumns(listed, of: columns, tableName: tableName, location: nil)
        var targets: [Int]

        var plan: LogicalPlan
        var sourceWidth: Int
        if let rows = query.values, query.targets.isEmpty, query.orderBy.isEmpty, query.limit == nil,
            query.offset == nil,
            query.commonTableExpressions.isEmpty
        {
            // VALUES rows convert item by item to the target types, so '2024-01-01' is a date here.
            sourceWidth = rows.first?.count ?? 0
            targets = try insertTargets(
                listedColumns, columnCount: columns.count, valueCount: sourceWidth,
                location: rows.first?.first?.location)
            var bound: [[BoundExpression]] = []
            for row in rows {
                guard row.count == sourceWidth else {
                    throw BindError(
                        .syntaxError, "VALUES lists must all be the same length", location: row.first?.location)
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
            targets = try insertTargets(
                listedColumns, columnCount: columns.count, valueCount: sourceWidth, location: nil)
            var converted: [BoundExpression] = []
            for (index, target) in targets.enumerated() {
                let column = BoundExpression.column(index: index, type: sourceColumns[index].type)
                converted.append(
                    sourceColumns[index].type == .unknown
                        ? .cast(column, to: columns[target].type)
                        : try assign(column, to: columns[target], location: nil))
            }
            plan = .project(source, expressions: converted)
        }
        let output = columns.indices.map { index -> BoundExpression in
            guard let position = targets.firstIndex(of: index) else { return .constant(.null, columns[index].type) }
            return .column(index: position, type: columns[index].type)
        }
        if output.count != targets.count || targets != Array(columns.indices) {
            plan = .project(plan, expressions: output)
        }
        var returned: [(name: String, type: DataType)] = []
        if !returning.isEmpty {
            (plan, returned) = try bindInsertReturning(
                returning, plan: plan, columns: columns, qualifier: qualifier ?? tableName)
        }
        return QueryPlan(
            columns: columns.map { (name: $0.name, type: $0.type) } + returned, parameterTypes: finalParameterTypes(),
            root: plan, initPlans: initPlans)
    }

    /// The table columns an INSERT lists, by index; `42703` for one the table lacks, `42701` for one
    /// listed twice.
    func insertColumns(_ listed: [String], of columns: [TableColumn], tableName: String, location: Int?)
        throws(BindError) -> [Int]
    {
        var indexes: [Int] = []
        for name in listed {
            guard let index = columns.firstIndex(where: { $0.name == name }) else {
                throw BindError(
                    .undefinedColumn, "column \"\(name)\" of relation \"\(tableName)\" does not exist",
                    location: location)
            }
            if indexes.contains(index) {
                throw BindError(.duplicateColumn, "column \"\(name)\" specified more than once", location: location)
            }
            indexes.append(index)
        }
        return indexes
    }

    /// The columns `valueCount` values go to: the listed ones, which need a value each, or without
    /// a list the table's first columns (the rest are NULL), as in PostgreSQL.
    func insertTargets(_ listed: [Int], columnCount: Int, valueCount: Int, location: Int?) throws(BindError) -> [Int] {
        let available = listed.isEmpty ? columnCount : listed.count
        if valueCount > available {
            throw BindError(.syntaxError, "INSERT has more expressions than target columns", location: location)
        }
        if valueCount < available, !listed.isEmpty {
            throw BindError(.syntaxError, "INSERT has more target columns than expressions", location: location)
        }
        return listed.isEmpty ? Array(0..<valueCount) : listed
    }

    /// `value` converted to `column`'s type by an assignment cast: what an implicit cast allows, any
    /// number to any number, anything to a string type, and timestamps to dates and times.
    mutating func assign(_ value: BoundExpression, to column: TableColumn, location: Int?) throws(BindError)
        -> BoundExpression
    {
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
                .datatypeMismatch,
                "column \"\(column.name)\" is of type \(target.sqlName) but expression is of type \(source.sqlName)",
                hint: "You will need to rewrite or cast the expression.", location: location)
        }
        return try coerce(value, to: target, clause: nil, location: location, explicit: true)
    }
}
