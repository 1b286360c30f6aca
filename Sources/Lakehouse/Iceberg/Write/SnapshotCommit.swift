import Engine
import Foundation

/// New snapshots of a table's data, committed through `TableCommitter`: `append` adds data files
/// (and, in format v2, position or equality delete files: Iceberg's row delta, recorded as a
/// `delete` or `overwrite` snapshot as Java's `RowDelta` does); `overwrite` replaces data files by
/// others (a copy-on-write DELETE or UPDATE).
///
/// Each writes one manifest per partition spec of the added files, rewrites the manifests that
/// list a removed file (marking it deleted, the rest existing), and writes a manifest list of those
/// and every other manifest of the parent snapshot. An append is rebuilt on top of whatever another
/// writer committed first; an overwrite gives `40001` when the table moved past the snapshot its
/// rows were read from, since the rows it rewrote may have changed. Data files stay the caller's
/// to remove when a commit fails.
public struct SnapshotCommit {
    public var committer: TableCommitter

    public init(catalog: any IcebergCatalog, store: any ObjectStore) {
        committer = TableCommitter(catalog: catalog, store: store)
    }

    /// Commits `files` (data or delete files), written with schema `schemaID`; returns the table
    /// as committed.
    @discardableResult
    public func append(_ files: [DataFile], to identifier: TableIdentifier, schemaID: Int) async throws -> IcebergTable
    {
        let operation = Self.operation(adding: files, removing: [])
        return try await committer.commit(identifier) { table, written in
            try Self.checkSchema(table, schemaID: schemaID)
            return try await snapshot(of: table, adding: files, removing: [], operation: operation, written: written)
        }
    }

    /// Replaces `removed` by `added` on top of snapshot `baseSnapshotID`, the one the rows were read
    /// from (nil for a table that had no snapshot).
    @discardableResult
    public func overwrite(
        removing removed: [DataFile], adding added: [DataFile], in identifier: TableIdentifier, baseSnapshotID: Int64?,
        schemaID: Int
    ) async throws -> IcebergTable {
        try await committer.commit(identifier) { table, written in
            guard table.metadata.currentSnapshotID == baseSnapshotID else {
                throw LakehouseError(
                    .serializationFailure, "could not serialize access due to concurrent update",
                    detail:
                        "Table \"\(identifier)\" changed while its rows were being rewritten; run the statement again.")
            }
            try Self.checkSchema(table, schemaID: schemaID)
            return try await snapshot(
                of: table, adding: added, removing: removed,
                operation: Self.operation(adding: added, removing: removed),
                written: written)
        }
    }

    /// The snapshot operation Iceberg names a change by: `append` adds data files only, `delete`
    /// only removes rows (data files removed, delete files added), `overwrite` does both.
    static func operation(adding added: [DataFile], removing removed: [DataFile]) -> String {
        let addsData = added.contains { $0.content == .data }
        let removesRows = !removed.isEmpty || added.contains { $0.content != .data }
        return addsData ? (removesRows ? "overwrite" : "append") : "delete"
    }

    private static func checkSchema(_ table: IcebergTable, schemaID: Int) throws {
        guard table.metadata.currentSchemaID == schemaID else {
            throw LakehouseError(
                .serializationFailure,
                "could not commit to \"\(table.identifier)\": its schema changed while rows were written",
                detail:
                    "The rows were written with schema \(schemaID); the table now has schema \(table.metadata.currentSchemaID)."
            )
        }
    }

    /// The table's metadata with a new current snapshot adding `added` and removing `removed`.
    private func snapshot(
        of table: IcebergTable, adding added: [DataFile], removing removed: [DataFile], operation: String,
        written: CommitFiles
    ) async throws -> TableMetadata {
        var metadata = table.metadata
        guard let schema = metadata.currentSchema else {
            throw LakehouseError.corrupt(table.metadataLocation, "the current schema is missing")
        }
        let store = committer.store
        let now = max(Int64(Date().timeIntervalSince1970 * 1000), metadata.lastUpdatedMs + 1)
        let existingIDs = Set(metadata.snapshots.map(\.snapshotID))
        var snapshotID: Int64
        repeat { snapshotID = Int64.random(in: 1...Int64.max) } while existingIDs.contains(snapshotID)
        let sequenceNumber = metadata.formatVersion >= 2 ? metadata.lastSequenceNumber + 1 : 0
        let parent = metadata.currentSnapshot

        var manifests: [ManifestFile] = []
        func writeManifest(_ entries: [ManifestEntry], spec: PartitionSpec, content: ManifestFile.Content = .data)
            async throws -> ManifestFile
        {
            let bytes = try ManifestWriter.write(
                entries: entries, schema: schema, spec: spec, formatVersion: metadata.formatVersion, content: content)
            let location = written.metadataDirectory + "/\(written.commitID)-m\(manifests.count).avro"
            try await written.write(bytes, to: location, in: store)
            let live = entries.filter(\.isLive)
            func count(_ status: ManifestEntry.Status) -> Int { entries.filter { $0.status == status }.count }
            func rows(_ status: ManifestEntry.Status) -> Int64 {
                entries.filter { $0.status == status }.reduce(0) { $0 + $1.dataFile.recordCount }
            }
            return ManifestFile(
                path: location, length: Int64(bytes.count), partitionSpecID: spec.specID, content: content,
                sequenceNumber: sequenceNumber,
                minSequenceNumber: live.map(\.sequenceNumber).min() ?? sequenceNumber, addedSnapshotID: snapshotID,
                addedFilesCount: count(.added), existingFilesCount: count(.existing),
                deletedFilesCount: count(.deleted),
                addedRowsCount: rows(.added), existingRowsCount: rows(.existing), deletedRowsCount: rows(.deleted),
                partitions: Self.partitionSummaries(
                    live.map(\.dataFile), spec: spec, types: metadata.partitionTypes(specID: spec.specID)))
        }

        // One manifest per partition spec and kind of content (data or deletes).
        let groups = Dictionary(grouping: added) { file in "\(file.specID)/\(file.content == .data ? 0 : 1)" }
        for (_, groupFiles) in groups.sorted(by: { $0.key < $1.key }) {
            let specID = groupFiles[0].specID
            guard let spec = metadata.partitionSpec(id: specID) else {
                throw LakehouseError(
                    .internalError,
                    "data files name partition spec \(specID), which table \"\(table.identifier)\" does not have")
            }
            let entries = groupFiles.map {
                ManifestEntry(
                    status: .added, snapshotID: snapshotID, sequenceNumber: sequenceNumber,
                    fileSequenceNumber: sequenceNumber, dataFile: $0)
            }
            manifests.append(
                try await writeManifest(entries, spec: spec, content: groupFiles[0].content == .data ? .data : .deletes)
            )
        }
        if let listLocation = parent?.manifestList {
            var toRemove = Set(removed.map(\.filePath))
            for manifest in try ManifestListReader.read(try await store.read(listLocation), location: listLocation) {
                guard !toRemove.isEmpty, manifest.content == .data, manifest.mayHaveLiveFiles,
                    let spec = metadata.partitionSpec(id: manifest.partitionSpecID)
                else {
                    manifests.append(manifest)
                    continue
                }
                let entries = try ManifestReader.read(
                    try await store.read(manifest.path), manifest: manifest, partitionFields: spec.fields,
                    partitionTypes: metadata.partitionTypes(specID: spec.specID).map { $0 })
                guard entries.contains(where: { $0.isLive && toRemove.contains($0.dataFile.filePath) }) else {
                    manifests.append(manifest)
                    continue
                }
                let rewritten = entries.filter(\.isLive).map { entry -> ManifestEntry in
                    var entry = entry
                    if toRemove.remove(entry.dataFile.filePath) != nil {
                        entry.status = .deleted
                        entry.snapshotID = snapshotID
                    } else {
                        entry.status = .existing
                    }
                    return entry
                }
                manifests.append(try await writeManifest(rewritten, spec: spec))
            }
            guard toRemove.isEmpty else {
                throw LakehouseError(
                    .serializationFailure, "could not serialize access due to concurrent update",
                    detail:
                        "Data file \"\(toRemove.first!)\" of table \"\(table.identifier)\" is no longer in its current snapshot."
                )
            }
        } else if let parent, !parent.manifests.isEmpty {
            throw LakehouseError.unsupported(
                "writing to a v1 snapshot that lists its manifests inline (snapshot \(parent.snapshotID))")
        }
        let listBytes = try ManifestListWriter.write(
            manifests: manifests, snapshotID: snapshotID, parentSnapshotID: parent?.snapshotID,
            sequenceNumber: sequenceNumber,
            formatVersion: metadata.formatVersion)
        let listLocation = written.metadataDirectory + "/snap-\(snapshotID)-1-\(written.commitID).avro"
        try await written.write(listBytes, to: listLocation, in: store)

        metadata.snapshots.append(
            Snapshot(
                snapshotID: snapshotID, parentSnapshotID: parent?.snapshotID, sequenceNumber: sequenceNumber,
                timestampMs: now,
                manifestList: listLocation,
                summary: Self.summary(operation, added: added, removed: removed, parent: parent),
                schemaID: schema.schemaID))
        metadata.currentSnapshotID = snapshotID
        metadata.refs["main"] = SnapshotReference(snapshotID: snapshotID, kind: .branch)
        metadata.snapshotLog.append(SnapshotLogEntry(timestampMs: now, snapshotID: snapshotID))
        metadata.lastSequenceNumber = sequenceNumber
        return metadata
    }

    /// The snapshot summary Iceberg writers record: what this commit added and removed and the
    /// table's new totals (kept only while the parent's are known).
    static func summary(_ operation: String, added addedFiles: [DataFile], removed: [DataFile], parent: Snapshot?)
        -> [String: String]
    {
        let added = addedFiles.filter { $0.content == .data }
        let positionDeleteFiles = addedFiles.filter { $0.content == .positionDeletes }
        let equalityDeleteFiles = addedFiles.filter { $0.content == .equalityDeletes }
        let positionDeletes = positionDeleteFiles.reduce(0) { $0 + $1.recordCount }
        let equalityDeletes = equalityDeleteFiles.reduce(0) { $0 + $1.recordCount }
        let deleteFileCount = positionDeleteFiles.count + equalityDeleteFiles.count
        let addedRecords = added.reduce(0) { $0 + $1.recordCount }
        let addedBytes = addedFiles.reduce(0) { $0 + $1.fileSizeInBytes }
        let removedRecords = removed.reduce(0) { $0 + $1.recordCount }
        let removedBytes = removed.reduce(0) { $0 + $1.fileSizeInBytes }
        var summary = [
            "operation": operation,
            "changed-partition-count": String(Set((addedFiles + removed).map { "\($0.specID):\($0.partition)" }).count),
            "engine-name": "weir",
        ]
        if !added.isEmpty {
            summary["added-data-files"] = String(added.count)
            summary["added-records"] = String(addedRecords)
            summary["added-files-size"] = String(addedBytes)
        }
        if deleteFileCount > 0 {
            summary["added-delete-files"] = String(deleteFileCount)
            summary["added-position-delete-files"] = String(positionDeleteFiles.count)
            summary["added-equality-delete-files"] = String(equalityDeleteFiles.count)
            summary["added-position-deletes"] = String(positionDeletes)
            summary["added-equality-deletes"] = String(equalityDeletes)
        }
        if !removed.isEmpty {
            summary["deleted-data-files"] = String(removed.count)
            summary["deleted-records"] = String(removedRecords)
            summary["removed-files-size"] = String(removedBytes)
        }
        let previous = parent?.summary ?? [:]
        func total(_ key: String, changedBy amount: Int64) {
            if parent == nil {
                summary[key] = String(amount)
            } else if let value = previous[key].flatMap(Int64.init) {
                summary[key] = String(value + amount)
            }
        }
        total("total-records", changedBy: addedRecords - removedRecords)
        total("total-files-size", changedBy: addedBytes - removedBytes)
        total("total-data-files", changedBy: Int64(added.count - removed.count))
        total("total-delete-files", changedBy: Int64(deleteFileCount))
        total("total-position-deletes", changedBy: positionDeletes)
        total("total-equality-deletes", changedBy: equalityDeletes)
        return summary
    }

    /// Per partition field: whether any file has a NULL value there, and the bounds of the values.
    static func partitionSummaries(_ files: [DataFile], spec: PartitionSpec, types: [IcebergType?])
        -> [PartitionFieldSummary]
    {
        spec.fields.indices.map { index in
            var containsNull = false
            var lower: Value?
            var upper: Value?
            for file in files where index < file.partition.count {
                let value = file.partition[index]
                if value.isNull {
                    containsNull = true
                    continue
                }
                if lower.map({ (ValueOrdering.compare(value, $0) ?? 0) < 0 }) ?? true { lower = value }
                if upper.map({ (ValueOrdering.compare(value, $0) ?? 0) > 0 }) ?? true { upper = value }
            }
            let type = index < types.count ? types[index] : nil
            return PartitionFieldSummary(
                containsNull: containsNull, containsNaN: false,
                lowerBound: type.flatMap { type in lower.flatMap { SingleValueSerialization.encode($0, as: type) } },
                upperBound: type.flatMap { type in upper.flatMap { SingleValueSerialization.encode($0, as: type) } })
        }
    }
}
