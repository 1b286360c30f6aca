/// Row selection by a boolean predicate, shared by FILTER clauses and join conditions.
extension ExpressionEvaluator {
    /// The rows of `batch` for which `predicate` is TRUE (not FALSE, not NULL).
    public func rowsSatisfying(_ predicate: Expression, in batch: Batch) throws(EngineError) -> [Int32] {
        let mask = try evaluate(predicate, on: batch)
        guard case .bool(let values) = mask.storage else { preconditionFailure("predicate not boolean") }
        let validity = mask.nullableValidity
        var selected: [Int32] = []
        selected.reserveCapacity(batch.rowCount)
        values.withUnsafeBufferPointer { values in
            for row in 0..<batch.rowCount where values[row] != 0 && validity?[row] ?? true {
                selected.append(Int32(row))
            }
        }
        return selected
    }
}
