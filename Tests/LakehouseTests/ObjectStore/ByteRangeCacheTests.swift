import Foundation
import Synchronization
import Testing

@testable import Lakehouse

/// The local-disk cache of byte ranges: what it answers, what it passes on, what it forgets.
@Suite struct ByteRangeCacheTests {
    /// An S3-like store in memory that counts the reads reaching it.
    final class CountingStore: ObjectStore {
        let objects = Mutex<[String: [UInt8]]>([:])
        let reads = Mutex(0)

        func put(_ location: String, _ bytes: [UInt8]) { objects.withLock { $0[location] = bytes } }

        private func object(_ location: String) throws -> [UInt8] {
            guard let bytes = objects.withLock({ $0[location] }) else { throw LakehouseError.notFound(location) }
            return bytes
        }

        func size(of location: String) async throws -> Int { try object(location).count }
        func read(_ location: String, range: Range<Int>) async throws -> [UInt8] {
            reads.withLock { $0 += 1 }
            return Array(try object(location)[range])
        }
        func read(_ location: String) async throws -> [UInt8] {
            reads.withLock { $0 += 1 }
            return try object(location)
        }
        func write(_ location: String, bytes: [UInt8]) async throws { put(location, bytes) }
        func writeIfAbsent(_ location: String, bytes: [UInt8]) async throws -> Bool {
            objects.withLock { objects in
                guard objects[location] == nil else { return false }
                objects[location] = bytes
                return true
            }
        }
        func delete(_ location: String) async throws { _ = objects.withLock { $0.removeValue(forKey: location) } }
        func list(prefix: String) async throws -> [String] {
            objects.withLock { $0.keys.filter { $0.hasPrefix(prefix) }.sorted() }
        }
        func listObjects(prefix: String) async throws -> [StoredObject] {
            try await list(prefix: prefix).map { StoredObject(location: $0, modifiedMs: 0) }
        }
    }

    func makeCache(capacity: Int = 1 << 20) throws -> (ByteRangeCache, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weir-cache-\(UUID().uuidString)")
            .path
        return (try ByteRangeCache(directory: directory, capacityBytes: capacity), directory)
    }

    func cacheFiles(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter {
            $0.hasPrefix(ByteRangeCache.filePrefix)
        }
    }

    @Test func repeatedReadsOfARangeAreAnsweredFromDisk() async throws {
        let (cache, directory) = try makeCache()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let remote = CountingStore()
        let file = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        remote.put("s3://bucket/data/a.parquet", file)
        let store = CachingObjectStore(base: remote, cache: cache)

        #expect(try await store.read("s3://bucket/data/a.parquet", range: 100..<5_000) == Array(file[100..<5_000]))
        #expect(try await store.read("s3://bucket/data/a.parquet", range: 100..<5_000) == Array(file[100..<5_000]))
        #expect(remote.reads.withLock { $0 } == 1)
        // A different range of the same file is a different entry.
        #expect(
            try await store.read("s3://bucket/data/a.parquet", range: 99_000..<100_000) == Array(file[99_000..<100_000])
        )
        #expect(remote.reads.withLock { $0 } == 2)
        // Several ranges at once: cached ones from disk, the rest fetched.
        let parts = try await store.read(
            "s3://bucket/data/a.parquet", ranges: [100..<5_000, 6_000..<7_000, 99_000..<100_000])
        #expect(parts == [Array(file[100..<5_000]), Array(file[6_000..<7_000]), Array(file[99_000..<100_000])])
        #expect(remote.reads.withLock { $0 } == 3)
        #expect(try await store.read("s3://bucket/data/a.parquet") == file)
        #expect(try await store.read("s3://bucket/data/a.parquet") == file)
        #expect(remote.reads.withLock { $0 } == 4)
        #expect(cache.statistics.hits == 4)
        #expect(try cacheFiles(directory).count == 4)
    }

    @Test func writesAndDeletesForgetTheLocation() async throws {
        let (cache, directory) = try makeCache()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let remote = CountingStore()
        remote.put("s3://bucket/m.avro", Array(repeating: 1, count: 1_000))
        let store = CachingObjectStore(base: remote, cache: cache)
        _ = try await store.read("s3://bucket/m.avro", range: 0..<10)
        try await store.write("s3://bucket/m.avro", bytes: Array(repeating: 2, count: 1_000))
        #expect(try await store.read("s3://bucket/m.avro", range: 0..<10) == Array(repeating: 2, count: 10))
        try await store.delete("s3://bucket/m.avro")
        #expect(try cacheFiles(directory).isEmpty)
        await #expect(throws: LakehouseError.notFound("s3://bucket/m.avro")) {
            try await store.read("s3://bucket/m.avro", range: 0..<10)
        }
    }

    @Test func leastRecentlyUsedRangesGoFirstPastTheCapacity() async throws {
        let (cache, directory) = try makeCache(capacity: 1 << 20)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let remote = CountingStore()
        remote.put("s3://bucket/big", Array(repeating: 7, count: 4 << 20))
        let store = CachingObjectStore(base: remote, cache: cache)
        let chunk = 200_000
        for index in 0..<4 { _ = try await store.read("s3://bucket/big", range: index * chunk..<(index + 1) * chunk) }
        _ = try await store.read("s3://bucket/big", range: 0..<chunk)  // the first is used again
        for index in 4..<6 { _ = try await store.read("s3://bucket/big", range: index * chunk..<(index + 1) * chunk) }
        // 6 ranges of 200 kB do not fit in 1 MiB: the oldest unused ones (1 and 2) went.
        let before = remote.reads.withLock { $0 }
        _ = try await store.read("s3://bucket/big", range: 0..<chunk)
        #expect(remote.reads.withLock { $0 } == before)
        _ = try await store.read("s3://bucket/big", range: chunk..<2 * chunk)
        #expect(remote.reads.withLock { $0 } == before + 1)
        let stored = try cacheFiles(directory).reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? Int) ?? 0)
        }
        #expect(stored <= 1 << 20)
        // A range over a quarter of the capacity is passed through, not kept.
        _ = try await store.read("s3://bucket/big", range: 0..<(300_000))
        _ = try await store.read("s3://bucket/big", range: 0..<(300_000))
        #expect(remote.reads.withLock { $0 } == before + 3)
    }

    @Test func aCacheFileRemovedBehindItsBackIsReadAgainAndLocalFilesAreNotCached() async throws {
        let (cache, directory) = try makeCache()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let remote = CountingStore()
        remote.put("s3://bucket/x", Array(0..<200))
        remote.put("file:///tmp/local", Array(0..<200))
        let store = CachingObjectStore(base: remote, cache: cache)
        _ = try await store.read("s3://bucket/x", range: 0..<100)
        for name in try cacheFiles(directory) { try FileManager.default.removeItem(atPath: directory + "/" + name) }
        #expect(try await store.read("s3://bucket/x", range: 0..<100) == Array(0..<100))
        #expect(remote.reads.withLock { $0 } == 2)
        _ = try await store.read("file:///tmp/local", range: 0..<100)
        _ = try await store.read("file:///tmp/local", range: 0..<100)
        #expect(remote.reads.withLock { $0 } == 4)
        // A new cache in the same directory starts empty.
        _ = try await store.read("s3://bucket/x", range: 0..<100)
        #expect(try cacheFiles(directory).count == 1)
        _ = try ByteRangeCache(directory: directory, capacityBytes: 1 << 20)
        #expect(try cacheFiles(directory).isEmpty)
    }
}
