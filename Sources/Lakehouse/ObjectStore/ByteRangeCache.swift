import Crypto
import Foundation
import Synchronization

/// A local-disk cache of byte ranges read from object storage, so that scans reading the same
/// Parquet column chunks, footers and manifests again do not fetch them again.
///
/// Iceberg never rewrites a file in place (a change writes new files), so a range read once stays
/// right for as long as the file exists; writing or deleting a location through the cached store
/// forgets what the cache holds for it. Each range is one file named by the SHA-256 of its
/// location and bounds, written atomically. When the cached bytes pass `capacityBytes`, the least
/// recently used ranges are removed until a tenth of the capacity is free. The cache belongs to
/// one server process: files an earlier run left in the directory are removed at startup.
public final class ByteRangeCache: Sendable {
    public let directory: String
    public let capacityBytes: Int
    private let disk = LocalObjectStore()
    private let state = Mutex<State>(State())

    private struct State {
        var entries: [String: Entry] = [:]
        /// Keys of each location's entries, so writes and deletes can forget them.
        var keysByLocation: [String: Set<String>] = [:]
        var totalBytes = 0
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
    }

    private struct Entry {
        var location: String
        var bytes: Int
        var lastUse: UInt64
    }

    /// A cache in `directory` (created if missing, emptied if not) holding at most `capacityBytes`.
    public init(directory: String, capacityBytes: Int) throws {
        guard capacityBytes >= 1 << 20 else {
            throw LakehouseError(
                .invalidParameterValue, "the byte-range cache needs at least 1 MiB, not \(capacityBytes) bytes")
        }
        self.directory = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.capacityBytes = capacityBytes
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
            for name in try manager.contentsOfDirectory(atPath: self.directory) where name.hasPrefix(Self.filePrefix) {
                try manager.removeItem(atPath: self.directory + "/" + name)
            }
        } catch {
            throw LakehouseError.io(
                "file://" + self.directory, "cannot prepare the byte-range cache directory: \(error)")
        }
    }

    /// Names of cache files start with this, so that only they are ever removed.
    static let filePrefix = "range-"

    /// Ranges larger than this share of the capacity are not kept (they would evict too much).
    var largestEntry: Int { capacityBytes / 4 }

    /// How many reads the cache answered, and how many it passed on.
    public var statistics: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }

    /// The cached bytes of `range` of `location` (nil `range`: the whole object), or nil.
    func bytes(of location: String, range: Range<Int>?) async -> [UInt8]? {
        let key = Self.key(location, range)
        let known = state.withLock { state -> Bool in
            guard state.entries[key] != nil else {
                state.misses += 1
                return false
            }
            state.clock += 1
            state.entries[key]!.lastUse = state.clock
            state.hits += 1
            return true
        }
        guard known else { return nil }
        guard let bytes = try? await disk.read(fileLocation(key)), range.map({ bytes.count == $0.count }) ?? true else {
            // Removed or cut short behind our back: forget it and read from the store.
            forget(key: key)
            return nil
        }
        return bytes
    }

    /// Keeps `bytes`, which are `range` of `location` (nil: the whole object).
    func keep(_ bytes: [UInt8], of location: String, range: Range<Int>?) async {
        guard bytes.count <= largestEntry else { return }
        let key = Self.key(location, range)
        guard state.withLock({ $0.entries[key] == nil }) else { return }
        do {
            try await disk.write(fileLocation(key), bytes: bytes)
        } catch {
            return  // A full or unwritable disk only means no caching.
        }
        let evicted = state.withLock { state -> [String] in
            if state.entries[key] == nil {
                state.clock += 1
                state.entries[key] = Entry(location: location, bytes: bytes.count, lastUse: state.clock)
                state.keysByLocation[location, default: []].insert(key)
                state.totalBytes += bytes.count
            }
            guard state.totalBytes > capacityBytes else { return [] }
            var evicted: [String] = []
            let target = capacityBytes - capacityBytes / 10
            for (oldKey, entry) in state.entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
                guard state.totalBytes > target else { break }
                Self.remove(oldKey, entry, from: &state)
                evicted.append(oldKey)
            }
            return evicted
        }
        for old in evicted { try? await disk.delete(fileLocation(old)) }
    }

    /// Forgets every range of `location` (it is being written or deleted).
    func forget(location: String) async {
        let keys = state.withLock { state -> [String] in
            let keys = Array(state.keysByLocation[location] ?? [])
            for key in keys { if let entry = state.entries[key] { Self.remove(key, entry, from: &state) } }
            return keys
        }
        for key in keys { try? await disk.delete(fileLocation(key)) }
    }

    private func forget(key: String) {
        state.withLock { state in
            if let entry = state.entries[key] { Self.remove(key, entry, from: &state) }
        }
    }

    private static func remove(_ key: String, _ entry: Entry, from state: inout State) {
        state.entries[key] = nil
        state.keysByLocation[entry.location]?.remove(key)
        if state.keysByLocation[entry.location]?.isEmpty == true { state.keysByLocation[entry.location] = nil }
        state.totalBytes -= entry.bytes
    }

    private func fileLocation(_ key: String) -> String { "file://" + directory + "/" + Self.filePrefix + key }

    private static func key(_ location: String, _ range: Range<Int>?) -> String {
        let text = location + "\u{0}" + (range.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "all")
        return SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// An object store whose reads of remote (S3) objects go through a `ByteRangeCache`; local files
/// are read directly, since the cache would only copy them.
public struct CachingObjectStore: ObjectStore {
    public let base: any ObjectStore
    public let cache: ByteRangeCache

    public init(base: any ObjectStore, cache: ByteRangeCache) {
        self.base = base
        self.cache = cache
    }

    public func size(of location: String) async throws -> Int {
        try await base.size(of: location)
    }

    public func read(_ location: String, range: Range<Int>) async throws -> [UInt8] {
        guard S3Location.isS3(location) else { return try await base.read(location, range: range) }
        if let cached = await cache.bytes(of: location, range: range) { return cached }
        let bytes = try await base.read(location, range: range)
        await cache.keep(bytes, of: location, range: range)
        return bytes
    }

    public func read(_ location: String) async throws -> [UInt8] {
        guard S3Location.isS3(location) else { return try await base.read(location) }
        if let cached = await cache.bytes(of: location, range: nil) { return cached }
        let bytes = try await base.read(location)
        await cache.keep(bytes, of: location, range: nil)
        return bytes
    }

    /// Cached ranges come from disk; the others are fetched together (concurrently on S3).
    public func read(_ location: String, ranges: [Range<Int>]) async throws -> [[UInt8]] {
        guard S3Location.isS3(location) else { return try await base.read(location, ranges: ranges) }
        var parts: [[UInt8]?] = []
        parts.reserveCapacity(ranges.count)
        for range in ranges { parts.append(await cache.bytes(of: location, range: range)) }
        let missing = ranges.indices.filter { parts[$0] == nil }
        if !missing.isEmpty {
            let fetched = try await base.read(location, ranges: missing.map { ranges[$0] })
            for (index, bytes) in zip(missing, fetched) {
                parts[index] = bytes
                await cache.keep(bytes, of: location, range: ranges[index])
            }
        }
        return parts.map { $0! }
    }

    public func write(_ location: String, bytes: [UInt8]) async throws {
        await cache.forget(location: location)
        try await base.write(location, bytes: bytes)
    }

    public func writeIfAbsent(_ location: String, bytes: [UInt8]) async throws -> Bool {
        try await base.writeIfAbsent(location, bytes: bytes)
    }

    public func delete(_ location: String) async throws {
        await cache.forget(location: location)
        try await base.delete(location)
    }

    public func list(prefix: String) async throws -> [String] {
        try await base.list(prefix: prefix)
    }

    public func listObjects(prefix: String) async throws -> [StoredObject] {
        try await base.listObjects(prefix: prefix)
    }
}
