import Foundation
import Testing

@testable import Lakehouse

@Suite struct LocalObjectStoreTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("weir-store-\(UUID().uuidString)").path

    @Test func writesReadsRangesAndLists() async throws {
        let store = LocalObjectStore()
        let location = "file://\(root)/warehouse/db/t/metadata/v1.json"
        try await store.write(location, bytes: Array("hello, lakehouse".utf8))
        #expect(try await store.size(of: location) == 16)
        #expect(try await store.read(location) == Array("hello, lakehouse".utf8))
        #expect(try await store.read(location, range: 7..<16) == Array("lakehouse".utf8))
        try await store.write("file://\(root)/warehouse/db/t/data/a.parquet", bytes: [1])
        #expect(
            try await store.list(prefix: "file://\(root)/warehouse/db/t/")
                == ["file://\(root)/warehouse/db/t/data/a.parquet", location])
        #expect(try await store.list(prefix: "file://\(root)/warehouse/db/t/meta") == [location])
        try await store.delete(location)
        try await store.delete(location)
        await #expect(throws: LakehouseError.notFound(location)) { try await store.read(location) }
        try? FileManager.default.removeItem(atPath: root)
    }

    @Test func writeIfAbsentRefusesAnExistingObject() async throws {
        let store = LocalObjectStore()
        let location = "file://\(root)/v2.metadata.json"
        #expect(try await store.writeIfAbsent(location, bytes: [1, 2]))
        #expect(try await store.writeIfAbsent(location, bytes: [3]) == false)
        #expect(try await store.read(location) == [1, 2])
        try? FileManager.default.removeItem(atPath: root)
    }

    @Test func readPastTheEndIsCorruptData() async throws {
        let store = LocalObjectStore()
        let location = "file://\(root)/short.bin"
        try await store.write(location, bytes: [1, 2, 3])
        await #expect(throws: LakehouseError.corrupt(location, "file ends at byte 3, expected 10")) {
            try await store.read(location, range: 0..<10)
        }
        await #expect(throws: LakehouseError.io("relative/path", "not a local file location")) {
            try await store.read("relative/path")
        }
        try? FileManager.default.removeItem(atPath: root)
    }
}
