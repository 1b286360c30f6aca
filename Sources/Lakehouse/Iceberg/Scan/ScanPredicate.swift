import Engine

/// A filter a scan may use to skip manifests, files, row groups and pages: comparisons of a column
/// with a constant, membership in a list of constants (`IN`), null tests and conjunctions. The
/// planner translates what it can of a WHERE clause into this; pruning is inexact, so the engine
/// still applies the full filter to the rows it reads.
///
/// Constants use the column's Weir value form (see `SingleValueSerialization`): `.int32` days for
/// dates, `.int64` microseconds for timestamps, `.decimal` scaled to the column's scale,
/// `.bytes` for text.
public indirect enum ScanPredicate: Sendable, Hashable, Codable {
    public enum Comparison: String, Sendable, Hashable, Codable {
        case equal = "="
        case notEqual = "<>"
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    case alwaysTrue
    case compare(column: String, Comparison, Value)
    /// The column equals one of the values (`column IN (...)`).
    case isIn(column: String, [Value])
    case isNull(column: String)
    case isNotNull(column: String)
    case and([ScanPredicate])

    /// The conjunction of two predicates, flattened.
    public static func && (lhs: ScanPredicate, rhs: ScanPredicate) -> ScanPredicate {
        switch (lhs, rhs) {
        case (.alwaysTrue, _): return rhs
        case (_, .alwaysTrue): return lhs
        case (.and(let left), .and(let right)): return .and(left + right)
        case (.and(let left), _): return .and(left + [rhs])
        case (_, .and(let right)): return .and([lhs] + right)
        default: return .and([lhs, rhs])
        }
    }
}

/// One conjunct of a `ScanPredicate` bound to a schema field.
struct BoundTerm: Sendable {
    enum Test: Sendable {
        case compare(ScanPredicate.Comparison, Value)
        /// Equal to one of the values, none of them NULL.
        case isIn([Value])
        case isNull
        case isNotNull
    }

    let field: NestedField
    let test: Test

    /// The conjuncts of `predicate` that name primitive columns of `schema`. Conjuncts naming
    /// anything else are dropped, which only makes pruning less selective.
    static func bind(_ predicate: ScanPredicate, schema: IcebergSchema) -> [BoundTerm] {
        switch predicate {
        case .alwaysTrue:
            return []
        case .and(let parts):
            return parts.flatMap { bind($0, schema: schema) }
        case .compare(let column, let comparison, let value):
            guard !value.isNull, let field = schema.field(named: column), field.type.isPrimitive else { return [] }
            return [BoundTerm(field: field, test: .compare(comparison, value))]
        case .isIn(let column, let values):
            // NULL never equals anything, so it can be left out of the list.
            let candidates = values.filter { !$0.isNull }
            guard let field = schema.field(named: column), field.type.isPrimitive else { return [] }
            return [BoundTerm(field: field, test: .isIn(candidates))]
        case .isNull(let column):
            guard let field = schema.field(named: column) else { return [] }
            return [BoundTerm(field: field, test: .isNull)]
        case .isNotNull(let column):
            guard let field = schema.field(named: column) else { return [] }
            return [BoundTerm(field: field, test: .isNotNull)]
        }
    }
}
