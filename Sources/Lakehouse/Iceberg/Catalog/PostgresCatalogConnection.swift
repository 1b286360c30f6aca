import Foundation
import PostgresClient
import SQLErrors
import Synchronization

/// The PostgreSQL database of a SQL catalog: pooled connections, and whether the catalog's tables
/// are known to exist there (created at the first operation, so Weir starts while it is down).
final class PostgresCatalogDatabase: Sendable {
    private let pool: PostgresConnectionPool
    private let checkedTables = Mutex(false)

    init(connectionString: String, password: String?) {
        pool = PostgresConnectionPool(connectionString: connectionString, password: password)
    }

    /// A connection for one catalog operation; `createTables` runs on the first one.
    func connect(createTables: (any CatalogDatabaseConnection) throws -> Void) throws -> any CatalogDatabaseConnection {
        let connection: PostgresCatalogConnection
        do {
            connection = PostgresCatalogConnection(lease: try pool.lease())
        } catch {
            throw LakehouseError.io(
                ConnectionString.redacted(pool.connectionString), "catalog database: \(error.message)")
        }
        if !checkedTables.withLock({ $0 }) {
            try createTables(connection)
            checkedTables.withLock { $0 = true }
        }
        return connection
    }
}

/// One pooled connection to a SQL catalog's PostgreSQL database, speaking the catalog's `?1`
/// placeholders. Errors are `58030` naming the database (its password left out), except integrity
/// violations (class `23`), which keep PostgreSQL's SQLSTATE so callers can tell a taken name.
final class PostgresCatalogConnection: CatalogDatabaseConnection {
    private let lease: PostgresLease

    init(lease: PostgresLease) {
        self.lease = lease
    }

    func execute(_ sql: String) throws {
        try catalogErrors { () throws(PostgresClientError) in try lease.connection.execute(sql) }
    }

    func query(_ sql: String, _ parameters: [SQLValue]) throws -> [[SQLValue]] {
        try catalogErrors { () throws(PostgresClientError) in
            try lease.connection.query(Self.numberedParameters(sql), parameters.map(\.parameterText))
                .map { row in row.map { $0.map(SQLValue.text) ?? .null } }
        }
    }

    @discardableResult
    func run(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
        try catalogErrors { () throws(PostgresClientError) in
            try lease.connection.run(Self.numberedParameters(sql), parameters.map(\.parameterText))
        }
    }

    var beginTransaction: String { "BEGIN" }

    func columns(of table: String) throws -> [String] {
        try query(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?1",
            [.text(table)]
        ).compactMap { $0.first?.text }
    }

    private func catalogErrors<Result>(_ body: () throws(PostgresClientError) -> Result) throws(LakehouseError)
        -> Result
    {
        do {
            return try body()
        } catch {
            let name = lease.connection.name
            if error.isFromServer, error.sqlState.belongs(to: .integrityConstraintViolation) {
                throw LakehouseError(error.sqlState, "catalog database \(name): \(error.message)", detail: error.detail)
            }
            throw LakehouseError.io(name, "catalog database statement failed: \(error.message)")
        }
    }

    /// `?1` placeholders as PostgreSQL's `$1`. Catalog statements hold no `?` anywhere else.
    static func numberedParameters(_ sql: String) -> String {
        sql.replacingOccurrences(of: "?", with: "$")
    }
}
