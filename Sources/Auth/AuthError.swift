/// An authentication failure, carrying the SQLSTATE the client sees.
public struct AuthError: Error, Sendable, Equatable {
    public let sqlState: String
    public let message: String

    public init(sqlState: String, message: String) {
        self.sqlState = sqlState
        self.message = message
    }

    /// PostgreSQL's answer to a wrong password or unknown user (the same, so users cannot be probed).
    public static func passwordFailed(user: String) -> AuthError {
        AuthError(sqlState: "28P01", message: "password authentication failed for user \"\(user)\"")
    }

    /// A client that broke the SASL exchange (bad message, wrong nonce, bad channel binding).
    public static func protocolViolation(_ message: String) -> AuthError {
        AuthError(sqlState: "08P01", message: message)
    }
}
