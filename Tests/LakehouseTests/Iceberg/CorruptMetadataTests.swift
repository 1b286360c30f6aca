import Foundation
import Testing
import TestSupport

@testable import Lakehouse

/// Damaged manifest lists, manifests and metadata files give XX001 naming the file, never a crash.
@Suite struct CorruptMetadataTests {
    private func manifestList() async throws -> (location: String, bytes: [UInt8]) {
        let fixture = try await PyIcebergFixture.shared.value
        let table = try await fixture.catalog.loadTable(TableIdentifier(namespace: ["fixtures"], name: "history"))
        let location = try #require(table.metadata.currentSnapshot?.manifestList)
        return (location, try await LocalObjectStore().read(location))
    }

    @Test func everyTruncationOfAManifestListIsCorruptData() async throws {
        let (location, bytes) = try await manifestList()
        let complete = try ManifestListReader.read(bytes, location: location)
        #expect(complete.count >= 1)
        var rejected = 0
        for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 200)) {
            do {
                // Cut exactly after the header or a block, the file is a valid container with fewer blocks.
                let partial = try ManifestListReader.read(Array(bytes[..<length]), location: location)
                #expect(partial.count < complete.count, "truncated to \(length) bytes")
            } catch let error as LakehouseError {
                rejected += 1
                #expect(error.sqlState == .dataCorrupted)
                #expect(error.message.contains(location))
            }
        }
        #expect(rejected > 100)
    }

    @Test func flippedBytesInAManifestNeverCrash() async throws {
        let fixture = try await PyIcebergFixture.shared.value
        let table = try await fixture.catalog.loadTable(TableIdentifier(namespace: ["fixtures"], name: "partitioned"))
        let scan = TableScan(table: table, store: LocalObjectStore())
        let snapshot = try #require(table.metadata.currentSnapshot)
        let manifests = try await scan.manifestFiles(of: snapshot)
        let manifest = try #require(manifests.first)
        let bytes = try await LocalObjectStore().read(manifest.path)
        let spec = try #require(table.metadata.partitionSpec(id: manifest.partitionSpecID))
        var generator = SeededGenerator(seed: 20_261_121)
        var failures = 0
        for _ in 0..<300 {
            var damaged = bytes
            let index = Int.random(in: 0..<damaged.count, using: &generator)
            damaged[index] ^= UInt8.random(in: 1...255, using: &generator)
            do {
                _ = try ManifestReader.read(
                    damaged, manifest: manifest, partitionFields: spec.fields,
                    partitionTypes: table.metadata.partitionTypes(specID: spec.specID))
            } catch let error as LakehouseError {
                failures += 1
                #expect(["XX001", "0A000"].contains(error.sqlState.code))
                #expect(error.message.contains(manifest.path))
            }
        }
        #expect(failures > 0)
    }

    @Test func badMagicAndMissingSchemaAreNamed() throws {
        #expect(throws: LakehouseError.corrupt("file:///m.avro", "not an Avro object container file (bad magic)")) {
            try AvroContainerReader(bytes: Array("PAR1".utf8), location: "file:///m.avro")
        }
        // Magic, an empty metadata map (count 0), then a 16-byte sync marker.
        let headerOnly: [UInt8] = [0x4F, 0x62, 0x6A, 0x01, 0x00] + [UInt8](repeating: 7, count: 16)
        #expect(throws: LakehouseError.corrupt("file:///m.avro", "Avro header has no avro.schema")) {
            try AvroContainerReader(bytes: headerOnly, location: "file:///m.avro")
        }
    }

    @Test func corruptMetadataJSONIsNamed() async throws {
        let fixture = try await PyIcebergFixture.shared.value
        let table = try await fixture.catalog.loadTable(TableIdentifier(namespace: ["fixtures"], name: "plain"))
        let bytes = try await LocalObjectStore().read(table.metadataLocation)
        #expect(throws: LakehouseError.corrupt("file:///v9.metadata.json", "table metadata is not valid JSON")) {
            try TableMetadataParser.parse(Array(bytes.prefix(bytes.count / 2)), location: "file:///v9.metadata.json")
        }
        var object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        object["current-schema-id"] = 7
        #expect(
            throws: LakehouseError.corrupt(
                "file:///v9.metadata.json", "metadata field \"current-schema-id\" names schema 7, which is not listed")
        ) {
            try TableMetadataParser.parse(
                Array(try JSONSerialization.data(withJSONObject: object)), location: "file:///v9.metadata.json")
        }
        object["current-schema-id"] = 0
        object.removeValue(forKey: "location")
        #expect(throws: LakehouseError.corrupt("file:///v9.metadata.json", "metadata field \"location\" is missing")) {
            try TableMetadataParser.parse(
                Array(try JSONSerialization.data(withJSONObject: object)), location: "file:///v9.metadata.json")
        }
    }
}
