/// Where S3 requests go: scheme, host and port of the service, and how buckets are addressed.
///
/// Path-style puts the bucket in the path (`http://127.0.0.1:9000/bucket/key`), as MinIO, Ceph
/// RGW, Garage and moto expect by default; virtual-hosted puts it in the host name
/// (`https://bucket.s3.eu-west-1.amazonaws.com/key`), as AWS prefers.
public struct S3Endpoint: Sendable, Equatable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    /// Nil for the scheme's default port.
    public var port: Int?
    public var pathStyle: Bool

    public init(scheme: String, host: String, port: Int? = nil, pathStyle: Bool) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.pathStyle = pathStyle
    }

    /// Parses `http(s)://host[:port][/]`; nil for anything else (a path, a user, no host).
    public init?(url: String, pathStyle: Bool) {
        guard let separator = url.range(of: "://") else { return nil }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var authority = url[separator.upperBound...]
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        guard !authority.isEmpty, !authority.contains("/"), !authority.contains("@"), !authority.contains("?") else {
            return nil
        }
        var host = String(authority)
        var port: Int?
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else {
                return nil
            }
            host = String(authority[..<colon])
            port = number
        }
        guard !host.isEmpty else { return nil }
        self.init(scheme: scheme, host: host, port: port, pathStyle: pathStyle)
    }

    /// AWS's regional endpoint, virtual-hosted.
    public static func aws(region: String) -> S3Endpoint {
        S3Endpoint(scheme: "https", host: "s3.\(region).amazonaws.com", pathStyle: false)
    }

    /// Whether requests about `bucket` put it in the path. Virtual-hosted addressing falls back to
    /// path-style for bucket names with dots over HTTPS, whose host names a wildcard certificate
    /// (`*.s3.amazonaws.com`) does not cover, as AWS's own SDKs do.
    func usesPathStyle(bucket: String) -> Bool {
        pathStyle || (scheme == "https" && bucket.contains("."))
    }

    /// The `Host` header value for a request about `bucket`.
    func hostHeader(bucket: String) -> String {
        let name = usesPathStyle(bucket: bucket) ? host : "\(bucket).\(host)"
        guard let port, port != (scheme == "https" ? 443 : 80) else { return name }
        return "\(name):\(port)"
    }

    /// The encoded request path for `key` in `bucket` (nil key: the bucket itself).
    func path(bucket: String, key: String?) -> String {
        let keyPath = key.map { "/" + S3URIEncoding.encodePath($0) } ?? ""
        if usesPathStyle(bucket: bucket) { return "/" + S3URIEncoding.encodePath(bucket) + keyPath }
        return keyPath.isEmpty ? "/" : keyPath
    }

    /// `scheme://host[:port]` for a request about `bucket`.
    func origin(bucket: String) -> String {
        "\(scheme)://\(hostHeader(bucket: bucket))"
    }

    public var description: String {
        "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "")
    }
}
