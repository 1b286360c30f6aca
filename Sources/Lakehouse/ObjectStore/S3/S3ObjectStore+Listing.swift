extension S3ObjectStore {
    /// Every object whose location starts with `prefix` (`s3://bucket/some/prefix`), through
    /// ListObjectsV2 pages of `listPageSize` keys, in S3's order (ascending UTF-8 bytes).
    public func list(prefix: String) async throws -> [String] {
        let base = try S3Location(parsing: prefix)
        var locations: [String] = []
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
            locations += page.keys.map(base.sibling(key:))
            continuation = page.nextContinuationToken
            if page.isTruncated, continuation == nil {
                throw LakehouseError.io(prefix, "ListObjectsV2 answered a truncated page without a continuation token")
            }
        } while continuation != nil
        return locations
    }
}

/// One page of a ListObjectsV2 answer.
struct S3ListPage: Equatable {
    var keys: [String]
    var isTruncated: Bool
    var nextContinuationToken: String?

    init(keys: [String], isTruncated: Bool, nextContinuationToken: String?) {
        self.keys = keys
        self.isTruncated = isTruncated
        self.nextContinuationToken = nextContinuationToken
    }

    init(_ body: [UInt8]) throws(S3XMLParser.Failure) {
        let root = try S3XMLParser.parse(body)
        guard root.name == "ListBucketResult" else {
            throw S3XMLParser.Failure(problem: "expected ListBucketResult, found \(root.name)")
        }
        let urlEncoded = root.value("EncodingType") == "url"
        keys = root.children("Contents").compactMap { $0.value("Key") }.map {
            urlEncoded ? S3URIEncoding.decode($0) : $0
        }
        isTruncated = root.value("IsTruncated") == "true"
        nextContinuationToken = isTruncated ? root.value("NextContinuationToken") : nil
    }
}
