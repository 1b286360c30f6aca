/// UNION ALL: the batches of each input in turn.
public final class ConcatStream: BatchStream {
    private var inputs: [any BatchStream]
    private var current = 0

    public init(_ inputs: [any BatchStream]) {
        self.inputs = inputs
    }

    public func next() async throws(EngineError) -> Batch? {
        while current < inputs.count {
            if let batch = try await inputs[current].next() { return batch }
            current += 1
        }
        return nil
    }
}
