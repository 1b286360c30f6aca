import Foundation

/// LIKE / ILIKE, SIMILAR TO and POSIX regex kernels. A constant pattern arrives compiled from the
/// binder; a pattern column is compiled once per distinct consecutive value.
public enum PatternMatching {
    /// `text [NOT] [I]LIKE pattern` (`~~`, `!~~`, `~~*`, `!~~*`); arguments `[text, pattern]`.
    public static func like(compiled: LikePattern?, caseInsensitive: Bool, negated: Bool) -> ScalarFunction {
        ScalarFunction(name: caseInsensitive ? "texticlike" : "textlike", resultType: .boolean, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            let text = arguments[0].byteBuffers
            let patterns = arguments[1].byteBuffers
            let validity = ValidityBitmap.all(arguments)
            var cache = CompiledCache<LikePattern>(constant: compiled)
            var lowered: [UInt8] = []
            var result = [UInt8](repeating: 0, count: rowCount)
            try text.data.withUnsafeBufferPointer { data throws(EngineError) in
                for row in 0..<rowCount where validity?[row] ?? true {
                    let pattern = try cache.pattern(Column.slice(patterns, row)) { bytes throws(EngineError) in
                        try LikePattern(bytes, caseInsensitive: caseInsensitive)
                    }
                    let range = Int(text.offsets[row])..<Int(text.offsets[row + 1])
                    var matched: Bool
                    if caseInsensitive {
                        lowered.removeAll(keepingCapacity: true)
                        var ascii = true
                        for byte in data[range] {
                            ascii = ascii && byte < 0x80
                            lowered.append(byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte)
                        }
                        if !ascii { lowered = LikePattern.lowercased(Array(data[range])) }
                        matched = try lowered.withUnsafeBufferPointer { buffer throws(EngineError) in
                            try pattern.matches(buffer)
                        }
                    } else {
                        matched = try pattern.matches(UnsafeBufferPointer(rebasing: data[range]))
                    }
                    result[row] = matched != negated ? 1 : 0
                }
            }
            return Column(type: .boolean, count: rowCount, validity: validity, storage: .bool(result))
        }
    }

    /// `like_escape(pattern, escape)`: the pattern rewritten to use `\` as its escape.
    public static let likeEscape = ScalarFunction(name: "like_escape", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let patterns = arguments[0].byteBuffers
        let escapes = arguments[1].byteBuffers
        let validity = ValidityBitmap.all(arguments)
        var writer = BytesColumnWriter(rowCount: rowCount, dataCapacity: patterns.data.count)
        for row in 0..<rowCount {
            guard validity?[row] ?? true else { writer.endNullRow(); continue }
            writer.append(
                contentsOf: try LikePattern.normalizingEscape(
                    Array(Column.slice(patterns, row)), escape: Array(Column.slice(escapes, row))))
            writer.endRow()
        }
        return writer.build()
    }

    /// `similar_to_escape(pattern [, escape])`: the SIMILAR TO pattern as a regular expression.
    public static let similarToEscape = ScalarFunction(name: "similar_to_escape", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let patterns = arguments[0].byteBuffers
        let escapes = arguments.count > 1 ? arguments[1].byteBuffers : nil
        let validity = ValidityBitmap.all(arguments)
        var writer = BytesColumnWriter(rowCount: rowCount, dataCapacity: patterns.data.count * 2)
        for row in 0..<rowCount {
            guard validity?[row] ?? true else { writer.endNullRow(); continue }
            let escape = escapes.map { String(decoding: Column.slice($0, row), as: UTF8.self) }
            writer.append(
                contentsOf: try SimilarToPattern.regex(
                    String(decoding: Column.slice(patterns, row), as: UTF8.self), escape: escape
                ).utf8)
            writer.endRow()
        }
        return writer.build()
    }

    /// `text ~ pattern` and its case-insensitive / negated forms; arguments `[text, pattern]`.
    public static func regexMatch(compiled: RegexPattern?, caseInsensitive: Bool, negated: Bool) -> ScalarFunction {
        ScalarFunction(name: caseInsensitive ? "texticregexeq" : "textregexeq", resultType: .boolean, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            let text = arguments[0].byteBuffers
            let patterns = arguments[1].byteBuffers
            let validity = ValidityBitmap.all(arguments)
            var cache = CompiledCache<RegexPattern>(constant: compiled)
            var result = [UInt8](repeating: 0, count: rowCount)
            for row in 0..<rowCount where validity?[row] ?? true {
                let regex = try cache.pattern(Column.slice(patterns, row)) { bytes throws(EngineError) in
                    try RegexPattern(String(decoding: bytes, as: UTF8.self), flags: caseInsensitive ? "i" : "")
                }
                result[row] = regex.isMatch(String(decoding: Column.slice(text, row), as: UTF8.self)) != negated ? 1 : 0
            }
            return Column(type: .boolean, count: rowCount, validity: validity, storage: .bool(result))
        }
    }

    /// `substring(text from pattern)`: the first parenthesized group's match, else the whole match; NULL without one.
    public static func substring(compiled: RegexPattern?) -> ScalarFunction {
        ScalarFunction(name: "substring", resultType: .text, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            let text = arguments[0].byteBuffers
            let patterns = arguments[1].byteBuffers
            let validity = ValidityBitmap.all(arguments)
            var cache = CompiledCache<RegexPattern>(constant: compiled)
            var writer = BytesColumnWriter(rowCount: rowCount)
            for row in 0..<rowCount {
                guard validity?[row] ?? true else { writer.endNullRow(); continue }
                let regex = try cache.pattern(Column.slice(patterns, row)) { bytes throws(EngineError) in
                    try RegexPattern(String(decoding: bytes, as: UTF8.self))
                }
                let subject = String(decoding: Column.slice(text, row), as: UTF8.self)
                guard let ranges = regex.firstMatch(in: subject) else { writer.endNullRow(); continue }
                let range = ranges.count > 1 ? ranges[1] : ranges[0]
                guard range.location != NSNotFound else { writer.endNullRow(); continue }
                writer.append(contentsOf: (subject as NSString).substring(with: range).utf8)
                writer.endRow()
            }
            return writer.build()
        }
    }

    /// `regexp_replace(source, pattern, replacement [, flags])`; `\1`–`\9` and `\&` in the replacement.
    public static func regexpReplace(compiled: RegexPattern?, flags: String) -> ScalarFunction {
        ScalarFunction(name: "regexp_replace", resultType: .text, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            let text = arguments[0].byteBuffers
            let patterns = arguments[1].byteBuffers
            let replacements = arguments[2].byteBuffers
            let validity = ValidityBitmap.all(arguments)
            let global = flags.contains("g")
            var cache = CompiledCache<RegexPattern>(constant: compiled)
            var writer = BytesColumnWriter(rowCount: rowCount, dataCapacity: text.data.count)
            for row in 0..<rowCount {
                guard validity?[row] ?? true else { writer.endNullRow(); continue }
                let regex = try cache.pattern(Column.slice(patterns, row)) { bytes throws(EngineError) in
                    try RegexPattern(String(decoding: bytes, as: UTF8.self), flags: flags)
                }
                let subject = String(decoding: Column.slice(text, row), as: UTF8.self) as NSString
                let replacement = Array(String(decoding: Column.slice(replacements, row), as: UTF8.self).utf16)
                let matches =
                    global
                    ? regex.allMatches(in: subject as String)
                    : regex.firstMatch(in: subject as String).map { [$0] } ?? []
                var output: [UInt16] = []
                var cursor = 0
                for groups in matches {
                    output.append(
                        contentsOf: Self.utf16(subject, NSRange(location: cursor, length: groups[0].location - cursor)))
                    Self.expand(replacement, groups: groups, subject: subject, into: &output)
                    cursor = groups[0].location + groups[0].length
                }
                output.append(
                    contentsOf: Self.utf16(subject, NSRange(location: cursor, length: subject.length - cursor)))
                writer.append(contentsOf: String(decoding: output, as: UTF16.self).utf8)
                writer.endRow()
            }
            return writer.build()
        }
    }

    /// `regexp_match(text, pattern [, flags])`: the captured groups (or whole match) of the first match as text[].
    public static func regexpMatch(compiled: RegexPattern?, flags: String) -> ScalarFunction {
        textArrayPerMatch(name: "regexp_match", compiled: compiled, flags: flags) { regex, subject in
            guard let ranges = regex.firstMatch(in: subject as String) else { return .null }
            let groups = ranges.count > 1 ? Array(ranges.dropFirst()) : ranges
            return .array(
                groups.map { range in range.location == NSNotFound ? .null : .text(subject.substring(with: range)) })
        }
    }

    /// `regexp_split_to_array(text, pattern [, flags])`: the pieces between matches. As in
    /// PostgreSQL, an empty match at the start or end of the text or right after another match does
    /// not split.
    public static func regexpSplit(compiled: RegexPattern?, flags: String) -> ScalarFunction {
        textArrayPerMatch(name: "regexp_split_to_array", compiled: compiled, flags: flags) { regex, subject in
            var pieces: [Value] = []
            var pieceStart = 0
            for match in regex.expression.matches(
                in: subject as String, range: NSRange(location: 0, length: subject.length))
            {
                let range = match.range
                // pieceStart is where the previous match ended (0 before the first).
                if range.length == 0,
                    range.location == 0 || range.location >= subject.length
                        || range.location == pieceStart && !pieces.isEmpty
                {
                    continue
                }
                pieces.append(
                    .text(subject.substring(with: NSRange(location: pieceStart, length: range.location - pieceStart))))
                pieceStart = range.location + range.length
            }
            pieces.append(.text(subject.substring(from: pieceStart)))
            return .array(pieces)
        }
    }

    /// A text[]-valued regexp function: `value` maps each non-NULL row's compiled pattern and subject
    /// to the row's result.
    private static func textArrayPerMatch(
        name: String, compiled: RegexPattern?, flags: String,
        value: @escaping @Sendable (RegexPattern, NSString) -> Value
    ) -> ScalarFunction {
        ScalarFunction(name: name, resultType: .array(.text), isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            let text = arguments[0].byteBuffers
            let patterns = arguments[1].byteBuffers
            let validity = ValidityBitmap.all(arguments)
            var cache = CompiledCache<RegexPattern>(constant: compiled)
            var values: [Value] = []
            values.reserveCapacity(rowCount)
            for row in 0..<rowCount {
                guard validity?[row] ?? true else { values.append(.null); continue }
                let regex = try cache.pattern(Column.slice(patterns, row)) { bytes throws(EngineError) in
                    try RegexPattern(String(decoding: bytes, as: UTF8.self), flags: flags)
                }
                values.append(value(regex, String(decoding: Column.slice(text, row), as: UTF8.self) as NSString))
            }
            return Column(type: .array(.text), values: values)
        }
    }

    static func utf16(_ string: NSString, _ range: NSRange) -> [UInt16] {
        var buffer = [UInt16](repeating: 0, count: range.length)
        string.getCharacters(&buffer, range: range)
        return buffer
    }

    /// PostgreSQL's replacement syntax: `\n` a group, `\&` the match, `\\` a backslash.
    static func expand(_ replacement: [UInt16], groups: [NSRange], subject: NSString, into output: inout [UInt16]) {
        let backslash = UInt16(UInt8(ascii: "\\"))
        var index = 0
        while index < replacement.count {
            let unit = replacement[index]
            if unit == backslash, index + 1 < replacement.count {
                let next = replacement[index + 1]
                if next >= 0x31 && next <= 0x39 || next == UInt16(UInt8(ascii: "&")) {
                    let group = next == UInt16(UInt8(ascii: "&")) ? 0 : Int(next - 0x30)
                    if group < groups.count, groups[group].location != NSNotFound {
                        output.append(contentsOf: utf16(subject, groups[group]))
                    }
                    index += 2
                    continue
                }
                if next == backslash {
                    output.append(backslash)
                    index += 2
                    continue
                }
            }
            output.append(unit)
            index += 1
        }
    }
}

/// The compiled form of the most recent pattern value, so a pattern column compiles once per run of equal values.
struct CompiledCache<Pattern> {
    /// The binder's compiled constant pattern, used for every row when present.
    let constant: Pattern?
    var source: [UInt8]?
    var compiled: Pattern?

    init(constant: Pattern?) { self.constant = constant }

    mutating func pattern(_ bytes: ArraySlice<UInt8>, compile: (ArraySlice<UInt8>) throws(EngineError) -> Pattern)
        throws(EngineError) -> Pattern
    {
        if let constant { return constant }
        if let compiled, let source, source.elementsEqual(bytes) { return compiled }
        let pattern = try compile(bytes)
        source = Array(bytes)
        compiled = pattern
        return pattern
    }
}
