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

/// Streams rows of an Iceberg scan as batches of the requested columns: it takes row groups from
/// the shared `IcebergScanWork` until none are left, so several streams over the same work read a
/// table in parallel.
///
/// Each row group is read whole and handed out in slices of `Batch.preferredRowCount` rows. A column
/// the file lacks (added to the table after the file was written) reads as NULL; a column stored
/// with an older, narrower type (int promoted to long, float to double, a wider decimal) is cast to
/// the table's type.
public final class IcebergSplitStream: BatchStream {
    private let work: IcebergScanWork
    private let columns: [IcebergReadColumn]
    private let tableName: String
    private let context: EvaluationContext
    private let cancellation: QueryCancellation

    private var pending: Batch?
    private var pendingOffset = 0

    public init(
        work: IcebergScanWork, columns: [IcebergReadColumn], tableName: String, context: EvaluationContext,
        cancellation: QueryCancellation
    ) {
        self.work = work
        self.columns = columns
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
            guard let unit = work.take() else { return nil }
            do {
                pending = try await readRowGroup(unit.rowGroup, of: work.files[unit.file])
                pendingOffset = 0
            } catch let error as LakehouseError {
                throw error.engineError
            } catch let error as EngineError {
                throw error
            } catch {
                throw EngineError("XX000", "internal error reading table \"\(tableName)\": \(error)")
            }
        }
    }

    private func readRowGroup(_ index: Int, of file: IcebergScanWork.OpenedFile) async throws -> Batch {
        let reader = file.reader
        let rowCount = reader.file.rowGroupRowCounts[index]
        let read = try await reader.read(rowGroup: index, columns: file.leafIndexes.compactMap { $0 })
        var next = 0
        var result: [Column] = []
        result.reserveCapacity(columns.count)
        for (column, leaf) in zip(columns, file.leafIndexes) {
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
