import Catalog
import Engine
import Lakehouse

/// An Iceberg catalog (the embedded SQLite one, later REST) seen as a `TableCatalog`: namespaces
/// are schemas, Iceberg tables are tables.
public struct IcebergTableCatalog: TableCatalog {
    public let catalog: any IcebergCatalog
    public let store: any ObjectStore

    public init(catalog: any IcebergCatalog, store: any ObjectStore) {
        self.catalog = catalog
        self.store = store
    }

    public var name: String { catalog.name }

    /// The table `schema.name`. The name may carry a suffix, written as a quoted identifier so any
    /// PostgreSQL client passes it through: `"orders@<snapshot id>"`, `"orders@<timestamp>"` or
    /// `"orders@<branch or tag>"` read an older snapshot; `"orders$snapshots"` (also `$history`,
    /// `$refs`, `$manifests`, `$files`) are the table's metadata tables.
    public func table(schema: String, name: String) async throws(EngineError) -> (any TableSource)? {
        let reference = IcebergTableReference(name)
        let identifier = TableIdentifier(namespace: [schema], name: reference.table)
        let table: IcebergTable
        do {
            table = try await catalog.loadTable(identifier)
        } catch let error as LakehouseError
            where error.sqlState == .undefinedTable || error.sqlState == .invalidSchemaName
        {
            return nil
        } catch {
            throw Self.engineError(error)
        }
        if let metadataTable = reference.metadataTable {
            return try IcebergMetadataTables.table(metadataTable, of: table, store: store)
        }
        let source = IcebergTableSource(table: table, store: store, snapshot: try reference.snapshotSelection())
        // Fail at planning time, naming the snapshot, when it does not exist.
        do {
            _ = try TableScan(table: table, store: store).snapshot(source.snapshot)
        } catch {
            throw Self.engineError(error)
        }
        return source
    }

    public func schemaNames() async throws(EngineError) -> [String] {
        do {
            return try await catalog.listNamespaces(parent: []).map { $0.joined(separator: ".") }.sorted()
        } catch {
            throw Self.engineError(error)
        }
    }

    public func tableNames(schema: String) async throws(EngineError) -> [String] {
        do {
            return try await catalog.listTables(namespace: [schema]).map(\.name).sorted()
        } catch {
            throw Self.engineError(error)
        }
    }

    static func engineError(_ error: any Error) -> EngineError {
        switch error {
        case let error as LakehouseError: return error.engineError
        case let error as EngineError: return error
        default: return EngineError(.ioError, "catalog error: \(error)")
        }
    }
}

/// Schemas are the catalog's namespaces.
extension IcebergTableCatalog: SchemaCatalog {
    public func createSchema(_ name: String) async throws(EngineError) -> Bool {
        do {
            if try await catalog.namespaceExists([name]) { return false }
            try await catalog.createNamespaceIfMissing([name])
            return true
        } catch {
            throw Self.engineError(error)
        }
    }

    public func dropSchema(_ name: String) async throws(EngineError) {
        do {
            try await catalog.dropNamespace([name])
        } catch {
            throw Self.engineError(error)
        }
    }
}

/// One Iceberg table at one snapshot: the current one when the statement was planned, or an older
/// one chosen by time travel.
public struct IcebergTableSource: RowIdentifyingTable {
    public let table: IcebergTable
    public let store: any ObjectStore
    public let snapshot: SnapshotSelection
    public let columns: [TableColumn]
    /// Schema fields in column order.
    let fields: [NestedField]
    /// Columns Weir cannot read yet (nested types), with the reason; scanning them fails with 0A000.
    let unsupported: [Int: String]

    public init(table: IcebergTable, store: any ObjectStore, snapshot: SnapshotSelection = .current) {
        self.table = table
        self.store = store
        self.snapshot = snapshot
        // The current table reads with the current schema (columns added since the last write read
        // as NULL); time travel reads with the schema the chosen snapshot was written with.
        let chosen = snapshot == .current ? nil : try? TableScan(table: table, store: store).snapshot(snapshot)
        let schema = chosen.flatMap { table.metadata.schema(for: $0) } ?? table.metadata.currentSchema
        let schemaFields = schema?.fields ?? []
        var columns: [TableColumn] = []
        var unsupported: [Int: String] = [:]
        for (index, field) in schemaFields.enumerated() {
            do {
                columns.append(TableColumn(name: field.name, type: try field.columnType(), isNullable: !field.required))
            } catch {
                unsupported[index] =
                    (error as? LakehouseError)?.message ?? "column \"\(field.name)\" has an unsupported type"
                columns.append(TableColumn(name: field.name, type: .text, isNullable: !field.required))
            }
        }
        self.fields = schemaFields
        self.columns = columns
        self.unsupported = unsupported
    }

    public var displayName: String { table.identifier.description }

    /// The snapshot's `total-records` summary, which Iceberg writers maintain.
    public var estimatedRowCount: Int? { snapshotSummary("total-records") }

    /// The snapshot's `total-files-size` summary: data and delete files together.
    public var storedBytes: Int? { snapshotSummary("total-files-size") }

    /// A count from the read snapshot's summary; nil without a snapshot or that entry.
    private func snapshotSummary(_ key: String) -> Int? {
        let chosen = try? TableScan(table: table, store: store).snapshot(snapshot)
        return chosen?.summary[key].flatMap { Int($0) }
    }

    public func scan(
        columns projection: [Int], filter: Expression?, context: EvaluationContext, cancellation: QueryCancellation
    )
        async throws(EngineError) -> any BatchStream
    {
        try await scanPartitions(
            count: 1, columns: projection, filter: filter, context: context, cancellation: cancellation)[0]
    }

    /// Streams sharing one queue of the snapshot's row groups (after pruning by `filter`).
    public func scanPartitions(
        count: Int, columns projection: [Int], filter: Expression?, context: EvaluationContext,
        cancellation: QueryCancellation
    ) async throws(EngineError) -> [any BatchStream] {
        try await scanPartitions(
            count: count, columns: projection, filter: filter, addressBook: nil, context: context,
            cancellation: cancellation)
    }

    /// `scanPartitions`; with an `addressBook`, each batch ends with the rows' `RowAddress`es.
    func scanPartitions(
        count: Int, columns projection: [Int], filter: Expression?, addressBook: RowAddressBook?,
        context: EvaluationContext,
        cancellation: QueryCancellation
    ) async throws(EngineError) -> [any BatchStream] {
        for index in projection {
            if let reason = unsupported[index] { throw EngineError(.featureNotSupported, reason) }
        }
        let readColumns = projection.map { IcebergReadColumn(field: fields[$0], type: columns[$0].type) }
        let predicate = filter.map { Self.scanPredicate($0, columns: readColumns) } ?? .alwaysTrue
        let work: IcebergScanWork
        do {
            let plan = try await TableScan(table: table, store: store).plan(snapshot, filter: predicate)
            work = try await IcebergScanWork.open(
                splits: plan.splits, columns: readColumns, schema: plan.schema, store: store, tableName: displayName,
                filter: predicate, addressBook: addressBook)
        } catch {
            throw IcebergTableCatalog.engineError(error)
        }
        return (0..<max(1, count)).map { _ in
            IcebergSplitStream(
                work: work, columns: readColumns, tableName: displayName, context: context, cancellation: cancellation)
        }
    }

    /// The part of `filter` Iceberg can prune with: comparisons of a column with a constant of the
    /// column's own type, NULL tests, `IN` lists (bound as ORs of equalities with one column), and
    /// conjunctions of those. Everything else is kept as true.
    static func scanPredicate(_ filter: Expression, columns: [IcebergReadColumn]) -> ScanPredicate {
        switch filter {
        case .and(let terms):
            return terms.reduce(ScanPredicate.alwaysTrue) { $0 && scanPredicate($1, columns: columns) }
        case .or(let terms):
            var name: String?
            var values: [Value] = []
            for term in terms {
                guard case .compare(let column, .equal, let value) = scanPredicate(term, columns: columns),
                    name == nil || name == column
                else { return .alwaysTrue }
                name = column
                values.append(value)
            }
            guard let name else { return .alwaysTrue }
            return .isIn(column: name, values)
        case .comparison(let op, .column(let index, let type), .constant(let value, let constantType))
        where type == constantType && !value.isNull:
            guard let comparison = ScanPredicate.Comparison(rawValue: op.rawValue) else { return .alwaysTrue }
            return .compare(column: columns[index].field.name, comparison, value)
        case .comparison(let op, .constant(let value, let constantType), .column(let index, let type))
        where type == constantType && !value.isNull:
            let flipped: ScanPredicate.Comparison?
            switch op {
            case .equal: flipped = .equal
            case .notEqual: flipped = .notEqual
            case .less: flipped = .greater
            case .lessOrEqual: flipped = .greaterOrEqual
            case .greater: flipped = .less
            case .greaterOrEqual: flipped = .lessOrEqual
            }
            guard let flipped else { return .alwaysTrue }
            return .compare(column: columns[index].field.name, flipped, value)
        case .isNull(.column(let index, _), let negated):
            let name = columns[index].field.name
            return negated ? .isNotNull(column: name) : .isNull(column: name)
        default:
            return .alwaysTrue
        }
    }
}

extension IcebergTableSource: WritableTable {
    public var writableName: (schema: String, name: String)? {
        guard snapshot == .current else { return nil }
        return (table.identifier.namespace.joined(separator: "."), table.identifier.name)
    }
}

extension IcebergTableSource {
    /// The table with each row's `RowAddress`, whose file ordinals the returned identities resolve.
    public func identifyingRows() -> (table: any TableSource, identities: any RowIdentities) {
        let identities = IcebergRowIdentities()
        return (IcebergAddressedTableSource(base: self, book: identities.book), identities)
    }
}

/// The data files one DELETE, UPDATE or MERGE numbered while it scanned its table, which its
/// `RowAddress`es refer to.
final class IcebergRowIdentities: RowIdentities {
    let book = RowAddressBook()
}

/// An Iceberg table scanned with one more column after its own: each row's `RowAddress`, whose
/// file ordinals `book` resolves. DELETE and UPDATE read their target through it.
struct IcebergAddressedTableSource: TableSource {
    let base: IcebergTableSource
    let book: RowAddressBook
    let columns: [TableColumn]

    init(base: IcebergTableSource, book: RowAddressBook) {
        self.base = base
        self.book = book
        self.columns = base.columns + [TableColumn(name: "row_address", type: .int64, isNullable: false)]
    }

    var displayName: String { base.displayName }
    var estimatedRowCount: Int? { base.estimatedRowCount }
    var storedBytes: Int? { base.storedBytes }

    func scan(
        columns projection: [Int], filter: Expression?, context: EvaluationContext, cancellation: QueryCancellation
    )
        async throws(EngineError) -> any BatchStream
    {
        try await scanPartitions(
            count: 1, columns: projection, filter: filter, context: context, cancellation: cancellation)[0]
    }

    /// The table's columns of `projection` come from the base scan, the address last; a projection
    /// that lists the address elsewhere is put in its order afterwards (and prunes nothing).
    func scanPartitions(
        count: Int, columns projection: [Int], filter: Expression?, context: EvaluationContext,
        cancellation: QueryCancellation
    ) async throws(EngineError) -> [any BatchStream] {
        let addressIndex = base.columns.count
        let tableColumns = projection.filter { $0 != addressIndex }
        let inOrder = tableColumns + [addressIndex]
        let streams = try await base.scanPartitions(
            count: count, columns: tableColumns, filter: projection == inOrder ? filter : nil, addressBook: book,
            context: context,
            cancellation: cancellation)
        guard projection != inOrder else { return streams }
        let order = projection.map { index in inOrder.firstIndex(of: index)! }
        return streams.map { ReorderedStream(input: $0, order: order) }
    }
}

/// A stream's batches with their columns in another order (or some left out).
private final class ReorderedStream: BatchStream {
    let input: any BatchStream
    let order: [Int]

    init(input: any BatchStream, order: [Int]) {
        self.input = input
        self.order = order
    }

    func next() async throws(EngineError) -> Batch? {
        guard let batch = try await input.next() else { return nil }
        return Batch(columns: order.map { batch.columns[$0] }, rowCount: batch.rowCount)
    }
}

extension IcebergSplitStream: MeasuredScanStream {
    public var scanMetrics: any ScanMetrics { readCounters }
}

extension ParquetReadCounters: ScanMetrics {
    /// What one table scan's Parquet reads did: the row groups read and skipped (and by what), the
    /// pages decoded and skipped, and the bytes fetched from storage.
    public func explainLine(table: String) -> String {
        let counts = self.counts
        var skipped: [String] = []
        if counts.rowGroupsSkippedByStatistics > 0 {
            skipped.append("\(counts.rowGroupsSkippedByStatistics) by statistics")
        }
        if counts.rowGroupsSkippedByDictionary > 0 {
            skipped.append("\(counts.rowGroupsSkippedByDictionary) by dictionaries")
        }
        if counts.rowGroupsSkippedByPageIndex > 0 {
            skipped.append("\(counts.rowGroupsSkippedByPageIndex) by page index")
        }
        var line = "Parquet reads of \(table): \(counts.rowGroupsRead) row groups read"
        if !skipped.isEmpty { line += ", skipped " + skipped.joined(separator: ", ") }
        line += "; \(counts.pagesRead) pages decoded"
        if counts.pagesSkipped > 0 { line += ", \(counts.pagesSkipped) skipped by page index" }
        return line + "; \(counts.bytesFetched) bytes fetched"
    }
}
