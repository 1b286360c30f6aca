/// Byte-level access to the objects a warehouse keeps: metadata JSON, Avro manifests, Parquet files.
///
/// Locations are absolute URIs as Iceberg metadata records them (`file:///var/warehouse/...`,
/// `s3://bucket/key`). Readers ask for byte ranges and never open sockets or files themselves, so
/// S3 fetching, caching and tests over in-memory bytes stay separate concerns. Every method throws
/// `LakehouseError` naming the location.
public protocol ObjectStore: Sendable {
    /// The object's length in bytes.
    func size(of location: String) async throws -> Int

    /// Bytes `range` of the object; fails with `XX001` when the object is shorter than `range`.
    func read(_ location: String, range: Range<Int>) async throws -> [UInt8]

    /// The whole object.
    func read(_ location: String) async throws -> [UInt8]

    /// Several byte ranges of one object, in the order given. Remote stores fetch them
    /// concurrently; the default reads them one after another.
    func read(_ location: String, ranges: [Range<Int>]) async throws -> [[UInt8]]

    /// Creates or replaces the object with `bytes`, atomically: readers see the old object or the
    /// new one, never a partial write.
    func write(_ location: String, bytes: [UInt8]) async throws

    /// Creates the object only if nothing exists at `location`; returns false when something does.
    /// Iceberg commits rely on this to detect a concurrent writer.
    func writeIfAbsent(_ location: String, bytes: [UInt8]) async throws -> Bool

    /// Removes the object; removing a missing object is not an error.
    func delete(_ location: String) async throws

    /// Locations of every object whose location starts with `prefix`.
    func list(prefix: String) async throws -> [String]

    /// Every object whose location starts with `prefix`, with when it was last written (what
    /// orphan-file cleanup needs to leave files of writes still in flight alone).
    func listObjects(prefix: String) async throws -> [StoredObject]
}

/// An object as a listing describes it.
public struct StoredObject: Sendable, Equatable {
    public var location: String
    /// Milliseconds since the epoch of the object's last write.
    public var modifiedMs: Int64

    public init(location: String, modifiedMs: Int64) {
        self.location = location
        self.modifiedMs = modifiedMs
    }
}

extension ObjectStore {
    public func read(_ location: String, ranges: [Range<Int>]) async throws -> [[UInt8]] {
        var parts: [[UInt8]] = []
        parts.reserveCapacity(ranges.count)
        for range in ranges { parts.append(try await read(location, range: range)) }
        return parts
    }
}
