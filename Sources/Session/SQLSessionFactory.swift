import Catalog
import Auth
import Engine
import Planner
import WireProtocol

/// Opens a `SQLSession` for each authenticated connection.
public struct SQLSessionFactory: PostgresSessionFactory {
    /// The databases a client may name at connect time (one per catalog).
    public let databases: [String]
    /// The catalogs statements can reach, by name; the database named at connect time picks the
    /// default one.
    public let catalogs: [String: any TableCatalog]
    /// Makes `pg_catalog` and `information_schema` over the session's database for each statement.
    public let systemCatalogs: SystemCatalogsFactory
    /// What the planner asks about each table a statement reads (grants, row filters, masks).
    public let accessControl: any AccessControl
    /// The bytes one statement's operators may hold (see `MemoryBudget`); nil for no limit.
    public let queryMemoryLimit: Int?

    public init(
        databases: [String], catalogs: [String: any TableCatalog], systemCatalogs: @escaping SystemCatalogsFactory,
        accessControl: any AccessControl, queryMemoryLimit: Int? = nil
    ) {
        self.databases = databases
        self.catalogs = catalogs
        self.systemCatalogs = systemCatalogs
        self.accessControl = accessControl
        self.queryMemoryLimit = queryMemoryLimit
    }

    public func makeSession(principal: Principal, startup: StartupMessage, processID: Int32) throws(PostgresError)
        -> SQLSession
    {
        let database = startup["database"].flatMap { $0.isEmpty ? nil : $0 } ?? principal.user
        guard databases.contains(database) else {
            throw PostgresError(
                .fatal, sqlState: .invalidCatalogName, message: "database \"\(database)\" does not exist",
                hint: "Available databases: \(databases.joined(separator: ", ")).")
        }
        var settings: [(String, String)] = []
        for (name, value) in startup.parameters {
            switch name {
            case "user", "database":
                continue
            case "replication":
                throw PostgresError(
                    .fatal, sqlState: .featureNotSupported, message: "replication connections are not supported")
            case "options":
                settings += try Self.parseOptions(value)
            default:
                settings.append((name, value))
            }
        }
        do {
            return try SQLSession(
                principal: principal, database: database, processID: processID, startupSettings: settings,
                resolver: TableResolver(catalogs: catalogs, defaultCatalog: database, systemCatalogs: systemCatalogs),
                accessControl: accessControl, queryMemoryLimit: queryMemoryLimit)
        } catch {
            throw PostgresError(converting: error, severity: .fatal)
        }
    }

    /// Parses the startup `options` value: `-c name=value` and `--name=value`, with `\ ` escapes.
    static func parseOptions(_ options: String) throws(PostgresError) -> [(String, String)] {
        var words: [String] = []
        var current = ""
        var escaped = false
        for character in options {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == " " {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        var settings: [(String, String)] = []
        var index = 0
        while index < words.count {
            var assignment: Substring
            if words[index] == "-c", index + 1 < words.count {
                assignment = Substring(words[index + 1])
                index += 2
            } else if words[index].hasPrefix("-c") {
                assignment = words[index].dropFirst(2)
                index += 1
            } else if words[index].hasPrefix("--") {
                assignment = words[index].dropFirst(2)
                index += 1
            } else {
                throw PostgresError(
                    .fatal, sqlState: .syntaxError,
                    message: "invalid command-line argument for server process: \(words[index])",
                    hint: "Use options='-c name=value'.")
            }
            guard let equals = assignment.firstIndex(of: "=") else {
                throw PostgresError(.fatal, sqlState: .syntaxError, message: "-c \(assignment) requires a value")
            }
            settings.append(
                (
                    String(assignment[..<equals]).replacingOccurrences("-", "_"),
                    String(assignment[assignment.index(after: equals)...])
                ))
        }
        return settings
    }
}

extension String {
    func replacingOccurrences(_ target: Character, _ replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
