import Engine

/// Prunes the row groups and pages of one Parquet data file with a scan's predicate, through the
/// same `PruningEvaluator.mayMatch` test as manifests and files:
///
/// 1. row group statistics (from the footer, when the scan is opened);
/// 2. dictionaries: a predicate of equality or `IN` on a column whose chunk is dictionary-encoded
///    throughout reads only the dictionary page, and drops the row group when no entry can match
///    (only where the dictionary is small beside the chunk, so reading it pays);
/// 3. the page index: the rows of pages whose column-index bounds may match, intersected over the
///    predicate's columns, are the only rows read.
///
/// A column the file lacks reads as NULL everywhere, and is pruned as such.
struct RowGroupPruning: Sendable {
    /// One conjunct of the predicate and where its column is in this file.
    struct FileTerm: Sendable {
        enum Column: Sendable {
            /// The flat leaf holding the column.
            case leaf(Int)
            /// The file has no such column: it reads as NULL.
            case absent
            /// A leaf whose statistics do not describe one value per row (inside a list or map).
            case unusable
        }

        let test: BoundTerm.Test
        let column: Column
        /// False when the data file's Iceberg metrics say the column holds no NaN.
        let mayContainNaN: Bool

        var leaf: Int? {
            if case .leaf(let leaf) = column { return leaf }
            return nil
        }
    }

    /// Which rows of a row group to read.
    enum Rows {
        /// None can match.
        case none
        case all
        /// Only `selection`, with the page indexes of the leaves read (nil where a chunk has none).
        case some(ParquetRowSelection, pageIndexes: [ParquetPageIndex?])
    }

    /// A dictionary is read only when it is at most this share of its chunk's bytes.
    static let dictionaryShareLimit = 0.25

    let file: ParquetFile
    let terms: [FileTerm]

    /// The pruning of `file` (the data file `dataFile` describes) by `terms`; nil without terms.
    init?(terms: [BoundTerm], file: ParquetFile, dataFile: DataFile) {
        guard !terms.isEmpty else { return nil }
        let leaves = file.schema.leafIndexes(of: terms.map(\.field))
        self.file = file
        self.terms = zip(terms, leaves).map { term, leaf in
            let column: FileTerm.Column
            if let leaf {
                column = file.schema.columns[leaf].unsupportedReason == nil ? .leaf(leaf) : .unusable
            } else {
                column = .absent
            }
            return FileTerm(
                test: term.test, column: column,
                mayContainNaN: term.field.type.hasNaN && dataFile.nanValueCounts[term.field.id].map { $0 > 0 } ?? true)
        }
    }

    // MARK: - Statistics

    /// False when a term rules out every row of `rowGroup` by the chunk statistics.
    func statisticsMayMatch(rowGroup: Int) -> Bool {
        let rowCount = file.rowGroupRowCounts[rowGroup]
        return terms.allSatisfy { term in
            guard let range = range(of: term, rowGroup: rowGroup, rowCount: rowCount) else { return true }
            return PruningEvaluator.mayMatch(term.test, range)
        }
    }

    /// What the chunk statistics say about a term's column; nil when they say nothing usable.
    private func range(of term: FileTerm, rowGroup: Int, rowCount: Int) -> PruningEvaluator.ValueRange? {
        let leaf: Int
        switch term.column {
        case .leaf(let index): leaf = index
        case .absent: return Self.absentColumn
        case .unusable: return nil
        }
        let statistics = file.statistics(rowGroup: rowGroup, column: leaf)
        let nullCount = statistics?.nullCount
        return PruningEvaluator.ValueRange(
            lower: statistics?.min, upper: statistics?.max, mayContainNull: nullCount.map { $0 > 0 } ?? true,
            allNull: nullCount == rowCount, mayContainNaN: term.mayContainNaN)
    }

    private static let absentColumn = PruningEvaluator.ValueRange(
        lower: nil, upper: nil, mayContainNull: true, allNull: true, mayContainNaN: false)

    // MARK: - Dictionaries

    /// False when a term of equality or `IN` matches no entry of its column's dictionary in
    /// `rowGroup`. Reads the dictionaries of such terms whose chunks qualify, one at a time until
    /// one rules the row group out.
    func dictionaryMayMatch(rowGroup: Int, reader: ParquetRowGroupReader) async throws -> Bool {
        for term in terms {
            guard Self.isEquality(term.test), let leaf = term.leaf,
                let size = file.dictionaryPageSize(rowGroup: rowGroup, column: leaf),
                Double(size.dictionaryBytes) <= Double(size.chunkBytes) * Self.dictionaryShareLimit,
                let dictionary = try await reader.dictionary(rowGroup: rowGroup, column: leaf)
            else { continue }
            let matches = (0..<dictionary.count).contains { entry in
                let value = dictionary.value(at: entry)
                return PruningEvaluator.mayMatch(
                    term.test,
                    PruningEvaluator.ValueRange(
                        lower: value, upper: value, mayContainNull: false, allNull: false, mayContainNaN: value.isNaN))
            }
            if !matches { return false }
        }
        return true
    }

    private static func isEquality(_ test: BoundTerm.Test) -> Bool {
        switch test {
        case .compare(.equal, _), .isIn: return true
        default: return false
        }
    }

    // MARK: - Page index

    /// Which rows of `rowGroup` to read with the page index: the leaves of predicate columns whose
    /// chunks have a column index and the leaves read (`leaves`) have their page indexes fetched
    /// together; `.all` without any column index or when every page may match.
    func rows(of rowGroup: Int, reading leaves: [Int], reader: ParquetRowGroupReader) async throws -> Rows {
        let indexed = Set(terms.compactMap(\.leaf)).filter {
            file.pageIndexPresence(rowGroup: rowGroup, column: $0).columnIndex
        }
        guard !indexed.isEmpty else { return .all }
        var wanted = leaves
        for leaf in indexed.sorted() where !wanted.contains(leaf) { wanted.append(leaf) }
        let fetched = try await reader.pageIndexes(rowGroup: rowGroup, columns: wanted, withStatistics: indexed)
        var byLeaf: [Int: ParquetPageIndex] = [:]
        for (leaf, pageIndex) in zip(wanted, fetched) { byLeaf[leaf] = pageIndex }
        let rowCount = file.rowGroupRowCounts[rowGroup]
        var selection = ParquetRowSelection.all(rowCount)
        for term in terms {
            guard let leaf = term.leaf, let pageIndex = byLeaf[leaf], pageIndex.hasStatistics else { continue }
            let matching = pageIndex.pages.filter { page in PruningEvaluator.mayMatch(term.test, range(of: page, term))
            }
            selection = selection.intersection(ParquetRowSelection(matching.map(\.rows)))
            if selection.isEmpty { return .none }
        }
        if selection.coversAll(rowCount) { return .all }
        return .some(selection, pageIndexes: leaves.map { byLeaf[$0] })
    }

    private func range(of page: ParquetPageIndex.Page, _ term: FileTerm) -> PruningEvaluator.ValueRange {
        let nullCount = page.statistics?.nullCount
        return PruningEvaluator.ValueRange(
            lower: page.statistics?.min, upper: page.statistics?.max,
            mayContainNull: page.isAllNull || nullCount.map { $0 > 0 } ?? true,
            allNull: page.isAllNull || nullCount == page.rows.count,
            mayContainNaN: term.mayContainNaN && page.nanCount.map { $0 > 0 } ?? true)
    }
}

extension Value {
    /// True for a floating-point NaN.
    fileprivate var isNaN: Bool {
        switch self {
        case .float32(let number): return number.isNaN
        case .float64(let number): return number.isNaN
        default: return false
        }
    }
}
