import Engine

extension S3ObjectStore {
    /// Every object whose location starts with `prefix` (`s3://bucket/some/prefix`), through
    /// ListObjectsV2 pages of `listPageSize` keys, in S3's order (ascending UTF-8 bytes).
    public func list(prefix: String) async throws -> [String] {
        try await listObjects(prefix: prefix).map(\.location)
    }

    /// `list`, with each object's LastModified time.
    public func listObjects(prefix: String) async throws -> [StoredObject] {
        let base = try S3Location(parsing: prefix)
        var objects: [StoredObject] = []
        var continuation: String?
        repeat {
            var query: [(name: String, value: String)] = [
                ("list-type", "2"), ("prefix", base.key), ("max-keys", String(configuration.listPageSize)),
                ("encoding-type", "url"),
            ]
            if let continuation { query.append(("continuation-token", continuation)) }
            let response = try await transport.send(
                S3Request(method: .GET, bucket: base.bucket, key: nil, query: query), location: prefix,
                operation: "ListObjectsV2")
            guard response.isSuccess else { throw response.error(location: prefix, operation: "ListObjectsV2") }
            let page: S3ListPage
            do {
                page = try S3ListPage(response.body)
            } catch {
                throw LakehouseError.io(prefix, "ListObjectsV2 answered with an unreadable document: \(error.problem)")
            }
            objects += zip(page.keys, page.modifiedMs).map {
                StoredObject(location: base.sibling(key: $0), modifiedMs: $1)
            }
            continuation = page.nextContinuationToken
            if page.isTruncated, continuation == nil {
                throw LakehouseError.io(prefix, "ListObjectsV2 answered a truncated page without a continuation token")
            }
        } while continuation != nil
        return objects
    }
}

/// One page of a ListObjectsV2 answer.
struct S3ListPage: Equatable {
    var keys: [String]
    /// Each key's LastModified in milliseconds since the epoch (0 when S3 left it out).
    var modifiedMs: [Int64]
    var isTruncated: Bool
    var nextContinuationToken: String?

    init(keys: [String], modifiedMs: [Int64]? = nil, isTruncated: Bool, nextContinuationToken: String?) {
        self.keys = keys
        self.modifiedMs = modifiedMs ?? keys.map { _ in 0 }
        self.isTruncated = isTruncated
        self.nextContinuationToken = nextContinuationToken
    }

    init(_ body: [UInt8]) throws(S3XMLParser.Failure) {
        let root = try S3XMLParser.parse(body)
        guard root.name == "ListBucketResult" else {
            throw S3XMLParser.Failure(problem: "expected ListBucketResult, found \(root.name)")
        }
        let urlEncoded = root.value("EncodingType") == "url"
        let contents = root.children("Contents").filter { $0.value("Key") != nil }
        keys = contents.compactMap { $0.value("Key") }.map {
            urlEncoded ? S3URIEncoding.decode($0) : $0
        }
        modifiedMs = contents.map { Self.epochMilliseconds($0.value("LastModified") ?? "") ?? 0 }
        isTruncated = root.value("IsTruncated") == "true"
        nextContinuationToken = isTruncated ? root.value("NextContinuationToken") : nil
    }

    /// An ISO 8601 UTC time as S3 writes it (`2026-12-03T19:50:01.000Z`) in milliseconds since the epoch.
    static func epochMilliseconds(_ text: String) -> Int64? {
        let parts = text.split(whereSeparator: { "-T:Z".contains($0) })
        guard parts.count >= 6, let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
            let hour = Int64(parts[3]), let minute = Int64(parts[4]), let seconds = Double(parts[5])
        else { return nil }
        let days = Int64(CivilDate.days(year: Int(year), month: Int(month), day: Int(day)))
        return ((days * 24 + hour) * 60 + minute) * 60_000 + Int64((seconds * 1000).rounded())
    }
}
