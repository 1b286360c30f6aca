import Catalog
import Engine
import SQLErrors

/// What binding needs from the session: who is asking and the current settings.
public protocol BinderContext {
    var currentUser: String { get }
    var sessionUser: String { get }
    var currentDatabase: String { get }
    /// The current value of a setting, or nil when no such setting exists.
    func setting(_ name: String) -> String?
    var evaluationContext: EvaluationContext { get }
    var processID: Int32 { get }
    /// The tables the statement names, looked up before binding (see `TableResolver`).
    var tables: ResolvedTables { get }
    /// What the analyzer asks about each table the statement reads.
    var accessControl: any AccessControl { get }
}

/// A binding or planning failure, with its SQLSTATE and error cursor.
public struct BindError: SQLError, Equatable {
    public let sqlState: SQLState
    public let message: String
    public var detail: String?
    public var hint: String?
    /// Byte offset into the statement text.
    public var location: Int?

    public var cursor: ErrorCursor? { location.map(ErrorCursor.byteOffset) }

    public init(_ sqlState: SQLState, _ message: String, hint: String? = nil, location: Int? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.hint = hint
        self.location = location
    }

    init(_ error: EngineError, location: Int?) {
        self.init(error.sqlState, error.message, hint: error.hint, location: location)
        detail = error.detail
    }
}
