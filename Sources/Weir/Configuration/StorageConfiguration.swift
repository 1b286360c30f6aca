import Foundation
import Lakehouse

/// Where warehouse files live besides the local file system: `storage` in the YAML file.
struct StorageConfiguration: Decodable, Equatable {
    /// The S3 or S3-compatible service that `s3://` locations name.
    var s3: S3?
    /// A local-disk cache of byte ranges read from S3; absent means none.
    var cache: Cache?

    /// `storage.cache`.
    struct Cache: Decodable, Equatable {
        /// Directory for the cached ranges (emptied when the server starts).
        var directory: String
        /// Most bytes kept: bytes, or a number with kB, MB, GB or TB (default 10GB).
        var maxBytes: String?

        enum CodingKeys: String, CodingKey { case directory, maxBytes = "max_bytes" }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            directory = try container.decode(String.self, forKey: .directory)
            if let bytes = try? container.decodeIfPresent(Int.self, forKey: .maxBytes) {
                maxBytes = String(bytes)
            } else {
                maxBytes = try container.decodeIfPresent(String.self, forKey: .maxBytes)
            }
        }

        /// The capacity in bytes; errors name the key.
        func capacityBytes() throws -> Int {
            guard let text = maxBytes else { return 10 << 30 }
            guard let bytes = EngineConfiguration.parseSize(text), bytes >= 1 << 20 else {
                throw ConfigurationError(
                    "storage.cache.max_bytes: \"\(text)\" is not a size of at least 1MB (bytes, or a number with kB, MB, GB or TB)"
                )
            }
            return bytes
        }
    }

    /// `storage.s3`. Every key is optional; unset ones fall back to the AWS environment variables
    /// (`AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, ...) and then to the defaults.
    struct S3: Decodable, Equatable {
        /// Service URL, `http(s)://host[:port]`; unset means AWS.
        var endpoint: String?
        /// Region requests are signed for.
        var region: String?
        /// Access key id; unset means `AWS_ACCESS_KEY_ID`.
        var accessKeyId: String?
        /// Environment variable holding the secret access key (default `AWS_SECRET_ACCESS_KEY`).
        var secretAccessKeyEnv: String?
        /// Environment variable holding a session token (default `AWS_SESSION_TOKEN`).
        var sessionTokenEnv: String?
        /// Bucket in the path instead of the host name (default: true with `endpoint`, false for AWS).
        var pathStyle: Bool?
        /// Objects larger than this are written as multipart uploads.
        var multipartThresholdBytes: Int?
        /// Part size of multipart uploads (at least 5 MiB).
        var partSizeBytes: Int?
        /// Ranged reads longer than this are split into concurrent GETs.
        var rangeRequestBytes: Int?
        /// Requests one read or write keeps in flight.
        var maxConcurrentRequests: Int?
        /// Attempts per request on 5xx, SlowDown, timeouts and broken connections.
        var maxAttempts: Int?
        /// Time limit of one attempt.
        var requestTimeoutSeconds: Double?
        /// Time limit for opening a connection.
        var connectTimeoutSeconds: Double?
        /// `If-None-Match: *` for create-only writes; false falls back to HEAD-then-PUT.
        var conditionalWrites: Bool?

        enum CodingKeys: String, CodingKey {
            case endpoint, region
            case accessKeyId = "access_key_id"
            case secretAccessKeyEnv = "secret_access_key_env"
            case sessionTokenEnv = "session_token_env"
            case pathStyle = "path_style"
            case multipartThresholdBytes = "multipart_threshold_bytes"
            case partSizeBytes = "part_size_bytes"
            case rangeRequestBytes = "range_request_bytes"
            case maxConcurrentRequests = "max_concurrent_requests"
            case maxAttempts = "max_attempts"
            case requestTimeoutSeconds = "request_timeout_seconds"
            case connectTimeoutSeconds = "connect_timeout_seconds"
            case conditionalWrites = "conditional_writes"
        }
    }

    /// The S3 client settings: `storage.s3` over the AWS environment variables over the defaults.
    /// Errors name the key at fault.
    func s3Configuration(environment: [String: String]) throws -> S3Configuration {
        var configuration = S3Configuration.fromEnvironment(environment)
        guard let s3 else {
            try Self.validate(configuration, key: "storage.s3")
            return configuration
        }
        if let endpoint = s3.endpoint {
            guard S3Endpoint(url: endpoint, pathStyle: true) != nil else {
                throw ConfigurationError("storage.s3.endpoint: \"\(endpoint)\" is not http(s)://host[:port]")
            }
            configuration.endpoint = endpoint
        }
        if let region = s3.region { configuration.region = region }
        configuration.pathStyle = s3.pathStyle ?? configuration.pathStyle

        let key = s3.accessKeyId ?? environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        if let key {
            let secretVariable = s3.secretAccessKeyEnv ?? "AWS_SECRET_ACCESS_KEY"
            guard let secret = environment[secretVariable], !secret.isEmpty else {
                throw ConfigurationError(
                    "storage.s3.secret_access_key_env: environment variable \(secretVariable) is not set "
                        + "(it holds the secret of access key \(key))")
            }
            let token = environment[s3.sessionTokenEnv ?? "AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            configuration.credentials = S3Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token)
        } else if let variable = s3.secretAccessKeyEnv {
            throw ConfigurationError("storage.s3.secret_access_key_env (\(variable)) needs storage.s3.access_key_id")
        }

        func positive(_ value: Int?, _ name: String, minimum: Int = 1) throws -> Int? {
            guard let value else { return nil }
            guard value >= minimum else { throw ConfigurationError("storage.s3.\(name) must be at least \(minimum)") }
            return value
        }
        func seconds(_ value: Double?, _ name: String) throws -> Duration? {
            guard let value else { return nil }
            guard value > 0, value.isFinite else { throw ConfigurationError("storage.s3.\(name) must be positive") }
            return .milliseconds(Int64((value * 1000).rounded(.up)))
        }
        configuration.multipartThreshold =
            try positive(s3.multipartThresholdBytes, "multipart_threshold_bytes") ?? configuration.multipartThreshold
        configuration.partSize =
            try positive(s3.partSizeBytes, "part_size_bytes", minimum: S3Configuration.minimumPartSize)
            ?? configuration.partSize
        configuration.rangeRequestSize =
            try positive(s3.rangeRequestBytes, "range_request_bytes", minimum: 1 << 16)
            ?? configuration.rangeRequestSize
        configuration.maxConcurrentRequests =
            try positive(s3.maxConcurrentRequests, "max_concurrent_requests") ?? configuration.maxConcurrentRequests
        configuration.maxAttempts = try positive(s3.maxAttempts, "max_attempts") ?? configuration.maxAttempts
        configuration.requestTimeout =
            try seconds(s3.requestTimeoutSeconds, "request_timeout_seconds") ?? configuration.requestTimeout
        configuration.connectTimeout =
            try seconds(s3.connectTimeoutSeconds, "connect_timeout_seconds") ?? configuration.connectTimeout
        configuration.conditionalWrites = s3.conditionalWrites ?? configuration.conditionalWrites
        try Self.validate(configuration, key: "storage.s3")
        return configuration
    }

    /// What the library's own checks find (an endpoint from `AWS_ENDPOINT_URL`, say), under `key`.
    private static func validate(_ configuration: S3Configuration, key: String) throws {
        do {
            try configuration.validate()
        } catch {
            throw ConfigurationError("\(key): \(error.message)")
        }
    }

    /// The byte-range cache `storage.cache` asks for, its directory prepared; nil without one.
    func byteRangeCache() throws -> ByteRangeCache? {
        guard let cache else { return nil }
        do {
            return try ByteRangeCache(directory: cache.directory, capacityBytes: try cache.capacityBytes())
        } catch let error as LakehouseError {
            throw ConfigurationError("storage.cache: \(error.message)")
        }
    }

    /// The object store the warehouse reads through: local files, and S3 as configured.
    func objectStore(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> SchemeDispatchingObjectStore
    {
        let s3 = try S3ObjectStore(configuration: s3Configuration(environment: environment))
        return SchemeDispatchingObjectStore(s3: s3)
    }
}
