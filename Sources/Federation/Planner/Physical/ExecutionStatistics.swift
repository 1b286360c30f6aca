import Catalog
import Engine
import Synchronization

/// Rows and time per plan node, collected while EXPLAIN ANALYZE runs a query. Nodes are named by
/// their path from the root (child indexes), the numbering `PlanExplainer` uses.
public final class ExecutionStatistics: Sendable {
    struct Entry {
        var rows = 0
        var nanoseconds: Int64 = 0
        var calls = 0
    }

    private let entries = Mutex<[[Int]: Entry]>([:])
    /// The metrics of each table scan run, in the order the scans started.
    private let scans = Mutex<[(table: String, metrics: any ScanMetrics)]>([])

    public init() {}

    func record(path: [Int], rows: Int, nanoseconds: Int64) {
        entries.withLock { entries in
            entries[path, default: Entry()].rows += rows
            entries[path, default: Entry()].nanoseconds += nanoseconds
            entries[path, default: Entry()].calls += 1
        }
    }

    func entry(_ path: [Int]) -> Entry? {
        entries.withLock { $0[path] }
    }

    /// Keeps the metrics of a scan of `table` (once, however many streams share them).
    func noteScan(of table: String, streams: [any BatchStream]) {
        guard let metrics = (streams.first as? any MeasuredScanStream)?.scanMetrics else { return }
        scans.withLock { scans in
            if !scans.contains(where: { $0.metrics === metrics }) { scans.append((table, metrics)) }
        }
    }

    /// What each scan read and skipped, one line per scan as EXPLAIN ANALYZE prints it.
    var scanLines: [String] {
        scans.withLock { $0.map { $0.metrics.explainLine(table: $0.table) } }
    }
}

/// Passes batches through, recording rows and the time spent producing them (including the
/// operators below, as PostgreSQL's actual time does).
final class InstrumentedStream: BatchStream {
    private let input: any BatchStream
    private let path: [Int]
    private let statistics: ExecutionStatistics

    init(input: any BatchStream, path: [Int], statistics: ExecutionStatistics) {
        self.input = input
        self.path = path
        self.statistics = statistics
    }

    func next() async throws(EngineError) -> Batch? {
        let started = ContinuousClock.now
        let batch = try await input.next()
        let elapsed = ContinuousClock.now - started
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        statistics.record(path: path, rows: batch?.rowCount ?? 0, nanoseconds: nanoseconds)
        return batch
    }
}
