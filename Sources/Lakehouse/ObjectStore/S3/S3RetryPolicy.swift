/// When an S3 request is tried again and how long to wait first: exponential backoff with jitter,
/// on the answers S3 documents as transient.
public struct S3RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(maxAttempts: Int, initialBackoff: Duration, maxBackoff: Duration) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// The longest wait before attempt `attempt` (2 is the first retry): `initialBackoff` doubled
    /// for each earlier retry, capped at `maxBackoff`.
    public func backoffCeiling(beforeAttempt attempt: Int) -> Duration {
        let doublings = max(0, min(attempt - 2, 30))
        let ceiling = initialBackoff * (1 << doublings)
        return min(ceiling, maxBackoff)
    }

    /// A wait between half the ceiling and the ceiling, so clients that failed together do not
    /// retry together.
    public func backoff(beforeAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = backoffCeiling(beforeAttempt: attempt)
        return ceiling / 2 + ceiling / 2 * Double.random(in: 0...1, using: &generator)
    }

    /// Whether an S3 answer is worth another attempt: server errors (500, 502, 503 `SlowDown`,
    /// 504), throttling (429), `RequestTimeout` (400) and a conditional write that collided with
    /// another one in flight (409 `ConditionalRequestConflict`).
    public static func isRetryable(status: Int, code: String?) -> Bool {
        switch status {
        case 500, 502, 503, 504, 429: return true
        case 400: return code == "RequestTimeout"
        case 409: return code == "ConditionalRequestConflict" || code == "OperationAborted"
        default: return code == "SlowDown" || code == "InternalError"
        }
    }
}
