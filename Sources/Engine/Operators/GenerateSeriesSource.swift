/// `generate_series(start, stop[, step])` over integers, produced batch by batch.
public final class GenerateSeriesSource: BatchStream {
    private var nextValue: Int64
    private let stop: Int64
    private let step: Int64
    private let type: DataType
    private let cancellation: QueryCancellation
    private var finished = false

    /// `type` is `.int32` or `.int64`; `step` must not be zero (the binder rejects that with 22023).
    public init(start: Int64, stop: Int64, step: Int64, type: DataType, cancellation: QueryCancellation) {
        self.nextValue = start
        self.stop = stop
        self.step = step
        self.type = type
        self.cancellation = cancellation
    }

    public func next() async throws(EngineError) -> Batch? {
        try cancellation.check()
        guard !finished, step > 0 ? nextValue <= stop : nextValue >= stop else { return nil }
        let remaining = (stop - nextValue) / step + 1
        let count = Int(min(remaining, Int64(Batch.preferredRowCount)))
        let first = nextValue
        let step = self.step
        let values = (0..<count).map { first &+ Int64($0) &* step }
        let (advanced, overflow) = first.addingReportingOverflow(Int64(count) &* step)
        if overflow || count == remaining { finished = true } else { nextValue = advanced }
        let storage: Column.Storage =
            type == .int32 ? .int32(values.map { Int32(truncatingIfNeeded: $0) }) : .int64(values)
        return Batch(columns: [Column(type: type, count: count, validity: nil, storage: storage)], rowCount: count)
    }
}
