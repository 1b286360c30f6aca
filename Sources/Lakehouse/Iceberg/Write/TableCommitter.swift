import Foundation

/// Commits a change to a table the way every Iceberg writer does: new manifests and metadata built
/// on the table as loaded, then the catalog's compare-and-swap (a SQL catalog's row update, a REST
/// catalog's commit with requirements).
///
/// `change` builds the new metadata from the table as just loaded, writing any manifest files it
/// needs through the given `CommitFiles`. When another writer commits first, the attempt's files
/// are removed, the table is loaded again and `change` runs again on top of the other commit, so
/// neither writer's work is lost. Retries follow the table's Iceberg properties:
/// `commit.retry.num-retries` (default 4), waiting `commit.retry.min-wait-ms` (default 100) doubled
/// each time up to `commit.retry.max-wait-ms` (default 60000), with jitter; after the last the
/// `40001` conflict reaches the caller. An error thrown by `change` itself ends the commit at once
/// (a conflict retrying cannot fix, for instance).
public struct TableCommitter {
    public let catalog: any IcebergCatalog
    public let store: any ObjectStore

    public init(catalog: any IcebergCatalog, store: any ObjectStore) {
        self.catalog = catalog
        self.store = store
    }

    /// Commits; returns the table as committed.
    @discardableResult
    public func commit(
        _ identifier: TableIdentifier, change: (IcebergTable, CommitFiles) async throws -> TableMetadata
    ) async throws -> IcebergTable {
        var attempt = 0
        while true {
            attempt += 1
            let table = try await catalog.loadTable(identifier)
            let files = CommitFiles(table: table)
            do {
                let metadata = try await change(table, files)
                do {
                    return try await catalog.commitTable(table, metadata: metadata)
                } catch let error as LakehouseError where error.sqlState == .serializationFailure {
                    throw Conflict()
                } catch let error as LakehouseError where error.sqlState == .statementCompletionUnknown {
                    // The commit may have happened and may point at these files: leave them.
                    throw error
                }
            } catch is Conflict {
                await files.remove(from: store)
                let retry = RetryPolicy(table.metadata.properties)
                guard attempt <= retry.retries else { throw LakehouseError.commitConflict(identifier) }
                try await Task.sleep(nanoseconds: retry.waitNanoseconds(beforeRetry: attempt))
            } catch let error as LakehouseError where error.sqlState == .statementCompletionUnknown {
                throw error
            } catch {
                await files.remove(from: store)
                throw error
            }
        }
    }

    /// Another writer moved the table between our load and our swap.
    private struct Conflict: Error {}

    /// How often and how patiently a conflicting commit is retried.
    struct RetryPolicy {
        var retries = 4
        var minimumWaitMs = 100
        var maximumWaitMs = 60_000

        init(_ properties: [String: String]) {
            if let value = properties["commit.retry.num-retries"].flatMap(Int.init), value >= 0 { retries = value }
            if let value = properties["commit.retry.min-wait-ms"].flatMap(Int.init), value >= 0 {
                minimumWaitMs = value
            }
            if let value = properties["commit.retry.max-wait-ms"].flatMap(Int.init), value >= 0 {
                maximumWaitMs = value
            }
        }

        /// The wait before retry `number` (1 for the first): doubling from the minimum, capped, with up
        /// to a tenth added at random so racing writers spread out.
        func waitNanoseconds(beforeRetry number: Int) -> UInt64 {
            let doubled = Double(minimumWaitMs) * pow(2, Double(min(number - 1, 30)))
            let milliseconds = min(doubled, Double(maximumWaitMs))
            return UInt64(milliseconds * (1 + Double.random(in: 0..<0.1)) * 1_000_000)
        }
    }
}

/// The files one commit attempt wrote (manifests, manifest list, metadata), so a failed attempt
/// can remove them.
public final class CommitFiles {
    /// Names this attempt's files apart from every other writer's.
    public let commitID = UUID().uuidString.lowercased()
    public let metadataDirectory: String
    private(set) var locations: [String] = []

    init(table: IcebergTable) {
        metadataDirectory = table.metadata.metadataDirectory
    }

    /// Writes `bytes` at `location` and remembers it.
    public func write(_ bytes: [UInt8], to location: String, in store: any ObjectStore) async throws {
        try await store.write(location, bytes: bytes)
        locations.append(location)
    }

    func remove(from store: any ObjectStore) async {
        for location in locations { try? await store.delete(location) }
        locations = []
    }
}

extension TableMetadata {
    /// `<location>/metadata`, where the table's metadata files and manifests go.
    var metadataDirectory: String {
        (location.hasSuffix("/") ? String(location.dropLast()) : location) + "/metadata"
    }

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
