import Foundation

/// The two housekeeping jobs an Iceberg table needs: expiring old snapshots (and deleting the
/// files only they reached) and removing orphan files (left by failed writes or other engines).
public struct TableMaintenance {
    public let catalog: any IcebergCatalog
    public let store: any ObjectStore

    public init(catalog: any IcebergCatalog, store: any ObjectStore) {
        self.catalog = catalog
        self.store = store
    }

    /// What `expireSnapshots` removed.
    public struct ExpiryResult: Sendable, Equatable {
        public var expiredSnapshots = 0
        public var deletedDataFiles = 0
        public var deletedManifests = 0
        public var deletedManifestLists = 0
    }

    /// Removes the snapshots committed before `olderThanMs`, except the newest `retainLast` of the
    /// current branch's history and those a branch or tag points at, in one metadata commit; then
    /// deletes the manifest lists, manifests and data or delete files no remaining snapshot reaches.
    public func expireSnapshots(_ identifier: TableIdentifier, olderThanMs: Int64, retainLast: Int) async throws
        -> ExpiryResult
    {
        var expired: [Snapshot] = []
        let committed = try await TableCommitter(catalog: catalog, store: store).commit(identifier) { table, _ in
            var metadata = table.metadata
            var keep = Set(metadata.refs.values.map(\.snapshotID))
            var ancestor = metadata.currentSnapshot
            var kept = 0
            while let snapshot = ancestor, kept < max(1, retainLast) {
                keep.insert(snapshot.snapshotID)
                kept += 1
                ancestor = snapshot.parentSnapshotID.flatMap { metadata.snapshot(id: $0) }
            }
            expired = metadata.snapshots.filter { !keep.contains($0.snapshotID) && $0.timestampMs < olderThanMs }
            let expiredIDs = Set(expired.map(\.snapshotID))
            metadata.snapshots.removeAll { expiredIDs.contains($0.snapshotID) }
            metadata.snapshotLog.removeAll { expiredIDs.contains($0.snapshotID) }
            return metadata
        }
        var result = ExpiryResult(expiredSnapshots: expired.count)
        guard !expired.isEmpty else { return result }
        let reachable = try await reachableFiles(committed)
        var doomedLists: Set<String> = []
        var doomedManifests: Set<String> = []
        var doomedFiles: Set<String> = []
        for snapshot in expired {
            if let list = snapshot.manifestList, !reachable.contains(list) { doomedLists.insert(list) }
            for manifest in try await TableScan(table: committed, store: store).manifestFiles(of: snapshot) {
                if !reachable.contains(manifest.path) { doomedManifests.insert(manifest.path) }
                for entry in try await entries(of: manifest, in: committed.metadata)
                where !reachable.contains(entry.dataFile.filePath) {
                    doomedFiles.insert(entry.dataFile.filePath)
                }
            }
        }
        // Files go before the manifests that name them, so an interruption leaves only orphans.
        for location in doomedFiles.sorted() { try? await store.delete(location) }
        for location in doomedManifests.sorted() { try? await store.delete(location) }
        for location in doomedLists.sorted() { try? await store.delete(location) }
        result.deletedDataFiles = doomedFiles.count
        result.deletedManifests = doomedManifests.count
        result.deletedManifestLists = doomedLists.count
        return result
    }

    /// Deletes the files under the table's location that no metadata file, snapshot, manifest or
    /// manifest entry of the table names and that were last written before `olderThanMs` (so a
    /// write still in flight keeps its files); returns their locations.
    public func removeOrphanFiles(_ identifier: TableIdentifier, olderThanMs: Int64) async throws -> [String] {
        let table = try await catalog.loadTable(identifier)
        var reachable = try await reachableFiles(table)
        reachable.insert(table.metadataLocation)
        for entry in table.metadata.metadataLog { reachable.insert(entry.metadataFile) }
        let base = table.metadata.location.hasSuffix("/") ? table.metadata.location : table.metadata.location + "/"
        let orphans = try await store.listObjects(prefix: base)
            .filter { !reachable.contains($0.location) && $0.modifiedMs < olderThanMs }
            .map(\.location)
        for location in orphans { try? await store.delete(location) }
        return orphans
    }

    /// Every manifest list and manifest some snapshot of `table` reaches, and every data or
    /// delete file live in one (a file only listed as deleted is not needed by any snapshot).
    private func reachableFiles(_ table: IcebergTable) async throws -> Set<String> {
        let metadata = table.metadata
        var reachable: Set<String> = []
        var seenManifests: Set<String> = []
        for snapshot in metadata.snapshots {
            if let list = snapshot.manifestList { reachable.insert(list) }
            for manifest in try await TableScan(table: table, store: store).manifestFiles(of: snapshot)
            where seenManifests.insert(manifest.path).inserted {
                reachable.insert(manifest.path)
                for entry in try await entries(of: manifest, in: metadata) where entry.isLive {
                    reachable.insert(entry.dataFile.filePath)
                }
            }
        }
        return reachable
    }

    private func entries(of manifest: ManifestFile, in metadata: TableMetadata) async throws -> [ManifestEntry] {
        let spec = metadata.partitionSpec(id: manifest.partitionSpecID)
        return try ManifestReader.read(
            try await store.read(manifest.path), manifest: manifest, partitionFields: spec?.fields ?? [],
            partitionTypes: metadata.partitionTypes(specID: manifest.partitionSpecID).map { $0 })
    }
}
