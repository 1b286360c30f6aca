import Engine
import SQL

/// What DELETE or UPDATE does to each row of one table: the rows it touches (`predicate`, over the
/// table's columns; every row when nil) and, for UPDATE, the new values of the columns it sets.
public struct RowChange: Sendable {
    public enum Kind: Sendable { case delete, update }

    public var kind: Kind
    public var predicate: Engine.Expression?
    /// UPDATE's new values, by column index, each of its column's type and reading the old row.
    public var assignments: [Int: Engine.Expression]
    public var parameterTypes: [DataType]
    /// Uncorrelated subqueries the expressions read as parameters; run them before the change.
    public var initPlans: [SubqueryPlan]
}

extension Binder {
    /// Binds DELETE's or UPDATE's WHERE and SET over `columns` of the table `tableName` (reachable
    /// as `alias` when given). Subqueries that read the table's rows are refused with `0A000`.
    public mutating func bindRowChange(
        tableName: String, alias: String?, columns: [TableColumn], whereClause: SQL.Expression?,
        assignments: [UpdateStatement.Assignment]?
    ) throws(BindError) -> RowChange {
        let scope = columns.map { ScopeColumn(qualifier: alias ?? tableName, name: $0.name, type: $0.type) }
        let statement = assignments == nil ? "DELETE" : "UPDATE"
        let enclosingClause = clauseWithoutAggregates
        defer { clauseWithoutAggregates = enclosingClause }
        clauseWithoutAggregates = "WHERE"
        func checkNoAttachments(_ location: Int?) throws(BindError) {
            guard pendingAttachments.isEmpty else {
                throw BindError("0A000", "subqueries that read the rows of the \(statement)'s own table are not supported yet", location: location)
            }
        }
        var predicate: Engine.Expression?
        if let whereClause {
            predicate = try coerce(try bind(whereClause, scope: scope), to: .boolean, clause: "WHERE", location: whereClause.location)
            try checkNoAttachments(whereClause.location)
        }
        var values: [Int: Engine.Expression] = [:]
        for assignment in assignments ?? [] {
            guard let index = columns.firstIndex(where: { $0.name == assignment.column }) else {
                throw BindError(
                    "42703", "column \"\(assignment.column)\" of relation \"\(tableName)\" does not exist", location: assignment.location)
            }
            if values[index] != nil {
                throw BindError("42601", "multiple assignments to same column \"\(assignment.column)\"", location: assignment.location)
            }
            clauseWithoutAggregates = "UPDATE"
            if let value = assignment.value {
                values[index] = try assign(try bind(value, scope: scope), to: columns[index], location: value.location)
                try checkNoAttachments(value.location)
            } else {
                // No column has a default yet, so DEFAULT is NULL.
                values[index] = .constant(.null, columns[index].type)
            }
        }
        return RowChange(
            kind: assignments == nil ? .delete : .update, predicate: predicate, assignments: values,
            parameterTypes: finalParameterTypes(), initPlans: initPlans)
    }
}
