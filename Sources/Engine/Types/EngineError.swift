import SQLErrors

/// An error raised while planning or executing a query, carrying its PostgreSQL SQLSTATE.
public struct EngineError: SQLError, Equatable {
    public let sqlState: SQLState
    public let message: String
    public var detail: String?
    public var hint: String?

    public init(_ sqlState: SQLState, _ message: String, detail: String? = nil, hint: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
    }

    public static func divisionByZero() -> EngineError { EngineError(.divisionByZero, "division by zero") }

    public static func outOfRange(_ typeName: String) -> EngineError {
        EngineError(.numericValueOutOfRange, "\(typeName) out of range")
    }

    public static func invalidText(_ text: some StringProtocol, for type: DataType) -> EngineError {
        EngineError(.invalidTextRepresentation, "invalid input syntax for type \(type.sqlName): \"\(text)\"")
    }

    /// A `regclass`, `regnamespace` or `regrole` name that names nothing, as PostgreSQL reports it.
    public static func undefinedObject(_ type: DataType, named name: String) -> EngineError {
        switch type {
        case .regnamespace: return EngineError(.invalidSchemaName, "schema \"\(name)\" does not exist")
        case .regrole: return EngineError(.undefinedObject, "role \"\(name)\" does not exist")
        default: return EngineError(.undefinedTable, "relation \"\(name)\" does not exist")
        }
    }

    public static func queryCanceled() -> EngineError {
        EngineError(.queryCanceled, "canceling statement due to user request")
    }
}
