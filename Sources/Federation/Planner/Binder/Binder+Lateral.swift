import Engine
import SQL

/// `LATERAL` FROM items: subqueries marked `LATERAL` and (as in PostgreSQL) every function call in
/// FROM may read the columns of the items before them. One that does runs once per row of those
/// items (`LogicalPlan.lateral`); one that does not is joined like any other item.
extension Binder {
    /// True for FROM items that may read the columns of the items before them.
    static func isLateral(_ item: TableReference) -> Bool {
        switch item {
        case .subquery(_, _, let lateral): return lateral
        case .function: return true
        case .table, .join: return false
        }
    }

    /// Binds a FROM item that may read `leftScope`'s columns, which appear in its plan as outer
    /// references (`outerReferenceBase + i`). (It cannot also read an enclosing query's columns.)
    mutating func bindLateralItem(_ item: TableReference, leftScope: [ScopeColumn]) throws(BindError) -> (
        LogicalPlan, [ScopeColumn]
    ) {
        let enclosingOuter = outerScope
        let referencesBefore = outerReferenceCount
        outerScope = leftScope
        defer {
            outerScope = enclosingOuter
            outerReferenceCount = referencesBefore
        }
        return try bindFromItem(item)
    }

    /// True when the plan reads outer references: for one bound by `bindLateralItem`, columns of
    /// the items before it.
    static func readsOuterReferences(_ plan: LogicalPlan) -> Bool {
        plan.expressions.contains { expression in expression.referencedColumns.contains { $0 >= outerReferenceBase } }
    }

    /// `left` joined with a lateral item's plan that reads left columns: the item runs per left
    /// row with those columns as parameters. `condition` (ON, over the left columns then the
    /// item's) filters the item's rows, so with `preservesInput` a left row none pass still
    /// appears once, as LEFT JOIN requires.
    func lateralJoin(_ left: LogicalPlan, _ item: LogicalPlan, condition: BoundExpression?, preservesInput: Bool)
        -> LogicalPlan
    {
        let leftWidth = left.outputTypes.count
        var subquery = item
        if let condition {
            let mapping = Dictionary(
                uniqueKeysWithValues: condition.referencedColumns.map {
                    ($0, $0 < leftWidth ? Self.outerReferenceBase + $0 : $0 - leftWidth)
                })
            subquery = .filter(subquery, predicate: condition.remappingColumns(mapping))
        }
        var outerColumns: [Int: DataType] = [:]
        for expression in subquery.expressions {
            _ = expression.replacing { node in
                if case .column(let index, let type) = node, index >= Self.outerReferenceBase {
                    outerColumns[index] = type
                }
                return nil
            }
        }
        let ordered = outerColumns.keys.sorted()
        let position = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($0.element, $0.offset) })
        let parameterized = subquery.mappingExpressions { expression in
            expression.replacing { node in
                guard case .column(let index, let type) = node, let k = position[index] else { return nil }
                return .parameter(index: EvaluationContext.correlationParameterBase + k, type: type)
            }
        }
        let correlation = ordered.map {
            BoundExpression.column(index: $0 - Self.outerReferenceBase, type: outerColumns[$0]!)
        }
        return .lateral(left, subquery: parameterized, correlation: correlation, preservesInput: preservesInput)
    }
}
