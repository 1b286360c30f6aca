import Engine
import Synchronization

/// The rows each recursive union's previous round produced, by work table number, for the
/// `.workTableScan` operators of the next round.
final class WorkTables: Sendable {
    private let tables = Mutex<[Int: [Batch]]>([:])

    func set(_ workTable: Int, _ batches: [Batch]) { tables.withLock { $0[workTable] = batches } }

    func batches(_ workTable: Int) -> [Batch]? { tables.withLock { $0[workTable] } }
}
