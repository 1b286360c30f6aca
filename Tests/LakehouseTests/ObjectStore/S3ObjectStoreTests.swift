import Foundation
import TestSupport
import Testing

@testable import Lakehouse

/// `S3ObjectStore` against a real S3 API: moto_server with signature checking on, started by
/// `scripts/moto-server.sh` (see `S3TestService`). Skipped when no service is configured.
///
/// moto verifies signatures against its web framework's re-encoding of the request, not the bytes
/// sent, and so refuses correctly signed requests from any client (botocore's too) whose key holds
/// characters other than unreserved ones, `/` and space, or whose query values hold `/` (a list
/// prefix `dir/`). Keys here keep to those characters and list prefixes hold no `/`; how the
/// signer encodes the rest is checked against AWS's vectors in `S3RequestSignerTests`.
@Suite(.enabled(if: S3TestService.isAvailable, "set WEIR_TEST_S3_CREDENTIALS (make test does)"))
struct S3ObjectStoreTests {
    let service = S3TestService.current!

    func store(_ adjust: (inout S3Configuration) -> Void = { _ in }) throws -> S3ObjectStore {
        var configuration = service.configuration()
        adjust(&configuration)
        return try S3ObjectStore(configuration: configuration)
    }

    static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    @Test func writeReadSizeAndRanges() async throws {
        let store = try store()
        let location = service.freshPrefix() + "metadata/v1 copy.metadata.json"
        let bytes = Array("hello, lakehouse on s3".utf8)
        try await store.write(location, bytes: bytes)
        #expect(try await store.size(of: location) == bytes.count)
        #expect(try await store.read(location) == bytes)
        #expect(try await store.read(location, range: 7..<16) == Array("lakehouse".utf8))
        #expect(try await store.read(location, range: 3..<3) == [])
        #expect(
            try await store.read(location, ranges: [0..<5, 20..<22, 7..<9]) == [
                Array("hello".utf8), Array("s3".utf8), Array("la".utf8),
            ])
        await #expect(throws: LakehouseError.corrupt(location, "object ends at byte 22, expected 30")) {
            try await store.read(location, range: 10..<30)
        }
        await #expect(throws: LakehouseError.corrupt(location, "object ends at byte 22, expected 50")) {
            try await store.read(location, range: 40..<50)
        }
        try await store.write(location, bytes: [1, 2, 3])
        #expect(try await store.read(location) == [1, 2, 3])
    }

    @Test func longRangesAreFetchedInConcurrentPieces() async throws {
        let store = try store { $0.rangeRequestSize = 1 << 16 }
        let location = service.freshPrefix() + "data/big.parquet"
        let bytes = Self.bytes(count: 1 << 20, seed: 7)
        try await store.write(location, bytes: bytes)
        #expect(try await store.read(location, range: 1000..<900_000) == Array(bytes[1000..<900_000]))
        let ranges = (0..<32).map { $0 * 30_000..<$0 * 30_000 + 777 }
        #expect(try await store.read(location, ranges: ranges) == ranges.map { Array(bytes[$0]) })
    }

    @Test func listsByPrefixAcrossPages() async throws {
        let store = try store { $0.listPageSize = 4 }
        let prefix = service.flatPrefix()
        let inside =
            (0..<11).map { prefix + "t/data/part \($0 < 10 ? "0" : "")\($0).parquet" } + [prefix + "t/do_nnees~.avro"]
        let outside = [prefix + "u/x", prefix + "v"]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for location in inside + outside { group.addTask { try await store.write(location, bytes: [1]) } }
            try await group.waitForAll()
        }
        #expect(
            try await store.list(prefix: prefix + "t")
                == inside.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(try await store.list(prefix: prefix).count == 14)
        #expect(try await store.list(prefix: prefix + "nothing") == [])
        let listedAsS3a = try await store.list(prefix: "s3a" + prefix.dropFirst(2) + "v")
        #expect(listedAsS3a == ["s3a" + prefix.dropFirst(2) + "v"])
    }

    @Test func deleteRemovesAndIgnoresMissingObjects() async throws {
        let store = try store()
        let location = service.freshPrefix() + "gone.bin"
        try await store.write(location, bytes: [9])
        try await store.delete(location)
        try await store.delete(location)
        await #expect(throws: LakehouseError.notFound(location)) { try await store.read(location) }
        await #expect(throws: LakehouseError.notFound(location)) { try await store.size(of: location) }
    }

    @Test func writeIfAbsentRefusesAnExistingObject() async throws {
        let store = try store()
        let location = service.freshPrefix() + "metadata/00001.metadata.json"
        #expect(try await store.writeIfAbsent(location, bytes: [1, 2]))
        #expect(try await store.writeIfAbsent(location, bytes: [3]) == false)
        #expect(try await store.read(location) == [1, 2])

        let headFirst = try self.store { $0.conditionalWrites = false }
        #expect(try await headFirst.writeIfAbsent(location, bytes: [4]) == false)
        #expect(try await headFirst.writeIfAbsent(location + ".2", bytes: [5]))
        #expect(try await store.read(location + ".2") == [5])
    }

    @Test func largeWritesUseMultipartUploads() async throws {
        let store = try store {
            $0.multipartThreshold = S3Configuration.minimumPartSize
            $0.partSize = S3Configuration.minimumPartSize
        }
        let location = service.freshPrefix() + "data/large.parquet"
        let bytes = Self.bytes(count: 2 * S3Configuration.minimumPartSize + 12_345, seed: 42)
        try await store.write(location, bytes: bytes)
        #expect(try await store.size(of: location) == bytes.count)
        #expect(try await store.read(location) == bytes)
        #expect(try await etag(location, store).hasSuffix("-3\""))

        #expect(try await store.writeIfAbsent(location, bytes: bytes) == false)
        let other = service.freshPrefix() + "data/large-conditional.parquet"
        #expect(try await store.writeIfAbsent(other, bytes: bytes))
        #expect(try await store.read(other, range: 5_000_000..<5_300_000) == Array(bytes[5_000_000..<5_300_000]))
    }

    @Test func missingObjectsAndBucketsAreNamed() async throws {
        let store = try store()
        let location = service.freshPrefix() + "no/such/object.parquet"
        await #expect(throws: LakehouseError(.undefinedFile, "object \"\(location)\" does not exist")) {
            try await store.read(location, range: 0..<10)
        }
        let error = await #expect(throws: LakehouseError.self) {
            try await store.read("s3://no-such-bucket-weir/x.json")
        }
        #expect(error?.sqlState == .undefinedFile)
        #expect(
            error?.message == "bucket \"no-such-bucket-weir\" of \"s3://no-such-bucket-weir/x.json\" does not exist")
    }

    @Test func aWrongSecretIsRefused() async throws {
        var credentials = service.credentials
        credentials.secretAccessKey = String(credentials.secretAccessKey.reversed())
        let store = try store { $0.credentials = credentials }
        let location = service.freshPrefix() + "secret.bin"
        let error = await #expect(throws: LakehouseError.self) { try await store.write(location, bytes: [1]) }
        #expect(error?.sqlState == .ioError)
        #expect(
            error?.message.hasPrefix(
                "access to \"\(location)\" was refused by the object store (HTTP 403 SignatureDoesNotMatch") == true)
        #expect(error?.detail?.contains("AWS_SECRET_ACCESS_KEY") == true)

        let unknownKey = try self.store {
            $0.credentials = S3Credentials(accessKeyID: "AKIAWEIRUNKNOWN00000", secretAccessKey: "x")
        }
        let refused = await #expect(throws: LakehouseError.self) { try await unknownKey.read(location) }
        #expect(refused?.message.contains("403 InvalidAccessKeyId") == true)
    }

    @Test func virtualHostedAddressing() async throws {
        let port = try #require(S3Endpoint(url: service.endpoint, pathStyle: true)?.port)
        let store = try store {
            $0.endpoint = "http://s3.weir.test:\(port)"
            $0.pathStyle = false
            $0.hostOverrides = ["\(service.bucket).s3.weir.test": "127.0.0.1"]
        }
        let prefix = service.freshPrefix()
        try await store.write(prefix + "virtual/a b.txt", bytes: [7, 8])
        #expect(try await store.read(prefix + "virtual/a b.txt") == [7, 8])
        let flat = service.flatPrefix()
        try await store.write(flat + "virtual", bytes: [9])
        #expect(try await store.list(prefix: flat) == [flat + "virtual"])
        // The same object through path-style addressing.
        #expect(try await self.store().read(prefix + "virtual/a b.txt") == [7, 8])
    }

    @Test func anUnreachableEndpointFailsAfterRetries() async throws {
        let closedPort = 1  // nothing listens on tcpmux
        let store = try store {
            $0.endpoint = "http://127.0.0.1:\(closedPort)"
            $0.maxAttempts = 3
        }
        let location = "s3://\(service.bucket)/x"
        let error = await #expect(throws: LakehouseError.self) { try await store.read(location) }
        #expect(error?.sqlState == .ioError)
        #expect(
            error?.message.hasPrefix(
                "could not access \"\(location)\": GET to http://127.0.0.1:\(closedPort) failed after 3 attempts")
                == true, "\(error?.message ?? "")")
    }

    @Test func locationsDispatchByScheme() async throws {
        let store = SchemeDispatchingObjectStore(s3: try store())
        let s3Location = service.freshPrefix() + "dispatch.bin"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "weir-dispatch-\(UUID().uuidString)"
        ).path
        let fileLocation = "file://\(directory)/dispatch.bin"
        try await store.write(s3Location, bytes: [1])
        try await store.write(fileLocation, bytes: [2])
        #expect(try await store.read(s3Location) == [1])
        #expect(try await LocalObjectStore().read(fileLocation) == [2])
        #expect(try await store.list(prefix: "file://\(directory)/") == [fileLocation])
        try? FileManager.default.removeItem(atPath: directory)
        await #expect(
            throws: LakehouseError.io(
                "s3://b/k", "no S3 object store is configured (see storage.s3 in the configuration)")
        ) {
            try await SchemeDispatchingObjectStore(s3: nil).read("s3://b/k")
        }
    }

    private func etag(_ location: String, _ store: S3ObjectStore) async throws -> String {
        let object = try S3Location(parsing: location)
        let response = try await store.transport.send(
            S3Request(method: .HEAD, bucket: object.bucket, key: object.key), location: location, operation: "HEAD")
        return response.headers.first(name: "etag") ?? ""
    }
}
