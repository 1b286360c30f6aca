/// The materialized build input of a hash join with its hash table: immutable once built, so several
/// probe partitions can share it (see `SharedJoinBuild`).
public struct JoinBuildSide: Sendable {
    /// All build rows, in arrival order.
    let rows: Batch
    let table: JoinHashTable
    /// True when some build row has a NULL key (NOT IN then yields nothing).
    let hasNullKey: Bool

    /// Bytes held, for memory accounting.
    var approximateBytes: Int { rows.approximateBytes + table.approximateBytes }

    /// What building found: the side, or (when `spillable` and the rows outgrew the memory budget)
    /// the rows held so far, with the rest of the input not yet read.
    enum Outcome {
        case built(JoinBuildSide)
        case overflowed([Batch])
    }

    /// Consumes `input` whole and indexes it on `keys`, accounting what it holds in `reservation`.
    static func build(
        from input: any BatchStream, keys: [Expression], types: [DataType], evaluator: ExpressionEvaluator,
        cancellation: QueryCancellation, reservation: inout MemoryReservation
    ) async throws(EngineError) -> JoinBuildSide {
        guard
            case .built(let side) = try await build(
                from: input, keys: keys, types: types, evaluator: evaluator, cancellation: cancellation,
                reservation: &reservation,
                spillable: false)
        else { preconditionFailure("an unspillable build overflowed without throwing") }
        return side
    }

    static func build(
        from input: any BatchStream, keys: [Expression], types: [DataType], evaluator: ExpressionEvaluator,
        cancellation: QueryCancellation, reservation: inout MemoryReservation, spillable: Bool
    ) async throws(EngineError) -> Outcome {
        var batches: [Batch] = []
        var encoded = EncodedKeys.empty
        var hashes: [UInt64] = []
        var valid: [Bool] = []
        var held = 0
        while let batch = try await input.next() {
            try cancellation.check()
            guard batch.rowCount > 0 else { continue }
            let batchKeys = try JoinKeys(keys, batch, evaluator)
            encoded.append(batchKeys.encoded)
            hashes += batchKeys.hashes
            valid += batchKeys.valid
            batches.append(batch)
            held += batch.approximateBytes + batchKeys.encoded.bytes.count + batch.rowCount * 25
            do {
                try reservation.resize(to: held)
            } catch  where spillable && error.sqlState == .outOfMemory {
                return .overflowed(batches)
            }
        }
        let rows =
            batches.isEmpty
            ? Batch(columns: types.map { .nulls($0, count: 0) }, rowCount: 0) : Batch.concatenate(batches, types: types)
        let side = JoinBuildSide(
            rows: rows, table: JoinHashTable(hashes: hashes, keys: encoded, insertable: valid),
            hasNullKey: valid.contains(false))
        try reservation.resize(to: side.approximateBytes)
        return .built(side)
    }
}

/// Join keys of one batch: encoded for equality, hashed, and whether each row's keys are all non-NULL.
struct JoinKeys {
    let encoded: EncodedKeys
    let hashes: [UInt64]
    let valid: [Bool]

    init(_ keys: [Expression], _ batch: Batch, _ evaluator: ExpressionEvaluator) throws(EngineError) {
        let columns = try keys.map { key throws(EngineError) in try evaluator.evaluate(key, on: batch) }
        var valid = [Bool](repeating: true, count: batch.rowCount)
        for column in columns {
            guard let validity = column.nullableValidity else { continue }
            for row in 0..<batch.rowCount where !validity[row] { valid[row] = false }
        }
        self.encoded = try EncodedKeys(columns, rowCount: batch.rowCount)
        self.hashes = ColumnHashing.hashRows(columns, rowCount: batch.rowCount)
        self.valid = valid
    }
}
