import Engine

/// Streams rows of an Iceberg scan as batches of the requested columns: it takes row groups from
/// the shared `IcebergScanWork` until none are left, so several streams over the same work read a
/// table in parallel.
///
/// Each row group is read whole and handed out in slices of `Batch.preferredRowCount` rows. A column
/// the file lacks (added to the table after the file was written) reads as NULL; a column stored
/// with an older, narrower type (int promoted to long, float to double, a wider decimal) is cast to
/// the table's type.
///
/// A data file with delete files loses its deleted rows as each row group is read, before any
/// filter sees them: rows whose file-global position a position delete lists, and rows whose
/// equality key columns (read as well, then dropped) match an equality delete. A row group that
/// position deletes empty entirely is not read. Files without deletes take none of this work.
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
                pending = try await readRowGroup(unit.rowGroup, ofFile: unit.file)
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

    /// Row group `index` of file `fileIndex`, without its deleted rows.
    private func readRowGroup(_ index: Int, ofFile fileIndex: Int) async throws -> Batch {
        let file = work.files[fileIndex]
        guard let deletes = file.deletes else { return try await read(index, of: file, columns: columns) }
        let rowDeletes = try await work.deleteFiles.rowDeletes(ofFile: fileIndex, deletes, context: context)
        if rowDeletes.isEmpty { return try await read(index, of: file, columns: columns) }
        let rowCount = file.reader.file.rowGroupRowCounts[index]
        let firstRow = deletes.rowGroupStarts[index]
        if rowDeletes.deletesEveryRow(firstRow..<(firstRow + Int64(rowCount))) {
            return Batch(columns: columns.map { Column(type: $0.type, values: []) }, rowCount: 0)
        }
        let read = try await read(index, of: file, columns: columns + deletes.keyOnlyColumns)
        let requested = Array(read.columns.prefix(columns.count))
        guard let kept = try rowDeletes.keptRows(firstRow: firstRow, columns: read.columns, rowCount: rowCount) else {
            return Batch(columns: requested, rowCount: rowCount)
        }
        return Batch(columns: requested.map { $0.gather(kept) }, rowCount: kept.count)
    }

    /// `columns` (the first of the columns `file.leafIndexes` describes) of row group `index`, in
    /// the table's types.
    private func read(_ index: Int, of file: IcebergScanWork.OpenedFile, columns: [IcebergReadColumn]) async throws
        -> Batch
    {
        let reader = file.reader
        let rowCount = reader.file.rowGroupRowCounts[index]
        let leafIndexes = file.leafIndexes.prefix(columns.count)
        let read = try await reader.read(rowGroup: index, columns: leafIndexes.compactMap { $0 })
        var next = 0
        var result: [Column] = []
        result.reserveCapacity(columns.count)
        for (column, leaf) in zip(columns, leafIndexes) {
            guard leaf != nil else {
                result.append(Column(type: column.type, values: Array(repeating: .null, count: rowCount)))
                continue
            }
            result.append(try column.conform(read[next], context: context))
            next += 1
        }
        return Batch(columns: result, rowCount: rowCount)
    }
}
