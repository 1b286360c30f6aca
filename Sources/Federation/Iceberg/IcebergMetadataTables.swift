import Catalog
import Engine
import Lakehouse

/// The metadata tables of an Iceberg table, named as Trino and Spark name them:
/// `"t$snapshots"`, `"t$history"`, `"t$refs"`, `"t$manifests"` and `"t$files"`.
enum IcebergMetadataTables {
    static func table(_ kind: String, of table: IcebergTable, store: any ObjectStore) throws(EngineError)
        -> any TableSource
    {
        let name = "\(table.identifier)$\(kind)"
        let metadata = table.metadata
        switch kind {
        case "snapshots":
            return ComputedTable(
                name,
                [
                    ("committed_at", .timestamptz), ("snapshot_id", .int64), ("parent_id", .int64),
                    ("operation", .text),
                    ("manifest_list", .text), ("summary", .text),
                ]
            ) { () async throws(EngineError) in
                metadata.snapshots.map { snapshot in
                    [
                        .int64(snapshot.timestampMs * 1000), .int64(snapshot.snapshotID),
                        snapshot.parentSnapshotID.map { .int64($0) } ?? .null,
                        snapshot.operation.map { .text($0) } ?? .null,
                        snapshot.manifestList.map { .text($0) } ?? .null, .text(summaryText(snapshot.summary)),
                    ]
                }
            }
        case "history":
            return ComputedTable(
                name,
                [
                    ("made_current_at", .timestamptz), ("snapshot_id", .int64), ("parent_id", .int64),
                    ("is_current_ancestor", .boolean),
                ]
            ) { () async throws(EngineError) in
                let ancestors = currentAncestors(metadata)
                return metadata.snapshotLog.map { entry in
                    [
                        .int64(entry.timestampMs * 1000), .int64(entry.snapshotID),
                        metadata.snapshot(id: entry.snapshotID)?.parentSnapshotID.map { .int64($0) } ?? .null,
                        .bool(ancestors.contains(entry.snapshotID)),
                    ]
                }
            }
        case "refs":
            return ComputedTable(
                name,
                [
                    ("name", .text), ("type", .text), ("snapshot_id", .int64), ("max_reference_age_in_ms", .int64),
                    ("min_snapshots_to_keep", .int32), ("max_snapshot_age_in_ms", .int64),
                ]
            ) { () async throws(EngineError) in
                metadata.refs.sorted { $0.key < $1.key }.map { name, ref in
                    [
                        .text(name), .text(ref.kind.rawValue.uppercased()), .int64(ref.snapshotID),
                        ref.maxRefAgeMs.map { .int64($0) } ?? .null,
                        ref.minSnapshotsToKeep.map { .int32(Int32($0)) } ?? .null,
                        ref.maxSnapshotAgeMs.map { .int64($0) } ?? .null,
                    ]
                }
            }
        case "manifests":
            return ComputedTable(
                name,
                [
                    ("content", .int32), ("path", .text), ("length", .int64), ("partition_spec_id", .int32),
                    ("added_snapshot_id", .int64), ("added_data_files_count", .int32),
                    ("existing_data_files_count", .int32), ("deleted_data_files_count", .int32),
                ]
            ) { () async throws(EngineError) in
                guard let snapshot = metadata.currentSnapshot else { return [] }
                let manifests: [ManifestFile]
                do {
                    manifests = try await TableScan(table: table, store: store).manifestFiles(of: snapshot)
                } catch {
                    throw IcebergTableCatalog.engineError(error)
                }
                return manifests.map { manifest in
                    [
                        .int32(manifest.content == .data ? 0 : 1), .text(manifest.path), .int64(manifest.length),
                        .int32(Int32(manifest.partitionSpecID)), .int64(manifest.addedSnapshotID),
                        manifest.addedFilesCount.map { .int32(Int32($0)) } ?? .null,
                        manifest.existingFilesCount.map { .int32(Int32($0)) } ?? .null,
                        manifest.deletedFilesCount.map { .int32(Int32($0)) } ?? .null,
                    ]
                }
            }
        case "files":
            return ComputedTable(
                name,
                [
                    ("content", .int32), ("file_path", .text), ("file_format", .text), ("spec_id", .int32),
                    ("record_count", .int64), ("file_size_in_bytes", .int64),
                ]
            ) { () async throws(EngineError) in
                let plan: ScanPlan
                do {
                    plan = try await TableScan(table: table, store: store).plan(.current)
                } catch {
                    throw IcebergTableCatalog.engineError(error)
                }
                let files =
                    plan.splits.map(\.dataFile)
                    + Set(plan.splits.flatMap { $0.positionDeletes + $0.equalityDeletes }).sorted {
                        $0.filePath < $1.filePath
                    }
                return files.map { file in
                    [
                        .int32(Int32(file.content.rawValue)), .text(file.filePath), .text(file.fileFormat),
                        .int32(Int32(file.specID)), .int64(file.recordCount), .int64(file.fileSizeInBytes),
                    ]
                }
            }
        case "partitions":
            return ComputedTable(
                name,
                [
                    ("partition", .text), ("spec_id", .int32), ("record_count", .int64), ("file_count", .int32),
                    ("total_data_file_size_in_bytes", .int64), ("position_delete_record_count", .int64),
                    ("position_delete_file_count", .int32), ("equality_delete_record_count", .int64),
                    ("equality_delete_file_count", .int32),
                ]
            ) { () async throws(EngineError) in
                let plan: ScanPlan
                do {
                    plan = try await TableScan(table: table, store: store).plan(.current)
                } catch {
                    throw IcebergTableCatalog.engineError(error)
                }
                return partitionRows(plan, metadata: metadata)
            }
        default:
            throw EngineError(
                .undefinedTable, "relation \"\(name)\" does not exist",
                hint: "Iceberg metadata tables are $snapshots, $history, $refs, $manifests, $files and $partitions.")
        }
    }

    /// One row per partition of the current snapshot's live files (as PyIceberg's
    /// `inspect.partitions`), the partition written `{field=value, ...}` with Iceberg's
    /// human-readable values, ordered by spec and that text.
    static func partitionRows(_ plan: ScanPlan, metadata: TableMetadata) -> [[Value]] {
        struct Totals {
            var records: Int64 = 0, files = 0, bytes: Int64 = 0
            var positionDeletes: Int64 = 0, positionFiles = 0, equalityDeletes: Int64 = 0, equalityFiles = 0
        }
        struct Key: Hashable {
            var specID: Int
            var partition: [Value]
        }
        var totals: [Key: Totals] = [:]
        var countedDeletes = Set<String>()
        for split in plan.splits {
            let file = split.dataFile
            let key = Key(specID: file.specID, partition: file.partition)
            totals[key, default: Totals()].records += file.recordCount
            totals[key, default: Totals()].files += 1
            totals[key, default: Totals()].bytes += file.fileSizeInBytes
            for delete in split.positionDeletes + split.equalityDeletes
            where countedDeletes.insert(delete.filePath).inserted {
                let deleteKey = Key(specID: delete.specID, partition: delete.partition)
                if delete.content == .positionDeletes {
                    totals[deleteKey, default: Totals()].positionDeletes += delete.recordCount
                    totals[deleteKey, default: Totals()].positionFiles += 1
                } else {
                    totals[deleteKey, default: Totals()].equalityDeletes += delete.recordCount
                    totals[deleteKey, default: Totals()].equalityFiles += 1
                }
            }
        }
        func text(_ key: Key) -> String {
            guard let spec = metadata.partitionSpec(id: key.specID) else { return "{}" }
            let types = metadata.partitionTypes(specID: key.specID)
            let fields = zip(spec.fields, key.partition).enumerated().map { index, pair in
                let type = index < types.count ? types[index] ?? .string : .string
                return pair.0.name + "=" + DataFileWriter.partitionText(pair.1, type: type, transform: pair.0.transform)
            }
            return "{" + fields.joined(separator: ", ") + "}"
        }
        return totals.map { (key: $0.key, text: text($0.key), totals: $0.value) }
            .sorted { ($0.key.specID, $0.text) < ($1.key.specID, $1.text) }
            .map { row in
                [
                    .text(row.text), .int32(Int32(row.key.specID)), .int64(row.totals.records),
                    .int32(Int32(row.totals.files)),
                    .int64(row.totals.bytes), .int64(row.totals.positionDeletes),
                    .int32(Int32(row.totals.positionFiles)),
                    .int64(row.totals.equalityDeletes), .int32(Int32(row.totals.equalityFiles)),
                ]
            }
    }

    /// The summary map as `key=value` pairs, sorted by key.
    static func summaryText(_ summary: [String: String]) -> String {
        summary.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }

    /// The current snapshot and its ancestors.
    static func currentAncestors(_ metadata: TableMetadata) -> Set<Int64> {
        var ancestors = Set<Int64>()
        var next = metadata.currentSnapshotID
        while let id = next, !ancestors.contains(id) {
            ancestors.insert(id)
            next = metadata.snapshot(id: id)?.parentSnapshotID
        }
        return ancestors
    }
}
