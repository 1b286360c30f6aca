/// SQL `SIMILAR TO` patterns rewritten as POSIX regular expressions, as PostgreSQL's
/// `similar_to_escape` does: `%` → `.*`, `_` → `.`, the whole pattern anchored, groups
/// non-capturing, and the escape-double-quote separators marking what `substring` returns.
public enum SimilarToPattern {
    /// The regular expression for `pattern` with `escape` (nil: the default `\`; empty: none).
    public static func regex(_ pattern: String, escape: String?) throws(EngineError) -> String {
        let escapeCharacter: Character?
        if let escape {
            guard escape.count <= 1 else {
                throw EngineError(
                    .invalidEscapeSequence, "invalid escape string",
                    hint: "Escape string must be empty or one character.")
            }
            escapeCharacter = escape.first
        } else {
            escapeCharacter = "\\"
        }
        var out = "^(?:"
        var afterEscape = false
        var inBracket = false
        var bracketStart = false
        var separators = 0
        for character in pattern {
            if afterEscape {
                if character == "\"" {
                    guard separators < 2 else {
                        throw EngineError(
                            .invalidUseOfEscapeCharacter,
                            "SQL regular expression may not contain more than two escape-double-quote separators")
                    }
                    out += separators == 0 ? "){1,1}?(" : "){1,1}(?:"
                    separators += 1
                } else {
                    out.append("\\")
                    out.append(character)
                }
                afterEscape = false
                continue
            }
            if character == escapeCharacter {
                afterEscape = true
                continue
            }
            if inBracket {
                if character == "\\" { out.append("\\") }
                out.append(character)
                if character == "]" && !bracketStart { inBracket = false }
                bracketStart = character == "^" && bracketStart
                continue
            }
            switch character {
            case "[":
                inBracket = true
                bracketStart = true
                out.append("[")
            case "%": out += ".*"
            case "_": out.append(".")
            case "(": out += "(?:"
            case "\\", ".", "^", "$":
                out.append("\\")
                out.append(character)
            default: out.append(character)
            }
        }
        return out + ")$"
    }
}
