/// The deleted row positions of one data file, sorted and without repeats, so the ones that fall
/// in a row group are found with two binary searches.
///
/// Positions are file-global: row group `k` holds positions `start..<start + rowCount`, where
/// `start` is the sum of the earlier row groups' row counts.
struct DeletedRowPositions: Sendable {
    let positions: [Int64]

    /// The union of `lists` (each in any order, as several delete files may list them).
    init(merging lists: [[Int64]]) {
        var all = lists.count == 1 ? lists[0] : Array(lists.joined())
        if !Self.isSortedAndUnique(all) {
            all.sort()
            var kept = 0
            for index in all.indices where index == 0 || all[index] != all[kept - 1] {
                all[kept] = all[index]
                kept += 1
            }
            all.removeLast(all.count - kept)
        }
        positions = all
    }

    var isEmpty: Bool { positions.isEmpty }

    /// The indexes into `positions` of the positions within `rows`.
    func indexes(in rows: Range<Int64>) -> Range<Int> {
        firstIndex(atLeast: rows.lowerBound)..<firstIndex(atLeast: rows.upperBound)
    }

    private func firstIndex(atLeast position: Int64) -> Int {
        var low = 0
        var high = positions.count
        while low < high {
            let middle = (low + high) / 2
            if positions[middle] < position { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func isSortedAndUnique(_ positions: [Int64]) -> Bool {
        positions.withUnsafeBufferPointer { positions in
            for index in positions.indices.dropFirst() where positions[index - 1] >= positions[index] { return false }
            return true
        }
    }
}
