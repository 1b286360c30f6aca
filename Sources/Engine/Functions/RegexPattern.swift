import Foundation

/// A PostgreSQL regular expression (ARE flavour) compiled once for ICU through `NSRegularExpression`.
///
/// ICU and PostgreSQL's Spencer engine agree on most syntax; the differences handled here:
/// `.` matches newlines and `$` anchors only at the very end (unless the `n` flag asks for
/// newline-sensitive matching), `\m` `\M` `\y` `\Y` `\Z` word/end escapes, `[[:<:]]`/`[[:>:]]`,
/// and a literal `[` inside a bracket expression. Not handled: PostgreSQL's longest-match rule
/// for alternations (ICU takes the first alternative that matches) and `***` director prefixes.
public struct RegexPattern: @unchecked Sendable {
    // NSRegularExpression is immutable after init and documented as safe to share across threads.
    let expression: NSRegularExpression

    public var captureGroupCount: Int { expression.numberOfCaptureGroups }

    /// Compiles `pattern`; `flags` are PostgreSQL's regexp flag letters (`i`, `c`, `n`, `x`, `g` is the caller's).
    public init(_ pattern: String, flags: String = "") throws(EngineError) {
        var caseInsensitive = false
        var newlineSensitive = false
        var extended = false
        for flag in flags {
            switch flag {
            case "i": caseInsensitive = true
            case "c": caseInsensitive = false
            case "n", "m": newlineSensitive = true
            case "s", "p", "w": newlineSensitive = false
            case "x": extended = true
            case "t": extended = false
            case "g": break
            default: throw EngineError(.invalidParameterValue, "invalid regular expression option: \"\(flag)\"")
            }
        }
        var options: NSRegularExpression.Options = []
        if caseInsensitive { options.insert(.caseInsensitive) }
        if newlineSensitive { options.insert(.anchorsMatchLines) } else { options.insert(.dotMatchesLineSeparators) }
        if extended { options.insert(.allowCommentsAndWhitespace) }
        // ICU rejects an empty pattern; PostgreSQL's matches everywhere.
        let translated = pattern.isEmpty ? "(?:)" : Self.translate(pattern, newlineSensitive: newlineSensitive)
        do {
            expression = try NSRegularExpression(pattern: translated, options: options)
        } catch {
            throw EngineError(.invalidRegularExpression, "invalid regular expression: \(pattern)")
        }
    }

    /// ARE syntax rewritten into ICU syntax with the same meaning.
    static func translate(_ pattern: String, newlineSensitive: Bool) -> String {
        let characters = Array(pattern)
        var out = ""
        var index = 0
        var inBracket = false
        while index < characters.count {
            let character = characters[index]
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            if inBracket {
                if character == "]" && !out.hasSuffix("[") && !out.hasSuffix("[^") {
                    inBracket = false
                    out.append("]")
                } else if character == "[" && next == ":" || character == "[" && next == "."
                    || character == "[" && next == "="
                {
                    // A character class such as [:alpha:]: copy through its closing bracket.
                    let closing: Character = next!
                    var end = index + 2
                    while end + 1 < characters.count && !(characters[end] == closing && characters[end + 1] == "]") {
                        end += 1
                    }
                    out.append(String(characters[index..<min(characters.count, end + 2)]))
                    index = end + 2
                    continue
                } else if character == "[" || character == "&" || character == "-" && next == "-" {
                    out.append("\\")
                    out.append(character)
                } else if character == "\\", let next {
                    out.append("\\")
                    out.append(next)
                    index += 2
                    continue
                } else {
                    out.append(character)
                }
                index += 1
                continue
            }
            switch character {
            case "[":
                let rest = String(characters[index...])
                if rest.hasPrefix("[[:<:]]") || rest.hasPrefix("[[:>:]]") {
                    out.append(rest.hasPrefix("[[:<:]]") ? "\\b(?=\\w)" : "\\b(?<=\\w)")
                    index += 7
                    continue
                }
                inBracket = true
                out.append("[")
                if next == "^" { out.append("^"); index += 1 }
                if index + 1 < characters.count && characters[index + 1] == "]" { out.append("\\]"); index += 1 }
            case "\\":
                guard let next else { out.append("\\\\"); break }
                switch next {
                case "m": out.append("\\b(?=\\w)")
                case "M": out.append("\\b(?<=\\w)")
                case "y": out.append("\\b")
                case "Y": out.append("\\B")
                case "Z": out.append("\\z")
                default: out.append("\\"); out.append(next)
                }
                index += 2
                continue
            case "$":
                out.append(newlineSensitive ? "$" : "\\z")
            default:
                out.append(character)
            }
            index += 1
        }
        return out
    }

    /// The first match in `text`: the whole-match range and each group's range (nil where unmatched), as UTF-16 ranges.
    public func firstMatch(in text: String, from start: Int = 0) -> [NSRange]? {
        let length = (text as NSString).length
        guard start <= length,
            let match = expression.firstMatch(
                in: text, options: [], range: NSRange(location: start, length: length - start))
        else { return nil }
        return (0...expression.numberOfCaptureGroups).map { match.range(at: $0) }
    }

    /// True when the pattern matches anywhere in `text`.
    public func isMatch(_ text: String) -> Bool {
        expression.firstMatch(in: text, options: [], range: NSRange(location: 0, length: (text as NSString).length))
            != nil
    }

    /// All non-overlapping matches, each as whole-match and group ranges.
    public func allMatches(in text: String) -> [[NSRange]] {
        expression.matches(in: text, options: [], range: NSRange(location: 0, length: (text as NSString).length)).map {
            match in
            (0...expression.numberOfCaptureGroups).map { match.range(at: $0) }
        }
    }
}
