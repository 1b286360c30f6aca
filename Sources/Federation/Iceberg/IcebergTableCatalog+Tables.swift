import Catalog
import Engine
import Lakehouse
import SQL

/// CREATE TABLE, INSERT and DROP TABLE on Iceberg tables: new tables are format v2, written as
/// Parquet (ZSTD) under the catalog's default location; an INSERT is one `append` snapshot.
extension IcebergTableCatalog: WritableTableCatalog {
    public func createTable(_ definition: TableDefinition) async throws(EngineError) {
        let identifier = TableIdentifier(namespace: [definition.schema], name: definition.name)
        var fields: [NestedField] = []
        for (index, column) in definition.columns.enumerated() {
            fields.append(
                NestedField(
                    id: index + 1, name: column.name, type: try Self.storedType(column), required: !column.isNullable,
                    doc: nil))
        }
        let schema = IcebergSchema(schemaID: 0, fields: fields)
        let spec = try Self.partitionSpec(definition.partitionBy, schema: schema)
        var properties = definition.properties
        var formatVersion = 2
        if let version = properties.removeValue(forKey: "format-version") {
            guard let number = Int(version), number == 1 || number == 2 else {
                throw EngineError(.invalidParameterValue, "format-version must be 1 or 2, not \"\(version)\"")
            }
            formatVersion = number
        }
        do {
            let metadata = TableMetadata.newTable(
                schema: schema, spec: spec, location: try await catalog.defaultTableLocation(identifier) ?? "",
                properties: properties, formatVersion: formatVersion)
            _ = try await catalog.createTable(identifier, metadata: metadata)
        } catch {
            throw Self.engineError(error)
        }
    }

    public func insert(
        schema: String, name: String, rows: any BatchStream, memoryLimit: Int?, cancellation: QueryCancellation
    )
        async throws(EngineError) -> Int
    {
        let identifier = TableIdentifier(namespace: [schema], name: name)
        var writer: DataFileWriter?
        do {
            let table = try await catalog.loadTable(identifier)
            guard let tableSchema = table.metadata.currentSchema,
                let spec = table.metadata.partitionSpec(id: table.metadata.defaultSpecID)
            else {
                throw LakehouseError.corrupt(
                    table.metadataLocation, "the current schema or default partition spec is missing")
            }
            writer = try DataFileWriter(
                schema: tableSchema, spec: spec, tableLocation: table.metadata.location,
                properties: table.metadata.properties,
                store: store, openFilesBudget: Self.openFilesBudget(memoryLimit: memoryLimit))
            var count = 0
            while let batch = try await rows.next() {
                try cancellation.check()
                try await writer!.write(batch)
                count += batch.rowCount
            }
            let written = try await writer!.finish()
            guard !written.isEmpty else { return 0 }
            try await SnapshotCommit(catalog: catalog, store: store).append(
                written, to: identifier, schemaID: tableSchema.schemaID)
            return count
        } catch {
            await Self.abandon(writer, after: error)
            throw Self.engineError(error)
        }
    }

    /// The bytes a write's open files may hold together: 512 MiB, or a quarter of the statement's
    /// memory limit when that is less (the rest is for the query feeding the write).
    static func openFilesBudget(memoryLimit: Int?) -> Int {
        min(512 << 20, max(8 << 20, (memoryLimit ?? .max) / 4))
    }

    /// Removes what `writer` wrote for a statement that failed, unless the commit's outcome is
    /// unknown (`40003`): it may have happened, and then the table reads those files.
    static func abandon(_ writer: DataFileWriter?, after error: any Error) async {
        if !outcomeUnknown(error) { await writer?.abort() }
    }

    /// True for `40003`: the commit may or may not have happened.
    static func outcomeUnknown(_ error: any Error) -> Bool {
        (error as? LakehouseError)?.sqlState == .statementCompletionUnknown
    }

    public func dropTable(schema: String, name: String) async throws(EngineError) {
        do {
            try await catalog.dropTable(TableIdentifier(namespace: [schema], name: name), purge: true)
        } catch {
            throw Self.engineError(error)
        }
    }

    /// The Iceberg type a column is stored as; `0A000` for types Iceberg cannot hold exactly.
    static func storedType(_ column: TableColumn) throws(EngineError) -> IcebergType {
        if let type = storedType(column.type) { return type }
        if case .numeric = column.type {
            throw EngineError(
                .featureNotSupported,
                "column \"\(column.name)\" needs a precision: Iceberg stores numeric(p, s) with p up to 38",
                hint: "Declare it as numeric(p, s), for example numeric(18, 2), or as double precision.")
        }
        throw EngineError(
            .featureNotSupported,
            "column \"\(column.name)\" has type \(column.type.sqlName), which Iceberg tables cannot hold yet")
    }

    /// The Iceberg type holding every value of a Weir type exactly; nil when there is none.
    static func storedType(_ type: DataType) -> IcebergType? {
        switch type {
        case .boolean: return .boolean
        case .int16, .int32: return .int
        case .int64: return .long
        case .float32: return .float
        case .float64: return .double
        case .numeric(let precision?, let scale?) where precision <= 38:
            return .decimal(precision: precision, scale: scale)
        case .numeric(nil, let scale?) where scale <= 38:
            // A sum or product of fixed-scale numbers (CREATE TABLE AS): the widest Iceberg decimal.
            return .decimal(precision: 38, scale: scale)
        case .date: return .date
        case .time: return .time
        case .timestamp: return .timestamp
        case .timestamptz: return .timestamptz
        case .uuid: return .uuid
        case .bytea: return .binary
        case let type where type.isString: return .string
        default: return nil
        }
    }

    /// The partition spec of `PARTITION BY iceberg (...)`, with PyIceberg's field names
    /// (`ts_day`, `id_bucket`, `name_trunc`; the column's own name for identity).
    static func partitionSpec(_ terms: [PartitionTerm], schema: IcebergSchema) throws(EngineError) -> PartitionSpec {
        var fields: [PartitionField] = []
        for term in terms {
            guard let source = schema.fields.first(where: { $0.name == term.column }) else {
                throw EngineError(.undefinedColumn, "column \"\(term.column)\" named in partition key does not exist")
            }
            let transform: PartitionTransform
            let suffix: String
            switch term.transform {
            case "identity": (transform, suffix) = (.identity, "")
            case "year": (transform, suffix) = (.year, "_year")
            case "month": (transform, suffix) = (.month, "_month")
            case "day": (transform, suffix) = (.day, "_day")
            case "hour": (transform, suffix) = (.hour, "_hour")
            case "bucket": (transform, suffix) = (.bucket(term.argument ?? 0), "_bucket")
            case "truncate": (transform, suffix) = (.truncate(term.argument ?? 0), "_trunc")
            default: throw EngineError(.syntaxError, "\(term.transform) is not an Iceberg partition transform")
            }
            let temporal: Set<IcebergType> = [.date, .timestamp, .timestamptz]
            let fits: Bool
            switch transform {
            case .year, .month, .day: fits = temporal.contains(source.type)
            case .hour: fits = source.type == .timestamp || source.type == .timestamptz
            case .bucket: fits = ![.boolean, .float, .double].contains(source.type)
            case .truncate:
                if case .decimal = source.type {
                    fits = true
                } else {
                    fits = [.int, .long, .string, .binary].contains(source.type)
                }
            default: fits = true
            }
            guard fits else {
                throw EngineError(
                    .datatypeMismatch,
                    "cannot partition column \"\(term.column)\" of type \(source.type) by \(transform)")
            }
            let name = source.name + suffix
            if fields.contains(where: { $0.name == name }) {
                throw EngineError(.duplicateColumn, "partition field \"\(name)\" is specified more than once")
            }
            fields.append(
                PartitionField(sourceID: source.id, fieldID: 1000 + fields.count, name: name, transform: transform))
        }
        return PartitionSpec(specID: 0, fields: fields)
    }
}

/// DELETE and UPDATE by copy-on-write, and ALTER TABLE as schema evolution.
extension IcebergTableCatalog {
    /// Runs the change's query, which names the rows to change by their `RowAddress`, then writes
    /// every data file holding one of them again without those rows, plus the new rows (UPDATE's
    /// new values, MERGE's updated and inserted rows); the files rewritten are replaced in one
    /// `overwrite` (or `delete`) snapshot, on top of the snapshot the statement read. A row several
    /// FROM / USING rows match changes once, with the first match's values (PostgreSQL leaves which
    /// one unspecified); MERGE refuses to change a row twice (`21000`). Returns how many rows
    /// changed (MERGE: updated, deleted and inserted), and the RETURNING rows.
    public func changeRows(
        schema: String, name: String, change: RowChange, context: EvaluationContext, cancellation: QueryCancellation
    )
        async throws(EngineError) -> (count: Int, returned: [Batch])
    {
        guard let source = change.table as? IcebergTableSource else {
            throw EngineError(.internalError, "internal error: \(name) is not an Iceberg table")
        }
        guard let identities = change.identities as? IcebergRowIdentities else {
            throw EngineError(.internalError, "internal error: rows of \(name) were not identified by an Iceberg scan")
        }
        let table = source.table
        let identifier = table.identifier
        var writer: DataFileWriter?
        var deleteWriter: PositionDeleteWriter?
        do {
            guard let tableSchema = table.metadata.currentSchema,
                let spec = table.metadata.partitionSpec(id: table.metadata.defaultSpecID)
            else {
                throw LakehouseError.corrupt(
                    table.metadataLocation, "the current schema or default partition spec is missing")
            }
            let newFiles = try DataFileWriter(
                schema: tableSchema, spec: spec, tableLocation: table.metadata.location,
                properties: table.metadata.properties,
                store: store, openFilesBudget: Self.openFilesBudget(memoryLimit: context.memoryBudget?.limit))
            writer = newFiles
            let mergesOnRead = try Self.mergesOnRead(change.kind, table: table)
            let matched = try await matchRows(
                of: change, writingNewRowsTo: newFiles, context: context, cancellation: cancellation)
            var removed: [DataFile] = []
            var deleteFiles: [DataFile] = []
            if !matched.positions.isEmpty, let snapshot = table.metadata.currentSnapshot {
                let plan = try await TableScan(table: table, store: store).plan(
                    .snapshotID(snapshot.snapshotID), filter: .alwaysTrue)
                let splits = Dictionary(plan.splits.map { ($0.location, $0) }, uniquingKeysWith: { first, _ in first })
                let touched = try matched.positions.sorted(by: { $0.key < $1.key }).map { file, positions in
                    guard let location = identities.book.location(ofFile: file), let split = splits[location] else {
                        throw EngineError(
                            .internalError,
                            "internal error: a changed row of \"\(identifier)\" is in a file the snapshot does not list"
                        )
                    }
                    return (split: split, positions: positions.sorted())
                }
                if mergesOnRead {
                    let deletes = try PositionDeleteWriter(
                        tableLocation: table.metadata.location, properties: table.metadata.properties, store: store)
                    deleteWriter = deletes
                    deleteFiles = try await deletes.write(touched.map { ($0.split.dataFile, $0.positions) })
                } else {
                    let columns = try tableSchema.fields.map { field in
                        IcebergReadColumn(field: field, type: try field.columnType())
                    }
                    for (split, positions) in touched {
                        try await rewrite(
                            split, without: positions, columns: columns, schema: plan.schema, into: newFiles,
                            tableName: identifier.description, context: context, cancellation: cancellation)
                        removed.append(split.dataFile)
                    }
                }
            }
            guard matched.count > 0 else {
                await newFiles.abort()
                return (0, matched.returned)
            }
            let added = try await newFiles.finish() + deleteFiles
            try await SnapshotCommit(catalog: catalog, store: store).overwrite(
                removing: removed, adding: added, in: identifier, baseSnapshotID: table.metadata.currentSnapshotID,
                schemaID: tableSchema.schemaID)
            return (matched.count, matched.returned)
        } catch {
            await Self.abandon(writer, after: error)
            if let deleteWriter, !Self.outcomeUnknown(error) { await deleteWriter.abort() }
            throw Self.engineError(error)
        }
    }

    /// True when the table asks `kind` to write position delete files instead of rewriting data
    /// files (`write.delete.mode`, `write.update.mode` or `write.merge.mode` set to
    /// `merge-on-read`; the default is `copy-on-write`). Format v1 tables cannot hold delete files.
    static func mergesOnRead(_ kind: RowChange.Kind, table: IcebergTable) throws(EngineError) -> Bool {
        let property =
            switch kind {
            case .delete: "write.delete.mode"
            case .update: "write.update.mode"
            case .merge: "write.merge.mode"
            }
        switch table.metadata.properties[property]?.lowercased() ?? "copy-on-write" {
        case "copy-on-write":
            return false
        case "merge-on-read":
            guard table.metadata.formatVersion >= 2 else {
                throw EngineError(
                    .featureNotSupported,
                    "table \"\(table.identifier)\" asks for merge-on-read (\(property)), which format version 1 cannot hold",
                    hint: "Create the table with \"format-version\" = '2', or set \(property) to copy-on-write.")
            }
            return true
        case let mode:
            throw EngineError(
                .invalidParameterValue, "invalid value for \(property) of table \"\(table.identifier)\": \"\(mode)\"",
                hint: "Valid values are copy-on-write and merge-on-read.")
        }
    }

    /// Runs `change.rows`: the positions of the rows to change or delete by data file (each row
    /// once), with the new rows written to `writer`; how many rows the change acts on, and the
    /// RETURNING rows.
    private func matchRows(
        of change: RowChange, writingNewRowsTo writer: DataFileWriter, context: EvaluationContext,
        cancellation: QueryCancellation
    ) async throws -> (positions: [Int: [Int64]], count: Int, returned: [Batch]) {
        let rows = try await change.rows.open(context: context, cancellation: cancellation)
        let isMerge = change.kind == .merge
        let rowStart = isMerge ? 2 : 1
        let newValues = rowStart..<(rowStart + change.newValueCount)
        let returning = newValues.upperBound..<change.rows.columnTypes.count
        var positionsByFile: [Int: [Int64]] = [:]
        var seen = Set<Int64>()
        var count = 0
        var returned: [Batch] = []
        while var batch = try await rows.next() {
            try cancellation.check()
            let addressColumn = batch.columns[0]
            guard case .int64(let addresses) = addressColumn.storage else {
                throw EngineError(.internalError, "internal error: row addresses are not bigint")
            }
            var actions: [Int32] = []
            if isMerge {
                guard case .int32(let codes) = batch.columns[1].storage else {
                    throw EngineError(.internalError, "internal error: MERGE actions are not integers")
                }
                actions = codes
            }
            // The rows whose new values are written and whose RETURNING values are kept.
            var kept: [Int32] = []
            for row in 0..<batch.rowCount {
                let action = isMerge ? RowChange.MergeAction(rawValue: actions[row]) : nil
                if action == .insert {
                    kept.append(Int32(row))
                    count += 1
                    continue
                }
                guard !addressColumn.isNull(row) else {
                    throw EngineError(.internalError, "internal error: a changed row has no address")
                }
                let address = addresses[row]
                if change.mayRepeatRows, !seen.insert(address).inserted {
                    guard !isMerge else {
                        throw EngineError(
                            .cardinalityViolation, "MERGE command cannot affect row a second time",
                            hint: "Ensure that not more than one source row matches any one target row.")
                    }
                    continue
                }
                positionsByFile[RowAddress.file(address), default: []].append(RowAddress.position(address))
                count += 1
                if action != .delete { kept.append(Int32(row)) }
            }
            if kept.isEmpty { continue }
            if kept.count < batch.rowCount { batch = batch.gather(kept) }
            if !newValues.isEmpty {
                try await writer.write(Batch(columns: Array(batch.columns[newValues]), rowCount: batch.rowCount))
            }
            if !returning.isEmpty {
                returned.append(Batch(columns: Array(batch.columns[returning]), rowCount: batch.rowCount))
            }
        }
        return (positionsByFile, count, returned)
    }

    /// Writes the rows of `split` (as its delete files leave them) to `writer`, but those at
    /// `positions` (ascending).
    private func rewrite(
        _ split: ScanSplit, without positions: [Int64], columns: [IcebergReadColumn], schema: IcebergSchema,
        into writer: DataFileWriter,
        tableName: String, context: EvaluationContext, cancellation: QueryCancellation
    ) async throws {
        let work = try await IcebergScanWork.open(
            splits: [split], columns: columns, schema: schema, store: store, tableName: tableName,
            addressBook: RowAddressBook())
        let rows = IcebergSplitStream(
            work: work, columns: columns, tableName: tableName, context: context, cancellation: cancellation)
        while let batch = try await rows.next() {
            try cancellation.check()
            guard case .int64(let addresses) = batch.columns[columns.count].storage else {
                throw EngineError(.internalError, "internal error: row addresses are not bigint")
            }
            var kept: [Int32] = []
            kept.reserveCapacity(batch.rowCount)
            for row in 0..<batch.rowCount where !positions.containsSorted(RowAddress.position(addresses[row])) {
                kept.append(Int32(row))
            }
            let data = Batch(columns: Array(batch.columns.prefix(columns.count)), rowCount: batch.rowCount)
            if kept.count == batch.rowCount {
                try await writer.write(data)
            } else if !kept.isEmpty {
                try await writer.write(data.gather(kept))
            }
        }
    }

    /// A `delete` snapshot removing every data file, without reading any.
    public func truncateTable(schema: String, name: String) async throws(EngineError) {
        let identifier = TableIdentifier(namespace: [schema], name: name)
        do {
            let table = try await catalog.loadTable(identifier)
            guard let snapshot = table.metadata.currentSnapshot else { return }
            let plan = try await TableScan(table: table, store: store).plan(
                .snapshotID(snapshot.snapshotID), filter: .alwaysTrue)
            guard !plan.splits.isEmpty else { return }
            try await SnapshotCommit(catalog: catalog, store: store).overwrite(
                removing: plan.splits.map(\.dataFile), adding: [], in: identifier, baseSnapshotID: snapshot.snapshotID,
                schemaID: table.metadata.currentSchemaID)
        } catch {
            throw Self.engineError(error)
        }
    }

    public func alterTable(schema: String, name: String, alterations: [TableChange]) async throws(EngineError) {
        let identifier = TableIdentifier(namespace: [schema], name: name)
        var changes: [SchemaChange] = []
        var newName: String?
        for alteration in alterations {
            switch alteration {
            case .addColumn(let column):
                guard column.isNullable else {
                    throw EngineError(
                        .featureNotSupported,
                        "cannot add NOT NULL column \"\(column.name)\": the table's existing rows have no value for it",
                        hint: "Add the column without NOT NULL.")
                }
                changes.append(.addColumn(name: column.name, type: try Self.storedType(column)))
            case .dropColumn(let column): changes.append(.dropColumn(name: column))
            case .renameColumn(let from, let to): changes.append(.renameColumn(from: from, to: to))
            case .changeType(let column, let type):
                changes.append(
                    .promoteColumn(name: column, to: try Self.storedType(TableColumn(name: column, type: type))))
            case .dropNotNull(let column): changes.append(.makeOptional(name: column))
            case .renameTable(let name): newName = name
            }
        }
        do {
            if !changes.isEmpty {
                try await TableCommitter(catalog: catalog, store: store).commit(identifier) { table, _ in
                    try table.metadata.evolvingSchema(changes)
                }
            }
            if let newName {
                try await catalog.renameTable(identifier, to: TableIdentifier(namespace: [schema], name: newName))
            }
        } catch {
            throw Self.engineError(error)
        }
    }
}

extension Array where Element == Int64 {
    /// True when the array, sorted ascending, holds `value` (a binary search).
    func containsSorted(_ value: Int64) -> Bool {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < count && self[low] == value
    }
}
