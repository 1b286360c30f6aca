import Catalog
import Engine

/// A bound query, ready to instantiate operators for one execution.
public struct QueryPlan: Sendable {
    /// Output column names and types, in order.
    public let columns: [(name: String, type: DataType)]
    /// The types of `$1...$n` (declared or inferred; unknown ones become text).
    public let parameterTypes: [DataType]
    public let root: LogicalPlan
    /// Uncorrelated subqueries used as values, run in order before `root`; their values are read as
    /// `.parameter(index: EvaluationContext.subqueryParameterBase + k)`.
    public let initPlans: [SubqueryPlan]

    public init(
        columns: [(name: String, type: DataType)], parameterTypes: [DataType], root: LogicalPlan,
        initPlans: [SubqueryPlan] = []
    ) {
        self.columns = columns
        self.parameterTypes = parameterTypes
        self.root = root
        self.initPlans = initPlans
    }

    /// True when the query reads only rows written in it (no FROM, or VALUES), so it finishes as
    /// fast as its expressions evaluate.
    public var finishesQuickly: Bool { root.readsOnlyLiterals && initPlans.allSatisfy(\.plan.readsOnlyLiterals) }

    /// Builds the operator pipeline for one execution with the parameter values bound, after
    /// running the init plans.
    public func instantiate(
        context: EvaluationContext, cancellation: QueryCancellation, statistics: ExecutionStatistics? = nil
    ) async throws(EngineError) -> any BatchStream {
        var context = context
        for subquery in initPlans {
            context.subqueryValues.append(try await subquery.evaluate(context: context, cancellation: cancellation))
        }
        var planner = PhysicalPlanner(context: context, cancellation: cancellation, statistics: statistics)
        planner.scanStatistics = statistics
        return try await planner.instantiate(root)
    }
}

extension QueryPlan: StatementRows {
    public var columnTypes: [DataType] { columns.map(\.type) }

    public func open(context: EvaluationContext, cancellation: QueryCancellation) async throws(EngineError)
        -> any BatchStream
    {
        try await instantiate(context: context, cancellation: cancellation)
    }
}
