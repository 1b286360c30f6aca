import Catalog
import Engine

/// A bound query as a tree of relational operators. Each node's output is a list of columns;
/// expressions refer to their input's columns by position (`Expression.column(index:type:)`).
///
/// The binder builds it, the optimizer rewrites it, and `PhysicalPlanner` turns it into engine
/// operators for one execution.
public indirect enum LogicalPlan: Sendable {
    /// One row, no columns: `SELECT` without FROM.
    case singleRow
    /// Literal rows (`VALUES`); every row has one expression per column, of the column's type.
    case values(rows: [[Expression]], types: [DataType])
    /// `generate_series(start, stop[, step])` as a one-column table.
    case generateSeries(start: Expression, stop: Expression, step: Expression?, type: DataType)
    /// `unnest(array)` as a one-column table of the array's elements.
    case unnest(Expression, element: DataType)
    /// Columns `columns` of a table, with an optional filter the source may use to skip data.
    case scan(table: any TableSource, columns: [Int], filter: Expression?)
    case filter(LogicalPlan, predicate: Expression)
    case project(LogicalPlan, expressions: [Expression])
    /// Constant (or parameter) row counts, evaluated when the plan is instantiated.
    case limit(LogicalPlan, limit: Expression?, offset: Expression?)
    /// One row per distinct value of `groupKeys`: the key columns, then one column per aggregate.
    /// With no keys, exactly one row (also for empty input). DISTINCT is an aggregate without calls.
    case aggregate(LogicalPlan, groupKeys: [Expression], aggregates: [AggregateCall])
    /// The input rows ordered by `keys` (PostgreSQL's NULL placement already filled in).
    case sort(LogicalPlan, keys: [SortKey])
    /// Every input row followed by one column per window function call, computed after grouping
    /// and HAVING and before DISTINCT, ORDER BY and LIMIT.
    case window(LogicalPlan, functions: [WindowFunctionCall])
    /// The rows of every input, one after another (UNION ALL); all have the same column types.
    case union([LogicalPlan])
    /// The left columns followed by the right ones (only the left ones for semi and anti joins);
    /// `condition` reads the combined columns.
    case join(left: LogicalPlan, right: LogicalPlan, kind: JoinType, condition: Expression?)
    /// The input's columns followed by one value per correlated subquery, computed for each input
    /// row (PostgreSQL's SubPlan): the general way to run a subquery that refers to the outer query
    /// where it cannot be turned into a join.
    case apply(LogicalPlan, subqueries: [CorrelatedSubquery])
    /// For each input row, the rows of `subquery` with its outer references (parameters
    /// `EvaluationContext.correlationParameterBase + k`) reading `correlation[k]` over that row:
    /// the input's columns followed by the subquery's (a `LATERAL` FROM item that refers to the
    /// items before it). With `preservesInput` (`LEFT JOIN LATERAL`), a row the subquery returns
    /// nothing for appears once, with NULLs.
    case lateral(LogicalPlan, subquery: LogicalPlan, correlation: [Expression], preservesInput: Bool)
    /// The input's columns followed by one column per set-returning call in a select list; each
    /// input row repeated as often as its calls return values (see `ProjectSetOperator`).
    case projectSet(LogicalPlan, calls: [SetReturningCall])
    /// `WITH RECURSIVE`: the anchor's rows, then the recursive term's rows run again and again over
    /// the rows the previous round produced (read by `.workTableScan(workTable)`), until a round
    /// produces none; with `distinct` (UNION), rows already produced are dropped.
    case recursiveUnion(anchor: LogicalPlan, recursive: LogicalPlan, workTable: Int, distinct: Bool)
    /// The rows the previous round of the enclosing recursive union produced.
    case workTableScan(workTable: Int, types: [DataType])

    public enum JoinType: Sendable, Equatable {
        case inner, left, right, full, cross, semi, anti
        /// NOT IN: an anti join where a NULL on the right side means no row can qualify.
        case nullAwareAnti
    }

    /// A subquery run per outer row, with the outer values it reads.
    public struct CorrelatedSubquery: Sendable {
        public var subquery: SubqueryPlan
        /// Expressions over the input whose values the subquery reads as
        /// `.parameter(index: EvaluationContext.correlationParameterBase + k)`.
        public var correlation: [Expression]
    }

    /// The types of the node's output columns.
    public var outputTypes: [DataType] {
        switch self {
        case .singleRow: return []
        case .values(_, let types): return types
        case .generateSeries(_, _, _, let type), .unnest(_, let type): return [type]
        case .scan(let table, let columns, _): return columns.map { table.columns[$0].type }
        case .filter(let input, _), .limit(let input, _, _), .sort(let input, _): return input.outputTypes
        case .aggregate(_, let keys, let aggregates): return keys.map(\.type) + aggregates.map(\.resultType)
        case .window(let input, let functions): return input.outputTypes + functions.map(\.resultType)
        case .union(let inputs): return inputs.first?.outputTypes ?? []
        case .project(_, let expressions): return expressions.map(\.type)
        case .apply(let input, let subqueries): return input.outputTypes + subqueries.map(\.subquery.type)
        case .lateral(let input, let subquery, _, _): return input.outputTypes + subquery.outputTypes
        case .projectSet(let input, let calls): return input.outputTypes + calls.map(\.resultType)
        case .recursiveUnion(let anchor, _, _, _): return anchor.outputTypes
        case .workTableScan(_, let types): return types
        case .join(let left, let right, let kind, _):
            switch kind {
            case .semi, .anti, .nullAwareAnti: return left.outputTypes
            default: return left.outputTypes + right.outputTypes
            }
        }
    }

    /// True when the plan reads only rows written in the query (no table, no series), so running it
    /// takes as long as evaluating its expressions.
    public var readsOnlyLiterals: Bool {
        switch self {
        case .singleRow, .values: return true
        case .generateSeries, .unnest, .scan, .recursiveUnion, .workTableScan: return false
        case .filter(let input, _), .project(let input, _), .limit(let input, _, _), .sort(let input, _),
            .aggregate(let input, _, _),
            .projectSet(let input, _), .window(let input, _):
            return input.readsOnlyLiterals
        case .join(let left, let right, _, _): return left.readsOnlyLiterals && right.readsOnlyLiterals
        case .union(let inputs): return inputs.allSatisfy(\.readsOnlyLiterals)
        case .apply(let input, let subqueries):
            return input.readsOnlyLiterals && subqueries.allSatisfy(\.subquery.plan.readsOnlyLiterals)
        case .lateral(let input, let subquery, _, _): return input.readsOnlyLiterals && subquery.readsOnlyLiterals
        }
    }
}
