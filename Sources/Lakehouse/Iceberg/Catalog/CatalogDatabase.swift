import PostgresClient

/// The database a SQL catalog keeps its two tables in (`iceberg_tables`,
/// `iceberg_namespace_properties`): an SQLite file, or PostgreSQL as PyIceberg's `SqlCatalog` and
/// Iceberg's JDBC catalog also use it.
public enum CatalogDatabase: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    /// A libpq connection string (`postgresql://user@host:port/db` or `host=... dbname=...`) and
    /// a password to use over any it holds.
    case postgres(connectionString: String, password: String?)

    /// Names the database without a password, for messages.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:///" + path.drop { $0 == "/" }
        case .postgres(let connectionString, _): return ConnectionString.redacted(connectionString)
        }
    }
}

/// One connection to a catalog database; statements use `?1`, `?2`, ... placeholders and SQL both
/// databases accept.
protocol CatalogDatabaseConnection: AnyObject {
    /// Runs statements that return no rows (DDL, BEGIN, COMMIT).
    func execute(_ sql: String) throws

    /// Every row of a query, each as its column values.
    func query(_ sql: String, _ parameters: [SQLValue]) throws -> [[SQLValue]]

    /// Runs a statement that changes rows; returns how many it changed.
    @discardableResult
    func run(_ sql: String, _ parameters: [SQLValue]) throws -> Int

    /// The statement that opens a transaction.
    var beginTransaction: String { get }

    /// The column names of `table`.
    func columns(of table: String) throws -> [String]
}

extension CatalogDatabaseConnection {
    func query(_ sql: String) throws -> [[SQLValue]] { try query(sql, []) }

    /// Runs `body` in a transaction, committing on success and rolling back on error.
    func transaction<Result>(_ body: () throws -> Result) throws -> Result {
        try execute(beginTransaction)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// A value bound to or read from a catalog statement.
enum SQLValue: Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The value as statement text (PostgreSQL parameters are sent as text).
    var parameterText: String? {
        switch self {
        case .null: return nil
        case .integer(let number): return String(number)
        case .real(let number): return String(number)
        case .text(let text): return text
        }
    }
}
