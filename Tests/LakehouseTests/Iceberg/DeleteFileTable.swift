import Engine
import Foundation

@testable import Lakehouse

/// A format v2 table in a temporary SQL catalog whose data and delete files Weir writes itself
/// (`ParquetFileWriter`, committed by `SnapshotCommit`), so tests control exactly which rows each
/// file holds, how they split into row groups, and the sequence number of every commit.
///
/// Schema: `id long` (field 1, required), `name string` (2), `region string` (3), unless the
/// test gives another; unpartitioned.
struct DeleteFileTable {
    let directory: String
    let catalog: SQLCatalog
    let identifier: TableIdentifier
    let schema: IcebergSchema
    let store = LocalObjectStore()
    let location: String

    static let schema = IcebergSchema(
        schemaID: 0,
        fields: [
            NestedField(id: 1, name: "id", type: .long, required: true),
            NestedField(id: 2, name: "name", type: .string, required: false),
            NestedField(id: 3, name: "region", type: .string, required: false),
        ])

    /// Creates the table `tests.<name>` in a new temporary directory.
    static func create(_ name: String, schema: IcebergSchema = schema) async throws -> DeleteFileTable {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "weir-deletes-\(UUID().uuidString)"
        )
        .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let catalog = try SQLCatalog.embedded(dataDirectory: directory)
        try catalog.createNamespaceIfMissing(["tests"])
        let identifier = TableIdentifier(namespace: ["tests"], name: name)
        let location = catalog.tableLocation(for: identifier)
        _ = try await catalog.createTable(
            identifier,
            metadata: .newTable(
                schema: schema, spec: PartitionSpec(specID: 0, fields: []), location: location, properties: [:]))
        return DeleteFileTable(
            directory: directory, catalog: catalog, identifier: identifier, schema: schema, location: location)
    }

    /// Removes the temporary directory.
    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// Writes a data file of `rows` (id, name, region) with row groups of about `rowGroupBytes`.
    func dataFile(_ rows: [(Int64, String?, String?)], rowGroupBytes: Int = 128 << 20) async throws -> DataFile {
        let batch = Batch(
            columns: [
                Column(type: .int64, values: rows.map { .int64($0.0) }),
                Column(type: .text, values: rows.map { $0.1.map(Value.text) ?? .null }),
                Column(type: .text, values: rows.map { $0.2.map(Value.text) ?? .null }),
            ], rowCount: rows.count)
        return try await write(batch, schema: Self.schema, content: .data, rowGroupBytes: rowGroupBytes)
    }

    /// Writes a data file of `batch` (columns in the table schema's order) with row groups of about
    /// `rowGroupBytes` and pages of about `pageBytes`.
    func dataFile(_ batch: Batch, rowGroupBytes: Int = 128 << 20, pageBytes: Int = 1 << 20) async throws -> DataFile {
        try await write(batch, schema: schema, content: .data, rowGroupBytes: rowGroupBytes, pageBytes: pageBytes)
    }

    /// A data file entry for a Parquet file another writer put at `location`, without column metrics.
    func externalDataFile(_ location: String, recordCount: Int) throws -> DataFile {
        let path = try LocalObjectStore.path(of: location)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        return DataFile(
            content: .data, filePath: location, fileFormat: "PARQUET", specID: 0, partition: [],
            recordCount: Int64(recordCount), fileSizeInBytes: Int64(size))
    }

    /// The location data files go under.
    var dataDirectory: String { location + "/data" }

    /// Writes a position delete file listing `deletes` (data file location, row position), in the
    /// order given (the spec asks for path then position order; tests may break it on purpose).
    func positionDeleteFile(_ deletes: [(String, Int64)], rowGroupBytes: Int = 128 << 20) async throws -> DataFile {
        let schema = IcebergSchema(
            schemaID: 0, fields: [PositionDeleteFile.filePathField, PositionDeleteFile.positionField])
        let batch = Batch(
            columns: [
                Column(type: .text, values: deletes.map { .text($0.0) }),
                Column(type: .int64, values: deletes.map { .int64($0.1) }),
            ], rowCount: deletes.count)
        return try await write(batch, schema: schema, content: .positionDeletes, rowGroupBytes: rowGroupBytes)
    }

    /// Writes an equality delete file deleting rows whose `fields` (of the table schema) equal one
    /// of `rows` (values in the order of `fields`).
    func equalityDeleteFile(_ fieldNames: [String], _ rows: [[Value]]) async throws -> DataFile {
        let fields = fieldNames.map { name in Self.schema.fields.first { $0.name == name }! }
        let batch = Batch(
            columns: fields.indices.map { index in
                Column(type: fields[index].type.dataType!, values: rows.map { $0[index] })
            }, rowCount: rows.count)
        var file = try await write(
            batch, schema: IcebergSchema(schemaID: 0, fields: fields), content: .equalityDeletes,
            rowGroupBytes: 128 << 20)
        file.equalityIDs = fields.map(\.id)
        return file
    }

    /// Commits `files` as one snapshot; returns its sequence number.
    @discardableResult
    func commit(_ files: [DataFile]) async throws -> Int64 {
        let table = try await SnapshotCommit(catalog: catalog, store: store).append(files, to: identifier, schemaID: 0)
        return table.metadata.lastSequenceNumber
    }

    /// The table's rows as Weir scans them (current snapshot), read by two streams in parallel and
    /// sorted; `columns` names the columns read, in that order.
    func scan(_ columns: [String] = ["id", "name", "region"]) async throws -> [[Value]] {
        try await scan(columns, filter: .alwaysTrue).rows
    }

    /// The rows a scan pruned by `filter` returns (all the matching rows, and perhaps others the
    /// pruning could not rule out), sorted, and what its Parquet reads skipped and fetched.
    /// With an `addressBook`, each row ends with its `RowAddress`.
    func scan(_ columns: [String], filter: ScanPredicate, addressBook: RowAddressBook? = nil) async throws -> (
        rows: [[Value]], counts: ParquetReadCounters.Counts
    ) {
        let table = try await catalog.loadTable(identifier)
        let plan = try await TableScan(table: table, store: store).plan(filter: filter)
        let readColumns = columns.map { name in
            let field = plan.schema.fields.first { $0.name == name }!
            return IcebergReadColumn(field: field, type: field.type.dataType!)
        }
        let work = try await IcebergScanWork.open(
            splits: plan.splits, columns: readColumns, schema: plan.schema, store: store, tableName: "tests.t",
            filter: filter, addressBook: addressBook)
        let rows = try await withThrowingTaskGroup(of: [[Value]].self) { group in
            for _ in 0..<2 {
                group.addTask {
                    let stream = IcebergSplitStream(
                        work: work, columns: readColumns, tableName: "tests.t", context: EvaluationContext(),
                        cancellation: QueryCancellation())
                    var rows: [[Value]] = []
                    while let batch = try await stream.next() {
                        for row in 0..<batch.rowCount { rows.append(batch.columns.map { $0.value(at: row) }) }
                    }
                    return rows
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        return (rows.sorted { $0.description < $1.description }, work.counters.counts)
    }

    private func write(
        _ batch: Batch, schema: IcebergSchema, content: DataFile.Content, rowGroupBytes: Int, pageBytes: Int = 1 << 20
    ) async throws -> DataFile {
        var options = ParquetWriterOptions()
        options.rowGroupBytes = rowGroupBytes
        options.pageBytes = min(pageBytes, rowGroupBytes)
        let writer = try ParquetFileWriter(schema: schema, options: options)
        try writer.write(batch)
        let written = try writer.finish()
        let folder = content == .data ? "data" : "deletes"
        let path = location + "/\(folder)/\(UUID().uuidString.lowercased()).parquet"
        try await store.write(path, bytes: written.bytes)
        return DataFile(
            content: content, filePath: path, fileFormat: "PARQUET", specID: 0, partition: [],
            recordCount: written.recordCount, fileSizeInBytes: Int64(written.bytes.count),
            columnSizes: written.columnSizes, valueCounts: written.valueCounts,
            nullValueCounts: written.nullValueCounts,
            nanValueCounts: written.nanValueCounts, lowerBounds: written.lowerBounds, upperBounds: written.upperBounds,
            splitOffsets: written.splitOffsets)
    }
}

/// Rows as engine values, for comparing with scans: `(id, name, region)` with nil as NULL.
func tableRows(_ rows: [(Int64, String?, String?)]) -> [[Value]] {
    rows.map { [.int64($0.0), $0.1.map(Value.text) ?? .null, $0.2.map(Value.text) ?? .null] }
        .sorted { $0.description < $1.description }
}
