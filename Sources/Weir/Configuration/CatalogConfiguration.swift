import Foundation
import Lakehouse

/// One more Iceberg catalog beside the embedded `lake`: an entry of `catalogs` in the YAML file.
/// Its name is a database clients may connect to (`dbname=<name>`), whose schemas are the
/// catalog's namespaces, and the first part of three-part names from any database.
struct CatalogConfiguration: Decodable, Equatable {
    var name: String
    /// `rest` (an Iceberg REST catalog) or `sql` (a SQL catalog in PostgreSQL or SQLite).
    var type: String
    /// rest: the catalog's base URL (requests go to `<uri>/v1/...`); sql: the database,
    /// `postgresql://user@host:port/db` (or libpq keywords) or `sqlite:///path/catalog.db`.
    var uri: String?
    /// rest: the warehouse to ask the catalog for; sql: where new tables go (`s3://...`, `file://...`).
    var warehouse: String?
    /// sql on PostgreSQL: environment variable holding the password.
    var passwordEnv: String?
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
        case passwordEnv = "password_env"
        case tokenEnv = "token_env"
        case oauth2ServerUri = "oauth2_server_uri"
        case vendedCredentials = "vended_credentials"
        case maxAttempts = "max_attempts"
        case requestTimeoutSeconds = "request_timeout_seconds"
        case connectTimeoutSeconds = "connect_timeout_seconds"
    }

    /// Checks the entry for its type; errors name `key` (`catalogs[0]`).
    func validate(key: String, environment: [String: String]) throws {
        switch type {
        case "rest": _ = try restConfiguration(key: key, environment: environment)
        case "sql": _ = try sqlDatabase(key: key, environment: environment)
        default: throw ConfigurationError("\(key).type: \"\(type)\" is not a catalog type Weir knows (rest or sql)")
        }
    }

    /// The database and warehouse of a `sql` catalog; the password from the environment.
    func sqlDatabase(key: String, environment: [String: String]) throws -> (
        database: CatalogDatabase, warehouse: String
    ) {
        guard let uri else { throw ConfigurationError("\(key).uri is required for a sql catalog") }
        guard let warehouse, !warehouse.isEmpty else {
            throw ConfigurationError("\(key).warehouse is required for a sql catalog (where new tables go)")
        }
        if uri.hasPrefix("sqlite:///") {
            guard passwordEnv == nil else { throw ConfigurationError("\(key).password_env does not apply to SQLite") }
            return (.sqlite(path: String(uri.dropFirst("sqlite://".count))), warehouse)
        }
        guard uri.hasPrefix("postgresql://") || uri.hasPrefix("postgres://") || uri.contains("=") else {
            throw ConfigurationError("\(key).uri: expected postgresql://..., libpq keywords or sqlite:///path")
        }
        var password: String?
        if let variable = passwordEnv {
            guard let value = environment[variable], !value.isEmpty else {
                throw ConfigurationError("\(key).password_env: environment variable \(variable) is not set")
            }
            password = value
        }
        return (.postgres(connectionString: uri, password: password), warehouse)
    }

    /// The REST client settings, secrets read from the environment; errors name `key` (`catalogs[0]`).
    func restConfiguration(key: String, environment: [String: String]) throws -> RESTCatalogConfiguration {
        guard type == "rest" else {
            throw ConfigurationError("\(key).type: \"\(type)\" is not a catalog type Weir knows (rest)")
        }
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
        configuration.credential = try secret(credentialEnv, "credential_env").map(
            RESTCatalogConfiguration.ClientCredential.init(parsing:))
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
        configuration.requestTimeout =
            try seconds(requestTimeoutSeconds, "request_timeout_seconds") ?? configuration.requestTimeout
        configuration.connectTimeout =
            try seconds(connectTimeoutSeconds, "connect_timeout_seconds") ?? configuration.connectTimeout
        do {
            try configuration.validate()
        } catch {
            throw ConfigurationError("\(key): \(error.message)")
        }
        return configuration
    }
}
