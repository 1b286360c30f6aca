/// Rows of one join input that can match nothing (NULL keys), as the join outputs them: with NULL
/// columns for the other input beside them, or alone for semi and anti joins.
final class UnmatchedRowsStream: BatchStream {
    private let input: any BatchStream
    /// The other input's column types, or nil when only these rows' columns come out.
    private let nullColumns: [DataType]?
    /// True when the NULL columns come first (rows of the build side).
    private let nullsFirst: Bool

    init(_ input: any BatchStream, nullColumns: [DataType]?, nullsFirst: Bool) {
        self.input = input
        self.nullColumns = nullColumns
        self.nullsFirst = nullsFirst
    }

    func next() async throws(EngineError) -> Batch? {
        guard let batch = try await input.next() else { return nil }
        guard let nullColumns else { return batch }
        let nulls = nullColumns.map { Column.nulls($0, count: batch.rowCount) }
        return Batch(columns: nullsFirst ? nulls + batch.columns : batch.columns + nulls, rowCount: batch.rowCount)
    }
}
