/// How `S3ObjectStore` reaches its service: endpoint, region, credentials, and the sizes, limits
/// and timeouts of its requests.
public struct S3Configuration: Sendable, Equatable {
    /// The service URL (`http://127.0.0.1:9000`); nil means AWS, `https://s3.<region>.amazonaws.com`.
    public var endpoint: String?
    /// The region requests are signed for.
    public var region = "us-east-1"
    /// The key pair requests are signed with; nil sends unsigned (anonymous) requests.
    public var credentials: S3Credentials?
    /// Bucket in the path rather than the host name; nil picks path-style for a custom endpoint
    /// and virtual-hosted for AWS.
    public var pathStyle: Bool?
    /// Objects larger than this many bytes are written with a multipart upload.
    public var multipartThreshold = 16 << 20
    /// Size of each part of a multipart upload but the last (S3 requires at least 5 MiB).
    public var partSize = 16 << 20
    /// Ranged reads longer than this are fetched as several concurrent ranged GETs.
    public var rangeRequestSize = 8 << 20
    /// Requests one operation keeps in flight at once (ranged GET pieces, upload parts).
    public var maxConcurrentRequests = 8
    /// Keys asked for per ListObjectsV2 page (S3 returns at most 1000).
    public var listPageSize = 1000
    /// Attempts per request, the first included, on 5xx, `SlowDown`, timeouts and broken connections.
    public var maxAttempts = 5
    /// Wait before the first retry; each later retry waits up to twice as long.
    public var initialBackoff: Duration = .milliseconds(100)
    /// Longest wait between retries.
    public var maxBackoff: Duration = .seconds(5)
    /// Time limit of one attempt, from sending the request to the last byte of the response.
    public var requestTimeout: Duration = .seconds(60)
    /// Time limit for opening a connection.
    public var connectTimeout: Duration = .seconds(10)
    /// Use `If-None-Match: *` for `writeIfAbsent` (AWS S3 since 2024, MinIO, moto). When false, a
    /// HEAD before the PUT stands in for it, which leaves a window for a concurrent writer.
    public var conditionalWrites = true
    /// Host names resolved to other addresses (name → address); the URL, `Host` header and
    /// signature keep the name. For endpoints whose virtual-hosted names DNS does not know.
    public var hostOverrides: [String: String] = [:]

    public static let minimumPartSize = 5 << 20

    public init() {}

    /// Defaults overlaid with the AWS environment variables: `AWS_ENDPOINT_URL_S3` or
    /// `AWS_ENDPOINT_URL`, `AWS_REGION` or `AWS_DEFAULT_REGION`, and `AWS_ACCESS_KEY_ID` +
    /// `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`).
    public static func fromEnvironment(_ environment: [String: String]) -> S3Configuration {
        var configuration = S3Configuration()
        func value(_ names: String...) -> String? {
            names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        }
        configuration.endpoint = value("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
        if let region = value("AWS_REGION", "AWS_DEFAULT_REGION") { configuration.region = region }
        if let key = value("AWS_ACCESS_KEY_ID"), let secret = value("AWS_SECRET_ACCESS_KEY") {
            configuration.credentials = S3Credentials(
                accessKeyID: key, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
        }
        return configuration
    }

    /// The endpoint requests go to, with the addressing style resolved.
    public func resolvedEndpoint() throws(LakehouseError) -> S3Endpoint {
        guard let endpoint else {
            var aws = S3Endpoint.aws(region: region)
            if let pathStyle { aws.pathStyle = pathStyle }
            return aws
        }
        guard let parsed = S3Endpoint(url: endpoint, pathStyle: pathStyle ?? true) else {
            throw LakehouseError(
                .invalidParameterValue, "invalid S3 endpoint \"\(endpoint)\": expected http(s)://host[:port]")
        }
        return parsed
    }

    /// Checks the values against S3's limits; `22023` naming the setting at fault.
    public func validate() throws(LakehouseError) {
        _ = try resolvedEndpoint()
        func invalid(_ message: String) -> LakehouseError {
            LakehouseError(.invalidParameterValue, "invalid S3 configuration: " + message)
        }
        guard !region.isEmpty else { throw invalid("region must not be empty") }
        guard partSize >= Self.minimumPartSize else {
            throw invalid("part size must be at least 5 MiB (5242880 bytes)")
        }
        guard multipartThreshold >= 1 else { throw invalid("multipart threshold must be positive") }
        guard rangeRequestSize >= 1 << 16 else { throw invalid("range request size must be at least 64 KiB") }
        guard maxConcurrentRequests >= 1 else { throw invalid("concurrent requests must be at least 1") }
        guard (1...1000).contains(listPageSize) else { throw invalid("list page size must be between 1 and 1000") }
        guard maxAttempts >= 1 else { throw invalid("attempts must be at least 1") }
        guard requestTimeout > .zero, connectTimeout > .zero else { throw invalid("timeouts must be positive") }
    }

    var retryPolicy: S3RetryPolicy {
        S3RetryPolicy(maxAttempts: maxAttempts, initialBackoff: initialBackoff, maxBackoff: maxBackoff)
    }
}
