import Catalog
import Auth
import Engine
import Planner
import Foundation
import SQL
import WireProtocol

/// One client's SQL session: settings, transaction state, prepared statements and cursors.
/// It turns statements into plans (through the Planner) and runs them on the engine.
/// A statement as this session prepares it: what Describe reports, and the session's plan.
public typealias PreparedStatement = PreparedQuery<SessionPlan>

public final class SQLSession: PostgresSession {
    let principal: Principal
    let database: String
    /// Finds tables in the session's catalogs.
    let resolver: TableResolver
    /// The bytes one statement's operators may hold; nil for no limit.
    let queryMemoryLimit: Int?
    /// What the planner asks about each table a statement reads.
    public let accessControl: any AccessControl
    /// The tables of the statement being planned.
    var currentTables = ResolvedTables()
    public let processID: Int32
    var settings: SessionSettings {
        didSet {
            cachedTextOutput = nil
            cachedStatementTimeout = nil
            cachedSearchPath = nil
            planCache.removeAll()
            reportedParametersMayHaveChanged = true
        }
    }
    /// Resolving the time zone is costly; recomputed only after settings change.
    private var cachedTextOutput: TextOutput?
    /// `statement_timeout` as a duration (`.some(nil)` for none), recomputed only after settings change.
    private var cachedStatementTimeout: Duration??
    /// `search_path` as schema names; every statement that names a table needs it.
    var cachedSearchPath: [String]?
    /// Reported parameter values the client has been sent, to send only changes.
    private var reportedValues: [String: String] = [:]
    private var reportedParametersMayHaveChanged = true
    /// Parse trees of recently run statement texts: drivers and pools repeat the same texts, and
    /// parsing costs more than planning a short query. Parsing depends on nothing but the text.
    private var parseCache: [String: [ParsedStatement]] = [:]
    private static let parseCacheLimit = 256
    private static let parseCacheTextLimit = 16 * 1024
    /// Plans of recently prepared queries that read no table or catalog (`SELECT 1`, the statement
    /// connection pools validate with): binding them again would give the same plan until a setting
    /// changes, which empties the cache. (The clock is read when a plan runs, not when it is bound.)
    private var planCache: [PlanCacheKey: PreparedStatement] = [:]
    private struct PlanCacheKey: Hashable {
        let sql: String
        let statement: String
        let parameterTypes: [DataType?]
    }
    var transaction = TransactionState()
    /// `set_config` calls of statements run since the last ReadyForQuery (see `SettingChanges`).
    var pendingSettingChanges: [SettingChanges] = []
    /// Prepared statements, from SQL `PREPARE` and from the Parse message (one namespace).
    var preparedStatements: [String: PreparedStatement] = [:]
    /// The query prepared last, until it is first executed (see `executablePlan`).
    var freshlyPrepared: PreparedStatement?
    /// Open cursors from `DECLARE`.
    var cursors: [String: Cursor] = [:]
    var statementStart: Int64 = 0

    init(
        principal: Principal, database: String, processID: Int32, startupSettings: [(String, String)],
        resolver: TableResolver,
        accessControl: any AccessControl, queryMemoryLimit: Int? = nil
    ) throws(EngineError) {
        self.principal = principal
        self.database = database
        self.resolver = resolver
        self.accessControl = accessControl
        self.queryMemoryLimit = queryMemoryLimit
        self.processID = processID
        self.settings = try SessionSettings(
            startupOverrides: startupSettings, isSuperuser: principal.isSuperuser, user: principal.user)
    }

    // MARK: PostgresSession

    public var reportedParameters: [(name: String, value: String)] {
        _ = settings.reportedChanges(since: &reportedValues)
        return settings.reported
    }

    public func takeChangedParameters() -> [(name: String, value: String)] {
        applyPendingSettingChanges()
        guard reportedParametersMayHaveChanged else { return [] }
        reportedParametersMayHaveChanged = false
        return settings.reportedChanges(since: &reportedValues)
    }

    public var transactionStatus: TransactionStatus {
        switch transaction.status {
        case .idle: return .idle
        case .inBlock: return .inTransaction
        case .failed: return .failed
        }
    }

    public var textOutput: TextOutput {
        if let cachedTextOutput { return cachedTextOutput }
        var output = TextOutput(
            extraFloatDigits: Int(settings["extra_float_digits"] ?? "1") ?? 1,
            timeZone: SessionTimeZone(named: settings["TimeZone"] ?? "UTC") ?? .utc)
        let searchPath = self.searchPath
        let user = principal.user
        output.objectName = { ObjectIdentifiers.objectName($0, $1, searchPath: searchPath, currentUser: user) }
        output.objectOID = { ObjectIdentifiers.objectOID($0, named: $1, searchPath: searchPath, currentUser: user) }
        cachedTextOutput = output
        return output
    }

    public var statementTimeout: Duration? {
        if let cached = cachedStatementTimeout { return cached }
        var timeout: Duration?
        if let text = settings["statement_timeout"], let milliseconds = try? parseMilliseconds(text), milliseconds > 0 {
            timeout = .milliseconds(milliseconds)
        }
        cachedStatementTimeout = .some(timeout)
        return timeout
    }

    public func prepare(_ sql: String, parameterTypes: [DataType?]) async throws(PostgresError) -> [PreparedStatement] {
        var prepared: [PreparedStatement] = []
        for statement in try parsed(sql) {
            prepared.append(try await prepare(statement, sql: sql, parameterTypes: parameterTypes))
        }
        return prepared
    }

    public func parseStatements(_ sql: String) throws(PostgresError) -> Int { try parsed(sql).count }

    public func prepareStatement(_ sql: String, index: Int) async throws(PostgresError) -> PreparedStatement {
        try await prepare(try parsed(sql)[index], sql: sql, parameterTypes: [])
    }

    private func prepare(_ statement: ParsedStatement, sql: String, parameterTypes: [DataType?])
        async throws(PostgresError) -> PreparedStatement
    {
        applyPendingSettingChanges()
        statementStart = Self.now()
        guard case .select = statement.statement, sql.utf8.count <= Self.parseCacheTextLimit else {
            try await resolveTables(for: statement.statement)
            let prepared = try plan(
                statement.statement, text: String(statement.text), sql: sql, parameterTypes: parameterTypes)
            freshlyPrepared = prepared
            return prepared
        }
        let key = PlanCacheKey(sql: sql, statement: String(statement.text), parameterTypes: parameterTypes)
        if let cached = planCache[key] { return cached }
        try await resolveTables(for: statement.statement)
        let prepared = try plan(statement.statement, text: key.statement, sql: sql, parameterTypes: parameterTypes)
        if currentTables.isEmpty {
            if planCache.count >= Self.parseCacheLimit { planCache.removeAll(keepingCapacity: true) }
            planCache[key] = prepared
        }
        freshlyPrepared = prepared
        return prepared
    }

    /// The statements of `sql`, from the parse cache when it was seen before.
    private func parsed(_ sql: String) throws(PostgresError) -> [ParsedStatement] {
        if let cached = parseCache[sql] { return cached }
        let parsed: [ParsedStatement]
        do {
            parsed = try SQLParser.parse(sql)
        } catch {
            throw PostgresError(converting: error)
        }
        if sql.utf8.count <= Self.parseCacheTextLimit {
            if parseCache.count >= Self.parseCacheLimit { parseCache.removeAll(keepingCapacity: true) }
            parseCache[sql] = parsed
        }
        return parsed
    }

    public func execute(_ query: PreparedStatement, parameters: [Value], cancellation: QueryCancellation)
        async throws(PostgresError) -> QueryResult
    {
        statementStart = Self.now()
        let plan = try await executablePlan(query)
        if transaction.status == .failed, !plan.allowedInFailedTransaction {
            throw PostgresError(
                sqlState: .inFailedSqlTransaction,
                message: "current transaction is aborted, commands ignored until end of transaction block")
        }
        do {
            return try await run(plan, query: query, parameters: parameters, cancellation: cancellation)
        } catch {
            throw PostgresError(converting: error)
        }
    }

    public func statementFailed() {
        transaction.statementFailed()
        pendingSettingChanges = []
    }

    public func cursorColumns(_ name: String) -> [ResultColumn]? { cursors[name]?.columns }

    public func preparedStatement(_ name: String) -> PreparedStatement? { preparedStatements[name] }

    public func setPreparedStatement(_ name: String, _ query: PreparedStatement?) { preparedStatements[name] = query }

    public func close() {
        cursors.removeAll()
        preparedStatements.removeAll()
    }

    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()) }
}

/// Transaction block state as PostgreSQL's ReadyForQuery reports it.
struct TransactionState {
    enum Status { case idle, inBlock, failed }
    var status = Status.idle
    var savepoints: [String] = []

    mutating func statementFailed() {
        if status == .inBlock { status = .failed }
    }
}

/// An open cursor: the rest of a query's rows.
final class Cursor {
    let columns: [ResultColumn]
    let stream: any BatchStream
    var pending: Batch?
    let withHold: Bool

    init(columns: [ResultColumn], stream: any BatchStream, withHold: Bool) {
        self.columns = columns
        self.stream = stream
        self.withHold = withHold
    }
}
