import Engine
import Foundation

/// Streams built for one partition each. (`@unchecked Sendable`: every stream is taken by index
/// from inside the single gather task that pulls it, and used only there.)
final class PartitionStreams: @unchecked Sendable {
    let streams: [any BatchStream]

    init(_ streams: [any BatchStream]) {
        self.streams = streams
    }
}

extension PhysicalPlanner {
    /// Tables smaller than this many rows are read by one stream; splitting them costs more than it
    /// saves. `WEIR_PARALLEL_SCAN_MIN_ROWS` overrides it (tests lower it to run small tables in parallel).
    static let parallelScanThreshold =
        ProcessInfo.processInfo.environment["WEIR_PARALLEL_SCAN_MIN_ROWS"].flatMap { Int($0) } ?? 100_000

    /// How many partitions parallel work uses: one per core.
    static var partitionCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// For a chain of filters, projections and hash-join probes over one large table scan, one copy
    /// of the chain per partition, each over its share of the table's row groups (the joins' build
    /// sides built once and shared); nil when the plan is not such a chain or the table is small.
    func pipelinePartitions(_ plan: LogicalPlan) async throws(EngineError) -> [any BatchStream]? {
        switch plan {
        case .scan(let table, let columns, let filter):
            guard Self.partitionCount > 1, (table.estimatedRowCount ?? 0) >= Self.parallelScanThreshold else {
                return nil
            }
            let streams = try await table.scanPartitions(
                count: Self.partitionCount, columns: columns, filter: filter, context: context,
                cancellation: cancellation)
            scanStatistics?.noteScan(of: table.displayName, streams: streams)
            return streams.count > 1 ? streams : nil
        case .filter(let input, let predicate):
            return try await pipelinePartitions(input)?.map {
                FilterOperator(input: $0, predicate: predicate, evaluator: evaluator)
            }
        case .project(let input, let expressions):
            return try await pipelinePartitions(input)?.map {
                ProjectOperator(input: $0, expressions: expressions, evaluator: evaluator)
            }
        case .join(let left, let right, let kind, let condition):
            // Each partition of the probe side probes one hash table, built once from the whole
            // build side. Right and full joins need one view of the matched build rows, so they do not split.
            let engineKind = JoinKind(kind)
            let split = JoinCondition(condition, leftWidth: left.outputTypes.count)
            // A shared build cannot spill: a build side likely to need a large share of the memory
            // budget is left to the serial hash join, which can.
            let estimatedBuildBytes = ReorderJoins.estimatedRows(right) * Double(24 + 16 * right.outputTypes.count)
            if let budget = context.memoryBudget, estimatedBuildBytes > Double(budget.limit) / 4 { return nil }
            guard !engineKind.keepsUnmatchedBuild, !split.probeKeys.isEmpty,
                let probes = try await pipelinePartitions(left)
            else {
                return nil
            }
            // The build side is planned without statistics: its position in the plan is not tracked here.
            var buildPlanner = self
            buildPlanner.statistics = nil
            let build = PartitionStreams([try await buildPlanner.instantiate(right)])
            let shared = SharedJoinBuild(
                buildKeys: split.buildKeys, buildTypes: right.outputTypes, context: context, cancellation: cancellation,
                memoryBudget: context.memoryBudget
            ) { build.streams[0] }
            return probes.map { probe in
                HashJoinOperator(
                    probe: probe, sharedBuild: shared, probeKeys: split.probeKeys, kind: engineKind,
                    residual: split.residual,
                    probeTypes: left.outputTypes, context: context, cancellation: cancellation)
            }
        default:
            return nil
        }
    }

    /// The partitions' rows merged in arrival order.
    func gather(_ partitions: [any BatchStream]) -> any BatchStream {
        let box = PartitionStreams(partitions)
        return GatherOperator(
            partitions: partitions.count, bufferBatches: 2 * partitions.count, cancellation: cancellation
        ) { index in
            box.streams[index]
        }
    }

    /// Aggregation split in two: each partition pre-aggregates its rows (partial states), and one
    /// final aggregation merges the states. Nil when the input does not split or a call cannot be
    /// split (DISTINCT, ordered and ordered-set aggregates).
    func parallelAggregate(_ input: LogicalPlan, keys: [Engine.Expression], aggregates: [AggregateCall])
        async throws(EngineError)
        -> (any BatchStream)?
    {
        guard aggregates.allSatisfy({ $0.function.isDecomposable && !$0.distinct && $0.orderBy.isEmpty }),
            let partitions = try await pipelinePartitions(input)
        else { return nil }
        let box = PartitionStreams(partitions)
        let context = self.context
        let cancellation = self.cancellation
        let partial = GatherOperator(
            partitions: partitions.count, bufferBatches: 2 * partitions.count, cancellation: cancellation
        ) {
            index throws(EngineError) in
            try HashAggregateOperator(
                input: box.streams[index], groupKeys: keys, aggregates: aggregates, mode: .partial, context: context,
                cancellation: cancellation, memoryBudget: context.memoryBudget)
        }
        var offset = keys.count
        let finalCalls = aggregates.map { call -> AggregateCall in
            var final = call
            final.arguments = call.stateTypes.enumerated().map {
                Engine.Expression.column(index: offset + $0.offset, type: $0.element)
            }
            final.filter = nil
            offset += call.stateTypes.count
            return final
        }
        return try HashAggregateOperator(
            input: partial, groupKeys: keys.indices.map { Engine.Expression.column(index: $0, type: keys[$0].type) },
            aggregates: finalCalls,
            mode: .final, context: context, cancellation: cancellation, memoryBudget: context.memoryBudget)
    }

    /// ORDER BY [LIMIT] over a partitioned input: the partitions sorted at once, then merged; nil
    /// when the input does not split.
    func parallelSort(_ input: LogicalPlan, keys: [SortKey], limit: Int?, offset: Int) async throws(EngineError) -> (
        any BatchStream
    )? {
        guard let partitions = try await pipelinePartitions(input) else { return nil }
        let sorters = partitions.map { partition in
            SortOperator(
                input: partition, keys: keys, limit: limit.map { $0 + offset }, context: context,
                cancellation: cancellation,
                memoryBudget: context.memoryBudget)
        }
        let merged = ParallelSortOperator(sorters: sorters, keys: keys, context: context, cancellation: cancellation)
        return limit == nil && offset == 0 ? merged : LimitOperator(input: merged, limit: limit, offset: offset)
    }
}
