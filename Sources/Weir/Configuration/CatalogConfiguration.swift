import Foundation
import Lakehouse

/// One more Iceberg catalog beside the embedded `lake`: an entry of `catalogs` in the YAML file.
/// Its name is a database clients may connect to (`dbname=<name>`), whose schemas are the
/// catalog's namespaces, and the first part of three-part names from any database.
struct CatalogConfiguration: Decodable, Equatable {
    var name: String
    /// `rest`, the only kind so far.
    var type: String
    /// The REST catalog's base URL (requests go to `<uri>/v1/...`).
    var uri: String?
    /// The warehouse to ask the catalog for.
    var warehouse: String?
    /// Environment variable holding OAuth2 client credentials, `client_id:client_secret`.
    var credentialEnv: String?
    /// Environment variable holding a bearer token (when there are no client credentials).
    var tokenEnv: String?
    /// Token endpoint (default `<uri>/v1/oauth/tokens`).
    var oauth2ServerUri: String?
    /// OAuth2 scope (default `catalog`).
    var scope: String?
    /// Headers sent with every request.
    var headers: [String: String]?
    /// Ask for credentials scoped to each table (default true).
    var vendedCredentials: Bool?
    /// Attempts of a request that can be repeated safely (default 3).
    var maxAttempts: Int?
    var requestTimeoutSeconds: Double?
    var connectTimeoutSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case name, type, uri, warehouse, scope, headers
        case credentialEnv = "credential_env"
        case tokenEnv = "token_env"
        case oauth2ServerUri = "oauth2_server_uri"
        case vendedCredentials = "vended_credentials"
        case maxAttempts = "max_attempts"
        case requestTimeoutSeconds = "request_timeout_seconds"
        case connectTimeoutSeconds = "connect_timeout_seconds"
    }

    /// The REST client settings, secrets read from the environment; errors name `key` (`catalogs[0]`).
    func restConfiguration(key: String, environment: [String: String]) throws -> RESTCatalogConfiguration {
        guard type == "rest" else { throw ConfigurationError("\(key).type: \"\(type)\" is not a catalog type Weir knows (rest)") }
        guard let uri else { throw ConfigurationError("\(key).uri is required for a rest catalog") }
        var configuration = RESTCatalogConfiguration(name: name, uri: uri)
        configuration.warehouse = warehouse
        func secret(_ variable: String?, _ field: String) throws -> String? {
            guard let variable else { return nil }
            guard let value = environment[variable], !value.isEmpty else {
                throw ConfigurationError("\(key).\(field): environment variable \(variable) is not set")
            }
            return value
        }
        configuration.credential = try secret(credentialEnv, "credential_env").map(RESTCatalogConfiguration.ClientCredential.init(parsing:))
        configuration.token = try secret(tokenEnv, "token_env")
        configuration.oauth2ServerURI = oauth2ServerUri
        if let scope { configuration.scope = scope }
        configuration.headers = headers ?? [:]
        configuration.vendedCredentials = vendedCredentials ?? true
        if let maxAttempts { configuration.maxAttempts = maxAttempts }
        func seconds(_ value: Double?, _ field: String) throws -> Duration? {
            guard let value else { return nil }
            guard value > 0, value.isFinite else { throw ConfigurationError("\(key).\(field) must be positive") }
            return .milliseconds(Int64((value * 1000).rounded(.up)))
        }
        configuration.requestTimeout = try seconds(requestTimeoutSeconds, "request_timeout_seconds") ?? configuration.requestTimeout
        configuration.connectTimeout = try seconds(connectTimeoutSeconds, "connect_timeout_seconds") ?? configuration.connectTimeout
        do {
            try configuration.validate()
        } catch {
            throw ConfigurationError("\(key): \(error.message)")
        }
        return configuration
    }
}
