import Testing

@testable import Lakehouse

@Suite struct S3ConfigurationTests {
    @Test func environmentSuppliesEndpointRegionAndCredentials() throws {
        let configuration = S3Configuration.fromEnvironment([
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9000", "AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKID",
            "AWS_SECRET_ACCESS_KEY": "wJalrSECRET", "AWS_SESSION_TOKEN": "token",
        ])
        #expect(configuration.endpoint == "http://127.0.0.1:9000")
        #expect(configuration.region == "eu-west-1")
        #expect(
            configuration.credentials
                == S3Credentials(accessKeyID: "AKID", secretAccessKey: "wJalrSECRET", sessionToken: "token"))
        #expect(String(describing: configuration.credentials!).contains("wJalrSECRET") == false)
        #expect(
            try configuration.resolvedEndpoint()
                == S3Endpoint(scheme: "http", host: "127.0.0.1", port: 9000, pathStyle: true))

        let s3Specific = S3Configuration.fromEnvironment([
            "AWS_ENDPOINT_URL": "http://a:1", "AWS_ENDPOINT_URL_S3": "http://b:2", "AWS_DEFAULT_REGION": "ap-south-1",
            "AWS_ACCESS_KEY_ID": "AKID",
        ])
        #expect(s3Specific.endpoint == "http://b:2")
        #expect(s3Specific.region == "ap-south-1")
        #expect(s3Specific.credentials == nil)  // no secret, no key pair
    }

    @Test func awsIsVirtualHostedByDefault() throws {
        var configuration = S3Configuration()
        configuration.region = "eu-central-1"
        let endpoint = try configuration.resolvedEndpoint()
        #expect(endpoint.description == "https://s3.eu-central-1.amazonaws.com")
        #expect(endpoint.origin(bucket: "lake") == "https://lake.s3.eu-central-1.amazonaws.com")
        #expect(endpoint.path(bucket: "lake", key: "db/t/x 1.parquet") == "/db/t/x%201.parquet")
        #expect(endpoint.path(bucket: "lake", key: nil) == "/")
        #expect(endpoint.origin(bucket: "my.lake") == "https://s3.eu-central-1.amazonaws.com")
        #expect(endpoint.path(bucket: "my.lake", key: "k") == "/my.lake/k")
        configuration.pathStyle = true
        let pathStyle = try configuration.resolvedEndpoint()
        #expect(pathStyle.origin(bucket: "lake") == "https://s3.eu-central-1.amazonaws.com")
        #expect(pathStyle.path(bucket: "lake", key: "db/t") == "/lake/db/t")
        #expect(pathStyle.path(bucket: "lake", key: nil) == "/lake")
    }

    @Test func endpointsAndHostHeaders() {
        let local = S3Endpoint(url: "http://localhost:9000/", pathStyle: true)
        #expect(local?.hostHeader(bucket: "b") == "localhost:9000")
        #expect(
            S3Endpoint(url: "https://minio.example:443", pathStyle: false)?.hostHeader(bucket: "b") == "b.minio.example"
        )
        #expect(S3Endpoint(url: "http://s3.local", pathStyle: true)?.origin(bucket: "b") == "http://s3.local")
        for bad in [
            "127.0.0.1:9000", "ftp://host", "http://", "http://host/path", "http://host:99999", "http://u@host",
        ] {
            #expect(S3Endpoint(url: bad, pathStyle: true) == nil, "\(bad)")
        }
    }

    @Test func validationNamesTheSetting() {
        var configuration = S3Configuration()
        configuration.partSize = 1 << 20
        #expect(
            throws: LakehouseError(
                .invalidParameterValue, "invalid S3 configuration: part size must be at least 5 MiB (5242880 bytes)")
        ) {
            try configuration.validate()
        }
        configuration = S3Configuration()
        configuration.endpoint = "localhost:9000"
        #expect(
            throws: LakehouseError(
                .invalidParameterValue, "invalid S3 endpoint \"localhost:9000\": expected http(s)://host[:port]")
        ) {
            _ = try S3ObjectStore(configuration: configuration)
        }
    }

    @Test func locations() throws {
        #expect(try S3Location(parsing: "s3://bucket/a/b.parquet") == S3Location(bucket: "bucket", key: "a/b.parquet"))
        #expect(try S3Location(parsing: "S3A://bucket") == S3Location(scheme: "s3a", bucket: "bucket", key: ""))
        #expect(try S3Location(parsing: "s3n://bucket/").key == "")
        #expect(throws: LakehouseError.io("s3:///key", "the S3 location names no bucket")) {
            try S3Location(parsing: "s3:///key")
        }
        #expect(throws: LakehouseError.self) { try S3Location(parsing: "file:///tmp/x") }
        #expect(S3Location.isS3("s3a://b/k") && !S3Location.isS3("/tmp/s3://x") && !S3Location.isS3("file:///x"))
    }

    @Test func retryPolicy() {
        let policy = S3RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(700))
        #expect(
            (2...6).map(policy.backoffCeiling(beforeAttempt:)) == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(700), .milliseconds(700),
            ])
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let wait = policy.backoff(beforeAttempt: 4, using: &generator)
            #expect(wait >= .milliseconds(200) && wait <= .milliseconds(400))
        }
        #expect(S3RetryPolicy.isRetryable(status: 503, code: "SlowDown"))
        #expect(S3RetryPolicy.isRetryable(status: 500, code: nil))
        #expect(S3RetryPolicy.isRetryable(status: 400, code: "RequestTimeout"))
        #expect(S3RetryPolicy.isRetryable(status: 409, code: "ConditionalRequestConflict"))
        #expect(!S3RetryPolicy.isRetryable(status: 403, code: "SignatureDoesNotMatch"))
        #expect(!S3RetryPolicy.isRetryable(status: 404, code: "NoSuchKey"))
        #expect(!S3RetryPolicy.isRetryable(status: 412, code: "PreconditionFailed"))
    }
}
