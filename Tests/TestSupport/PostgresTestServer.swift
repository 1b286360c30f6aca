import Foundation

/// The PostgreSQL `scripts/run-with-test-servers.sh` started (`make test` runs the Swift tests beside
/// one), named by `WEIR_TEST_POSTGRES_DSN`. Without it the tests that need it are skipped, unless
/// `WEIR_REQUIRE_SERVERS=1`, which stops the run.
public enum PostgresTestServer {
    public static let dsn: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let dsn = environment["WEIR_TEST_POSTGRES_DSN"], !dsn.isEmpty { return dsn }
        if environment["WEIR_REQUIRE_SERVERS"] == "1" {
            fatalError("WEIR_REQUIRE_SERVERS=1 but WEIR_TEST_POSTGRES_DSN is not set: no PostgreSQL for the tests")
        }
        return nil
    }()
}
