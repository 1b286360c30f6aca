/// `row_number`, `rank`, `dense_rank`, `percent_rank`, `cume_dist` and `ntile`: numbers computed
/// from each row's place in its partition and peer group, in window order. They ignore the frame.
enum WindowRankingFunctions {
    static func compute(_ function: WindowFunction, _ partitioning: WindowPartitioning, arguments: [Column])
        throws(EngineError) -> Column
    {
        switch function {
        case .rowNumber: return integers(partitioning) { position, partition, _ in position - partition.lowerBound + 1 }
        case .rank: return integers(partitioning) { _, partition, peers in peers.lowerBound - partition.lowerBound + 1 }
        case .denseRank:
            let groups = partitioning.peerGroup
            return integers(partitioning) { position, partition, _ in
                Int(groups[position]) - Int(groups[partition.lowerBound]) + 1
            }
        case .percentRank:
            return fractions(partitioning) { _, partition, peers in
                partition.count == 1 ? 0 : Double(peers.lowerBound - partition.lowerBound) / Double(partition.count - 1)
            }
        case .cumeDist:
            return fractions(partitioning) { _, partition, peers in
                Double(peers.upperBound - partition.lowerBound) / Double(partition.count)
            }
        case .ntile: return try ntile(partitioning, buckets: arguments[0])
        default: preconditionFailure("\(function.name) is not a ranking function")
        }
    }

    /// Calls `value(position, partition, peer group)` for every position in window order.
    @inline(__always)
    private static func visit(_ partitioning: WindowPartitioning, _ body: (Int, Range<Int>, Range<Int>) -> Void) {
        let bounds = partitioning.peerBounds
        for partition in 0..<partitioning.partitionCount {
            let range = partitioning.partition(partition)
            for group in partitioning.peerGroups(ofPartition: partition) {
                let peers = bounds[group]..<bounds[group + 1]
                for position in peers { body(position, range, peers) }
            }
        }
    }

    @inline(__always)
    private static func integers(_ partitioning: WindowPartitioning, _ value: (Int, Range<Int>, Range<Int>) -> Int)
        -> Column
    {
        var values = [Int64](repeating: 0, count: partitioning.rowCount)
        visit(partitioning) { position, partition, peers in values[position] = Int64(value(position, partition, peers))
        }
        return Column(type: .int64, count: values.count, validity: nil, storage: .int64(values))
    }

    @inline(__always)
    private static func fractions(_ partitioning: WindowPartitioning, _ value: (Int, Range<Int>, Range<Int>) -> Double)
        -> Column
    {
        var values = [Double](repeating: 0, count: partitioning.rowCount)
        visit(partitioning) { position, partition, peers in values[position] = value(position, partition, peers) }
        return Column(type: .float64, count: values.count, validity: nil, storage: .float64(values))
    }

    /// `ntile(n)`: the partition cut into `n` buckets as equal as can be, the larger ones first. `n`
    /// is read at each partition's first row, as PostgreSQL does; NULL gives NULL for the partition.
    private static func ntile(_ partitioning: WindowPartitioning, buckets: Column) throws(EngineError) -> Column {
        guard case .int32(let requested) = buckets.storage else { preconditionFailure("ntile takes an integer") }
        var values = [Int32](repeating: 0, count: partitioning.rowCount)
        var validity: ValidityBitmap?
        for partition in 0..<partitioning.partitionCount {
            let range = partitioning.partition(partition)
            if buckets.isNull(range.lowerBound) {
                if validity == nil { validity = ValidityBitmap(count: partitioning.rowCount, allValid: true) }
                for position in range { validity![position] = false }
                continue
            }
            let count = Int(requested[range.lowerBound])
            guard count > 0 else {
                throw EngineError(.invalidArgumentForNtileFunction, "argument of ntile must be greater than zero")
            }
            let size = range.count / count
            let larger = range.count % count
            // The first `larger` buckets hold `size + 1` rows, the rest `size`.
            for offset in 0..<range.count {
                let bucket =
                    offset < larger * (size + 1) ? offset / (size + 1) : larger + (offset - larger * (size + 1)) / size
                values[range.lowerBound + offset] = Int32(bucket + 1)
            }
        }
        return Column(type: .int32, count: values.count, validity: validity, storage: .int32(values))
    }
}
