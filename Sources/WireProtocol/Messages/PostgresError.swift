import Engine

/// An error or notice as the client sees it: the fields of ErrorResponse / NoticeResponse.
public struct PostgresError: Error, Sendable, Equatable {
    public enum Severity: String, Sendable {
        case error = "ERROR"
        case fatal = "FATAL"
        case panic = "PANIC"
        case warning = "WARNING"
        case notice = "NOTICE"
        case info = "INFO"
        case log = "LOG"
    }

    public var severity: Severity
    public var sqlState: String
    public var message: String
    public var detail: String?
    public var hint: String?
    /// 1-based character position in the query text.
    public var position: Int?

    public init(_ severity: Severity = .error, sqlState: String, message: String, detail: String? = nil, hint: String? = nil, position: Int? = nil) {
        self.severity = severity
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = position
    }

    /// The error an engine failure becomes on the wire.
    public init(_ error: EngineError, position: Int? = nil) {
        self.init(sqlState: error.sqlState, message: error.message, detail: error.detail, hint: error.hint, position: position)
    }

    public static func protocolViolation(_ message: String) -> PostgresError {
        PostgresError(.fatal, sqlState: "08P01", message: message)
    }

    public static func featureNotSupported(_ message: String) -> PostgresError {
        PostgresError(sqlState: "0A000", message: message)
    }

    public static func adminShutdown() -> PostgresError {
        PostgresError(.fatal, sqlState: "57P01", message: "terminating connection due to administrator command")
    }
}
