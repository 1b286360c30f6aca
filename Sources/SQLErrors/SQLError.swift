/// What every layer's error type tells a client: a SQLSTATE, a message a person can act on, and
/// where they help a detail, a hint and the place in the statement text it points at.
///
/// Each layer keeps its own error type (`EngineError`, `BindError`, `ParseError`, ...); the wire
/// turns any of them into an ErrorResponse in one place.
public protocol SQLError: Error, Sendable {
    var sqlState: SQLState { get }
    var message: String { get }
    var detail: String? { get }
    var hint: String? { get }
    /// Where in the statement the error is, when that is known.
    var cursor: ErrorCursor? { get }
}

extension SQLError {
    public var detail: String? { nil }
    public var hint: String? { nil }
    public var cursor: ErrorCursor? { nil }
}

/// A place in a statement's text: as a byte offset (what libpg_query's locations are) or as
/// PostgreSQL's error cursor, a 1-based character position.
public enum ErrorCursor: Sendable, Equatable {
    case byteOffset(Int)
    case characterPosition(Int)

    /// The 1-based character position in `text`, as ErrorResponse's `P` field carries it.
    public func characterPosition(in text: some StringProtocol) -> Int {
        characterPosition(inUTF8: text.utf8)
    }

    /// The 1-based character position in text given as its UTF-8 bytes.
    public func characterPosition(inUTF8 bytes: some Collection<UInt8>) -> Int {
        switch self {
        case .characterPosition(let position):
            return position
        case .byteOffset(let offset):
            var characters = 1
            for (index, byte) in bytes.enumerated() {
                if index >= offset { break }
                if byte & 0xC0 != 0x80 { characters += 1 }
            }
            return characters
        }
    }
}
