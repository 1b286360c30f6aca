/// The rows of one row group a read produces: ascending, disjoint, non-empty ranges of row
/// indexes counted from the row group's first row.
///
/// Page pruning builds one per predicate column (the rows of the pages that may match) and
/// intersects them; `ParquetRowGroupReader` then decodes only the pages of each column that hold a
/// selected row.
public struct ParquetRowSelection: Sendable, Equatable, CustomStringConvertible {
    public let ranges: [Range<Int>]

    /// The rows of `ranges`, in any order and possibly overlapping or empty.
    public init(_ ranges: [Range<Int>]) {
        var merged: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !range.isEmpty {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self.ranges = merged
    }

    /// Every row of a row group of `rowCount` rows.
    public static func all(_ rowCount: Int) -> ParquetRowSelection { ParquetRowSelection([0..<rowCount]) }

    /// Selected rows.
    public var rowCount: Int { ranges.reduce(0) { $0 + $1.count } }

    public var isEmpty: Bool { ranges.isEmpty }

    /// True when the selection is every row of a row group of `rowCount` rows.
    public func coversAll(_ rowCount: Int) -> Bool { ranges == [0..<rowCount] || (rowCount == 0 && isEmpty) }

    /// The rows in both selections.
    public func intersection(_ other: ParquetRowSelection) -> ParquetRowSelection {
        var result: [Range<Int>] = []
        var left = 0
        var right = 0
        while left < ranges.count, right < other.ranges.count {
            let a = ranges[left]
            let b = other.ranges[right]
            let lower = max(a.lowerBound, b.lowerBound)
            let upper = min(a.upperBound, b.upperBound)
            if lower < upper { result.append(lower..<upper) }
            if a.upperBound <= b.upperBound { left += 1 } else { right += 1 }
        }
        return ParquetRowSelection(result)
    }

    /// True when some selected row lies in `rows`.
    public func overlaps(_ rows: Range<Int>) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound <= rows.lowerBound { low = middle + 1 } else { high = middle }
        }
        return low < ranges.count && ranges[low].lowerBound < rows.upperBound
    }

    /// Where each selected row lands among the rows of `covering` (which holds every selected row)
    /// read back to back; nil when every covered row is selected.
    func positions(within covering: ParquetRowSelection) -> [Int32]? {
        if covering == self { return nil }
        var positions: [Int32] = []
        positions.reserveCapacity(rowCount)
        var base = 0
        var next = 0
        for cover in covering.ranges {
            while next < ranges.count, ranges[next].lowerBound < cover.upperBound {
                let range = ranges[next]
                let lower = max(range.lowerBound, cover.lowerBound)
                let upper = min(range.upperBound, cover.upperBound)
                for row in lower..<upper { positions.append(Int32(base + row - cover.lowerBound)) }
                if range.upperBound > cover.upperBound { break }
                next += 1
            }
            base += cover.count
        }
        return positions
    }

    public var description: String { ranges.map { "\($0.lowerBound)..<\($0.upperBound)" }.joined(separator: ", ") }
}
