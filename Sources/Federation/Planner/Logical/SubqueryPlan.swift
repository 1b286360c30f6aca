import Engine

/// A subquery used as a value: its plan and how its rows fold into that one value.
///
/// Uncorrelated ones run once before the query (`QueryPlan.initPlans`); correlated ones run once
/// per distinct outer row (`LogicalPlan.apply`), reading the outer values as
/// `.parameter(index: EvaluationContext.correlationParameterBase + k)`.
public struct SubqueryPlan: Sendable {
    public var plan: LogicalPlan
    public var result: Result

    public enum Result: Sendable, Equatable {
        /// `(SELECT x ...)`: the only row's first column, NULL without rows, `21000` with several.
        case scalar
        /// `EXISTS (...)`: whether there is a row.
        case exists
        /// `ARRAY(SELECT x ...)`: the first column of every row, in order (empty without rows).
        case array
        /// `x op ANY (...)`, with the plan producing the comparison per row: true if one is true,
        /// else NULL if one is NULL, else false.
        case any
        /// `x op ALL (...)`, likewise: false if one is false, else NULL if one is NULL, else true.
        case all
    }

    public init(plan: LogicalPlan, result: Result) {
        self.plan = plan
        self.result = result
    }

    /// The type of the subquery's value.
    public var type: DataType {
        switch result {
        case .scalar: return plan.outputTypes.first ?? .unknown
        case .exists, .any, .all: return .boolean
        case .array: return .array(plan.outputTypes.first ?? .unknown)
        }
    }

    /// Runs the subquery to completion (or until its value is known) and folds its rows.
    public func evaluate(context: EvaluationContext, cancellation: QueryCancellation) async throws(EngineError) -> Value
    {
        var planToRun = plan
        if result == .exists { planToRun = .limit(plan, limit: .constant(.int64(1), .int64), offset: nil) }
        let stream = try await PhysicalPlanner(context: context, cancellation: cancellation).instantiate(planToRun)
        var value: Value = .null
        var rows = 0
        var elements: [Value] = []
        var sawNull = false
        while let batch = try await stream.next() {
            guard batch.rowCount > 0 else { continue }
            switch result {
            case .scalar:
                rows += batch.rowCount
                if rows > 1 {
                    throw EngineError(
                        .cardinalityViolation, "more than one row returned by a subquery used as an expression")
                }
                value = batch.columns[0].value(at: 0)
            case .exists:
                return .bool(true)
            case .array:
                for row in 0..<batch.rowCount { elements.append(batch.columns[0].value(at: row)) }
            case .any, .all:
                let decisive = result == .any
                for row in 0..<batch.rowCount {
                    switch batch.columns[0].value(at: row) {
                    case .bool(let outcome) where outcome == decisive: return .bool(decisive)
                    case .null: sawNull = true
                    default: break
                    }
                }
            }
        }
        switch result {
        case .scalar: return value
        case .exists: return .bool(false)
        case .array: return .array(elements)
        case .any, .all: return sawNull ? .null : .bool(result == .all)
        }
    }
}
