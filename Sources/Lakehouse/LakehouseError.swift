import Engine
import SQLErrors

/// An error reading or writing lakehouse storage, carrying the PostgreSQL SQLSTATE a client sees.
///
/// Messages name the object, file or table involved so a person can find it: `XX001` for corrupt
/// data, `22000` for data that cannot be written, `58030` for I/O failures, `58P01` for missing
/// objects, `40001` for commit conflicts.
public struct LakehouseError: SQLError, Equatable, CustomStringConvertible {
    public let sqlState: SQLState
    public let message: String
    public var detail: String?

    public init(_ sqlState: SQLState, _ message: String, detail: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
    }

    /// Data that does not decode: a truncated or corrupt Parquet, Avro or metadata file.
    public static func corrupt(_ location: String, _ problem: String) -> LakehouseError {
        LakehouseError(.dataCorrupted, "could not read \"\(location)\": \(problem)")
    }

    /// Data that cannot be written in the requested format: a value that does not fit its Avro
    /// schema, or manifest content that contradicts the spec or format version it is written for.
    public static func cannotWrite(_ what: String, _ problem: String) -> LakehouseError {
        LakehouseError(.dataException, "could not write \(what): \(problem)")
    }

    /// A storage operation that failed below the format level.
    public static func io(_ location: String, _ problem: String) -> LakehouseError {
        LakehouseError(.ioError, "could not access \"\(location)\": \(problem)")
    }

    /// An object that does not exist.
    public static func notFound(_ location: String) -> LakehouseError {
        LakehouseError(.undefinedFile, "object \"\(location)\" does not exist")
    }

    /// A feature of the file or table format Weir does not handle yet.
    public static func unsupported(_ what: String) -> LakehouseError {
        LakehouseError(.featureNotSupported, what)
    }

    public var description: String { "\(sqlState): \(message)" }

    /// The same error in the engine's terms, for operators that surface it to a query.
    public var engineError: EngineError { EngineError(sqlState, message, detail: detail) }
}
