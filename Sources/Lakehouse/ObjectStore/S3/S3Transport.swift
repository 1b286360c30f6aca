import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One S3 request before signing: which object (or bucket), which operation, what body.
struct S3Request: Sendable {
    var method: HTTPMethod
    var bucket: String
    /// Nil for requests about the bucket itself (listing).
    var key: String?
    /// Query parameters, not encoded.
    var query: [(name: String, value: String)] = []
    /// Headers besides `host`, `x-amz-content-sha256` and the signature's own.
    var headers: [(name: String, value: String)] = []
    var body: ArraySlice<UInt8>?
    /// Hex SHA-256 of `body`.
    var payloadHash = S3RequestSigner.emptyPayloadHash
}

/// An S3 answer, read to its end.
struct S3Response: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    /// Whether an earlier attempt failed in a way that may have reached the service (a broken
    /// connection, a timeout, a 5xx), so a conditional write may already have happened.
    var followsUncertainAttempt = false

    var isSuccess: Bool { (200..<300).contains(status) }

    func error(location: String, operation: String) -> LakehouseError {
        S3ErrorResponse(status: status, body: body).lakehouseError(location: location, operation: operation)
    }
}

/// Sends signed S3 requests over one `HTTPClient` and retries the transient failures.
///
/// The client (and so its connection pool) belongs to the transport; it is shut down when the
/// transport goes away. Concurrent requests share the pool, which keeps up to
/// `maxConcurrentRequests * 4` connections per host open.
final class S3Transport: Sendable {
    let endpoint: S3Endpoint
    let signer: S3RequestSigner?
    let configuration: S3Configuration
    private let client: HTTPClient

    init(configuration: S3Configuration) throws(LakehouseError) {
        try configuration.validate()
        self.configuration = configuration
        endpoint = try configuration.resolvedEndpoint()
        signer = configuration.credentials.map { S3RequestSigner(credentials: $0, region: configuration.region) }
        var settings = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: Self.timeAmount(configuration.connectTimeout),
                read: Self.timeAmount(configuration.requestTimeout)),
            connectionPool: .init(
                idleTimeout: .seconds(60),
                concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, configuration.maxConcurrentRequests * 4)),
            decompression: .disabled)
        // Our own retry loop waits between attempts; the pool's would spin until the deadline.
        settings.connectionPool.retryConnectionEstablishment = false
        settings.httpVersion = .http1Only
        settings.dnsOverride = configuration.hostOverrides
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
    }

    deinit {
        // Shutting down keeps the client alive until its connections are closed.
        client.shutdown { _ in }
    }

    /// Sends `request`, retrying transient failures with backoff; returns the first answer that is
    /// not transient (success or not), or the last one when attempts run out. Throws `58030` when
    /// no answer came at all.
    func send(_ request: S3Request, location: String, operation: String) async throws -> S3Response {
        let policy = configuration.retryPolicy
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        var uncertain = false
        while true {
            do {
                var response = try await sendOnce(request)
                response.followsUncertainAttempt = uncertain
                let code =
                    response.isSuccess && request.method != .POST
                    ? nil : S3ErrorResponse(status: response.status, body: response.body).code
                let transient =
                    response.isSuccess
                    ? code == "InternalError" || code == "SlowDown"  // CompleteMultipartUpload can fail inside a 200
                    : S3RetryPolicy.isRetryable(status: response.status, code: code)
                guard transient, attempt < policy.maxAttempts else { return response }
                uncertain = uncertain || response.status >= 500 || response.isSuccess
            } catch {
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                guard Self.isTransient(error), attempt < policy.maxAttempts else {
                    throw LakehouseError.io(
                        location,
                        "\(operation) to \(endpoint) failed"
                            + (attempt > 1 ? " after \(attempt) attempts" : "") + ": \(Self.describe(error))")
                }
                uncertain = true
            }
            attempt += 1
            try await Task.sleep(for: policy.backoff(beforeAttempt: attempt, using: &generator))
        }
    }

    /// One attempt: sign, send, read the whole body.
    private func sendOnce(_ request: S3Request) async throws -> S3Response {
        let path = endpoint.path(bucket: request.bucket, key: request.key)
        var headers = request.headers
        headers.append(("host", endpoint.hostHeader(bucket: request.bucket)))
        headers.append(("x-amz-content-sha256", request.payloadHash))
        if let signer {
            headers += signer.signatureHeaders(
                for: S3RequestSigner.Request(
                    method: request.method.rawValue, path: path, query: request.query, headers: headers,
                    payloadHash: request.payloadHash),
                at: .now())
        }
        var httpRequest = HTTPClientRequest(
            url: endpoint.origin(bucket: request.bucket) + path + Self.queryString(request.query))
        httpRequest.method = request.method
        for (name, value) in headers { httpRequest.headers.add(name: name, value: value) }
        if let body = request.body { httpRequest.body = .bytes(body) }

        let response = try await client.execute(
            httpRequest, deadline: .now() + Self.timeAmount(configuration.requestTimeout))
        var body: [UInt8] = []
        if let length = response.headers.first(name: "content-length").flatMap(Int.init), request.method != .HEAD {
            body.reserveCapacity(length)
        }
        for try await chunk in response.body {
            body.append(contentsOf: chunk.readableBytesView)
        }
        return S3Response(status: Int(response.status.code), headers: response.headers, body: body)
    }

    /// `?a=1&b` with names and values encoded as the signature encodes them; a parameter without
    /// a value is sent bare (`?uploads`), as S3's own clients send it.
    static func queryString(_ query: [(name: String, value: String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?"
            + query.map { parameter in
                let name = S3URIEncoding.encodeQueryComponent(parameter.name)
                return parameter.value.isEmpty ? name : name + "=" + S3URIEncoding.encodeQueryComponent(parameter.value)
            }.joined(separator: "&")
    }

    /// Failures of the exchange itself rather than of the request: refused or broken connections
    /// and timeouts. A malformed URL is not transient.
    static func isTransient(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return ![HTTPClientError.invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown, .cancelled].contains(error)
        }
        return true
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return error.shortDescription }
        return String(describing: error)
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
