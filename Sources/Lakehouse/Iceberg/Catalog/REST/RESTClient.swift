import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Sends JSON requests to an Iceberg REST catalog and turns its answers into results or
/// PostgreSQL errors.
///
/// Every request carries a bearer token when the catalog is configured with one or with OAuth2
/// client credentials; tokens from the credentials are fetched when first needed, renewed before
/// they expire and once more when the catalog answers 401 or 419. Requests that may safely be sent
/// again (reads, and any request the catalog answered 429 or 503 without acting on it) are retried
/// with backoff; a commit whose outcome is unknown is not (see `Request.isCommit`).
final class RESTClient: Sendable {
    let configuration: RESTCatalogConfiguration
    private let http: HTTPClient
    private let tokens: OAuth2Tokens?

    init(configuration: RESTCatalogConfiguration) throws(LakehouseError) {
        try configuration.validate()
        self.configuration = configuration
        var settings = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: S3Transport.timeAmount(configuration.connectTimeout),
                read: S3Transport.timeAmount(configuration.requestTimeout)),
            decompression: .enabled(limit: .ratio(100)))
        settings.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
        tokens = configuration.credential.map { credential in
            OAuth2Tokens(
                credential: credential,
                endpoint: configuration.oauth2ServerURI ?? Self.trimmed(configuration.uri) + "/v1/oauth/tokens",
                scope: configuration.scope)
        }
    }

    deinit {
        http.shutdown { _ in }
    }

    /// One call to the catalog.
    struct Request {
        var method: HTTPMethod
        /// The whole URL, query included.
        var url: String
        /// A JSON body (a dictionary or array of JSON values), or nil.
        var json: Any?
        var headers: [(String, String)] = []
        /// A commit (or another write) whose effect would be unknown if the catalog failed while
        /// handling it: it is retried only after answers that say it was not handled.
        var isCommit = false
        /// What the request is about, for error messages: `table "ns.t"`, `schema "ns"`.
        var subject: String
        /// The namespace the request is in, for the error when the catalog has no such namespace.
        var namespace: [String]? = nil
        /// The error for any other 404 (no such table, view or namespace); nil for a generic one.
        var notFound: LakehouseError? = nil
    }

    /// An answer: its status and body.
    struct Response {
        var status: Int
        var body: [UInt8]

        /// The body parsed as a JSON object; `XX001` when it is not one.
        func object(from url: String) throws -> JSONObject {
            try JSONObject.parse(body, location: url)
        }
    }

    /// Sends `request` and returns the answer when its status is 2xx (or `accepting` it); throws
    /// the catalog's error in PostgreSQL's terms otherwise.
    func send(_ request: Request, accepting: Set<Int> = []) async throws -> Response {
        var generator = SystemRandomNumberGenerator()
        let policy = S3RetryPolicy(
            maxAttempts: configuration.maxAttempts, initialBackoff: .milliseconds(100), maxBackoff: .seconds(5))
        var attempt = 1
        var renewedToken = false
        while true {
            let response: Response
            do {
                response = try await sendOnce(request)
            } catch let error as LakehouseError {
                throw error
            } catch {
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                // A commit may have reached the catalog unless the connection was never made.
                let neverSent = error is NIOConnectionError || (error as? HTTPClientError) == .connectTimeout
                let retryable = S3Transport.isTransient(error) && (!request.isCommit || neverSent)
                guard retryable, attempt < policy.maxAttempts else {
                    let reason = "\(request.method.rawValue) \(request.url) failed: \(S3Transport.describe(error))"
                    if request.isCommit && !neverSent { throw CommitOutcomeUnknown(reason: reason) }
                    throw LakehouseError(.ioError, "could not reach REST catalog \"\(configuration.name)\": \(reason)")
                }
                attempt += 1
                try await Task.sleep(for: policy.backoff(beforeAttempt: attempt, using: &generator))
                continue
            }
            if (200..<300).contains(response.status) || accepting.contains(response.status) { return response }
            if (response.status == 401 || response.status == 419), let tokens, !renewedToken {
                renewedToken = true
                await tokens.invalidate()
                continue
            }
            let notHandled = response.status == 429 || response.status == 503
            let transient = notHandled || (!request.isCommit && [500, 502, 504].contains(response.status))
            if transient, attempt < policy.maxAttempts {
                attempt += 1
                try await Task.sleep(for: policy.backoff(beforeAttempt: attempt, using: &generator))
                continue
            }
            let error = RESTErrorResponse(status: response.status, body: response.body)
            if request.isCommit, [500, 502, 504].contains(response.status) {
                throw CommitOutcomeUnknown(reason: error.summary)
            }
            if response.status == 404, let notFound = request.notFound, error.type != "NoSuchNamespaceException" {
                throw notFound
            }
            throw error.lakehouseError(
                catalog: configuration.name, subject: request.subject, namespace: request.namespace)
        }
    }

    /// A commit the catalog may or may not have applied (a 5xx answer or a broken connection).
    struct CommitOutcomeUnknown: Error {
        var reason: String
    }

    private func sendOnce(_ request: Request) async throws -> Response {
        var http = HTTPClientRequest(url: request.url)
        http.method = request.method
        http.headers.add(name: "Accept", value: "application/json")
        http.headers.add(name: "User-Agent", value: "weir")
        http.headers.add(name: "X-Client-Version", value: "weir")
        for (name, value) in configuration.headers.sorted(by: { $0.key < $1.key }) {
            http.headers.add(name: name, value: value)
        }
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        if let tokens {
            http.headers.add(name: "Authorization", value: "Bearer " + (try await tokens.token(using: self)))
        } else if let token = configuration.token {
            http.headers.add(name: "Authorization", value: "Bearer " + token)
        }
        if let json = request.json {
            http.headers.add(name: "Content-Type", value: "application/json")
            http.body = .bytes(
                try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes]))
        }
        return try await execute(http)
    }

    /// Sends a prepared request and reads the whole answer.
    fileprivate func execute(_ request: HTTPClientRequest) async throws -> Response {
        let response = try await http.execute(
            request, deadline: .now() + S3Transport.timeAmount(configuration.requestTimeout))
        var body: [UInt8] = []
        for try await chunk in response.body { body.append(contentsOf: chunk.readableBytesView) }
        return Response(status: Int(response.status.code), body: body)
    }

    /// `uri` without a trailing slash.
    static func trimmed(_ uri: String) -> String { uri.hasSuffix("/") ? String(uri.dropLast()) : uri }
}

/// The OAuth2 tokens of a client-credentials grant: fetched when first needed and kept until
/// shortly before they expire.
actor OAuth2Tokens {
    let credential: RESTCatalogConfiguration.ClientCredential
    let endpoint: String
    let scope: String
    private var current: (token: String, renewAt: ContinuousClock.Instant)?
    private var pending: Task<(String, ContinuousClock.Instant), any Error>?

    init(credential: RESTCatalogConfiguration.ClientCredential, endpoint: String, scope: String) {
        self.credential = credential
        self.endpoint = endpoint
        self.scope = scope
    }

    /// Forgets the current token, so the next request fetches a new one.
    func invalidate() {
        current = nil
    }

    /// A token that has not expired, fetching one when needed (concurrent callers share the fetch).
    func token(using client: RESTClient) async throws -> String {
        if let current, ContinuousClock.now < current.renewAt { return current.token }
        if let pending { return try await pending.value.0 }
        let task = Task { try await self.fetch(using: client) }
        pending = task
        defer { pending = nil }
        let (token, renewAt) = try await task.value
        current = (token, renewAt)
        return token
    }

    /// `POST <endpoint>` with `grant_type=client_credentials`, as RFC 6749 section 4.4 describes.
    private func fetch(using client: RESTClient) async throws -> (String, ContinuousClock.Instant) {
        var form = [("grant_type", "client_credentials")]
        if !credential.clientID.isEmpty { form.append(("client_id", credential.clientID)) }
        form += [("client_secret", credential.clientSecret), ("scope", scope)]
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(
            Array(
                form.map { RESTPaths.encodeComponent($0.0) + "=" + RESTPaths.encodeComponent($0.1) }.joined(
                    separator: "&"
                ).utf8))
        let catalog = client.configuration.name
        let response: RESTClient.Response
        do {
            response = try await client.execute(request)
        } catch {
            throw LakehouseError(
                .ioError,
                "could not reach the OAuth2 server of REST catalog \"\(catalog)\" at \(endpoint): \(S3Transport.describe(error))"
            )
        }
        guard response.status == 200 else {
            let problem = RESTErrorResponse(status: response.status, body: response.body)
            throw LakehouseError(
                .invalidAuthorizationSpecification,
                "REST catalog \"\(catalog)\" refused Weir's client credentials (client id \"\(credential.clientID)\")",
                detail: problem.summary)
        }
        let object = try response.object(from: endpoint)
        let token = try object.string("access_token")
        let lifetime = try object.optionalInt64("expires_in") ?? 3600
        // Renew at 90% of the lifetime (at least a second before), so a request never carries a stale token.
        let renewAfter = max(Duration.seconds(1), .milliseconds(lifetime * 900))
        return (token, ContinuousClock.now + renewAfter)
    }
}

/// The error body a REST catalog answers with (`{"error": {"message", "type", "code"}}`), or an
/// OAuth2 error (`{"error": "invalid_client", "error_description": ...}`), in PostgreSQL's terms.
struct RESTErrorResponse {
    var status: Int
    var type: String?
    var message: String?

    init(status: Int, body: [UInt8]) {
        self.status = status
        let root = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        if let error = root?["error"] as? [String: Any] {
            type = error["type"] as? String
            message = error["message"] as? String
        } else if let code = root?["error"] as? String {
            type = code
            message = root?["error_description"] as? String
        } else if !body.isEmpty {
            message = String(decoding: body.prefix(300), as: UTF8.self)
        }
    }

    /// `HTTP 404 NoSuchTableException: Table does not exist: ns.t`.
    var summary: String {
        "HTTP \(status)" + (type.map { " " + $0 } ?? "") + (message.map { ": " + $0 } ?? "")
    }

    /// The SQLSTATE a client sees for this answer about `subject` (`table "ns.t"`).
    func lakehouseError(catalog: String, subject: String, namespace: [String]? = nil) -> LakehouseError {
        let catalogName = "REST catalog \"\(catalog)\""
        switch (status, type ?? "") {
        case (404, "NoSuchNamespaceException"):
            if let namespace { return LakehouseError.noSuchNamespace(namespace, catalog: catalog) }
            return LakehouseError(.invalidSchemaName, "\(subject) does not exist in \(catalogName)", detail: summary)
        case (404, _):
            return LakehouseError(.undefinedTable, "\(subject) does not exist in \(catalogName)", detail: summary)
        case (409, "CommitFailedException"):
            return LakehouseError(
                .serializationFailure, "could not commit to \(subject): another writer committed first", detail: summary
            )
        case (409, "NamespaceNotEmptyException"):
            return LakehouseError(
                .dependentObjectsStillExist, "cannot drop \(subject) because other objects depend on it",
                detail: summary)
        case (409, _):
            return LakehouseError(.duplicateTable, "\(subject) already exists in \(catalogName)", detail: summary)
        case (401, _), (419, _):
            return LakehouseError(
                .invalidAuthorizationSpecification, "\(catalogName) did not accept Weir's credentials", detail: summary)
        case (403, _):
            return LakehouseError(
                .insufficientPrivilege, "permission denied for \(subject) in \(catalogName)", detail: summary)
        case (406, _), (501, _):
            return LakehouseError(
                .featureNotSupported, "\(catalogName) does not support this operation on \(subject)", detail: summary)
        case (400, _), (422, _):
            return LakehouseError(
                .invalidParameterValue, "\(catalogName) refused the request for \(subject)", detail: summary)
        default:
            return LakehouseError(.ioError, "\(catalogName) failed on \(subject)", detail: summary)
        }
    }
}
