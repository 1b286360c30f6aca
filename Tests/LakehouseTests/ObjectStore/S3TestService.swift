import Foundation

@testable import Lakehouse

/// The S3 service the integration tests run against: the moto_server that
/// `scripts/moto-server.sh start` launched, described by the credentials file it wrote and whose
/// path is in `WEIR_TEST_S3_CREDENTIALS` (`make test` sets it). Nil when the variable is unset,
/// which skips those tests, unless `WEIR_REQUIRE_SERVERS=1` (as in `make test`), which fails them.
struct S3TestService: Sendable {
    /// The credentials file itself, for scripts that talk to the service too.
    let credentialsFile: String
    let endpoint: String
    let region: String
    let credentials: S3Credentials
    let bucket: String

    static let current: S3TestService? = {
        guard let path = ProcessInfo.processInfo.environment["WEIR_TEST_S3_CREDENTIALS"], !path.isEmpty else {
            // `make test` requires every test server: a missing one fails the run instead of
            // skipping its tests quietly.
            if ProcessInfo.processInfo.environment["WEIR_REQUIRE_SERVERS"] == "1" {
                fatalError(
                    "WEIR_REQUIRE_SERVERS=1 but WEIR_TEST_S3_CREDENTIALS is not set: no moto_server for the S3 tests")
            }
            return nil
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            fatalError("WEIR_TEST_S3_CREDENTIALS names \(path), which cannot be read")
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let endpoint = values["AWS_ENDPOINT_URL"], let key = values["AWS_ACCESS_KEY_ID"],
            let secret = values["AWS_SECRET_ACCESS_KEY"], let bucket = values["WEIR_TEST_S3_BUCKET"]
        else {
            fatalError(
                "\(path) lacks AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or WEIR_TEST_S3_BUCKET")
        }
        return S3TestService(
            credentialsFile: path, endpoint: endpoint, region: values["AWS_REGION"] ?? "us-east-1",
            credentials: S3Credentials(accessKeyID: key, secretAccessKey: secret), bucket: bucket)
    }()

    static var isAvailable: Bool { current != nil }

    /// A configuration for this service, path-style, with short backoffs so failing tests end soon.
    func configuration() -> S3Configuration {
        var configuration = S3Configuration()
        configuration.endpoint = endpoint
        configuration.region = region
        configuration.credentials = credentials
        configuration.initialBackoff = .milliseconds(10)
        configuration.maxBackoff = .milliseconds(100)
        return configuration
    }

    /// A prefix no other test run uses: `s3://<bucket>/tests/<uuid>/`.
    func freshPrefix() -> String {
        "s3://\(bucket)/tests/\(UUID().uuidString.lowercased())/"
    }

    /// A prefix no other test run uses and without `/` after the bucket, for listing (see
    /// `S3ObjectStoreTests` on moto and `/` in query values): `s3://<bucket>/list-<uuid>-`.
    func flatPrefix() -> String {
        "s3://\(bucket)/list-\(UUID().uuidString.lowercased())-"
    }
}
