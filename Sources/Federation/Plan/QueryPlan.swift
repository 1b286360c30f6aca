import Engine

/// A bound query, ready to instantiate operators for one execution.
public struct QueryPlan: Sendable {
    /// Output column names and types, in order.
    public let columns: [(name: String, type: DataType)]
    /// The types of `$1...$n` (declared or inferred; unknown ones become text).
    public let parameterTypes: [DataType]
    public let root: LogicalPlan
    /// Uncorrelated scalar subqueries, run in order before `root`; their values are read as
    /// `.parameter(index: EvaluationContext.subqueryParameterBase + k)`.
    public let initPlans: [LogicalPlan]

    public init(columns: [(name: String, type: DataType)], parameterTypes: [DataType], root: LogicalPlan, initPlans: [LogicalPlan] = []) {
        self.columns = columns
        self.parameterTypes = parameterTypes
        self.root = root
        self.initPlans = initPlans
    }

    /// True when the query reads only rows written in it (no FROM, or VALUES), so it finishes as
    /// fast as its expressions evaluate.
    public var finishesQuickly: Bool { root.readsOnlyLiterals && initPlans.allSatisfy(\.readsOnlyLiterals) }

    /// Builds the operator pipeline for one execution with the parameter values bound, after
    /// running the init plans.
    public func instantiate(
        context: EvaluationContext, cancellation: QueryCancellation, statistics: ExecutionStatistics? = nil
    ) async throws(EngineError) -> any BatchStream {
        var context = context
        for plan in initPlans {
            let stream = try await PhysicalPlanner(context: context, cancellation: cancellation).instantiate(plan)
            var value: Value = .null
            var rows = 0
            while let batch = try await stream.next() {
                rows += batch.rowCount
                if rows > 1 { throw EngineError("21000", "more than one row returned by a subquery used as an expression") }
                if batch.rowCount == 1 { value = batch.columns[0].value(at: 0) }
            }
            context.subqueryValues.append(value)
        }
        return try await PhysicalPlanner(context: context, cancellation: cancellation, statistics: statistics).instantiate(root)
    }
}
