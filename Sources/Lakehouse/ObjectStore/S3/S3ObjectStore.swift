import Crypto
import Foundation
import NIOHTTP1

/// An `ObjectStore` over the S3 REST API, for `s3://bucket/key` locations on AWS S3 or any
/// S3-compatible service (MinIO, Ceph RGW, Garage, moto).
///
/// Requests are signed with AWS Signature Version 4 and retried with backoff on transient
/// failures. Long ranged reads and `read(_:ranges:)` fetch several ranges at once; large writes go
/// up as multipart uploads with several parts in flight. Errors name the object: `58P01` for a
/// missing object or bucket, `58030` for refused access and other failures, `XX001` for an object
/// shorter than the range asked for.
public struct S3ObjectStore: ObjectStore {
    public var configuration: S3Configuration { transport.configuration }
    let transport: S3Transport

    /// A store for `configuration`; `22023` when it is invalid (an unparsable endpoint, a part
    /// size under 5 MiB, ...).
    public init(configuration: S3Configuration) throws(LakehouseError) {
        transport = try S3Transport(configuration: configuration)
    }

    public func size(of location: String) async throws -> Int {
        let object = try S3Location(parsing: location)
        let response = try await transport.send(
            S3Request(method: .HEAD, bucket: object.bucket, key: object.key), location: location, operation: "HEAD")
        guard response.isSuccess else { throw response.error(location: location, operation: "HEAD") }
        guard let length = response.headers.first(name: "content-length").flatMap(Int.init) else {
            throw LakehouseError.io(location, "HEAD answered without a Content-Length")
        }
        return length
    }

    public func read(_ location: String) async throws -> [UInt8] {
        let object = try S3Location(parsing: location)
        let response = try await transport.send(
            S3Request(method: .GET, bucket: object.bucket, key: object.key), location: location, operation: "GET")
        guard response.isSuccess else { throw response.error(location: location, operation: "GET") }
        return response.body
    }

    public func read(_ location: String, range: Range<Int>) async throws -> [UInt8] {
        let pieceSize = configuration.rangeRequestSize
        guard range.count > pieceSize else { return try await readRange(location, range: range) }
        let pieces = stride(from: range.lowerBound, to: range.upperBound, by: pieceSize).map {
            $0..<min($0 + pieceSize, range.upperBound)
        }
        let parts = try await read(location, ranges: pieces)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count)
        for part in parts { bytes += part }
        return bytes
    }

    /// Several ranges of one object, fetched concurrently (up to `maxConcurrentRequests` GETs at
    /// once), in the order asked.
    public func read(_ location: String, ranges: [Range<Int>]) async throws -> [[UInt8]] {
        try await concurrentlyMap(ranges, limit: configuration.maxConcurrentRequests) { range in
            try await readRange(location, range: range)
        }
    }

    /// One ranged GET.
    private func readRange(_ location: String, range: Range<Int>) async throws -> [UInt8] {
        guard !range.isEmpty else { return [] }
        let object = try S3Location(parsing: location)
        let response = try await transport.send(
            S3Request(
                method: .GET, bucket: object.bucket, key: object.key,
                headers: [("range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)")]),
            location: location, operation: "GET")
        switch response.status {
        case 206:
            guard response.body.count == range.count else {
                throw LakehouseError.corrupt(
                    location,
                    "object ends at byte \(range.lowerBound + response.body.count), expected \(range.upperBound)")
            }
            return response.body
        case 200:
            // A service that ignores Range sends the whole object.
            guard response.body.count >= range.upperBound else {
                throw LakehouseError.corrupt(
                    location, "object ends at byte \(response.body.count), expected \(range.upperBound)")
            }
            return Array(response.body[range])
        case 416:
            // The range starts past the end. S3 names the length in `Content-Range: bytes */N`;
            // services that leave it out are asked.
            var length = response.headers.first(name: "content-range").flatMap { $0.split(separator: "/").last }
                .flatMap { Int($0) }
            if length == nil { length = try await size(of: location) }
            throw LakehouseError.corrupt(location, "object ends at byte \(length!), expected \(range.upperBound)")
        default:
            throw response.error(location: location, operation: "GET")
        }
    }

    public func write(_ location: String, bytes: [UInt8]) async throws {
        let object = try S3Location(parsing: location)
        if bytes.count > configuration.multipartThreshold {
            _ = try await uploadMultipart(object, location: location, bytes: bytes, onlyIfAbsent: false)
            return
        }
        let response = try await transport.send(putRequest(object, bytes: bytes), location: location, operation: "PUT")
        guard response.isSuccess else { throw response.error(location: location, operation: "PUT") }
    }

    /// With `conditionalWrites` (the default), a PUT or multipart completion carrying
    /// `If-None-Match: *`, which S3 applies atomically: exactly one of two racing writers gets
    /// true. Without, a HEAD then an unconditional write, which a writer racing between the two
    /// requests can overwrite.
    public func writeIfAbsent(_ location: String, bytes: [UInt8]) async throws -> Bool {
        let object = try S3Location(parsing: location)
        guard configuration.conditionalWrites else {
            if try await exists(location) { return false }
            try await write(location, bytes: bytes)
            return true
        }
        if bytes.count > configuration.multipartThreshold {
            return try await uploadMultipart(object, location: location, bytes: bytes, onlyIfAbsent: true)
        }
        var request = putRequest(object, bytes: bytes)
        request.headers.append(("if-none-match", "*"))
        let response = try await transport.send(request, location: location, operation: "conditional PUT")
        if response.isSuccess { return true }
        guard response.status == 412 else { throw response.error(location: location, operation: "conditional PUT") }
        if response.followsUncertainAttempt {
            // The precondition may have failed on our own earlier attempt, applied but unanswered.
            return try await holdsOurBytes(location, bytes: bytes)
        }
        return false
    }

    public func delete(_ location: String) async throws {
        let object = try S3Location(parsing: location)
        let response = try await transport.send(
            S3Request(method: .DELETE, bucket: object.bucket, key: object.key), location: location, operation: "DELETE")
        guard
            response.isSuccess
                || (response.status == 404 && S3ErrorResponse(status: 404, body: response.body).code != "NoSuchBucket")
        else { throw response.error(location: location, operation: "DELETE") }
    }

    // MARK: - Helpers

    func putRequest(_ object: S3Location, bytes: [UInt8]) -> S3Request {
        S3Request(
            method: .PUT, bucket: object.bucket, key: object.key, body: bytes[...],
            payloadHash: S3RequestSigner.hexSHA256(bytes))
    }

    /// Whether something is stored at `location`. (A HEAD answer has no body, so a missing bucket
    /// also reads as absent; the write that follows then names it.)
    private func exists(_ location: String) async throws -> Bool {
        do {
            _ = try await size(of: location)
            return true
        } catch let error as LakehouseError where error.sqlState == .undefinedFile {
            return false
        }
    }

    /// Whether the object at `location` is exactly `bytes`: its ETag is the MD5 of a single-part
    /// upload, and otherwise the content decides.
    func holdsOurBytes(_ location: String, bytes: [UInt8]) async throws -> Bool {
        let object = try S3Location(parsing: location)
        let response = try await transport.send(
            S3Request(method: .HEAD, bucket: object.bucket, key: object.key), location: location, operation: "HEAD")
        guard response.isSuccess else { throw response.error(location: location, operation: "HEAD") }
        let etag = response.headers.first(name: "etag")?.filter { $0 != "\"" }
        if let etag, !etag.contains("-") {
            return etag.lowercased() == S3RequestSigner.hex(Insecure.MD5.hash(data: bytes))
        }
        return try await read(location) == bytes
    }
}

/// `transform` applied to every element with at most `limit` calls running at once; results in
/// input order. The first error cancels the rest.
func concurrentlyMap<Element: Sendable, Result: Sendable>(
    _ elements: [Element], limit: Int, _ transform: @escaping @Sendable (Element) async throws -> Result
) async throws -> [Result] {
    if elements.count <= 1 { return try await elements.asyncMap(transform) }
    return try await withThrowingTaskGroup(of: (Int, Result).self) { group in
        var results = [Result?](repeating: nil, count: elements.count)
        var next = 0
        for _ in 0..<min(limit, elements.count) {
            let index = next
            group.addTask { (index, try await transform(elements[index])) }
            next += 1
        }
        while let (index, result) = try await group.next() {
            results[index] = result
            if next < elements.count {
                let index = next
                group.addTask { (index, try await transform(elements[index])) }
                next += 1
            }
        }
        return results.map { $0! }
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
