@testable import Lakehouse

/// A read-only `ObjectStore` over bytes held in memory, for feeding the reader corrupted files.
struct InMemoryObjectStore: ObjectStore {
    let objects: [String: [UInt8]]

    func size(of location: String) async throws -> Int {
        guard let bytes = objects[location] else { throw LakehouseError.notFound(location) }
        return bytes.count
    }

    func read(_ location: String, range: Range<Int>) async throws -> [UInt8] {
        guard let bytes = objects[location] else { throw LakehouseError.notFound(location) }
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
            throw LakehouseError.corrupt(location, "file ends at byte \(bytes.count), expected \(range.upperBound)")
        }
        return Array(bytes[range])
    }

    func read(_ location: String) async throws -> [UInt8] {
        guard let bytes = objects[location] else { throw LakehouseError.notFound(location) }
        return bytes
    }

    func write(_ location: String, bytes: [UInt8]) async throws { throw LakehouseError.io(location, "read-only store") }
    func writeIfAbsent(_ location: String, bytes: [UInt8]) async throws -> Bool {
        throw LakehouseError.io(location, "read-only store")
    }
    func delete(_ location: String) async throws { throw LakehouseError.io(location, "read-only store") }
    func list(prefix: String) async throws -> [String] { objects.keys.filter { $0.hasPrefix(prefix) }.sorted() }
    func listObjects(prefix: String) async throws -> [StoredObject] {
        try await list(prefix: prefix).map { StoredObject(location: $0, modifiedMs: 0) }
    }
}
