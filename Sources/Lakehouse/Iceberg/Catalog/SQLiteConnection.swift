import CSQLite

/// A connection to a SQLite database file: prepared statements, transactions and a busy timeout.
///
/// Not shared across threads: open one per operation (opening is cheap), which keeps the owner
/// `Sendable` without locks. Errors are `58030` naming the database file.
final class SQLiteConnection: CatalogDatabaseConnection {
    let path: String
    private let handle: OpaquePointer

    /// Opens (creating if asked) the database at `path`, waiting up to `busyTimeoutMs` for locks
    /// other processes (such as PyIceberg) hold.
    init(path: String, create: Bool, busyTimeoutMs: Int32 = 5000) throws {
        self.path = path
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_close(handle)
            if status == SQLITE_CANTOPEN && !create { throw LakehouseError.notFound(path) }
            throw LakehouseError.io(path, "cannot open SQLite database: \(message)")
        }
        self.handle = handle
        sqlite3_busy_timeout(handle, busyTimeoutMs)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs statements that return no rows (DDL, BEGIN, COMMIT).
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        if status != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "status \(status)"
            sqlite3_free(message)
            throw LakehouseError.io(path, "SQLite: \(text)")
        }
    }

    /// Prepares `sql` and binds `parameters` (`?1`, `?2`, ... in order).
    func prepare(_ sql: String, _ parameters: [SQLValue] = []) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error("prepare")
        }
        let prepared = SQLiteStatement(connection: self, statement: statement)
        for (index, parameter) in parameters.enumerated() { try prepared.bind(parameter, at: Int32(index + 1)) }
        return prepared
    }

    /// Every row of a query, each as its column values.
    func query(_ sql: String, _ parameters: [SQLValue] = []) throws -> [[SQLValue]] {
        let statement = try prepare(sql, parameters)
        var rows: [[SQLValue]] = []
        while try statement.step() { rows.append(statement.row()) }
        return rows
    }

    /// Runs a statement that changes rows; returns how many it changed.
    @discardableResult
    func run(_ sql: String, _ parameters: [SQLValue] = []) throws -> Int {
        let statement = try prepare(sql, parameters)
        while try statement.step() {}
        return Int(sqlite3_changes(handle))
    }

    /// Takes the write lock at once, so a transaction that reads before it writes cannot deadlock.
    var beginTransaction: String { "BEGIN IMMEDIATE" }

    func columns(of table: String) throws -> [String] {
        try query("SELECT name FROM pragma_table_info(?1)", [.text(table)]).compactMap { $0.first?.text }
    }

    func error(_ action: String) -> LakehouseError {
        LakehouseError.io(path, "SQLite \(action) failed: \(String(cString: sqlite3_errmsg(handle)))")
    }
}

/// A prepared statement; finalized when released.
final class SQLiteStatement {
    private let connection: SQLiteConnection
    private let statement: OpaquePointer

    fileprivate init(connection: SQLiteConnection, statement: OpaquePointer) {
        self.connection = connection
        self.statement = statement
    }

    deinit {
        sqlite3_finalize(statement)
    }

    fileprivate func bind(_ value: SQLValue, at index: Int32) throws {
        let status: Int32
        switch value {
        case .null: status = sqlite3_bind_null(statement, index)
        case .integer(let number): status = sqlite3_bind_int64(statement, index, number)
        case .real(let number): status = sqlite3_bind_double(statement, index, number)
        case .text(let string):
            // SQLITE_TRANSIENT: SQLite copies the bytes, so the Swift string may go away.
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            status = sqlite3_bind_text(statement, index, string, -1, transient)
        }
        guard status == SQLITE_OK else { throw connection.error("bind") }
    }

    /// Advances to the next row; false when the statement is done.
    func step() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error("step")
        }
    }

    /// The current row's values.
    func row() -> [SQLValue] {
        (0..<sqlite3_column_count(statement)).map { column in
            switch sqlite3_column_type(statement, column) {
            case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
            case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
            case SQLITE_NULL: return .null
            default:
                guard let text = sqlite3_column_text(statement, column) else { return .null }
                return .text(String(cString: text))
            }
        }
    }
}
