/// ORDER BY, optionally with LIMIT/OFFSET (then a top-N that keeps only `offset + limit` rows).
///
/// Keys are encoded per batch into byte-comparable rows (`EncodedKeys`), so comparing two rows is an
/// 8-byte prefix compare and, on a tie, one `memcmp`, whatever the key types. The sort is stable: rows
/// with equal keys keep their input order.
public final class SortOperator: BatchStream {
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

    public func next() async throws(EngineError) -> Batch? {
        if sorted == nil {
            if let limit {
                try await topN(keep: offset + limit)
            } else {
                try await sortAll()
            }
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
            try reservation.resize(to: held + encoded.bytes.count + encoded.offsets.count * 8)
        }
        guard let first = batches.first else { return sorted = Batch(columns: [], rowCount: 0) }
        let all = Batch.concatenate(batches, types: first.columns.map(\.type))
        batches = []
        try cancellation.check()
        order = Array(encoded.sortedRows().dropFirst(offset))
        sorted = all
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
