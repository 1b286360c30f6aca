import CLibPQ
import Foundation
import SQLErrors
import Synchronization

/// A libpq connection to the PostgreSQL database of a SQL catalog.
///
/// Parameters go as text (`$1`, `$2`, ... in place of the catalog's `?1`, `?2`); results come back
/// as text. Errors are `58030` naming the database (its password left out), except integrity
/// violations (class `23`), which keep PostgreSQL's SQLSTATE so callers can tell a taken name.
final class PostgresCatalogConnection: CatalogDatabaseConnection, @unchecked Sendable {
    /// The connection string with any password removed, for messages.
    let name: String
    private let handle: OpaquePointer

    /// Connects as `connectionString` says, with `password` (when given) over any it holds.
    init(connectionString: String, password: String?) throws {
        name = Self.redacted(connectionString)
        // `dbname` is expanded as a whole connection string or URI; later keywords override it.
        var keywords = ["dbname", "connect_timeout"]
        var values = [connectionString, "10"]
        if let password {
            keywords.append("password")
            values.append(password)
        }
        let keywordPointers = keywords.map { strdup($0) } + [nil]
        let valuePointers = values.map { strdup($0) } + [nil]
        defer { for pointer in keywordPointers + valuePointers { free(pointer) } }
        let connected = PQconnectdbParams(
            keywordPointers.map { $0.map { UnsafePointer($0) } }, valuePointers.map { $0.map { UnsafePointer($0) } }, 1)
        guard let handle = connected else {
            throw LakehouseError.io(name, "cannot connect to the catalog database: out of memory")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(handle))
            PQfinish(handle)
            throw LakehouseError.io(name, "cannot connect to the catalog database: \(message)")
        }
        self.handle = handle
    }

    deinit {
        PQfinish(handle)
    }

    /// Whether the connection still works (the server may have closed it while it sat idle).
    var isUsable: Bool { PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE }

    func execute(_ sql: String) throws {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, sql)
    }

    func query(_ sql: String, _ parameters: [SQLValue] = []) throws -> [[SQLValue]] {
        let result = try send(sql, parameters)
        defer { PQclear(result) }
        var rows: [[SQLValue]] = []
        let columns = PQnfields(result)
        for row in 0..<PQntuples(result) {
            rows.append(
                (0..<columns).map { column in
                    PQgetisnull(result, row, column) == 1 ? .null : .text(String(cString: PQgetvalue(result, row, column)))
                })
        }
        return rows
    }

    @discardableResult
    func run(_ sql: String, _ parameters: [SQLValue] = []) throws -> Int {
        let result = try send(sql, parameters)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    var beginTransaction: String { "BEGIN" }

    func columns(of table: String) throws -> [String] {
        try query(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?1",
            [.text(table)]
        ).compactMap { $0.first?.text }
    }

    private func send(_ sql: String, _ parameters: [SQLValue]) throws -> OpaquePointer? {
        let texts: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.parameterText.flatMap { strdup($0) } }
        defer { for text in texts { free(text) } }
        let values: [UnsafePointer<CChar>?] = texts.map { $0.map { UnsafePointer($0) } }
        let result = PQexecParams(handle, Self.numberedParameters(sql), Int32(values.count), nil, values, nil, nil, 0)
        do {
            try check(result, sql)
        } catch {
            PQclear(result)
            throw error
        }
        return result
    }

    private func check(_ result: OpaquePointer?, _ sql: String) throws {
        let status = result.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        guard status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK else { return }
        var message = Self.trimmed(PQerrorMessage(handle))
        if let result, let text = PQresultErrorMessage(result), text.pointee != 0 { message = Self.trimmed(text) }
        let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.flatMap { SQLState(code: String(cString: $0)) }
        if let state, state.belongs(to: .integrityConstraintViolation) { throw LakehouseError(state, "catalog database \(name): \(message)") }
        throw LakehouseError.io(name, "catalog database statement failed: \(message)")
    }

    /// `?1` placeholders as PostgreSQL's `$1`. Catalog statements hold no `?` anywhere else.
    static func numberedParameters(_ sql: String) -> String {
        sql.replacingOccurrences(of: "?", with: "$")
    }

    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "unknown error"
    }

    /// The connection string without its password: `postgresql://user@host/db` or `host=... dbname=...`.
    static func redacted(_ connectionString: String) -> String {
        if connectionString.hasPrefix("postgres://") || connectionString.hasPrefix("postgresql://") {
            guard let schemeEnd = connectionString.range(of: "://"),
                let at = connectionString[schemeEnd.upperBound...].firstIndex(of: "@")
            else { return connectionString }
            let userInfo = connectionString[schemeEnd.upperBound..<at]
            let user = userInfo.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            return connectionString[..<schemeEnd.upperBound] + user + connectionString[at...]
        }
        return connectionString.split(separator: " ").filter { !$0.lowercased().hasPrefix("password=") }.joined(separator: " ")
    }
}

/// Open connections to one PostgreSQL catalog database, reused between catalog operations.
final class PostgresConnectionPool: Sendable {
    let connectionString: String
    let password: String?
    private let idle = Mutex<[PostgresCatalogConnection]>([])
    private let checkedTables = Mutex(false)
    /// At most this many idle connections are kept.
    static let maximumIdle = 4

    init(connectionString: String, password: String?) {
        self.connectionString = connectionString
        self.password = password
    }

    /// Whether the catalog's tables are known to exist in the database.
    var tablesExist: Bool {
        get { checkedTables.withLock { $0 } }
        set { checkedTables.withLock { $0 = newValue } }
    }

    /// An idle connection that still works, or a new one.
    func lease() throws -> PostgresLease {
        while let connection = idle.withLock({ $0.popLast() }) {
            if connection.isUsable { return PostgresLease(connection: connection, pool: self) }
        }
        return PostgresLease(connection: try PostgresCatalogConnection(connectionString: connectionString, password: password), pool: self)
    }

    fileprivate func giveBack(_ connection: PostgresCatalogConnection) {
        guard connection.isUsable else { return }
        idle.withLock { idle in
            if idle.count < Self.maximumIdle { idle.append(connection) }
        }
    }
}

/// A pooled connection for one catalog operation; it goes back to the pool when released.
final class PostgresLease: CatalogDatabaseConnection {
    private let connection: PostgresCatalogConnection
    private let pool: PostgresConnectionPool

    fileprivate init(connection: PostgresCatalogConnection, pool: PostgresConnectionPool) {
        self.connection = connection
        self.pool = pool
    }

    deinit {
        pool.giveBack(connection)
    }

    func execute(_ sql: String) throws { try connection.execute(sql) }
    func query(_ sql: String, _ parameters: [SQLValue]) throws -> [[SQLValue]] { try connection.query(sql, parameters) }
    @discardableResult
    func run(_ sql: String, _ parameters: [SQLValue]) throws -> Int { try connection.run(sql, parameters) }
    var beginTransaction: String { connection.beginTransaction }
    func columns(of table: String) throws -> [String] { try connection.columns(of: table) }
}
