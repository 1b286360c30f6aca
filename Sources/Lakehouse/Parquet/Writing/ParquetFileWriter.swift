import Engine

/// Writes one Parquet file from engine batches whose columns follow an Iceberg schema's top-level fields.
///
/// The file is assembled in memory: `PAR1`, row groups of about `rowGroupBytes` uncompressed, the
/// page index (every chunk's column index, then every chunk's offset index, as parquet-mr lays them
/// out), then the Thrift footer. Each column is encoded straight from the batch's buffers — definition levels
/// for optional fields, dictionary or PLAIN values, compressed pages — and carries statistics, its
/// Iceberg field id and the annotations of the Iceberg spec's Parquet mapping (see
/// `ParquetFieldLayout`), so Iceberg readers match its columns by id and read the types the table
/// declares. `finish` also returns the metrics an Iceberg manifest entry needs.
///
/// A writer is used from one task at a time. A failed `write` leaves it unusable when the failure
/// came after rows were buffered (a bad value is caught before that, so the writer stays usable).
public final class ParquetFileWriter {
    private let options: ParquetWriterOptions

    /// What every file's footer names as its writer.
    static let createdBy = "weir version 0.1 (build weir)"

    private let layouts: [ParquetFieldLayout]
    private var file = WriteBuffer(capacity: 1 << 16)
    private var rowGroups: [FileMetaData.RowGroup] = []
    /// The page index of each row group's chunks, written by `finish`.
    private var pageIndexes: [[ColumnChunkPageIndex]] = []
    private var rowGroupRows = 0
    private var recordCount: Int64 = 0
    private var state = State.open

    private enum State {
        case open, finished, failed
    }

    /// Prepares a file for `schema`; throws `0A000` for struct, list and map fields.
    public init(schema: IcebergSchema, options: ParquetWriterOptions = ParquetWriterOptions()) throws {
        var options = options
        options.pageBytes = max(options.pageBytes, 1)
        options.rowGroupBytes = max(options.rowGroupBytes, 1)
        options.maximumPageRows = max(options.maximumPageRows, 1)
        self.options = options
        let compressor = PageCompressor(options.compression, zstdLevel: options.zstdLevel)
        layouts = try schema.fields.map { try ParquetFieldLayout($0, options: options, compressor: compressor) }
        file.append(ParquetFile.magic)
    }

    /// Appends rows. `batch.columns[i]` is `schema.fields[i]`, of type `schema.fields[i].type.dataType`.
    /// A NULL in a required field is `23502` naming the column; values the field's type cannot hold
    /// (a decimal over its precision, malformed uuid text, a `fixed[n]` value of another length)
    /// fail before any row of the batch is written.
    public func write(_ batch: Batch) throws {
        try checkOpen()
        guard batch.columns.count == layouts.count else {
            throw LakehouseError(
                .internalError, "batch has \(batch.columns.count) columns for a schema of \(layouts.count) fields")
        }
        for (layout, column) in zip(layouts, batch.columns) {
            guard column.count == batch.rowCount else {
                throw LakehouseError(
                    .internalError,
                    "column \"\(layout.field.name)\" has \(column.count) rows in a batch of \(batch.rowCount)")
            }
            try layout.check(column)
            if layout.field.required && column.hasNulls { throw LakehouseError.requiredNull(layout.field.name) }
        }
        for (layout, column) in zip(layouts, batch.columns) { try layout.writer.stage(column) }
        do {
            var row = 0
            while row < batch.rowCount {
                let rows = row..<(row + rowsBeforeRowGroupIsFull(available: batch.rowCount - row))
                for layout in layouts { try layout.writer.append(rows: rows) }
                rowGroupRows += rows.count
                recordCount += Int64(rows.count)
                row = rows.upperBound
                if bufferedBytes >= options.rowGroupBytes || rowGroupRows >= Int(Int32.max) { try flushRowGroup() }
            }
        } catch {
            state = .failed
            throw error
        }
    }

    /// Bytes written so far (compressed pages + buffered estimate), so callers can roll to a new file at a target size.
    public var estimatedSize: Int {
        file.count + layouts.reduce(0) { $0 + $1.writer.estimatedChunkBytes }
    }

    /// Flushes the last row group and the footer.
    public func finish() throws -> ParquetWrittenFile {
        try checkOpen()
        do {
            try flushRowGroup()
            writePageIndexes()
            var metadata = FileMetaData()
            metadata.version = 2
            metadata.schema = schemaElements
            metadata.rowCount = recordCount
            metadata.rowGroups = rowGroups
            metadata.createdBy = Self.createdBy
            let footer = metadata.encoded()
            file.append(footer)
            file.append(littleEndian: UInt64(footer.count), byteCount: 4)
            file.append(ParquetFile.magic)
        } catch {
            state = .failed
            throw error
        }
        state = .finished
        return writtenFile()
    }

    // MARK: - Row groups

    private var bufferedBytes: Int { layouts.reduce(0) { $0 + $1.writer.bufferedBytes } }

    /// How many of `available` rows to add before checking the row group's size: what the rows
    /// buffered so far (or the batch's typical row, for a new row group) say fills it.
    private func rowsBeforeRowGroupIsFull(available: Int) -> Int {
        let buffered = bufferedBytes
        let rowBytes: Int
        if rowGroupRows > 0 && buffered > 0 {
            rowBytes = max(1, buffered / rowGroupRows)
        } else {
            rowBytes = max(1, layouts.reduce(0) { $0 + $1.writer.typicalRowBytes })
        }
        let fitting = max(1, (options.rowGroupBytes - buffered) / rowBytes)
        return min(available, fitting, Int(Int32.max) - rowGroupRows)
    }

    /// Writes every column's chunk of the current row group, when it has rows.
    private func flushRowGroup() throws {
        guard rowGroupRows > 0 else { return }
        let start = file.count
        var rowGroup = FileMetaData.RowGroup()
        var chunkPageIndexes: [ColumnChunkPageIndex] = []
        for layout in layouts {
            let (chunk, pageIndex) = try layout.writer.finishChunk(into: &file)
            rowGroup.columns.append(chunk)
            chunkPageIndexes.append(pageIndex)
        }
        pageIndexes.append(chunkPageIndexes)
        rowGroup.rowCount = Int64(rowGroupRows)
        rowGroup.totalByteSize = rowGroup.columns.reduce(0) { $0 + $1.totalUncompressedSize }
        rowGroup.fileOffset = Int64(start)
        rowGroup.totalCompressedSize = Int64(file.count - start)
        rowGroup.ordinal = Int16(truncatingIfNeeded: rowGroups.count)
        rowGroups.append(rowGroup)
        rowGroupRows = 0
    }

    // MARK: - Finishing

    /// Writes every chunk's column index, then every chunk's offset index, and points the chunks'
    /// footer entries at them.
    private func writePageIndexes() {
        for (group, chunks) in pageIndexes.enumerated() {
            for (column, pageIndex) in chunks.enumerated() {
                guard let columnIndex = pageIndex.columnIndex else { continue }
                let bytes = columnIndex.encoded()
                rowGroups[group].columns[column].columnIndexOffset = Int64(file.count)
                rowGroups[group].columns[column].columnIndexLength = Int32(bytes.count)
                file.append(bytes)
            }
        }
        for (group, chunks) in pageIndexes.enumerated() {
            for (column, pageIndex) in chunks.enumerated() {
                let bytes = pageIndex.offsetIndex.encoded()
                rowGroups[group].columns[column].offsetIndexOffset = Int64(file.count)
                rowGroups[group].columns[column].offsetIndexLength = Int32(bytes.count)
                file.append(bytes)
            }
        }
        pageIndexes = []
    }

    /// The flattened schema: a root group named `table`, then one leaf per field.
    private var schemaElements: [SchemaElement] {
        var root = SchemaElement()
        root.name = "table"
        root.numChildren = layouts.count
        return [root] + layouts.map(\.element)
    }

    private func writtenFile() -> ParquetWrittenFile {
        var written = ParquetWrittenFile(
            bytes: file.bytes, recordCount: recordCount, columnSizes: [:], valueCounts: [:], nullValueCounts: [:],
            nanValueCounts: [:], lowerBounds: [:], upperBounds: [:],
            splitOffsets: rowGroups.map { $0.fileOffset ?? 0 })
        for layout in layouts {
            let id = layout.field.id
            let metrics = layout.writer.metrics
            written.columnSizes[id] = metrics.compressedSize
            written.valueCounts[id] = metrics.valueCount
            written.nullValueCounts[id] = metrics.nullCount
            if layout.field.type == .float || layout.field.type == .double {
                written.nanValueCounts[id] = metrics.nanCount
            }
            if let bounds = metrics.bounds {
                let iceberg = IcebergColumnBounds(plainMin: bounds.min, plainMax: bounds.max, type: layout.field.type)
                written.lowerBounds[id] = iceberg.lower
                written.upperBounds[id] = iceberg.upper
            }
        }
        return written
    }

    private func checkOpen() throws {
        switch state {
        case .open: return
        case .finished: throw LakehouseError(.objectNotInPrerequisiteState, "the Parquet file is already finished")
        case .failed:
            throw LakehouseError(.objectNotInPrerequisiteState, "the Parquet writer failed earlier and cannot continue")
        }
    }
}
