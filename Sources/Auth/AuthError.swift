import SQLErrors

/// An authentication failure, carrying the SQLSTATE the client sees.
public struct AuthError: SQLError, Equatable {
    public let sqlState: SQLState
    public let message: String

    public init(sqlState: SQLState, message: String) {
        self.sqlState = sqlState
        self.message = message
    }

    /// PostgreSQL's answer to a wrong password or unknown user (the same, so users cannot be probed).
    public static func passwordFailed(user: String) -> AuthError {
        AuthError(sqlState: .invalidPassword, message: "password authentication failed for user \"\(user)\"")
    }

    /// A client that broke the SASL exchange (bad message, wrong nonce, bad channel binding).
    public static func protocolViolation(_ message: String) -> AuthError {
        AuthError(sqlState: .protocolViolation, message: message)
    }
}
