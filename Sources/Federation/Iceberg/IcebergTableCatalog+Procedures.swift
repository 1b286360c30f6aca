import Catalog
import Engine
import Lakehouse

/// The maintenance procedures: `CALL weir.expire_snapshots(table_name [, older_than] [, retain_last])`
/// and `CALL weir.remove_orphan_files(table_name [, older_than])`.
extension IcebergTableCatalog: ProcedureCatalog {
    /// Snapshots younger than this are kept by default (Iceberg's `history.expire.max-snapshot-age-ms`).
    static let defaultSnapshotAge: Int64 = 5 * 86_400 * 1_000_000
    /// Files younger than this are never orphans by default: a write may still be committing them.
    static let defaultOrphanAge: Int64 = 3 * 86_400 * 1_000_000

    public var tableProcedures: [TableProcedure] {
        let olderThan = TableProcedure.Parameter(name: "older_than", typeName: "timestamptz", type: .timestamptz)
        return [
            TableProcedure(
                name: "expire_snapshots",
                parameters: [olderThan, TableProcedure.Parameter(name: "retain_last", typeName: "int4", type: .int32)],
                resultColumns: [
                    ("expired_snapshots", .int64), ("deleted_data_files", .int64), ("deleted_manifest_files", .int64),
                    ("deleted_manifest_lists", .int64),
                ]
            ) { schema, table, arguments, statementStart throws(EngineError) in
                var retainLast = 1
                if case .int32(let count) = arguments[1] {
                    guard count >= 1 else {
                        throw EngineError(.invalidParameterValue, "retain_last must be at least 1")
                    }
                    retainLast = Int(count)
                }
                let olderThanMs = Self.milliseconds(arguments[0], default: statementStart - Self.defaultSnapshotAge)
                let counts = try await expireSnapshots(
                    schema: schema, name: table, olderThanMs: olderThanMs, retainLast: retainLast)
                return [counts.map { .int64(Int64($0)) }]
            },
            TableProcedure(
                name: "remove_orphan_files", parameters: [olderThan], resultColumns: [("orphan_file_location", .text)]
            ) {
                schema, table, arguments, statementStart throws(EngineError) in
                let olderThanMs = Self.milliseconds(arguments[0], default: statementStart - Self.defaultOrphanAge)
                return try await removeOrphanFiles(schema: schema, name: table, olderThanMs: olderThanMs).map {
                    [.bytes(Array($0.utf8))]
                }
            },
        ]
    }

    /// A timestamptz argument (microseconds since the Unix epoch) in milliseconds; `default` when NULL.
    private static func milliseconds(_ argument: Value, default defaultMicroseconds: Int64) -> Int64 {
        if case .int64(let micros) = argument { return micros / 1000 }
        return defaultMicroseconds / 1000
    }

    /// Expires the snapshots older than `olderThanMs` (keeping the newest `retainLast` and those a
    /// reference points at) and deletes the files only they reached. Returns the counts of expired
    /// snapshots and of deleted data files, manifests and manifest lists.
    func expireSnapshots(schema: String, name: String, olderThanMs: Int64, retainLast: Int) async throws(EngineError)
        -> [Int]
    {
        do {
            let result = try await TableMaintenance(catalog: catalog, store: store).expireSnapshots(
                TableIdentifier(namespace: [schema], name: name), olderThanMs: olderThanMs, retainLast: retainLast)
            return [
                result.expiredSnapshots, result.deletedDataFiles, result.deletedManifests, result.deletedManifestLists,
            ]
        } catch {
            throw Self.engineError(error)
        }
    }

    /// Deletes files under the table's location that its metadata does not reach and that are
    /// older than `olderThanMs`; returns their locations.
    func removeOrphanFiles(schema: String, name: String, olderThanMs: Int64) async throws(EngineError) -> [String] {
        do {
            return try await TableMaintenance(catalog: catalog, store: store).removeOrphanFiles(
                TableIdentifier(namespace: [schema], name: name), olderThanMs: olderThanMs)
        } catch {
            throw Self.engineError(error)
        }
    }
}
