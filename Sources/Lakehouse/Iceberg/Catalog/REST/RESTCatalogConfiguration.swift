/// How to reach and sign in to an Iceberg REST catalog (Polaris, Nessie, Lakekeeper, Gravitino,
/// Unity, AWS Glue / S3 Tables, ...).
public struct RESTCatalogConfiguration: Sendable, Equatable {
    /// The name Weir gives the catalog: the database clients connect to, the first part of
    /// three-part names.
    public var name: String
    /// The catalog's base URL, `http(s)://host[:port][/path]`; requests go to `<uri>/v1/...`.
    public var uri: String
    /// The warehouse to ask `GET /v1/config` for (`?warehouse=`); catalogs serving several need it.
    public var warehouse: String?
    /// OAuth2 client credentials, exchanged for bearer tokens (the client-credentials grant).
    public var credential: ClientCredential?
    /// A bearer token to send as it is (when no `credential` is given).
    public var token: String?
    /// Where tokens are requested; default `<uri>/v1/oauth/tokens`.
    public var oauth2ServerURI: String?
    /// The scope tokens are requested for.
    public var scope = "catalog"
    /// Extra headers sent with every request (`X-Iceberg-...`, a tenant header, ...).
    public var headers: [String: String] = [:]
    /// Ask the catalog for storage credentials scoped to each table it loads
    /// (`X-Iceberg-Access-Delegation: vended-credentials`).
    public var vendedCredentials = true
    /// Attempts of a request that may be repeated safely (reads, and writes the catalog has
    /// certainly refused) on 5xx answers, throttling and broken connections.
    public var maxAttempts = 3
    public var requestTimeout: Duration = .seconds(60)
    public var connectTimeout: Duration = .seconds(10)

    public init(name: String, uri: String) {
        self.name = name
        self.uri = uri
    }

    /// An OAuth2 client id and secret.
    public struct ClientCredential: Sendable, Equatable, CustomStringConvertible {
        public var clientID: String
        public var clientSecret: String

        public init(clientID: String, clientSecret: String) {
            self.clientID = clientID
            self.clientSecret = clientSecret
        }

        /// `client_id:client_secret`, as Iceberg's `credential` property spells it; a value
        /// without a colon is a secret with no client id.
        public init(parsing text: String) {
            if let colon = text.firstIndex(of: ":") {
                self.init(clientID: String(text[..<colon]), clientSecret: String(text[text.index(after: colon)...]))
            } else {
                self.init(clientID: "", clientSecret: text)
            }
        }

        /// Names the client only, so the configuration can be logged without the secret.
        public var description: String { "ClientCredential(\(clientID), secret redacted)" }
    }

    /// `22023` naming what is wrong.
    public func validate() throws(LakehouseError) {
        guard Self.isHTTPURL(uri) else {
            throw LakehouseError(
                .invalidParameterValue, "REST catalog \"\(name)\": uri \"\(uri)\" is not http(s)://host[:port][/path]")
        }
        if let oauth2ServerURI, !Self.isHTTPURL(oauth2ServerURI) {
            throw LakehouseError(
                .invalidParameterValue,
                "REST catalog \"\(name)\": oauth2 server uri \"\(oauth2ServerURI)\" is not http(s)://host[:port][/path]"
            )
        }
        guard maxAttempts >= 1 else {
            throw LakehouseError(.invalidParameterValue, "REST catalog \"\(name)\": attempts must be at least 1")
        }
        guard requestTimeout > .zero, connectTimeout > .zero else {
            throw LakehouseError(.invalidParameterValue, "REST catalog \"\(name)\": timeouts must be positive")
        }
    }

    /// Whether `text` is `http(s)://host[:port][/path]` with a host.
    static func isHTTPURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        let scheme = lowered.hasPrefix("http://") ? 7 : lowered.hasPrefix("https://") ? 8 : 0
        guard scheme > 0 else { return false }
        let authority = text.dropFirst(scheme).prefix { $0 != "/" }
        return !authority.isEmpty && !authority.contains { $0 == " " || $0 == "?" || $0 == "#" || $0 == "@" }
    }
}
