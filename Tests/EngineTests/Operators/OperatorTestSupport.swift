@testable import Engine

/// Builds batches from rows of boxed values and collects an operator's output back into rows.
enum Rows {
    /// `rows` cut into batches of `batchSize` rows with column types `types`.
    static func batches(_ types: [DataType], _ rows: [[Value]], batchSize: Int = 3) -> [Batch] {
        stride(from: 0, to: rows.count, by: max(batchSize, 1)).map { start in
            let chunk = Array(rows[start..<min(start + batchSize, rows.count)])
            let columns = types.indices.map { index in Column(type: types[index], values: chunk.map { $0[index] }) }
            return Batch(columns: columns, rowCount: chunk.count)
        }
    }

    static func stream(_ types: [DataType], _ rows: [[Value]], batchSize: Int = 3) -> MaterializedStream {
        MaterializedStream(batches(types, rows, batchSize: batchSize))
    }

    /// Every row the stream yields.
    static func collect(_ stream: any BatchStream) async throws -> [[Value]] {
        var rows: [[Value]] = []
        while let batch = try await stream.next() {
            for row in 0..<batch.rowCount { rows.append(batch.columns.map { $0.value(at: row) }) }
        }
        return rows
    }

    static func column(_ index: Int, _ type: DataType) -> Expression { .column(index: index, type: type) }

    /// Rows as strings, so NaN compares equal to NaN.
    static func described(_ rows: [[Value]]) -> [String] { rows.map { "\($0)" } }

    /// A scrambled but repeatable number for row `row`: data for randomized tests without a generator.
    static func scrambled(_ row: Int, modulo: Int) -> Int { Int((UInt64(row) &* 0x9E37_79B9_7F4A_7C15) >> 40) % modulo }
}

/// A stream that fails with `error` after yielding `before` copies of `batch`.
final class FailingStream: BatchStream {
    private let batch: Batch
    private var remaining: Int
    private let error: EngineError

    init(batch: Batch, before: Int, error: EngineError) {
        self.batch = batch
        self.remaining = before
        self.error = error
    }

    func next() async throws(EngineError) -> Batch? {
        if remaining == 0 { throw error }
        remaining -= 1
        return batch
    }
}
