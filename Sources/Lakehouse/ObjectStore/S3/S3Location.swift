/// An object location `s3://bucket/key` split into its bucket and key. `s3a://` and `s3n://`, the
/// Hadoop spellings some Iceberg writers record, name the same objects.
public struct S3Location: Sendable, Equatable {
    /// The URI scheme as written (`s3`, `s3a` or `s3n`), kept so listed locations read back alike.
    public let scheme: String
    public let bucket: String
    /// The object key (or key prefix), without a leading `/`; empty for the whole bucket.
    public let key: String

    public static let schemes = ["s3", "s3a", "s3n"]

    public init(scheme: String = "s3", bucket: String, key: String) {
        self.scheme = scheme
        self.bucket = bucket
        self.key = key
    }

    /// Parses `s3://bucket/key`; `58030` naming the location when it is not one.
    public init(parsing location: String) throws(LakehouseError) {
        guard let separator = location.range(of: "://"),
            Self.schemes.contains(location[..<separator.lowerBound].lowercased())
        else {
            throw LakehouseError.io(location, "not an S3 location (expected s3://bucket/key)")
        }
        let rest = location[separator.upperBound...]
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let bucket = String(rest[..<slash])
        guard !bucket.isEmpty else { throw LakehouseError.io(location, "the S3 location names no bucket") }
        self.scheme = location[..<separator.lowerBound].lowercased()
        self.bucket = bucket
        self.key = slash == rest.endIndex ? "" : String(rest[rest.index(after: slash)...])
    }

    /// Whether `location` uses one of the S3 schemes.
    public static func isS3(_ location: String) -> Bool {
        guard let separator = location.range(of: "://") else { return false }
        return schemes.contains(location[..<separator.lowerBound].lowercased())
    }

    /// The location of `key` in the same bucket, with the same scheme.
    func sibling(key: String) -> String { "\(scheme)://\(bucket)/\(key)" }

    public var description: String { sibling(key: key) }
}
