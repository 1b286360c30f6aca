/// PostgreSQL's quoting rules for identifiers and literals, and the `format()` mini-language.
public enum SQLQuoting {
    /// Reserved key words that `quote_ident` quotes even though they look like plain names.
    static let reservedWords: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast", "check",
        "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role", "current_time",
        "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except",
        "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into",
        "lateral", "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or",
        "order",
        "placing", "primary", "references", "returning", "select", "session_user", "some", "symmetric", "table", "then",
        "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where", "window", "with",
    ]

    /// `name` as is when it is a plain lower-case identifier, else double-quoted.
    public static func identifier(_ name: String) -> String {
        let bytes = Array(name.utf8)
        let plain =
            !bytes.isEmpty && !(bytes[0] >= 0x30 && bytes[0] <= 0x39)
            && bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_") }
            && !reservedWords.contains(name)
        return plain ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `text` as a string literal; backslashes make it an `E''` literal.
    public static func literal(_ text: String) -> String {
        var body = text.replacingOccurrences(of: "'", with: "''")
        if text.contains("\\") {
            body = body.replacingOccurrences(of: "\\", with: "\\\\")
            return "E'" + body + "'"
        }
        return "'" + body + "'"
    }

    /// Expands `format`'s conversions; `value(i)` is argument `i` (0-based) as text or nil for NULL.
    static func format(_ format: String, count: Int, value: (Int) -> String?) throws(EngineError) -> String {
        var result = ""
        var next = 0
        var characters = format[...]
        while let character = characters.popFirst() {
            guard character == "%" else { result.append(character); continue }
            var position: Int?
            let digits = characters.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, characters.dropFirst(digits.count).first == "$" {
                position = Int(digits)
                characters = characters.dropFirst(digits.count + 1)
                guard position! >= 1 else {
                    throw EngineError(
                        .invalidParameterValue, "format specifies argument 0, but arguments are numbered from 1")
                }
            }
            guard let conversion = characters.popFirst() else {
                throw EngineError(.invalidParameterValue, "unterminated format() type specifier")
            }
            if conversion == "%" { result.append("%"); continue }
            let index = position.map { $0 - 1 } ?? next
            next = index + 1
            guard index < count else { throw EngineError(.invalidParameterValue, "too few arguments for format()") }
            let argument = value(index)
            switch conversion {
            case "s": result += argument ?? ""
            case "I":
                guard let argument else {
                    throw EngineError(.nullValueNotAllowed, "null values cannot be formatted as an SQL identifier")
                }
                result += identifier(argument)
            case "L": result += argument.map(literal) ?? "NULL"
            default:
                throw EngineError(
                    .invalidParameterValue, "unrecognized format() type specifier \"\(conversion)\"",
                    hint: "For a single \"%\" use \"%%\".")
            }
        }
        return result
    }
}
