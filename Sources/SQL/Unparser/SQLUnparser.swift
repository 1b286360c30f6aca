import SQLErrors

/// Writes a parsed query or expression back as PostgreSQL text that parses to the same tree: every
/// identifier double-quoted (so keywords and mixed case survive), string literals with their quotes
/// doubled, and every operator application parenthesized, so no precedence rule can regroup it.
/// Pushdown writes the SQL it sends to PostgreSQL sources with it.
///
/// The text assumes `standard_conforming_strings = on` (PostgreSQL's default), where a backslash in
/// a string literal is an ordinary character.
public enum SQLUnparser {
    /// The query as PostgreSQL text.
    public static func sql(_ select: SelectStatement) throws(UnparseError) -> String {
        var writer = SQLTextWriter()
        try writer.write(select)
        return writer.text
    }

    /// The expression as PostgreSQL text.
    public static func sql(_ expression: Expression) throws(UnparseError) -> String {
        var writer = SQLTextWriter()
        try writer.write(expression)
        return writer.text
    }

    /// `name` as a double-quoted identifier, its own double quotes doubled: `"order"`, `"a""b"`.
    public static func quotedIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `text` as a string literal, its single quotes doubled: `'it''s'`.
    public static func quotedLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A dotted name with each part quoted: `"pg_catalog"."int4"`.
    public static func quotedName(_ name: QualifiedName) -> String {
        name.parts.map(quotedIdentifier).joined(separator: ".")
    }
}

/// A tree the unparser cannot write: a form the parser kept only to report it as unsupported.
public struct UnparseError: SQLError, Equatable {
    public let sqlState = SQLState.featureNotSupported
    public let message: String

    init(_ what: String) {
        message = "cannot write \(what) as SQL text"
    }
}
