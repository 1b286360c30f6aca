import Auth
import Engine

/// What the wire layer needs from a SQL session. The composition root supplies the implementation,
/// so this module never sees the parser, planner or catalogs.
///
/// A session is used by one connection task at a time.
public protocol PostgresSession: AnyObject {
    /// What the session keeps of a prepared statement to run it: its plan, opaque to the wire layer.
    associatedtype Plan

    /// Every parameter PostgreSQL reports in ParameterStatus, with its current value.
    var reportedParameters: [(name: String, value: String)] { get }
    /// Reported parameters whose value changed since the last call (for ParameterStatus after SET).
    func takeChangedParameters() -> [(name: String, value: String)]
    /// The status byte for ReadyForQuery.
    var transactionStatus: TransactionStatus { get }
    /// How values print in text format under the session's settings.
    var textOutput: TextOutput { get }
    /// The longest a statement may run before it is cancelled (`statement_timeout`), or nil.
    var statementTimeout: Duration? { get }

    /// Parses and plans `sql`. Simple queries may hold several statements; the extended protocol
    /// passes `parameterTypes` (nil entries to infer) and expects at most one.
    func prepare(_ sql: String, parameterTypes: [DataType?]) async throws(PostgresError) -> [PreparedQuery<Plan>]
    /// Parses a simple query's text, all of it, and returns how many statements it holds; a syntax
    /// error anywhere means none runs, as in PostgreSQL.
    func parseStatements(_ sql: String) throws(PostgresError) -> Int
    /// Plans statement `index` of `sql` (already parsed), just before it runs, so it sees what the
    /// statements before it did (`SET search_path`, `set_config`).
    func prepareStatement(_ sql: String, index: Int) async throws(PostgresError) -> PreparedQuery<Plan>
    /// Runs a prepared query with bound parameter values.
    func execute(_ query: PreparedQuery<Plan>, parameters: [Value], cancellation: QueryCancellation)
        async throws(PostgresError) -> QueryResult
    /// The columns of an open SQL cursor (`DECLARE name CURSOR`), which clients may Describe as a portal.
    func cursorColumns(_ name: String) -> [ResultColumn]?
    /// Prepared statements live in the session: those made by the Parse message and by SQL
    /// `PREPARE` share one namespace, so SQL `DEALLOCATE` removes either, as in PostgreSQL.
    func preparedStatement(_ name: String) -> PreparedQuery<Plan>?
    /// Stores (or, with nil, removes) a prepared statement.
    func setPreparedStatement(_ name: String, _ query: PreparedQuery<Plan>?)
    /// Tells the session a statement failed (an open transaction block becomes failed).
    func statementFailed()
    /// Releases cursors and other session resources.
    func close()
}

/// Creates a session for an authenticated connection.
public protocol PostgresSessionFactory: Sendable {
    associatedtype Session: PostgresSession

    func makeSession(principal: Principal, startup: StartupMessage, processID: Int32) throws(PostgresError) -> Session
}

/// A statement ready to bind and run: what Describe reports, plus the session's own plan.
public final class PreparedQuery<Plan> {
    /// The statement text, as a client sent it.
    public let text: String
    public let parameterTypes: [DataType]
    /// The result's columns; nil when the statement returns no rows (Describe answers NoData).
    public let resultColumns: [ResultColumn]?
    /// True for an empty statement (EmptyQueryResponse).
    public let isEmpty: Bool
    /// True when executing takes microseconds whatever the data (utility commands, SELECTs without
    /// tables); such statements run on the connection's event loop. Others run on Swift's global
    /// executor so a long query never stalls the other connections that share the loop.
    public let finishesQuickly: Bool
    /// The session's plan; nil only for an empty statement, which has nothing to run.
    public let plan: Plan?

    public init(
        text: String, parameterTypes: [DataType], resultColumns: [ResultColumn]?, isEmpty: Bool = false,
        finishesQuickly: Bool = false, plan: Plan?
    ) {
        self.text = text
        self.parameterTypes = parameterTypes
        self.resultColumns = resultColumns
        self.isEmpty = isEmpty
        self.finishesQuickly = finishesQuickly
        self.plan = plan
    }
}

/// One column of a result as RowDescription describes it.
public struct ResultColumn: Sendable, Equatable {
    public var name: String
    public var type: DataType
    public var tableOID: UInt32
    public var columnNumber: Int16

    public init(name: String, type: DataType, tableOID: UInt32 = 0, columnNumber: Int16 = 0) {
        self.name = name
        self.type = type
        self.tableOID = tableOID
        self.columnNumber = columnNumber
    }
}

/// What running a statement produced.
public enum QueryResult {
    /// Rows to stream; the command tag is `<verb> <row count>` (`SELECT 3`, `FETCH 3`).
    case rows(columns: [ResultColumn], stream: any BatchStream, verb: String)
    /// A statement without rows, with its full command tag (`SET`, `BEGIN`).
    case command(tag: String)
    /// `COPY ... TO STDOUT`.
    case copyOut(columns: [ResultColumn], stream: any BatchStream, format: CopyOutFormat)
    /// `COPY ... FROM STDIN`: the connection asks the client for rows of `columns` in `format` and
    /// hands them to `load` as a stream; `load` stores them and returns how many it stored.
    case copyIn(columns: [ResultColumn], format: CopyOutFormat, load: (any BatchStream) async throws -> Int)
    /// Statements that must also send notices (e.g. `WARNING: there is no transaction in progress`).
    indirect case withNotices([PostgresError], QueryResult)
}

/// How `COPY TO STDOUT` formats rows, and how `COPY FROM STDIN` reads them.
public struct CopyOutFormat: Sendable, Equatable {
    public enum Kind: Sendable { case text, csv, binary }
    public var kind: Kind
    public var delimiter: UInt8
    public var null: [UInt8]
    public var header: Bool
    public var quote: UInt8
    public var escape: UInt8
    public var forceQuoteAll: Bool

    public init(
        kind: Kind, delimiter: UInt8? = nil, null: [UInt8]? = nil, header: Bool = false,
        quote: UInt8 = UInt8(ascii: "\""), escape: UInt8? = nil, forceQuoteAll: Bool = false
    ) {
        self.kind = kind
        self.delimiter = delimiter ?? (kind == .csv ? UInt8(ascii: ",") : UInt8(ascii: "\t"))
        self.null = null ?? (kind == .csv ? [] : Array("\\N".utf8))
        self.header = header
        self.quote = quote
        self.escape = escape ?? quote
        self.forceQuoteAll = forceQuoteAll
    }
}
