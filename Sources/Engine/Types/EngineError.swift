/// An error raised while planning or executing a query, carrying its PostgreSQL SQLSTATE.
public struct EngineError: Error, Sendable, Equatable {
    /// The five-character SQLSTATE, e.g. `22012` for division by zero.
    public let sqlState: String
    public let message: String
    public var detail: String?
    public var hint: String?

    public init(_ sqlState: String, _ message: String, detail: String? = nil, hint: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
    }

    public static func divisionByZero() -> EngineError { EngineError("22012", "division by zero") }

    public static func outOfRange(_ typeName: String) -> EngineError {
        EngineError("22003", "\(typeName) out of range")
    }

    public static func invalidText(_ text: some StringProtocol, for type: DataType) -> EngineError {
        EngineError("22P02", "invalid input syntax for type \(type.sqlName): \"\(text)\"")
    }

    /// A `regclass`, `regnamespace` or `regrole` name that names nothing, as PostgreSQL reports it.
    public static func undefinedObject(_ type: DataType, named name: String) -> EngineError {
        switch type {
        case .regnamespace: return EngineError("3F000", "schema \"\(name)\" does not exist")
        case .regrole: return EngineError("42704", "role \"\(name)\" does not exist")
        default: return EngineError("42P01", "relation \"\(name)\" does not exist")
        }
    }

    public static func queryCanceled() -> EngineError {
        EngineError("57014", "canceling statement due to user request")
    }
}
