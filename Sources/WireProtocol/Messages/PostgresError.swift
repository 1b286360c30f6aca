import Engine
import SQLErrors

/// An error or notice as the client sees it: the fields of ErrorResponse / NoticeResponse.
public struct PostgresError: SQLError, Equatable {
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
    public var sqlState: SQLState
    public var message: String
    public var detail: String?
    public var hint: String?
    /// 1-based character position in the query text.
    public var position: Int?

    public init(
        _ severity: Severity = .error, sqlState: SQLState, message: String, detail: String? = nil, hint: String? = nil,
        position: Int? = nil
    ) {
        self.severity = severity
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = position
    }

    /// What any layer's error becomes on the wire: the one mapping from errors to ErrorResponse.
    /// `statementText` is the statement the error's cursor points into (a byte offset becomes
    /// PostgreSQL's character position); an error that carries no SQLSTATE is an internal error.
    public init(converting error: any Error, statementText: String? = nil, severity: Severity = .error) {
        switch error {
        case var error as PostgresError:
            if severity != .error { error.severity = severity }
            self = error
        case let error as any SQLError:
            let position: Int?
            switch error.cursor {
            case .characterPosition(let character): position = character
            case .byteOffset(let offset):
                position = statementText.map { ErrorCursor.byteOffset(offset).characterPosition(in: $0) }
            case nil: position = nil
            }
            self.init(
                severity, sqlState: error.sqlState, message: error.message, detail: error.detail, hint: error.hint,
                position: position)
        default:
            self.init(severity, sqlState: .internalError, message: "internal error: \(error)")
        }
    }

    public var cursor: ErrorCursor? { position.map(ErrorCursor.characterPosition) }

    public static func protocolViolation(_ message: String) -> PostgresError {
        PostgresError(.fatal, sqlState: .protocolViolation, message: message)
    }

    public static func featureNotSupported(_ message: String) -> PostgresError {
        PostgresError(sqlState: .featureNotSupported, message: message)
    }

    public static func adminShutdown() -> PostgresError {
        PostgresError(.fatal, sqlState: .adminShutdown, message: "terminating connection due to administrator command")
    }
}
