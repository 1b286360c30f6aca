import Engine
import Synchronization

/// The row groups of a scan's data files, opened once and handed out one at a time to however many
/// streams read them in parallel (morsels): a stream asks for the next row group when it has
/// finished its last, so faster streams take more.
public final class IcebergScanWork: Sendable {
    /// One opened data file: its footer and, for each requested column, its leaf in the file.
    struct OpenedFile: Sendable {
        let reader: ParquetRowGroupReader
        let leafIndexes: [Int?]
    }

    let files: [OpenedFile]
    /// (file, row group) pairs in file order.
    let units: [(file: Int, rowGroup: Int)]
    private let nextUnit = Atomic<Int>(0)

    init(files: [OpenedFile]) {
        self.files = files
        units = files.enumerated().flatMap { index, file in (0..<file.reader.file.rowGroupCount).map { (index, $0) } }
    }

    /// The next row group to read, or nil when all have been handed out.
    func take() -> (file: Int, rowGroup: Int)? {
        let index = nextUnit.wrappingAdd(1, ordering: .relaxed).oldValue
        return index < units.count ? units[index] : nil
    }

    /// Opens the data file of every split and matches the requested columns to its leaves: by
    /// Iceberg field id, or by name for files written without ids. Footers are fetched several at
    /// a time, since on object storage each costs round trips.
    public static func open(
        splits: [ScanSplit], columns: [IcebergReadColumn], store: any ObjectStore, tableName: String
    ) async throws -> IcebergScanWork {
        for split in splits {
            if split.hasDeletes {
                throw LakehouseError.unsupported(
                    "table \"\(tableName)\" has delete files (\(split.location)); reading tables with row-level deletes is not supported yet")
            }
            guard split.dataFile.fileFormat.uppercased() == "PARQUET" else {
                throw LakehouseError.unsupported(
                    "data file \"\(split.location)\" of table \"\(tableName)\" is \(split.dataFile.fileFormat); only Parquet is supported")
            }
        }
        let files = try await concurrentlyMap(splits, limit: footerFetchConcurrency) { split in
            let file = try await ParquetFile.open(split.location, in: store)
            let byFieldID = Dictionary(
                file.schema.columns.enumerated().compactMap { index, column in column.fieldID.map { ($0, index) } },
                uniquingKeysWith: { first, _ in first })
            let leafIndexes = columns.map { column -> Int? in
                if !byFieldID.isEmpty { return byFieldID[column.field.id] }
                return file.schema.columns.firstIndex { $0.path == [column.field.name] }
            }
            return OpenedFile(reader: ParquetRowGroupReader(file: file, store: store), leafIndexes: leafIndexes)
        }
        return IcebergScanWork(files: files)
    }

    /// Data file footers fetched at once by `open`.
    static let footerFetchConcurrency = 16
}
