import SQLErrors

/// A failure talking to a PostgreSQL server: the server's own error (its SQLSTATE, message,
/// detail and hint) or `08006` when Weir could not reach it. Messages name the server by its
/// connection string with the password left out.
public struct PostgresClientError: SQLError, Equatable {
    public let sqlState: SQLState
    public let message: String
    public var detail: String?
    public var hint: String?
    /// True when the server answered with this error; false when the connection itself failed.
    public let isFromServer: Bool

    public init(_ sqlState: SQLState, _ message: String, detail: String? = nil, hint: String? = nil, isFromServer: Bool)
    {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.isFromServer = isFromServer
    }
}
