/// ORDER BY, optionally with LIMIT/OFFSET (then a top-N that keeps only `offset + limit` rows).
///
/// Keys are encoded per batch into byte-comparable rows (`EncodedKeys`), so comparing two rows is an
/// 8-byte prefix compare and, on a tie, one `memcmp`, whatever the key types. The sort is stable: rows
/// with equal keys keep their input order.
///
/// When the rows held outgrow the query's memory budget, they are sorted and written to a spill
/// file (an Arrow IPC stream) and the memory is given back; at the end the spilled runs and the
/// rows still held are merged (`SortedRunMerger`).
public final class SortOperator: BatchStream, @unchecked Sendable {
    private let input: any BatchStream
    private let keys: [SortKey]
    private let limit: Int?
    private let offset: Int
    private let evaluator: ExpressionEvaluator
    private let cancellation: QueryCancellation
    private var reservation: MemoryReservation
    private var sorted: Batch?
    private var order: [Int32] = []
    private var emitted = 0
    /// After a sort that spilled: the merge of its runs, and how many leading rows OFFSET still skips.
    private var merged: SortedRunMerger?
    private var mergedToSkip = 0
    /// Spill files written by this sort (kept until the operator goes away).
    private var spillFiles: [SpillFile] = []
    /// How many runs were spilled, for tests and EXPLAIN.
    public var spilledRuns: Int { spillFiles.count }

    /// Sorts `input` by `keys`; with a `limit`, returns rows `offset ..< offset + limit` of the order only.
    public init(
        input: any BatchStream, keys: [SortKey], limit: Int? = nil, offset: Int = 0, context: EvaluationContext,
        cancellation: QueryCancellation, memoryBudget: MemoryBudget? = nil
    ) {
        self.input = input
        self.keys = keys
        self.limit = limit
        self.offset = offset
        self.evaluator = ExpressionEvaluator(context: context)
        self.cancellation = cancellation
        self.reservation = MemoryReservation(budget: memoryBudget, consumer: "sort")
    }

    /// Reads and sorts the whole input (what the first `next()` does); a parallel sort runs this
    /// for its partitions at once before merging them.
    public func prepare() async throws(EngineError) {
        guard sorted == nil, merged == nil else { return }
        if let limit {
            try await topN(keep: offset + limit)
        } else {
            try await sortAll()
        }
    }

    public func next() async throws(EngineError) -> Batch? {
        try await prepare()
        if let merged {
            while var batch = try await merged.next() {
                if mergedToSkip >= batch.rowCount {
                    mergedToSkip -= batch.rowCount
                    continue
                }
                if mergedToSkip > 0 {
                    batch = batch.slice(mergedToSkip..<batch.rowCount)
                    mergedToSkip = 0
                }
                return batch
            }
            return nil
        }
        guard let sorted, emitted < order.count else { return nil }
        let end = min(emitted + Batch.preferredRowCount, order.count)
        defer { emitted = end }
        return sorted.gather(Array(order[emitted..<end]))
    }

    private func encode(_ batch: Batch) throws(EngineError) -> EncodedKeys {
        let columns = try keys.map { key throws(EngineError) in try evaluator.evaluate(key.expression, on: batch) }
        return try EncodedKeys(columns, orderings: keys.map(\.ordering), rowCount: batch.rowCount)
    }

    private func sortAll() async throws(EngineError) {
        var batches: [Batch] = []
        var encoded = EncodedKeys.empty
        var held = 0
        while let batch = try await input.next() {
            try cancellation.check()
            guard batch.rowCount > 0 else { continue }
            encoded.append(try encode(batch))
            batches.append(batch)
            held += batch.approximateBytes
            do {
                try reservation.resize(to: held + encoded.bytes.count + encoded.offsets.count * 8)
            } catch  where error.sqlState == .outOfMemory {
                // Over the budget: the rows held so far become a sorted run on disk.
                try spill(batches, encoded)
                (batches, encoded, held) = ([], .empty, 0)
                try reservation.resize(to: 0)
            }
        }
        if !spillFiles.isEmpty {
            if !batches.isEmpty { try spill(batches, encoded) }
            try reservation.resize(to: 0)
            let runs = try spillFiles.map { file throws(EngineError) -> any BatchStream in try file.reader() }
            merged = SortedRunMerger(runs: runs, keys: keys, evaluator: evaluator, cancellation: cancellation)
            mergedToSkip = offset
            return
        }
        guard let first = batches.first else { return sorted = Batch(columns: [], rowCount: 0) }
        let all = Batch.concatenate(batches, types: first.columns.map(\.type))
        batches = []
        try cancellation.check()
        order = Array(encoded.sortedRows().dropFirst(offset))
        sorted = all
    }

    /// Writes the rows of `batches` in key order to a new spill file.
    private func spill(_ batches: [Batch], _ encoded: EncodedKeys) throws(EngineError) {
        guard let first = batches.first else { return }
        let types = first.columns.map(\.type)
        let all = Batch.concatenate(batches, types: types)
        let order = encoded.sortedRows()
        let file = try SpillFile(types: types)
        for start in stride(from: 0, to: order.count, by: Batch.preferredRowCount) {
            try cancellation.check()
            try file.append(all.gather(Array(order[start..<min(start + Batch.preferredRowCount, order.count)])))
        }
        try file.finish()
        spillFiles.append(file)
    }

    /// Keeps the best `keep` rows seen so far; a new row enters only if it sorts strictly before the
    /// current last one, which also keeps the earlier of two equal rows (stability).
    private func topN(keep: Int) async throws(EngineError) {
        var candidates: Batch?
        var candidateKeys = EncodedKeys.empty
        while keep > 0, let batch = try await input.next() {
            try cancellation.check()
            guard batch.rowCount > 0 else { continue }
            var keys = try encode(batch)
            var incoming = batch
            if let current = candidates, current.rowCount == keep {
                let last = current.rowCount - 1
                let entering = (0..<Int32(batch.rowCount)).filter { keys.compare(Int($0), candidateKeys, last) < 0 }
                if entering.isEmpty { continue }
                incoming = batch.gather(entering)
                keys = keys.gather(entering)
            }
            let combined =
                candidates.map { Batch.concatenate([$0, incoming], types: $0.columns.map(\.type)) } ?? incoming
            let combinedKeys = candidateKeys.appending(keys)
            let best = Array(combinedKeys.sortedRows().prefix(keep))
            candidates = combined.gather(best)
            candidateKeys = combinedKeys.gather(best)
            try reservation.resize(to: candidates!.approximateBytes + candidateKeys.bytes.count)
        }
        sorted = candidates ?? Batch(columns: [], rowCount: 0)
        order = Array((0..<Int32(sorted!.rowCount)).dropFirst(offset))
    }
}
