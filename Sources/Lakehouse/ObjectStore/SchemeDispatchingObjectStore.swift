/// The object store of a warehouse whose files may live in several places: each location goes to
/// the store for its URI scheme, `s3://` (and `s3a://`, `s3n://`) to S3, `file://` and plain
/// absolute paths to the local file system.
///
/// Iceberg metadata records absolute locations, so one table can name files on both; the catalog
/// and scans hold this store and never choose.
public struct SchemeDispatchingObjectStore: RoutingObjectStore {
    public let local: LocalObjectStore
    /// Nil when no S3 store is configured: S3 locations then fail with an error saying so.
    public let s3: S3ObjectStore?

    public init(local: LocalObjectStore = LocalObjectStore(), s3: S3ObjectStore?) {
        self.local = local
        self.s3 = s3
    }

    /// The store for `location`.
    public func store(for location: String) throws(LakehouseError) -> any ObjectStore {
        guard S3Location.isS3(location) else { return local }
        guard let s3 else {
            throw LakehouseError.io(location, "no S3 object store is configured (see storage.s3 in the configuration)")
        }
        return s3
    }
}

/// An object store that hands each location to another store, chosen by `store(for:)`.
public protocol RoutingObjectStore: ObjectStore {
    /// The store that holds `location`.
    func store(for location: String) throws(LakehouseError) -> any ObjectStore
}

extension RoutingObjectStore {
    public func size(of location: String) async throws -> Int {
        try await store(for: location).size(of: location)
    }

    public func read(_ location: String, range: Range<Int>) async throws -> [UInt8] {
        try await store(for: location).read(location, range: range)
    }

    public func read(_ location: String) async throws -> [UInt8] {
        try await store(for: location).read(location)
    }

    public func read(_ location: String, ranges: [Range<Int>]) async throws -> [[UInt8]] {
        try await store(for: location).read(location, ranges: ranges)
    }

    public func write(_ location: String, bytes: [UInt8]) async throws {
        try await store(for: location).write(location, bytes: bytes)
    }

    public func writeIfAbsent(_ location: String, bytes: [UInt8]) async throws -> Bool {
        try await store(for: location).writeIfAbsent(location, bytes: bytes)
    }

    public func delete(_ location: String) async throws {
        try await store(for: location).delete(location)
    }

    public func list(prefix: String) async throws -> [String] {
        try await store(for: prefix).list(prefix: prefix)
    }

    public func listObjects(prefix: String) async throws -> [StoredObject] {
        try await store(for: prefix).listObjects(prefix: prefix)
    }
}
