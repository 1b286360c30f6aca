import Engine

/// A bound query, ready to instantiate operators for one execution.
public struct QueryPlan: Sendable {
    /// Output column names and types, in order.
    public let columns: [(name: String, type: DataType)]
    /// The types of `$1...$n` (declared or inferred; unknown ones become text).
    public let parameterTypes: [DataType]
    public let root: LogicalPlan

    public init(columns: [(name: String, type: DataType)], parameterTypes: [DataType], root: LogicalPlan) {
        self.columns = columns
        self.parameterTypes = parameterTypes
        self.root = root
    }

    /// True when the query reads only rows written in it (no FROM, or VALUES), so it finishes as
    /// fast as its expressions evaluate.
    public var finishesQuickly: Bool { root.readsOnlyLiterals }

    /// Builds the operator pipeline for one execution with the parameter values bound.
    public func instantiate(context: EvaluationContext, cancellation: QueryCancellation) async throws(EngineError) -> any BatchStream {
        try await PhysicalPlanner(context: context, cancellation: cancellation).instantiate(root)
    }
}
