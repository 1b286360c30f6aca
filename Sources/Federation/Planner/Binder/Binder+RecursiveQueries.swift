import Engine
import SQL

extension Binder {
    /// A `WITH RECURSIVE` query that reads itself, as a recursive union: its non-recursive term,
    /// then its recursive term run round after round over the previous round's rows. Nil when the
    /// query does not refer to itself (it is then an ordinary WITH query).
    mutating func bindRecursiveQuery(_ cte: CommonTableExpression, alias: TableAlias?, location: Int) throws(BindError)
        -> (LogicalPlan, [ScopeColumn])?
    {
        guard TableResolver.tableNames(in: cte.query).contains(where: { $0.parts == [cte.name] }) else { return nil }
        guard let operation = cte.query.setOperation, operation.kind == .union else {
            throw BindError(
                .invalidRecursion,
                "recursive query \"\(cte.name)\" does not have the form non-recursive-term UNION [ALL] recursive-term",
                location: location)
        }
        if !cte.query.orderBy.isEmpty || cte.query.limit != nil || cte.query.offset != nil {
            throw BindError(
                .featureNotSupported, "ORDER BY, LIMIT and OFFSET in a recursive query are not implemented",
                location: location)
        }
        // The non-recursive term may not read the query itself.
        commonTableExpressions[cte.name] = nil
        defer { commonTableExpressions[cte.name] = cte }
        let enclosingKeepsUnknown = keepsUnknownOutputs
        keepsUnknownOutputs = false
        defer { keepsUnknownOutputs = enclosingKeepsUnknown }
        let (anchor, anchorColumns) = try bindQuery(operation.left)
        if !cte.columnNames.isEmpty, cte.columnNames.count != anchorColumns.count {
            throw BindError(
                .invalidColumnReference,
                "WITH query \"\(cte.name)\" has \(anchorColumns.count) columns available but \(cte.columnNames.count) columns specified",
                location: location)
        }
        let columns = anchorColumns.enumerated().map { index, column in
            (name: index < cte.columnNames.count ? cte.columnNames[index] : column.name, type: column.type)
        }
        let workTable = workTableCount
        workTableCount += 1
        let enclosingReference = workTableReferences[cte.name]
        workTableReferences[cte.name] = (workTable, columns)
        defer { workTableReferences[cte.name] = enclosingReference }
        let (recursive, recursiveColumns) = try bindQuery(operation.right)
        guard recursiveColumns.count == columns.count else {
            throw BindError(.syntaxError, "each UNION query must have the same number of columns", location: location)
        }
        for (index, (column, recursiveColumn)) in zip(columns, recursiveColumns).enumerated()
        where recursiveColumn.type != column.type {
            guard recursiveColumn.type == .unknown else {
                throw BindError(
                    .datatypeMismatch,
                    "recursive query \"\(cte.name)\" column \(index + 1) has type \(column.type.sqlName) in non-recursive term but type \(recursiveColumn.type.sqlName) overall",
                    hint: "Cast the output of the non-recursive term to the correct type.", location: location)
            }
        }
        let typedRecursive = try castColumns(recursive, from: recursiveColumns.map(\.type), to: columns.map(\.type))
        let plan = LogicalPlan.recursiveUnion(
            anchor: anchor, recursive: typedRecursive, workTable: workTable, distinct: !operation.all)
        let aliasNames = alias?.columnNames ?? []
        let scope = columns.enumerated().map { index, column in
            ScopeColumn(
                qualifier: alias?.name ?? cte.name, name: index < aliasNames.count ? aliasNames[index] : column.name,
                type: column.type)
        }
        return (plan, scope)
    }
}
