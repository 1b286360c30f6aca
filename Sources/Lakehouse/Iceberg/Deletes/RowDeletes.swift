import Engine

/// What the delete files of one data file remove, ready to apply to each of its row groups as it
/// is read: the deleted row positions, and the key sets of its equality deletes.
struct RowDeletes: Sendable {
    /// The keys of the equality delete files that share one list of equality ids, and where those
    /// key columns sit among the columns read from the data file.
    struct EqualityKeys: Sendable {
        /// Indexes of the key columns among the columns read, in ascending field id order.
        let columnIndexes: [Int]
        let keys: EncodedKeySet
    }

    let positions: DeletedRowPositions
    let equality: [EqualityKeys]

    /// True when no delete file removes anything from this data file (its position delete files
    /// name only other files, its equality delete files are empty): it then reads as if it had none.
    var isEmpty: Bool { positions.isEmpty && equality.allSatisfy(\.keys.isEmpty) }

    /// True when position deletes remove every row of `rows`, so that row group need not be read.
    func deletesEveryRow(_ rows: Range<Int64>) -> Bool {
        positions.indexes(in: rows).count == rows.count
    }

    /// The rows to keep of the `rowCount` rows read from a row group whose first row has position
    /// `firstRow`, given their columns (including the equality key columns); nil when no row is
    /// deleted. The rows read are the row group's `selection` (all of them when nil), so the `i`th
    /// row read has the position of the `i`th selected row. A row is deleted when its position is
    /// listed, or when its key columns equal a key of an equality delete (NULL equal to NULL).
    func keptRows(firstRow: Int64, selection: ParquetRowSelection? = nil, columns: [Column], rowCount: Int)
        throws(EngineError) -> [Int32]?
    {
        var deleted: [Bool]?
        var base = 0
        for rows in selection?.ranges ?? [0..<rowCount] {
            let start = firstRow + Int64(rows.lowerBound)
            let listed = positions.indexes(in: start..<(start + Int64(rows.count)))
            if !listed.isEmpty {
                var flags = deleted ?? [Bool](repeating: false, count: rowCount)
                positions.positions.withUnsafeBufferPointer { positions in
                    for index in listed { flags[base + Int(positions[index] - start)] = true }
                }
                deleted = flags
            }
            base += rows.count
        }
        for group in equality where !group.keys.isEmpty {
            let keyColumns = group.columnIndexes.map { columns[$0] }
            let keys = try EncodedKeys(keyColumns, rowCount: rowCount)
            var flags = deleted ?? [Bool](repeating: false, count: rowCount)
            deleted = nil
            group.keys.markContained(keys, hashes: ColumnHashing.hashRows(keyColumns, rowCount: rowCount), in: &flags)
            deleted = flags
        }
        guard let deleted else { return nil }
        var kept: [Int32] = []
        kept.reserveCapacity(rowCount)
        deleted.withUnsafeBufferPointer { deleted in
            for row in 0..<rowCount where !deleted[row] { kept.append(Int32(row)) }
        }
        return kept.count == rowCount ? nil : kept
    }
}
