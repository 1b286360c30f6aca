import CPgQuery
import SQLErrors

/// A statement and where it sits in the text it came from.
public struct ParsedStatement: Sendable, Equatable {
    public var statement: Statement
    /// The statement's own text (for command tags, audit and cursors).
    public var text: Substring
}

/// A syntax error as PostgreSQL reports it.
public struct ParseError: SQLError, Equatable {
    public let message: String
    /// 1-based character position in the query text, as PostgreSQL's error cursor.
    public let position: Int?
    /// The SQLSTATE: `42601` for syntax errors, `22P02`/`42P02` etc. for the few lexer cases.
    public let sqlState: SQLState
    /// A suggestion for the user, when there is one.
    public var hint: String? = nil

    public var cursor: ErrorCursor? { position.map(ErrorCursor.characterPosition) }
}

/// Parses SQL with libpg_query (the PostgreSQL 15 grammar) into Weir's AST.
public enum SQLParser {
    /// Parses every statement in `sql`; an empty or comment-only string gives an empty list.
    public static func parse(_ sql: String) throws(ParseError) -> [ParsedStatement] {
        let result = pg_query_parse(sql)
        defer { pg_query_free_parse_result(result) }
        if let error = result.error {
            let message = String(cString: error.pointee.message)
            let position = Int(error.pointee.cursorpos)
            throw ParseError(
                message: message, position: position > 0 ? position : nil, sqlState: grammarErrorState(message))
        }
        guard let treeText = result.parse_tree else { return [] }
        let length = strlen(treeText)
        let tree = treeText.withMemoryRebound(to: UInt8.self, capacity: length) {
            ParseTreeJSON.parse(UnsafeBufferPointer(start: $0, count: length))
        }
        guard let tree else {
            throw ParseError(message: "internal error: unreadable parse tree", position: nil, sqlState: .internalError)
        }
        let utf8 = Array(sql.utf8)
        return try tree["stmts"]?.array.map { entry throws(ParseError) in
            let start = entry["stmt_location"]?.int ?? 0
            let length = entry["stmt_len"]?.int ?? (utf8.count - start)
            let end = min(utf8.count, length == 0 ? utf8.count : start + length)
            let text = Substring(String(decoding: utf8[start..<end], as: UTF8.self))
            guard let node = entry["stmt"] else {
                throw ParseError(message: "empty statement", position: nil, sqlState: .internalError)
            }
            let converter = ParseTreeConverter(source: utf8, statementRange: start..<end)
            return ParsedStatement(statement: try converter.statement(node), text: text)
        } ?? []
    }

    /// The SQLSTATE of an error the grammar raises: `42P20` for its checks of window frames
    /// (`frame start cannot be UNBOUNDED FOLLOWING`), `42601` for everything else.
    static func grammarErrorState(_ message: String) -> SQLState {
        message.hasPrefix("frame start") || message.hasPrefix("frame end") ? .windowingError : .syntaxError
    }

    /// PostgreSQL's 1-based character position of a byte offset in the statement's UTF-8 bytes.
    static func characterPosition(ofByteOffset offset: Int, in utf8: [UInt8]) -> Int {
        ErrorCursor.byteOffset(offset).characterPosition(inUTF8: utf8)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
