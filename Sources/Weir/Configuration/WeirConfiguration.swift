import Auth
import Foundation
import Lakehouse
import Yams

/// Weir's configuration: one YAML file, every key optional, secrets from the environment.
struct WeirConfiguration: Decodable, Equatable {
    /// Where and how the PostgreSQL-protocol listener runs.
    var server = Server()
    /// TLS for client connections; absent means SSLRequest is answered `N`.
    var tls: TLS?
    /// Users allowed to connect; absent means the embedded default user `demo` / `demo` from loopback.
    var users: [User]?
    /// Server-wide authentication policy.
    var auth = Auth()
    /// Log verbosity.
    var log = Log()
    /// Object storage for warehouse files outside the data directory (S3).
    var storage = StorageConfiguration()
    /// How queries run (memory limits).
    var engine = EngineConfiguration()
    /// Iceberg catalogs besides the embedded one (REST catalogs).
    var catalogs: [CatalogConfiguration] = []

    struct Server: Decodable, Equatable {
        /// Address to listen on.
        var host = "127.0.0.1"
        /// TCP port to listen on.
        var port = 5433
        /// Directory for the embedded warehouse and catalog.
        var dataDir = "./var"
        /// Largest protocol message accepted from a client, in bytes.
        var maxMessageBytes = 1 << 30
        /// Seconds a client may take to connect and authenticate before it is disconnected.
        var authenticationTimeoutSeconds = 60.0
        /// Names clients may give as `dbname`.
        var databases = ["lake"]

        enum CodingKeys: String, CodingKey {
            case host, port, dataDir = "data_dir", maxMessageBytes = "max_message_bytes", databases
            case authenticationTimeoutSeconds = "authentication_timeout_seconds"
        }

        init() {}

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            host = try container.decodeIfPresent(String.self, forKey: .host) ?? host
            port = try container.decodeIfPresent(Int.self, forKey: .port) ?? port
            dataDir = try container.decodeIfPresent(String.self, forKey: .dataDir) ?? dataDir
            maxMessageBytes = try container.decodeIfPresent(Int.self, forKey: .maxMessageBytes) ?? maxMessageBytes
            databases = try container.decodeIfPresent([String].self, forKey: .databases) ?? databases
            authenticationTimeoutSeconds =
                try container.decodeIfPresent(Double.self, forKey: .authenticationTimeoutSeconds)
                ?? authenticationTimeoutSeconds
        }
    }

    struct TLS: Decodable, Equatable {
        /// PEM file with the server certificate chain.
        var certificate: String
        /// PEM file with the private key.
        var privateKey: String

        enum CodingKeys: String, CodingKey { case certificate, privateKey = "private_key" }
    }

    struct Auth: Decodable, Equatable {
        /// Whether users with `method: password` may send it over connections without TLS.
        var allowCleartextWithoutTLS = false

        enum CodingKeys: String, CodingKey { case allowCleartextWithoutTLS = "allow_cleartext_without_tls" }

        init() {}

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            allowCleartextWithoutTLS =
                try container.decodeIfPresent(Bool.self, forKey: .allowCleartextWithoutTLS) ?? allowCleartextWithoutTLS
        }
    }

    struct User: Decodable, Equatable {
        /// Login name.
        var name: String
        /// A PostgreSQL SCRAM-SHA-256 verifier (`weir passwd` prints one).
        var scramVerifier: String?
        /// Name of an environment variable holding the password (a verifier is derived at startup).
        var passwordEnv: String?
        /// Roles granted to the user.
        var roles: [String]?
        /// Whether the user is a superuser.
        var superuser: Bool?
        /// Address rules the user may connect from: `loopback`, `any`, or CIDR blocks.
        var hosts: [String]?
        /// How the user signs in: `scram-sha-256` (default) or `password` (clear text, over TLS).
        var method: String?

        enum CodingKeys: String, CodingKey {
            case name, scramVerifier = "scram_verifier", passwordEnv = "password_env", roles, superuser, hosts, method
        }
    }

    struct Log: Decodable, Equatable {
        /// One of trace, debug, info, notice, warning, error, critical.
        var level = "info"
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        server = try container.decodeIfPresent(Server.self, forKey: .server) ?? Server()
        tls = try container.decodeIfPresent(TLS.self, forKey: .tls)
        users = try container.decodeIfPresent([User].self, forKey: .users)
        auth = try container.decodeIfPresent(Auth.self, forKey: .auth) ?? Auth()
        log = try container.decodeIfPresent(Log.self, forKey: .log) ?? Log()
        storage = try container.decodeIfPresent(StorageConfiguration.self, forKey: .storage) ?? StorageConfiguration()
        engine = try container.decodeIfPresent(EngineConfiguration.self, forKey: .engine) ?? EngineConfiguration()
        catalogs = try container.decodeIfPresent([CatalogConfiguration].self, forKey: .catalogs) ?? []
    }

    enum CodingKeys: String, CodingKey { case server, tls, users, auth, log, storage, engine, catalogs }

    /// Reads and validates a configuration file.
    static func load(path: String) throws -> WeirConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("cannot read configuration file \(path)")
        }
        let configuration: WeirConfiguration
        do {
            configuration = try YAMLDecoder().decode(WeirConfiguration.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ConfigurationError("\(path): missing key \(Self.describe(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ConfigurationError(
                "\(path): wrong type at \(Self.describe(context.codingPath)): \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            throw ConfigurationError(
                "\(path): invalid value at \(Self.describe(context.codingPath)): \(context.debugDescription)")
        }
        try configuration.validate()
        return configuration
    }

    static func describe(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    func validate(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard (0...65535).contains(server.port) else {
            throw ConfigurationError("server.port must be between 0 and 65535")
        }
        guard server.maxMessageBytes >= 1024 else {
            throw ConfigurationError("server.max_message_bytes must be at least 1024")
        }
        guard server.authenticationTimeoutSeconds > 0, server.authenticationTimeoutSeconds <= 600 else {
            throw ConfigurationError("server.authentication_timeout_seconds must be more than 0 and at most 600")
        }
        guard !server.databases.isEmpty else {
            throw ConfigurationError("server.databases must name at least one database")
        }
        for (index, user) in (users ?? []).enumerated() {
            guard !user.name.isEmpty else { throw ConfigurationError("users[\(index)].name must not be empty") }
            guard (user.scramVerifier == nil) != (user.passwordEnv == nil) else {
                throw ConfigurationError("users[\(index)] needs exactly one of scram_verifier or password_env")
            }
            if let verifier = user.scramVerifier, SCRAMVerifier(parsing: verifier) == nil {
                throw ConfigurationError("users[\(index)].scram_verifier is not a SCRAM-SHA-256 verifier")
            }
            if let method = user.method {
                guard let parsed = AuthenticationMethod(rawValue: method) else {
                    let known = AuthenticationMethod.allCases.map(\.rawValue).joined(separator: " or ")
                    throw ConfigurationError("users[\(index)].method: \"\(method)\" is not \(known)")
                }
                if parsed == .password, tls == nil, !auth.allowCleartextWithoutTLS {
                    throw ConfigurationError(
                        "users[\(index)].method password sends the password in clear text: configure tls, or set auth.allow_cleartext_without_tls: true"
                    )
                }
            }
            for rule in user.hosts ?? [] where NetworkRule(parsing: rule) == nil {
                throw ConfigurationError("users[\(index)].hosts: \"\(rule)\" is not loopback, any, or a CIDR block")
            }
        }
        _ = try storage.s3Configuration(environment: environment)
        _ = try storage.cache?.capacityBytes()
        _ = try engine.queryMemoryLimitBytes()
        var names: Set<String> = [SQLCatalog.embeddedName]
        for (index, catalog) in catalogs.enumerated() {
            guard !catalog.name.isEmpty else { throw ConfigurationError("catalogs[\(index)].name must not be empty") }
            guard names.insert(catalog.name).inserted else {
                throw ConfigurationError("catalogs[\(index)].name: \"\(catalog.name)\" names another catalog already")
            }
            try catalog.validate(key: "catalogs[\(index)]", environment: environment)
        }
    }

    /// The names clients may connect to: `server.databases`, then each configured catalog's.
    var databases: [String] {
        server.databases + catalogs.map(\.name).filter { !server.databases.contains($0) }
    }

    /// The user directory, resolving `password_env` from the environment.
    func userDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> UserDirectory {
        guard let users else {
            return UserDirectory(users: [
                UserDirectory.User(
                    name: "demo", verifier: SCRAMVerifier.generate(password: "demo"), allowedNetworks: [.loopback])
            ])
        }
        return UserDirectory(
            users: try users.enumerated().map { index, user in
                let verifier: SCRAMVerifier
                if let text = user.scramVerifier, let parsed = SCRAMVerifier(parsing: text) {
                    verifier = parsed
                } else if let variable = user.passwordEnv {
                    guard let password = environment[variable], !password.isEmpty else {
                        throw ConfigurationError(
                            "users[\(index)].password_env: environment variable \(variable) is not set")
                    }
                    verifier = SCRAMVerifier.generate(password: password)
                } else {
                    throw ConfigurationError("users[\(index)] has no credentials")
                }
                return UserDirectory.User(
                    name: user.name, verifier: verifier,
                    method: user.method.flatMap(AuthenticationMethod.init(rawValue:)) ?? .scramSHA256,
                    roles: user.roles ?? [], isSuperuser: user.superuser ?? false,
                    allowedNetworks: (user.hosts ?? ["loopback"]).compactMap(NetworkRule.init(parsing:)))
            }, allowsCleartextWithoutTLS: auth.allowCleartextWithoutTLS)
    }
}

/// A configuration problem, naming the key at fault.
struct ConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
