import Engine
import Synchronization

/// The row groups of a scan's data files, opened once and handed out one at a time to however many
/// streams read them in parallel (morsels): a stream asks for the next row group when it has
/// finished its last, so faster streams take more.
///
/// With a filter, row groups whose statistics rule it out are never handed out, and each file
/// carries the `RowGroupPruning` the streams use to skip more by dictionaries and page indexes.
/// Data files with row-level deletes carry their `SplitDeletes`; the delete files themselves are
/// loaded on first use, once per scan, through the shared `ScanDeleteFiles`.
public final class IcebergScanWork: Sendable {
    /// One opened data file: its footer and, for each column read, its leaf in the file.
    struct OpenedFile: Sendable {
        let reader: ParquetRowGroupReader
        /// One per column read: the requested columns, then (with equality deletes) the key
        /// columns the query does not read; nil for a column the file lacks.
        let leafIndexes: [Int?]
        /// The delete files that apply to this file; nil when none do, and the file reads as is.
        let deletes: SplitDeletes?
        /// How the scan's filter prunes this file's row groups and pages; nil without a filter.
        let pruning: RowGroupPruning?
        /// The position in the file of each row group's first row.
        let rowGroupStarts: [Int64]
        /// The file's ordinal in the scan's `RowAddressBook`, when the scan addresses rows.
        let addressOrdinal: Int?
    }

    let files: [OpenedFile]
    /// (file, row group) pairs in file order, without the row groups statistics rule out.
    let units: [(file: Int, rowGroup: Int)]
    private let nextUnit = Atomic<Int>(0)
    let deleteFiles: ScanDeleteFiles
    /// What the scan's Parquet reads skipped and fetched.
    public let counters: ParquetReadCounters
    /// True when the streams append each row's `RowAddress` after the requested columns.
    let addressesRows: Bool

    init(files: [OpenedFile], deleteFiles: ScanDeleteFiles, counters: ParquetReadCounters, addressesRows: Bool) {
        self.files = files
        self.deleteFiles = deleteFiles
        self.counters = counters
        self.addressesRows = addressesRows
        var units: [(file: Int, rowGroup: Int)] = []
        var skipped = 0
        for (index, file) in files.enumerated() {
            for rowGroup in 0..<file.reader.file.rowGroupCount {
                if let pruning = file.pruning, !pruning.statisticsMayMatch(rowGroup: rowGroup) {
                    skipped += 1
                } else {
                    units.append((index, rowGroup))
                }
            }
        }
        self.units = units
        counters.add { $0.rowGroupsSkippedByStatistics += skipped }
    }

    /// The next row group to read, or nil when all have been handed out.
    func take() -> (file: Int, rowGroup: Int)? {
        let index = nextUnit.wrappingAdd(1, ordering: .relaxed).oldValue
        return index < units.count ? units[index] : nil
    }

    /// Opens the data file of every split and matches the columns to read to its leaves: by
    /// Iceberg field id, or by name for files written without ids. Footers are fetched several at
    /// a time, since on object storage each costs round trips. `schema` (the one the scan reads
    /// with) gives the columns equality deletes compare and `filter` refers to; rows `filter` rules
    /// out may be left out (the engine still applies the full filter to the rest), so a caller that
    /// needs every row of a file (a copy-on-write rewrite) passes none. With an `addressBook`, the
    /// files get ordinals in it and the streams append each row's `RowAddress` as a last column.
    ///
    /// `0A000` for a data file that is not Parquet, and for delete files Weir cannot apply (see
    /// `SplitDeletes`); their contents are read later, by the streams.
    public static func open(
        splits: [ScanSplit], columns: [IcebergReadColumn], schema: IcebergSchema, store: any ObjectStore,
        tableName: String, filter: ScanPredicate = .alwaysTrue, addressBook: RowAddressBook? = nil
    ) async throws -> IcebergScanWork {
        for split in splits {
            guard split.dataFile.fileFormat.uppercased() == "PARQUET" else {
                throw LakehouseError.unsupported(
                    "data file \"\(split.location)\" of table \"\(tableName)\" is \(split.dataFile.fileFormat); only Parquet is supported"
                )
            }
        }
        let terms = BoundTerm.bind(filter, schema: schema)
        let counters = ParquetReadCounters()
        let firstOrdinal = try addressBook?.register(splits.map(\.location))
        let files = try await concurrentlyMap(Array(splits.enumerated()), limit: footerFetchConcurrency) {
            index, split in
            let file = try await ParquetFile.open(split.location, in: store)
            let deletes =
                split.hasDeletes
                ? try SplitDeletes(
                    split: split, requested: columns, schema: schema,
                    tableName: tableName)
                : nil
            let readColumns = columns + (deletes?.keyOnlyColumns ?? [])
            var start: Int64 = 0
            let rowGroupStarts = file.rowGroupRowCounts.map { count in
                defer { start += Int64(count) }
                return start
            }
            return OpenedFile(
                reader: ParquetRowGroupReader(file: file, store: store, counters: counters),
                leafIndexes: file.schema.leafIndexes(of: readColumns.map(\.field)), deletes: deletes,
                pruning: RowGroupPruning(terms: terms, file: file, dataFile: split.dataFile),
                rowGroupStarts: rowGroupStarts,
                addressOrdinal: firstOrdinal.map { $0 + index })
        }
        return IcebergScanWork(
            files: files, deleteFiles: ScanDeleteFiles(splits: splits, store: store), counters: counters,
            addressesRows: addressBook != nil)
    }

    /// Data file footers fetched at once by `open`.
    static let footerFetchConcurrency = 16
}
