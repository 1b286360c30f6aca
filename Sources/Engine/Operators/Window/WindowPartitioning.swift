/// The rows of one PARTITION BY / ORDER BY in window order, cut into partitions and, inside each,
/// peer groups (rows equal on every ORDER BY key; the whole partition when there is no ORDER BY).
///
/// Positions ("sorted positions") count rows in window order; `order` maps them back to input rows.
struct WindowPartitioning {
    let rowCount: Int
    /// The input row at each sorted position; nil when the rows needed no sorting (no keys at all).
    let order: [Int32]?
    /// The first position of each partition, then `rowCount`.
    let partitionBounds: [Int]
    /// The first position of each peer group, then `rowCount`. Peer groups never span partitions.
    let peerBounds: [Int]
    /// For each partition, the index in `peerBounds` of its first peer group, then the group count.
    let partitionFirstPeer: [Int]
    /// The peer group of each position.
    let peerGroup: [Int32]

    /// Sorts `rowCount` rows by the partition keys (ascending) and then the order keys, stably.
    init(partitionKeys: [Column], orderKeys: [Column], orderings: [KeyOrdering], rowCount: Int) throws(EngineError) {
        self.rowCount = rowCount
        var partitionStarts: [Int] = []
        var peerStarts: [Int] = []
        var firstPeers: [Int] = []
        if partitionKeys.isEmpty && orderKeys.isEmpty {
            order = nil
            if rowCount > 0 {
                partitionStarts = [0]
                peerStarts = [0]
                firstPeers = [0]
            }
        } else {
            let partitionEncoded = partitionKeys.isEmpty ? nil : try EncodedKeys(partitionKeys, rowCount: rowCount)
            let orderEncoded =
                orderKeys.isEmpty ? nil : try EncodedKeys(orderKeys, orderings: orderings, rowCount: rowCount)
            let sortKeys: EncodedKeys
            switch (partitionEncoded, orderEncoded) {
            case (let partition?, let order?): sortKeys = partition.concatenatingRows(order)
            case (let partition?, nil): sortKeys = partition
            case (nil, let order?): sortKeys = order
            case (nil, nil): preconditionFailure("keys checked above")
            }
            let sorted = sortKeys.sortedRows()
            order = sorted
            for position in 0..<rowCount {
                let row = Int(sorted[position])
                let previous = position == 0 ? -1 : Int(sorted[position - 1])
                let newPartition = position == 0 || (partitionEncoded.map { !$0.rowsEqual(previous, row) } ?? false)
                if newPartition {
                    partitionStarts.append(position)
                    firstPeers.append(peerStarts.count)
                }
                if newPartition || (orderEncoded.map { !$0.rowsEqual(previous, row) } ?? false) {
                    peerStarts.append(position)
                }
            }
        }
        partitionBounds = partitionStarts + [rowCount]
        partitionFirstPeer = firstPeers + [peerStarts.count]
        peerBounds = peerStarts + [rowCount]
        var groups = [Int32](repeating: 0, count: rowCount)
        for group in 0..<peerStarts.count {
            for position in peerBounds[group]..<peerBounds[group + 1] { groups[position] = Int32(group) }
        }
        peerGroup = groups
    }

    var partitionCount: Int { partitionBounds.count - 1 }

    /// Positions of partition `index`.
    func partition(_ index: Int) -> Range<Int> { partitionBounds[index]..<partitionBounds[index + 1] }

    /// Indexes (into `peerBounds`) of the peer groups of partition `index`.
    func peerGroups(ofPartition index: Int) -> Range<Int> { partitionFirstPeer[index]..<partitionFirstPeer[index + 1] }

    /// `column` (in input order) rearranged into window order.
    func sorted(_ column: Column) -> Column {
        guard let order else { return column }
        return column.gather(order)
    }

    /// `column` (in window order) rearranged back into input order.
    func unsorted(_ column: Column) -> Column {
        guard let order else { return column }
        var inverse = [Int32](repeating: 0, count: order.count)
        for (position, row) in order.enumerated() { inverse[Int(row)] = Int32(position) }
        return column.gather(inverse)
    }
}

extension EncodedKeys {
    /// Each row's key bytes followed by the same row's bytes in `other` (which has as many rows): the
    /// key of the combined columns, without encoding them again.
    func concatenatingRows(_ other: EncodedKeys) -> EncodedKeys {
        var offsets = [Int](repeating: 0, count: count + 1)
        var bytes = [UInt8]()
        bytes.reserveCapacity(self.bytes.count + other.bytes.count)
        for row in 0..<count {
            bytes.append(contentsOf: self.bytes[self.offsets[row]..<self.offsets[row + 1]])
            bytes.append(contentsOf: other.bytes[other.offsets[row]..<other.offsets[row + 1]])
            offsets[row + 1] = bytes.count
        }
        let width = rowWidth.flatMap { own in other.rowWidth.map { own + $0 } }
        return EncodedKeys(offsets: offsets, bytes: bytes, rowWidth: width)
    }
}
