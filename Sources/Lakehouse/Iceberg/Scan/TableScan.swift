/// Plans a scan of one loaded table: picks the snapshot, reads its manifest list and manifests
/// through the object store, prunes with the predicate and pairs each data file with its deletes.
public struct TableScan: Sendable {
    public let table: IcebergTable
    public let store: any ObjectStore

    public init(table: IcebergTable, store: any ObjectStore) {
        self.table = table
        self.store = store
    }

    /// The snapshot a selection names; nil for `.current` on a table with no snapshot.
    /// `22023` when the id, time or ref names no snapshot.
    public func snapshot(_ selection: SnapshotSelection) throws -> Snapshot? {
        let metadata = table.metadata
        switch selection {
        case .current:
            return metadata.currentSnapshot
        case .snapshotID(let id):
            guard let snapshot = metadata.snapshot(id: id) else {
                throw LakehouseError(.invalidParameterValue, "table \"\(table.identifier)\" has no snapshot \(id)")
            }
            return snapshot
        case .asOfTimestampMs(let timestamp):
            guard let snapshot = metadata.snapshot(asOfTimestampMs: timestamp) else {
                throw LakehouseError(
                    .invalidParameterValue,
                    "table \"\(table.identifier)\" has no snapshot as of \(timestamp) ms since the epoch")
            }
            return snapshot
        case .ref(let name):
            guard let snapshot = metadata.snapshot(ref: name) else {
                throw LakehouseError(
                    .invalidParameterValue, "table \"\(table.identifier)\" has no branch or tag \"\(name)\"")
            }
            return snapshot
        }
    }

    /// The splits of the selected snapshot whose files may hold rows matching `filter`.
    public func plan(_ selection: SnapshotSelection = .current, filter: ScanPredicate = .alwaysTrue) async throws
        -> ScanPlan
    {
        let metadata = table.metadata
        let snapshot = try self.snapshot(selection)
        guard let schema = snapshot.flatMap({ metadata.schema(for: $0) }) ?? metadata.currentSchema else {
            throw LakehouseError.corrupt(table.metadataLocation, "current-schema-id names no schema")
        }
        guard let snapshot else { return ScanPlan(snapshot: nil, schema: schema, splits: []) }

        let evaluator = PruningEvaluator(predicate: filter, schema: schema)
        let manifests = try await manifestFiles(of: snapshot)
        var kept: [ManifestFile] = []
        var skippedManifests = 0
        for manifest in manifests {
            guard manifest.mayHaveLiveFiles else {
                skippedManifests += 1
                continue
            }
            let spec = metadata.partitionSpec(id: manifest.partitionSpecID)
            if manifest.content == .data, let spec,
                !evaluator.manifestMayMatch(
                    manifest.partitions, spec: spec, types: metadata.partitionTypes(specID: spec.specID))
            {
                skippedManifests += 1
                continue
            }
            kept.append(manifest)
        }

        let entriesPerManifest = try await readManifests(kept)
        var dataEntries: [ManifestEntry] = []
        var deleteEntries: [ManifestEntry] = []
        var skippedDataFiles = 0
        for entries in entriesPerManifest {
            for entry in entries where entry.isLive {
                if entry.dataFile.content == .data {
                    if evaluator.fileMayMatch(entry.dataFile, spec: metadata.partitionSpec(id: entry.dataFile.specID)) {
                        dataEntries.append(entry)
                    } else {
                        skippedDataFiles += 1
                    }
                } else {
                    guard ["PARQUET", "AVRO", "ORC"].contains(entry.dataFile.fileFormat) else {
                        throw LakehouseError.unsupported(
                            "delete file \"\(entry.dataFile.filePath)\" of table \"\(table.identifier)\" is "
                                + "\(entry.dataFile.fileFormat) (deletion vectors are not supported)")
                    }
                    deleteEntries.append(entry)
                }
            }
        }

        var specs: [Int: PartitionSpec] = [:]
        for spec in metadata.partitionSpecs { specs[spec.specID] = spec }
        let deletes = DeleteFileIndex(deletes: deleteEntries, specs: specs)
        let splits = dataEntries.map { entry in
            let applicable = deletes.deletes(for: entry)
            return ScanSplit(
                dataFile: entry.dataFile, dataSequenceNumber: entry.sequenceNumber,
                positionDeletes: applicable.position, equalityDeletes: applicable.equality)
        }
        return ScanPlan(
            snapshot: snapshot, schema: schema, splits: splits, skippedManifests: skippedManifests,
            skippedDataFiles: skippedDataFiles)
    }

    /// The manifests of a snapshot, from its manifest list (or the inline list of old v1 snapshots).
    public func manifestFiles(of snapshot: Snapshot) async throws -> [ManifestFile] {
        if let list = snapshot.manifestList {
            let store = self.store
            return try await IcebergFileCache.shared.value("list:" + list) {
                let bytes = try await store.read(list)
                return (try ManifestListReader.read(bytes, location: list), bytes.count)
            }
        }
        var manifests: [ManifestFile] = []
        for path in snapshot.manifests {
            let container = try AvroContainerReader(bytes: try await store.read(path), location: path)
            let specID = container.metadataString("partition-spec-id").flatMap { Int($0) } ?? 0
            manifests.append(
                ManifestFile(
                    path: path, length: 0, partitionSpecID: specID, content: .data, sequenceNumber: 0,
                    minSequenceNumber: 0, addedSnapshotID: snapshot.snapshotID))
        }
        return manifests
    }

    /// The entries of each manifest, read concurrently, in the manifests' order.
    private func readManifests(_ manifests: [ManifestFile]) async throws -> [[ManifestEntry]] {
        let metadata = table.metadata
        let store = self.store
        return try await withThrowingTaskGroup(of: (Int, [ManifestEntry]).self) { group in
            for (index, manifest) in manifests.enumerated() {
                group.addTask {
                    let fields = metadata.partitionSpec(id: manifest.partitionSpecID)?.fields ?? []
                    // Entries inherit the list's sequence numbers and snapshot id, so those are part of the key.
                    let key =
                        "manifest:\(manifest.path)#\(manifest.sequenceNumber)#\(manifest.addedSnapshotID)#\(manifest.partitionSpecID)"
                    let entries = try await IcebergFileCache.shared.value(key) {
                        let bytes = try await store.read(manifest.path)
                        let entries = try ManifestReader.read(
                            bytes, manifest: manifest, partitionFields: fields,
                            partitionTypes: metadata.partitionTypes(specID: manifest.partitionSpecID))
                        return (entries, bytes.count)
                    }
                    return (index, entries)
                }
            }
            var results = [[ManifestEntry]](repeating: [], count: manifests.count)
            for try await (index, entries) in group { results[index] = entries }
            return results
        }
    }
}
