/// Merges streams that are each sorted by the same keys into one sorted stream: the runs an
/// external sort spilled, or the partitions of a parallel sort.
///
/// One batch of each run is held at a time. Rows with equal keys come out in run order, so merging
/// runs cut from one input in order keeps the sort stable.
final class SortedRunMerger: BatchStream {
    private struct Cursor {
        var batch: Batch
        var keys: EncodedKeys
        var row = 0
    }

    private let runs: [any BatchStream]
    private let keys: [SortKey]
    private let evaluator: ExpressionEvaluator
    private let cancellation: QueryCancellation
    private var cursors: [Cursor?] = []
    /// The cursors' batches side by side, and where each run's batch starts in it.
    private var window: Batch?
    private var windowStarts: [Int] = []
    private var started = false

    init(runs: [any BatchStream], keys: [SortKey], evaluator: ExpressionEvaluator, cancellation: QueryCancellation) {
        self.runs = runs
        self.keys = keys
        self.evaluator = evaluator
        self.cancellation = cancellation
    }

    /// The run's next non-empty batch with its keys, or nil when the run is done.
    private func load(_ run: Int) async throws(EngineError) -> Cursor? {
        while let batch = try await runs[run].next() {
            guard batch.rowCount > 0 else { continue }
            let columns = try keys.map { key throws(EngineError) in try evaluator.evaluate(key.expression, on: batch) }
            return Cursor(
                batch: batch, keys: try EncodedKeys(columns, orderings: keys.map(\.ordering), rowCount: batch.rowCount))
        }
        return nil
    }

    private func rebuildWindow() {
        let live = cursors.compactMap { $0?.batch }
        guard let first = live.first else { return window = nil }
        var start = 0
        windowStarts = cursors.map { cursor in
            defer { start += cursor?.batch.rowCount ?? 0 }
            return start
        }
        window = live.count == 1 ? first : Batch.concatenate(live, types: first.columns.map(\.type))
    }

    func next() async throws(EngineError) -> Batch? {
        if !started {
            started = true
            for run in runs.indices { cursors.append(try await load(run)) }
            rebuildWindow()
        }
        guard let window else { return nil }
        try cancellation.check()
        var picks: [Int32] = []
        picks.reserveCapacity(Batch.preferredRowCount)
        var exhausted: Int?
        while picks.count < Batch.preferredRowCount, exhausted == nil {
            var best: Int?
            for run in cursors.indices {
                guard let cursor = cursors[run] else { continue }
                if let current = best, let leader = cursors[current],
                    cursor.keys.compare(cursor.row, leader.keys, leader.row) >= 0
                {
                    continue
                }
                best = run
            }
            guard let run = best else { break }
            picks.append(Int32(windowStarts[run] + cursors[run]!.row))
            cursors[run]!.row += 1
            if cursors[run]!.row == cursors[run]!.batch.rowCount { exhausted = run }
        }
        // A run whose batch ran out moves to its next one; the window is rebuilt around it.
        if let run = exhausted {
            cursors[run] = try await load(run)
            rebuildWindow()
        }
        return window.gather(picks)
    }
}
