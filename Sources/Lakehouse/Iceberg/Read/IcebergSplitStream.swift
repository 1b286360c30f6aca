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
/// With a filter, a row group is first checked against its dictionaries and page index (see
/// `RowGroupPruning`): it may be skipped, or only some of its rows read — those of the pages that
/// may match.
///
/// A data file with delete files loses its deleted rows as each row group is read, before any
/// filter sees them: rows whose file-global position a position delete lists, and rows whose
/// equality key columns (read as well, then dropped) match an equality delete. Rows skipped by the
/// page index keep their positions: the rows read are matched with the deletes by where they are
/// in the file, not by where they are in the batch. A row group that position deletes empty
/// entirely is not read. Files without deletes take none of this work.
///
/// When the work addresses rows, each batch has one more column after the requested ones: every
/// row's `RowAddress` (its file's ordinal and its position in the file).
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

    /// What this scan's reads (all its streams together) fetched and skipped.
    public var readCounters: ParquetReadCounters { work.counters }

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
                throw EngineError(.internalError, "internal error reading table \"\(tableName)\": \(error)")
            }
        }
    }

    /// Row group `index` of file `fileIndex`, without its deleted rows and, when the pruning rules
    /// them out, without rows of pages that cannot match.
    private func readRowGroup(_ index: Int, ofFile fileIndex: Int) async throws -> Batch {
        let file = work.files[fileIndex]
        var rowDeletes: RowDeletes?
        if let deletes = file.deletes {
            let loaded = try await work.deleteFiles.rowDeletes(ofFile: fileIndex, deletes, context: context)
            if !loaded.isEmpty { rowDeletes = loaded }
        }
        let rowCount = file.reader.file.rowGroupRowCounts[index]
        let firstRow = file.rowGroupStarts[index]
        if let rowDeletes, rowDeletes.deletesEveryRow(firstRow..<(firstRow + Int64(rowCount))) { return emptyBatch }
        let readColumns = rowDeletes == nil ? columns : columns + (file.deletes?.keyOnlyColumns ?? [])
        var rows = RowGroupPruning.Rows.all
        if let pruning = file.pruning {
            if try await !pruning.dictionaryMayMatch(rowGroup: index, reader: file.reader) {
                work.counters.add { $0.rowGroupsSkippedByDictionary += 1 }
                return emptyBatch
            }
            let leaves = file.leafIndexes.prefix(readColumns.count).compactMap { $0 }
            rows = try await pruning.rows(of: index, reading: leaves, reader: file.reader)
            if case .none = rows {
                work.counters.add { $0.rowGroupsSkippedByPageIndex += 1 }
                return emptyBatch
            }
        }
        work.counters.add { $0.rowGroupsRead += 1 }
        let read = try await read(index, of: file, columns: readColumns, rows: rows)
        var selection: ParquetRowSelection?
        if case .some(let selected, _) = rows { selection = selected }
        var requested = Array(read.columns.prefix(columns.count))
        if let ordinal = file.addressOrdinal {
            requested.append(
                Self.addresses(
                    file: ordinal, firstRow: firstRow, selection: selection ?? .all(rowCount), rowCount: read.rowCount))
        }
        guard let rowDeletes else { return Batch(columns: requested, rowCount: read.rowCount) }
        guard
            let kept = try rowDeletes.keptRows(
                firstRow: firstRow, selection: selection, columns: read.columns, rowCount: read.rowCount)
        else {
            return Batch(columns: requested, rowCount: read.rowCount)
        }
        return Batch(columns: requested.map { $0.gather(kept) }, rowCount: kept.count)
    }

    private var emptyBatch: Batch {
        let types = columns.map(\.type) + (work.addressesRows ? [.int64] : [])
        return Batch(columns: types.map { Column(type: $0, values: []) }, rowCount: 0)
    }

    /// The `RowAddress` of each row read: those of `selection`, in a row group starting at `firstRow`.
    private static func addresses(file: Int, firstRow: Int64, selection: ParquetRowSelection, rowCount: Int) -> Column {
        var addresses = [Int64](repeating: 0, count: rowCount)
        let base = RowAddress.make(file: file, position: firstRow)
        addresses.withUnsafeMutableBufferPointer { addresses in
            var next = 0
            for range in selection.ranges {
                for row in range {
                    addresses[next] = base + Int64(row)
                    next += 1
                }
            }
        }
        return Column(type: .int64, count: rowCount, validity: nil, storage: .int64(addresses))
    }

    /// `columns` (the first of the columns `file.leafIndexes` describes) of row group `index`, in
    /// the table's types: every row, or the selected ones.
    private func read(
        _ index: Int, of file: IcebergScanWork.OpenedFile, columns: [IcebergReadColumn], rows: RowGroupPruning.Rows
    ) async throws -> Batch {
        let reader = file.reader
        let leafIndexes = file.leafIndexes.prefix(columns.count)
        let leaves = leafIndexes.compactMap { $0 }
        let read: [Column]
        let rowCount: Int
        switch rows {
        case .some(let selection, let pageIndexes):
            read = try await reader.read(rowGroup: index, columns: leaves, rows: selection, pageIndexes: pageIndexes)
            rowCount = selection.rowCount
        case .all, .none:
            read = try await reader.read(rowGroup: index, columns: leaves)
            rowCount = reader.file.rowGroupRowCounts[index]
        }
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
