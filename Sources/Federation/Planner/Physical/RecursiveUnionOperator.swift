import Engine
import Synchronization

/// The rows each recursive union's previous round produced, by work table number, for the
/// `.workTableScan` operators of the next round.
final class WorkTables: Sendable {
    private let tables = Mutex<[Int: [Batch]]>([:])

    func set(_ workTable: Int, _ batches: [Batch]) { tables.withLock { $0[workTable] = batches } }

    func batches(_ workTable: Int) -> [Batch]? { tables.withLock { $0[workTable] } }
}

/// Runs `WITH RECURSIVE` (`LogicalPlan.recursiveUnion`): streams the anchor's rows, then runs the
/// recursive term over the previous round's rows until a round produces none.
///
/// Like PostgreSQL, it sets no limit on the rounds: a query that never stops producing rows runs
/// until it is cancelled or reaches `statement_timeout`.
final class RecursiveUnionOperator: BatchStream {
    private var current: any BatchStream
    private let recursive: LogicalPlan
    private let workTable: Int
    private let planner: PhysicalPlanner
    private let path: [Int]
    /// For UNION: every row produced so far, to drop repeats (which also ends cycles).
    private var seen: Set<[Value]>?
    private var round: [Batch] = []

    init(
        anchor: any BatchStream, recursive: LogicalPlan, workTable: Int, distinct: Bool, planner: PhysicalPlanner,
        path: [Int]
    ) {
        self.current = anchor
        self.recursive = recursive
        self.workTable = workTable
        self.planner = planner
        self.path = path
        self.seen = distinct ? [] : nil
    }

    func next() async throws(EngineError) -> Batch? {
        while true {
            try planner.cancellation.check()
            if let batch = try await current.next() {
                let kept = keepNew(batch)
                guard kept.rowCount > 0 else { continue }
                round.append(kept)
                return kept
            }
            guard !round.isEmpty else { return nil }
            planner.workTables.set(workTable, round)
            round = []
            current = try await planner.instantiate(recursive, path: path + [1])
        }
    }

    /// The rows of `batch` not produced before (all of them for UNION ALL).
    private func keepNew(_ batch: Batch) -> Batch {
        guard seen != nil else { return batch }
        var kept: [Int32] = []
        for row in 0..<batch.rowCount where seen!.insert(batch.columns.map { $0.value(at: row) }).inserted {
            kept.append(Int32(row))
        }
        return kept.count == batch.rowCount ? batch : batch.gather(kept)
    }
}
