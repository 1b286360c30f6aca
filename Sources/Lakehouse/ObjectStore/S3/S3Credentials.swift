/// An AWS access key pair, with the session token of temporary (STS or vended) credentials.
public struct S3Credentials: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// Sent as `x-amz-security-token` when the key pair is temporary.
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

extension S3Credentials: CustomStringConvertible {
    /// Names the access key only, so credentials can be logged without leaking the secret.
    public var description: String { "S3Credentials(\(accessKeyID), secret redacted)" }
}
