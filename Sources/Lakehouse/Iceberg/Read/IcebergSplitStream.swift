import Engine

/// One column a scan reads from an Iceberg table: the schema field (matched in data files by its
/// field id, so renamed columns still read) and the engine type the query expects.
public struct IcebergReadColumn: Sendable {
    public let field: NestedField
    public let type: DataType

    public init(field: NestedField, type: DataType) {
        self.field = field
        self.type = type
    }
}

/// Streams the rows of Iceberg splits as batches of the requested columns, one split after another.
///
/// Each data file's row groups are read whole and handed out in slices of
/// `Batch.preferredRowCount` rows. A column the file lacks (added to the table after the file was
/// written) reads as NULL; a column stored with an older, narrower type (int promoted to long,
/// float to double, a wider decimal) is cast to the table's type.
public final class IcebergSplitStream: BatchStream {
    private let splits: [ScanSplit]
    private let columns: [IcebergReadColumn]
    private let store: any ObjectStore
    private let tableName: String
    private let context: EvaluationContext
    private let cancellation: QueryCancellation

    private var splitIndex = 0
    private var reader: ParquetRowGroupReader?
    /// For each requested column, its leaf index in the current file, or nil when the file lacks it.
    private var leafIndexes: [Int?] = []
    private var rowGroup = 0
    private var pending: Batch?
    private var pendingOffset = 0

    public init(
        splits: [ScanSplit], columns: [IcebergReadColumn], store: any ObjectStore, tableName: String,
        context: EvaluationContext, cancellation: QueryCancellation
    ) {
        self.splits = splits
        self.columns = columns
        self.store = store
        self.tableName = tableName
        self.context = context
        self.cancellation = cancellation
    }

    public func next() async throws(EngineError) -> Batch? {
        while true {
            try cancellation.check()
            if let batch = pending {
                let end = min(pendingOffset + Batch.preferredRowCount, batch.rowCount)
                let slice = pendingOffset == 0 && end == batch.rowCount ? batch : batch.slice(pendingOffset..<end)
                pendingOffset = end
                if end == batch.rowCount { pending = nil }
                if slice.rowCount > 0 { return slice }
                continue
            }
            do {
                guard let reader = try await currentReader() else { return nil }
                if rowGroup >= reader.file.rowGroupCount {
                    self.reader = nil
                    splitIndex += 1
                    continue
                }
                pending = try await readRowGroup(rowGroup, of: reader)
                pendingOffset = 0
                rowGroup += 1
            } catch let error as LakehouseError {
                throw error.engineError
            } catch let error as EngineError {
                throw error
            } catch {
                throw EngineError("XX000", "internal error reading table \"\(tableName)\": \(error)")
            }
        }
    }

    /// The reader of the current split's data file, opening it (and later splits) as needed.
    private func currentReader() async throws -> ParquetRowGroupReader? {
        if let reader { return reader }
        guard splitIndex < splits.count else { return nil }
        let split = splits[splitIndex]
        if split.hasDeletes {
            throw LakehouseError.unsupported(
                "table \"\(tableName)\" has delete files (\(split.location)); reading tables with row-level deletes is not supported yet")
        }
        guard split.dataFile.fileFormat.uppercased() == "PARQUET" else {
            throw LakehouseError.unsupported(
                "data file \"\(split.location)\" of table \"\(tableName)\" is \(split.dataFile.fileFormat); only Parquet is supported")
        }
        let file = try await ParquetFile.open(split.location, in: store)
        let byFieldID = Dictionary(
            file.schema.columns.enumerated().compactMap { index, column in column.fieldID.map { ($0, index) } },
            uniquingKeysWith: { first, _ in first })
        leafIndexes = columns.map { column in
            if !byFieldID.isEmpty { return byFieldID[column.field.id] }
            // Files without field ids (imported with add_files) are matched by name, as Iceberg's name mapping does.
            return file.schema.columns.firstIndex { $0.path == [column.field.name] }
        }
        let opened = ParquetRowGroupReader(file: file, store: store)
        reader = opened
        rowGroup = 0
        return opened
    }

    private func readRowGroup(_ index: Int, of reader: ParquetRowGroupReader) async throws -> Batch {
        let rowCount = reader.file.rowGroupRowCounts[index]
        let present = leafIndexes.compactMap { $0 }
        let read = try await reader.read(rowGroup: index, columns: present)
        var next = 0
        var result: [Column] = []
        result.reserveCapacity(columns.count)
        for (column, leaf) in zip(columns, leafIndexes) {
            guard leaf != nil else {
                result.append(Column(type: column.type, values: Array(repeating: .null, count: rowCount)))
                continue
            }
            let decoded = read[next]
            next += 1
            if decoded.type == column.type {
                result.append(decoded)
            } else {
                let evaluator = ExpressionEvaluator(context: context)
                let batch = Batch(columns: [decoded], rowCount: rowCount)
                result.append(try evaluator.evaluate(.cast(.column(index: 0, type: decoded.type), to: column.type), on: batch))
            }
        }
        return Batch(columns: result, rowCount: rowCount)
    }
}
