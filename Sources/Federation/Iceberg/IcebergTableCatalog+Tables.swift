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
        let metadata = TableMetadata.newTable(
            schema: schema, spec: spec, location: catalog.defaultTableLocation(identifier), properties: properties,
            formatVersion: formatVersion)
        do {
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
            try await AppendCommit(catalog: catalog, store: store).commit(written, to: identifier, schemaID: tableSchema.schemaID)
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
