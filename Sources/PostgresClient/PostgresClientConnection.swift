import CLibPQ
import Foundation
import SQLErrors

/// One libpq connection to a PostgreSQL server, used from one task at a time.
///
/// Statements take `$1`, `$2`, ... parameters as text and return values as text. Errors are
/// `PostgresClientError`s: the server's SQLSTATE when it answered, `08006` when the connection failed.
public final class PostgresClientConnection: @unchecked Sendable {
    // @unchecked: libpq connections are not thread-safe; each is leased to one task at a time
    // (`PostgresConnectionPool`) and never shared while in use.

    /// The connection string with any password removed, for messages.
    public let name: String
    private let handle: OpaquePointer

    /// Connects as `connectionString` says, with `password` (when given) over any it holds, giving
    /// up after `connectTimeoutSeconds`.
    public init(connectionString: String, password: String?, connectTimeoutSeconds: Int = 10)
        throws(PostgresClientError)
    {
        name = ConnectionString.redacted(connectionString)
        // `dbname` is expanded as a whole connection string or URI; later keywords override it.
        var keywords = ["dbname", "connect_timeout"]
        var values = [connectionString, String(connectTimeoutSeconds)]
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
            throw PostgresClientError(.outOfMemory, "cannot connect to \(name): out of memory", isFromServer: false)
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(handle))
            PQfinish(handle)
            throw PostgresClientError(.connectionFailure, "cannot connect to \(name): \(message)", isFromServer: false)
        }
        self.handle = handle
    }

    deinit {
        PQfinish(handle)
    }

    /// Whether the connection still works and is outside a transaction (the server may have
    /// closed it while it sat idle).
    public var isUsable: Bool { PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE }

    /// Runs statements that return no rows (DDL, BEGIN, COMMIT); several may be separated by `;`.
    public func execute(_ sql: String) throws(PostgresClientError) {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result)
    }

    /// Every row of a query, each as its column values in text form (nil for NULL).
    public func query(_ sql: String, _ parameters: [String?] = []) throws(PostgresClientError) -> [[String?]] {
        let result = try send(sql, parameters)
        defer { PQclear(result) }
        var rows: [[String?]] = []
        let columns = PQnfields(result)
        for row in 0..<PQntuples(result) {
            rows.append(
                (0..<columns).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                })
        }
        return rows
    }

    /// Runs a statement that changes rows; returns how many it changed.
    @discardableResult
    public func run(_ sql: String, _ parameters: [String?] = []) throws(PostgresClientError) -> Int {
        let result = try send(sql, parameters)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    private func send(_ sql: String, _ parameters: [String?]) throws(PostgresClientError) -> OpaquePointer? {
        let texts: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.flatMap { strdup($0) } }
        defer { for text in texts { free(text) } }
        let values: [UnsafePointer<CChar>?] = texts.map { $0.map { UnsafePointer($0) } }
        let result = PQexecParams(handle, sql, Int32(values.count), nil, values, nil, nil, 0)
        do {
            try check(result)
        } catch {
            PQclear(result)
            throw error
        }
        return result
    }

    private func check(_ result: OpaquePointer?) throws(PostgresClientError) {
        let status = result.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        guard status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK else { return }
        guard let result, let state = field(result, "C").flatMap(SQLState.init(code:)) else {
            throw PostgresClientError(
                .connectionFailure, "\(name): \(Self.trimmed(PQerrorMessage(handle)))", isFromServer: false)
        }
        let message = field(result, "M") ?? Self.trimmed(PQerrorMessage(handle))
        throw PostgresClientError(
            state, message, detail: field(result, "D"), hint: field(result, "H"), isFromServer: true)
    }

    /// One field of an error result (`C` SQLSTATE, `M` message, `D` detail, `H` hint).
    private func field(_ result: OpaquePointer, _ code: Unicode.Scalar) -> String? {
        PQresultErrorField(result, Int32(code.value)).map { String(cString: $0) }
    }

    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "unknown error"
    }
}
