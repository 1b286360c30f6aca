import Engine
import Foundation

/// Adds data files to a table as one new snapshot (operation `append`), the way every Iceberg
/// writer commits: a manifest of the new files, a manifest list of the table's manifests plus the
/// new one, a new metadata file, then the catalog's compare-and-swap of the metadata location.
///
/// In format v2 the files may include position and equality delete files (Iceberg's row delta):
/// they go to delete manifests, and the snapshot's operation is `delete` when it adds only delete
/// files, `overwrite` when it adds both, as Java's `RowDelta` records it. The delete files apply
/// to data files of earlier commits by the spec's sequence-number rules.
///
/// When another writer commits first (`40001` from the catalog), the table is reloaded and the
/// snapshot rebuilt on top of the other commit, so neither writer's files are lost; after
/// `maximumAttempts` the conflict reaches the caller. Files this commit wrote are removed when an
/// attempt fails, and the data files stay the caller's to remove.
public struct AppendCommit {
    public let catalog: any IcebergCatalog
    public let store: any ObjectStore
    public var maximumAttempts = 4

    public init(catalog: any IcebergCatalog, store: any ObjectStore) {
        self.catalog = catalog
        self.store = store
    }

    /// Commits `files` (data or delete files, written with schema `schemaID` and their own spec
    /// ids) to the table; returns the table as committed.
    @discardableResult
    public func commit(_ files: [DataFile], to identifier: TableIdentifier, schemaID: Int) async throws -> IcebergTable {
        var attempt = 0
        while true {
            attempt += 1
            let table = try await catalog.loadTable(identifier)
            guard table.metadata.currentSchemaID == schemaID else {
                throw LakehouseError(
                    "40001", "could not commit to \"\(identifier)\": its schema changed while rows were written",
                    detail: "The rows were written with schema \(schemaID); the table now has schema \(table.metadata.currentSchemaID).")
            }
            let attemptFiles = CommitFiles(table: table)
            do {
                let metadataLocation = try await prepare(files, on: table, writing: attemptFiles)
                try await catalog.commitTable(
                    identifier, expectedMetadataLocation: table.metadataLocation, newMetadataLocation: metadataLocation)
                return try await catalog.loadTable(identifier)
            } catch let error as LakehouseError where error.sqlState == "40001" && attempt < maximumAttempts {
                await attemptFiles.remove(from: store)
                try await Task.sleep(nanoseconds: UInt64(50_000_000 * attempt) + UInt64.random(in: 0..<20_000_000))
            } catch {
                await attemptFiles.remove(from: store)
                throw error
            }
        }
    }

    /// Writes the manifest, manifest list and metadata file of a snapshot appending `files` on
    /// top of `table`; returns the metadata file's location.
    private func prepare(_ files: [DataFile], on table: IcebergTable, writing written: CommitFiles) async throws -> String {
        var metadata = table.metadata
        guard let schema = metadata.schema(id: metadata.currentSchemaID) else {
            throw LakehouseError.corrupt(table.metadataLocation, "the current schema is missing")
        }
        let now = max(Int64(Date().timeIntervalSince1970 * 1000), metadata.lastUpdatedMs + 1)
        let existingIDs = Set(metadata.snapshots.map(\.snapshotID))
        var snapshotID: Int64
        repeat { snapshotID = Int64.random(in: 1...Int64.max) } while existingIDs.contains(snapshotID)
        let sequenceNumber = metadata.formatVersion >= 2 ? metadata.lastSequenceNumber + 1 : 0
        let parent = metadata.currentSnapshot

        var manifests: [ManifestFile] = []
        let manifestGroups = Dictionary(grouping: files) {
            ManifestGroup(specID: $0.specID, content: $0.manifestContent)
        }
        for (group, specFiles) in manifestGroups.sorted(by: { $0.key < $1.key }) {
            let specID = group.specID
            guard let spec = metadata.partitionSpec(id: specID) else {
                throw LakehouseError("XX000", "data files name partition spec \(specID), which table \"\(table.identifier)\" does not have")
            }
            let entries = specFiles.map {
                ManifestEntry(status: .added, snapshotID: snapshotID, sequenceNumber: sequenceNumber, fileSequenceNumber: sequenceNumber, dataFile: $0)
            }
            let bytes = try ManifestWriter.write(
                entries: entries, schema: schema, spec: spec, formatVersion: metadata.formatVersion,
                content: group.content)
            let location = written.metadataDirectory + "/\(written.commitID)-m\(manifests.count).avro"
            try await written.write(bytes, to: location, in: store)
            manifests.append(
                ManifestFile(
                    path: location, length: Int64(bytes.count), partitionSpecID: specID, content: group.content,
                    sequenceNumber: sequenceNumber,
                    minSequenceNumber: sequenceNumber, addedSnapshotID: snapshotID, addedFilesCount: specFiles.count,
                    existingFilesCount: 0, deletedFilesCount: 0, addedRowsCount: specFiles.reduce(0) { $0 + $1.recordCount },
                    existingRowsCount: 0, deletedRowsCount: 0,
                    partitions: Self.partitionSummaries(specFiles, spec: spec, types: metadata.partitionTypes(specID: specID))))
        }
        if let listLocation = parent?.manifestList {
            manifests += try ManifestListReader.read(try await store.read(listLocation), location: listLocation)
        } else if let parent, !parent.manifests.isEmpty {
            throw LakehouseError.unsupported("appending to a v1 snapshot that lists its manifests inline (snapshot \(parent.snapshotID))")
        }
        let listBytes = try ManifestListWriter.write(
            manifests: manifests, snapshotID: snapshotID, parentSnapshotID: parent?.snapshotID, sequenceNumber: sequenceNumber,
            formatVersion: metadata.formatVersion)
        let listLocation = written.metadataDirectory + "/snap-\(snapshotID)-1-\(written.commitID).avro"
        try await written.write(listBytes, to: listLocation, in: store)

        metadata.snapshots.append(
            Snapshot(
                snapshotID: snapshotID, parentSnapshotID: parent?.snapshotID, sequenceNumber: sequenceNumber, timestampMs: now,
                manifestList: listLocation, summary: Self.summary(files, parent: parent), schemaID: schema.schemaID))
        metadata.currentSnapshotID = snapshotID
        metadata.refs["main"] = SnapshotReference(snapshotID: snapshotID, kind: .branch)
        metadata.snapshotLog.append(SnapshotLogEntry(timestampMs: now, snapshotID: snapshotID))
        metadata.lastSequenceNumber = sequenceNumber
        metadata.appendMetadataLog(previous: table.metadataLocation)
        metadata.lastUpdatedMs = now
        let location = written.metadataDirectory + "/" + TableMetadata.metadataFileName(after: table.metadataLocation)
        guard try await store.writeIfAbsent(location, bytes: try TableMetadataSerializer.serialize(metadata)) else {
            throw LakehouseError.commitConflict(table.identifier)
        }
        written.add(location)
        return location
    }

    /// The snapshot summary Iceberg writers record: what this commit added and the table's new totals.
    /// Delete counts appear among the added ones only when the commit adds delete files.
    static func summary(_ files: [DataFile], parent: Snapshot?) -> [String: String] {
        let dataFiles = files.filter { $0.content == .data }
        let positionDeleteFiles = files.filter { $0.content == .positionDeletes }
        let equalityDeleteFiles = files.filter { $0.content == .equalityDeletes }
        let records = dataFiles.reduce(0) { $0 + $1.recordCount }
        let positionDeletes = positionDeleteFiles.reduce(0) { $0 + $1.recordCount }
        let equalityDeletes = equalityDeleteFiles.reduce(0) { $0 + $1.recordCount }
        let deleteFileCount = positionDeleteFiles.count + equalityDeleteFiles.count
        let bytes = files.reduce(0) { $0 + $1.fileSizeInBytes }
        var summary = [
            "operation": deleteFileCount == 0 ? "append" : (dataFiles.isEmpty ? "delete" : "overwrite"),
            "added-data-files": String(dataFiles.count),
            "added-records": String(records),
            "added-files-size": String(bytes),
            "changed-partition-count": String(Set(files.map { "\($0.specID):\($0.partition)" }).count),
            "engine-name": "weir",
        ]
        if deleteFileCount > 0 {
            summary["added-delete-files"] = String(deleteFileCount)
            summary["added-position-delete-files"] = String(positionDeleteFiles.count)
            summary["added-equality-delete-files"] = String(equalityDeleteFiles.count)
            summary["added-position-deletes"] = String(positionDeletes)
            summary["added-equality-deletes"] = String(equalityDeletes)
        }
        let previous = parent?.summary ?? [:]
        func total(_ key: String, adding amount: Int64) {
            if parent == nil {
                summary[key] = String(amount)
            } else if let value = previous[key].flatMap(Int64.init) {
                summary[key] = String(value + amount)
            }
        }
        total("total-records", adding: records)
        total("total-files-size", adding: bytes)
        total("total-data-files", adding: Int64(dataFiles.count))
        total("total-delete-files", adding: Int64(deleteFileCount))
        total("total-position-deletes", adding: positionDeletes)
        total("total-equality-deletes", adding: equalityDeletes)
        return summary
    }

    /// Per partition field: whether any file has a NULL value there, and the bounds of the values.
    static func partitionSummaries(_ files: [DataFile], spec: PartitionSpec, types: [IcebergType?]) -> [PartitionFieldSummary] {
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

/// The files of a commit that share one manifest: same partition spec, same kind of content.
private struct ManifestGroup: Hashable, Comparable {
    let specID: Int
    let content: ManifestFile.Content

    static func < (lhs: ManifestGroup, rhs: ManifestGroup) -> Bool {
        (lhs.specID, lhs.content.rawValue) < (rhs.specID, rhs.content.rawValue)
    }
}

extension DataFile {
    /// The kind of manifest that lists this file.
    var manifestContent: ManifestFile.Content { content == .data ? .data : .deletes }
}

/// The files one commit attempt wrote, so a failed attempt can remove them.
final class CommitFiles {
    let commitID = UUID().uuidString.lowercased()
    let metadataDirectory: String
    private(set) var locations: [String] = []

    init(table: IcebergTable) {
        let base = table.metadata.location.hasSuffix("/") ? String(table.metadata.location.dropLast()) : table.metadata.location
        metadataDirectory = base + "/metadata"
    }

    func write(_ bytes: [UInt8], to location: String, in store: any ObjectStore) async throws {
        try await store.write(location, bytes: bytes)
        locations.append(location)
    }

    func add(_ location: String) { locations.append(location) }

    func remove(from store: any ObjectStore) async {
        for location in locations { try? await store.delete(location) }
        locations = []
    }
}

extension TableMetadata {
    /// Records the metadata file being replaced in the metadata log, keeping at most
    /// `write.metadata.previous-versions-max` (default 100) entries.
    mutating func appendMetadataLog(previous location: String) {
        metadataLog.append(MetadataLogEntry(timestampMs: lastUpdatedMs, metadataFile: location))
        let limit = properties["write.metadata.previous-versions-max"].flatMap(Int.init).map { max(1, $0) } ?? 100
        if metadataLog.count > limit { metadataLog.removeFirst(metadataLog.count - limit) }
    }

    /// The next metadata file's name after `location`'s: `<version + 1>-<uuid>.metadata.json`, with
    /// the version read from the current name as PyIceberg and Java number them.
    static func metadataFileName(after location: String) -> String {
        let name = location.split(separator: "/").last.map(String.init) ?? ""
        let version = name.split(separator: "-", maxSplits: 1).first.flatMap { Int($0) } ?? -1
        return String(format: "%05d", version + 1) + "-" + UUID().uuidString.lowercased() + ".metadata.json"
    }
}
