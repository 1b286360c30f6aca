import Testing

@testable import Lakehouse

/// The cache of parsed metadata files keeps what fits, drops the least recently used first, and
/// loads again only what it does not hold.
@Suite struct IcebergFileCacheTests {
    @Test func keepsEvictsAndCounts() async throws {
        let cache = IcebergFileCache(capacityBytes: 400)
        var loads = 0
        func get(_ key: String, bytes: Int = 100) async throws -> String {
            try await cache.value(key) {
                loads += 1
                return ("value of \(key)", bytes)
            }
        }
        #expect(try await get("a") == "value of a")
        #expect(try await get("a") == "value of a")
        #expect(loads == 1)
        _ = try await get("b")
        _ = try await get("c")
        _ = try await get("a")  // a is now the most recently used
        _ = try await get("d")
        _ = try await get("e")  // over 400 bytes: b, the least recently used, goes
        #expect(loads == 5)
        _ = try await get("a")
        #expect(loads == 5)
        _ = try await get("b")
        #expect(loads == 6)
        // An entry over a quarter of the capacity is not kept.
        _ = try await get("big", bytes: 150)
        _ = try await get("big", bytes: 150)
        #expect(loads == 8)
        cache.setCapacity(0)
        _ = try await get("a")
        #expect(loads == 9)
        #expect(cache.counts.hits == 3)
    }

    @Test func failedLoadsAreNotKept() async throws {
        let cache = IcebergFileCache(capacityBytes: 1000)
        struct Failure: Error {}
        await #expect(throws: Failure.self) {
            let _: Int = try await cache.value("x") { throw Failure() }
        }
        #expect(try await cache.value("x") { (7, 10) } == 7)
    }
}
