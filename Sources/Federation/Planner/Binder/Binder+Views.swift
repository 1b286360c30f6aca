import Engine
import SQL

/// Views are expanded where they are named: their query is bound like a subquery in FROM, against
/// the tables it names (resolved in the view's default schema) and out of reach of the naming
/// query's WITH queries and columns.
extension Binder {
    mutating func bindView(_ view: ResolvedView, alias: TableAlias?, location: Int) throws(BindError) -> (
        LogicalPlan, [ScopeColumn]
    ) {
        let saved = (tables, commonTableExpressions, workTableReferences, outerScope)
        (tables, commonTableExpressions, workTableReferences, outerScope) = (view.tables, [:], [:], nil)
        defer { (tables, commonTableExpressions, workTableReferences, outerScope) = saved }
        let definition = view.definition
        let columns: [(name: String, type: DataType)]
        let plan: LogicalPlan
        do {
            (plan, columns) = try bindQuery(view.query)
        } catch {
            // The error's position is in the view's text, not the statement's.
            var failure = BindError(error.sqlState, error.message, location: location)
            failure.detail = "While reading view \"\(definition.displayName)\": \(definition.query)"
            throw failure
        }
        guard columns.count >= definition.columns.count else {
            throw BindError(
                .internalError,
                "view \"\(definition.displayName)\" now has \(columns.count) columns but was created with \(definition.columns.count)",
                location: location)
        }
        let qualifier = alias?.name ?? definition.name
        let aliases = alias?.columnNames ?? []
        if aliases.count > columns.count {
            throw BindError(
                .invalidColumnReference,
                "table \"\(qualifier)\" has \(columns.count) columns available but \(aliases.count) columns specified",
                location: location)
        }
        let scope = columns.enumerated().map { index, column in
            let name =
                index < aliases.count
                ? aliases[index] : index < definition.columns.count ? definition.columns[index].name : column.name
            return ScopeColumn(qualifier: qualifier, name: name, type: column.type)
        }
        return (plan, scope)
    }
}
