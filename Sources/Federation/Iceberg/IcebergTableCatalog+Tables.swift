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
                throw EngineError("22023", "format-version must be 1 or 2, not \"\(version)\"")
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

    public func insert(schema: String, name: String, rows: any BatchStream, cancellation: QueryCancellation)
        async throws(EngineError) -> Int
    {
        let identifier = TableIdentifier(namespace: [schema], name: name)
        var writer: DataFileWriter?
        do {
            let table = try await catalog.loadTable(identifier)
            guard let tableSchema = table.metadata.currentSchema,
                let spec = table.metadata.partitionSpec(id: table.metadata.defaultSpecID)
            else {
                throw LakehouseError.corrupt(table.metadataLocation, "the current schema or default partition spec is missing")
            }
            writer = try DataFileWriter(
                schema: tableSchema, spec: spec, tableLocation: table.metadata.location, properties: table.metadata.properties,
                store: store)
            var count = 0
            while let batch = try await rows.next() {
                try cancellation.check()
                try await writer!.write(batch)
                count += batch.rowCount
            }
            let written = try await writer!.finish()
            guard !written.isEmpty else { return 0 }
            try await SnapshotCommit(catalog: catalog, store: store).append(written, to: identifier, schemaID: tableSchema.schemaID)
            return count
        } catch {
            await writer?.abort()
            throw Self.engineError(error)
        }
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
                "0A000", "column \"\(column.name)\" needs a precision: Iceberg stores numeric(p, s) with p up to 38",
                hint: "Declare it as numeric(p, s), for example numeric(18, 2), or as double precision.")
        }
        throw EngineError("0A000", "column \"\(column.name)\" has type \(column.type.sqlName), which Iceberg tables cannot hold yet")
    }

    /// The Iceberg type holding every value of a Weir type exactly; nil when there is none.
    static func storedType(_ type: DataType) -> IcebergType? {
        switch type {
        case .boolean: return .boolean
        case .int16, .int32: return .int
        case .int64: return .long
        case .float32: return .float
        case .float64: return .double
        case .numeric(let precision?, let scale?) where precision <= 38: return .decimal(precision: precision, scale: scale)
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
                throw EngineError("42703", "column \"\(term.column)\" named in partition key does not exist")
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
            default: throw EngineError("42601", "\(term.transform) is not an Iceberg partition transform")
            }
            let temporal: Set<IcebergType> = [.date, .timestamp, .timestamptz]
            let fits: Bool
            switch transform {
            case .year, .month, .day: fits = temporal.contains(source.type)
            case .hour: fits = source.type == .timestamp || source.type == .timestamptz
            case .bucket: fits = ![.boolean, .float, .double].contains(source.type)
            case .truncate:
                if case .decimal = source.type { fits = true } else { fits = [.int, .long, .string, .binary].contains(source.type) }
            default: fits = true
            }
            guard fits else {
                throw EngineError("42804", "cannot partition column \"\(term.column)\" of type \(source.type) by \(transform)")
            }
            let name = source.name + suffix
            if fields.contains(where: { $0.name == name }) {
                throw EngineError("42701", "partition field \"\(name)\" is specified more than once")
            }
            fields.append(PartitionField(sourceID: source.id, fieldID: 1000 + fields.count, name: name, transform: transform))
        }
        return PartitionSpec(specID: 0, fields: fields)
    }
}

/// DELETE and UPDATE by copy-on-write, and ALTER TABLE as schema evolution.
extension IcebergTableCatalog {
    /// Reads each data file that may hold matching rows (files whose statistics rule the predicate
    /// out are skipped) and, when some row matches, writes the file again without the deleted rows
    /// or with the updated ones; the files rewritten are replaced in one `overwrite` (or `delete`)
    /// snapshot, on top of the snapshot they were read from.
    public func changeRows(schema: String, name: String, change: RowChange, context: EvaluationContext, cancellation: QueryCancellation)
        async throws(EngineError) -> Int
    {
        let identifier = TableIdentifier(namespace: [schema], name: name)
        var writers: [DataFileWriter] = []
        do {
            let table = try await catalog.loadTable(identifier)
            guard let snapshot = table.metadata.currentSnapshot else { return 0 }
            guard let tableSchema = table.metadata.currentSchema,
                let spec = table.metadata.partitionSpec(id: table.metadata.defaultSpecID)
            else {
                throw LakehouseError.corrupt(table.metadataLocation, "the current schema or default partition spec is missing")
            }
            let columns = try tableSchema.fields.map { field in IcebergReadColumn(field: field, type: try field.columnType()) }
            let pruning = change.predicate.map { IcebergTableSource.scanPredicate($0, columns: columns) } ?? .alwaysTrue
            let plan = try await TableScan(table: table, store: store).plan(.snapshotID(snapshot.snapshotID), filter: pruning)
            let evaluator = ExpressionEvaluator(context: context)
            var removed: [DataFile] = []
            var added: [DataFile] = []
            var touched = 0
            for split in plan.splits {
                let work = try await IcebergScanWork.open(
                    splits: [split], columns: columns, schema: plan.schema, store: store, tableName: identifier.description)
                let rows = IcebergSplitStream(
                    work: work, columns: columns, tableName: identifier.description, context: context, cancellation: cancellation)
                let writer = try DataFileWriter(
                    schema: tableSchema, spec: spec, tableLocation: table.metadata.location, properties: table.metadata.properties,
                    store: store)
                writers.append(writer)
                var matched = 0
                while let batch = try await rows.next() {
                    try cancellation.check()
                    let selected = try change.predicate.map { try evaluator.rowsSatisfying($0, in: batch) } ?? Array(0..<Int32(batch.rowCount))
                    matched += selected.count
                    guard !selected.isEmpty else {
                        try await writer.write(batch)
                        continue
                    }
                    var isSelected = [Bool](repeating: false, count: batch.rowCount)
                    for row in selected { isSelected[Int(row)] = true }
                    let unchanged = (0..<Int32(batch.rowCount)).filter { !isSelected[Int($0)] }
                    if !unchanged.isEmpty { try await writer.write(batch.gather(unchanged)) }
                    if change.kind == .update {
                        let old = batch.gather(selected)
                        let updated = try columns.indices.map { index throws(EngineError) -> Column in
                            guard let value = change.assignments[index] else { return old.columns[index] }
                            return try evaluator.evaluate(value, on: old)
                        }
                        try await writer.write(Batch(columns: updated, rowCount: old.rowCount))
                    }
                }
                if matched == 0 {
                    await writer.abort()
                    writers.removeLast()
                    continue
                }
                touched += matched
                removed.append(split.dataFile)
                added += try await writer.finish()
            }
            guard !removed.isEmpty else { return 0 }
            try await SnapshotCommit(catalog: catalog, store: store).overwrite(
                removing: removed, adding: added, in: identifier, baseSnapshotID: snapshot.snapshotID, schemaID: tableSchema.schemaID)
            return touched
        } catch {
            for writer in writers { await writer.abort() }
            throw Self.engineError(error)
        }
    }

    /// A `delete` snapshot removing every data file, without reading any.
    public func truncateTable(schema: String, name: String) async throws(EngineError) {
        let identifier = TableIdentifier(namespace: [schema], name: name)
        do {
            let table = try await catalog.loadTable(identifier)
            guard let snapshot = table.metadata.currentSnapshot else { return }
            let plan = try await TableScan(table: table, store: store).plan(.snapshotID(snapshot.snapshotID), filter: .alwaysTrue)
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
                        "0A000", "cannot add NOT NULL column \"\(column.name)\": the table's existing rows have no value for it",
                        hint: "Add the column without NOT NULL.")
                }
                changes.append(.addColumn(name: column.name, type: try Self.storedType(column)))
            case .dropColumn(let column): changes.append(.dropColumn(name: column))
            case .renameColumn(let from, let to): changes.append(.renameColumn(from: from, to: to))
            case .changeType(let column, let type):
                changes.append(.promoteColumn(name: column, to: try Self.storedType(TableColumn(name: column, type: type))))
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

/// The maintenance procedures (`CALL weir.expire_snapshots(...)`, `CALL weir.remove_orphan_files(...)`).
extension IcebergTableCatalog {
    public func expireSnapshots(schema: String, name: String, olderThanMs: Int64, retainLast: Int) async throws(EngineError) -> [Int] {
        do {
            let result = try await TableMaintenance(catalog: catalog, store: store).expireSnapshots(
                TableIdentifier(namespace: [schema], name: name), olderThanMs: olderThanMs, retainLast: retainLast)
            return [result.expiredSnapshots, result.deletedDataFiles, result.deletedManifests, result.deletedManifestLists]
        } catch {
            throw Self.engineError(error)
        }
    }

    public func removeOrphanFiles(schema: String, name: String, olderThanMs: Int64) async throws(EngineError) -> [String] {
        do {
            return try await TableMaintenance(catalog: catalog, store: store).removeOrphanFiles(
                TableIdentifier(namespace: [schema], name: name), olderThanMs: olderThanMs)
        } catch {
            throw Self.engineError(error)
        }
    }
}
