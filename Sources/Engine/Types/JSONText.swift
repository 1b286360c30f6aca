/// PostgreSQL's json and jsonb input: `json` keeps the text as written once it parses as JSON;
/// `jsonb` prints its normal form — object keys without duplicates (the last wins) ordered by
/// length then bytes, `", "` and `": "` between items, strings with escapes resolved, numbers as
/// `numeric` prints them (`1e2` is `100`, `1.50` stays `1.50`).
public enum JSONText {
    /// Checks that `text` is one JSON value (with surrounding white space); `22P02` otherwise.
    public static func validate(_ text: [UInt8]) throws(EngineError) {
        var parser = Parser(bytes: text, writer: nil)
        try parser.document()
    }

    /// The jsonb normal form of `text`.
    public static func normalized(_ text: [UInt8]) throws(EngineError) -> [UInt8] {
        var parser = Parser(bytes: text, writer: [])
        try parser.document()
        return parser.writer ?? []
    }

    /// A recursive-descent parser that, given a writer, also prints the jsonb normal form.
    struct Parser {
        let bytes: [UInt8]
        var writer: [UInt8]?
        var position = 0
        var depth = 0

        /// Nesting is parsed recursively; this bound keeps deep documents from exhausting a thread's stack.
        static let maximumDepth = 1000

        init(bytes: [UInt8], writer: [UInt8]?) {
            self.bytes = bytes
            self.writer = writer
        }

        func error(_ detail: String) -> EngineError {
            EngineError(.invalidTextRepresentation, "invalid input syntax for type json", detail: detail)
        }

        /// What PostgreSQL reports for a token that does not fit: a word that is no JSON token at all
        /// is invalid; a valid token in the wrong place was not `expected`.
        func unexpected(_ expected: String) -> EngineError {
            guard position < bytes.count else { return error("The input string ended unexpectedly.") }
            let found = token()
            let isToken =
                ["true", "false", "null"].contains(found) || Double(found) != nil || !Self.isWordByte(bytes[position])
            return error(isToken ? "\(expected), but found \"\(found)\"." : "Token \"\(found)\" is invalid.")
        }

        mutating func skipSpace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func document() throws(EngineError) {
            try value()
            skipSpace()
            guard position == bytes.count else { throw error("Expected end of input, but found \"\(token())\".") }
        }

        /// The text from the current position up to the next delimiter, for error details.
        func token() -> String {
            var end = position
            let delimiters = Array("{}[],: \t\n\r\"".utf8)
            while end < bytes.count, end == position || !delimiters.contains(bytes[end]) { end += 1 }
            return String(decoding: bytes[position..<end], as: UTF8.self)
        }

        mutating func value() throws(EngineError) {
            skipSpace()
            guard position < bytes.count else { throw error("The input string ended unexpectedly.") }
            switch bytes[position] {
            case UInt8(ascii: "{"): try object()
            case UInt8(ascii: "["): try array()
            case UInt8(ascii: "\""):
                let string = try self.string()
                writer?.append(contentsOf: Self.quoted(string))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default:
                for literal in ["true", "false", "null"] where bytes[position...].starts(with: literal.utf8) {
                    let end = position + literal.utf8.count
                    if end == bytes.count || !Self.isWordByte(bytes[end]) {
                        position = end
                        writer?.append(contentsOf: literal.utf8)
                        return
                    }
                }
                throw error("Token \"\(token())\" is invalid.")
            }
        }

        static func isWordByte(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte >= 0x80
        }

        mutating func enter() throws(EngineError) {
            depth += 1
            guard depth <= Self.maximumDepth else {
                throw EngineError(
                    .statementTooComplex, "stack depth limit exceeded",
                    hint: "JSON nested deeper than \(Self.maximumDepth) levels.")
            }
        }

        mutating func object() throws(EngineError) {
            try enter()
            position += 1
            // Members are collected so duplicates can be dropped and keys ordered, as jsonb stores them.
            var members: [(key: [UInt8], value: [UInt8])] = []
            var memberCount = 0
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
            } else {
                while true {
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                        throw unexpected(memberCount == 0 ? "Expected string or \"}\"" : "Expected string")
                    }
                    let key = try string()
                    memberCount += 1
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                        throw error(
                            position < bytes.count
                                ? "Expected \":\", but found \"\(token())\"." : "The input string ended unexpectedly.")
                    }
                    position += 1
                    let outer = writer
                    if writer != nil { writer = [] }
                    try value()
                    if let written = writer { members.append((key, written)) }
                    writer = outer
                    if try endOfItem(closing: "}") { break }
                }
            }
            depth -= 1
            guard writer != nil else { return }
            // Ordered by key, then by position, so the last of several equal keys is the one kept.
            let ordered = members.enumerated().sorted { a, b in
                let (x, y) = (a.element.key, b.element.key)
                if x.count != y.count { return x.count < y.count }
                if x != y { return x.lexicographicallyPrecedes(y) }
                return a.offset < b.offset
            }
            var unique: [(key: [UInt8], value: [UInt8])] = []
            for (_, member) in ordered {
                if unique.last?.key == member.key { unique[unique.count - 1] = member } else { unique.append(member) }
            }
            writer!.append(UInt8(ascii: "{"))
            for (index, member) in unique.enumerated() {
                if index > 0 { writer!.append(contentsOf: ", ".utf8) }
                writer!.append(contentsOf: Self.quoted(member.key))
                writer!.append(contentsOf: ": ".utf8)
                writer!.append(contentsOf: member.value)
            }
            writer!.append(UInt8(ascii: "}"))
        }

        /// Reads what follows an object member or array element: `,` (false) or the `closing` bracket (true).
        mutating func endOfItem(closing: Unicode.Scalar) throws(EngineError) -> Bool {
            skipSpace()
            guard position < bytes.count else { throw error("The input string ended unexpectedly.") }
            switch bytes[position] {
            case UInt8(ascii: closing):
                position += 1
                return true
            case UInt8(ascii: ","):
                position += 1
                return false
            default:
                throw error("Expected \",\" or \"\(closing)\", but found \"\(token())\".")
            }
        }

        mutating func array() throws(EngineError) {
            try enter()
            position += 1
            writer?.append(UInt8(ascii: "["))
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
            } else {
                var first = true
                while true {
                    if !first { writer?.append(contentsOf: ", ".utf8) }
                    first = false
                    try value()
                    if try endOfItem(closing: "]") { break }
                }
            }
            writer?.append(UInt8(ascii: "]"))
            depth -= 1
        }

        /// A string's content with escapes resolved (the opening quote is at `position`).
        mutating func string() throws(EngineError) -> [UInt8] {
            position += 1
            var content: [UInt8] = []
            while true {
                guard position < bytes.count else { throw error("The input string ended unexpectedly.") }
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return content
                case 0x00..<0x20:
                    throw error(
                        "Character with value 0x\(String(byte, radix: 16, uppercase: false).leftPadded(to: 2)) must be escaped."
                    )
                case UInt8(ascii: "\\"):
                    guard position < bytes.count else { throw error("The input string ended unexpectedly.") }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): content.append(escape)
                    case UInt8(ascii: "b"): content.append(0x08)
                    case UInt8(ascii: "f"): content.append(0x0C)
                    case UInt8(ascii: "n"): content.append(0x0A)
                    case UInt8(ascii: "r"): content.append(0x0D)
                    case UInt8(ascii: "t"): content.append(0x09)
                    case UInt8(ascii: "u"): try unicodeEscape(into: &content)
                    default:
                        throw error("Escape sequence \"\\\(String(decoding: [escape], as: UTF8.self))\" is invalid.")
                    }
                default:
                    content.append(byte)
                }
            }
        }

        mutating func hexQuad() throws(EngineError) -> UInt32 {
            guard position + 4 <= bytes.count,
                let value = UInt32(String(decoding: bytes[position..<(position + 4)], as: UTF8.self), radix: 16)
            else { throw error("\"\\u\" must be followed by four hexadecimal digits.") }
            position += 4
            return value
        }

        mutating func unicodeEscape(into content: inout [UInt8]) throws(EngineError) {
            var scalar = try hexQuad()
            if (0xD800..<0xDC00).contains(scalar) {
                guard bytes[position...].starts(with: "\\u".utf8) else {
                    throw EngineError(
                        .invalidTextRepresentation, "invalid input syntax for type json",
                        detail: "Unicode high surrogate must not follow a high surrogate.")
                }
                position += 2
                let low = try hexQuad()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw EngineError(
                        .invalidTextRepresentation, "invalid input syntax for type json",
                        detail: "Unicode low surrogate must follow a high surrogate.")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard scalar != 0 else {
                throw EngineError(
                    .untranslatableCharacter, "unsupported Unicode escape sequence",
                    detail: "\\u0000 cannot be converted to text.")
            }
            guard let character = Unicode.Scalar(scalar) else {
                throw EngineError(
                    .invalidTextRepresentation, "invalid input syntax for type json",
                    detail: "Unicode low surrogate must follow a high surrogate.")
            }
            content.append(contentsOf: String(character).utf8)
        }

        /// A JSON number, printed as `numeric` prints it.
        mutating func number() throws(EngineError) {
            let start = position
            let negative = bytes[position] == UInt8(ascii: "-")
            if negative { position += 1 }
            func digits() -> ArraySlice<UInt8> {
                let from = position
                while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                    position += 1
                }
                return bytes[from..<position]
            }
            let integer = digits()
            guard !integer.isEmpty, integer.count == 1 || integer.first != UInt8(ascii: "0") else {
                position = start
                throw error("Token \"\(token())\" is invalid.")
            }
            var fraction: ArraySlice<UInt8> = []
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                fraction = digits()
                guard !fraction.isEmpty else {
                    position = start
                    throw error("Token \"\(token())\" is invalid.")
                }
            }
            var exponent = 0
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                position += 1
                var sign = 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
                {
                    sign = bytes[position] == UInt8(ascii: "-") ? -1 : 1
                    position += 1
                }
                let exponentDigits = digits()
                guard !exponentDigits.isEmpty, exponentDigits.count < 7,
                    let value = Int(String(decoding: exponentDigits, as: UTF8.self))
                else {
                    position = start
                    throw error("Token \"\(token())\" is invalid.")
                }
                exponent = sign * value
            }
            if position < bytes.count, Self.isWordByte(bytes[position]) {
                position = start
                throw error("Token \"\(token())\" is invalid.")
            }
            guard writer != nil else { return }
            writer!.append(
                contentsOf: Self.numericText(
                    negative: negative, digits: Array(integer + fraction), scale: fraction.count - exponent))
        }

        /// `digits × 10^-scale` as numeric prints it: no leading zeros, `max(0, scale)` fractional digits.
        static func numericText(negative: Bool, digits: [UInt8], scale: Int) -> [UInt8] {
            var digits = digits
            var scale = scale
            if scale < 0 {
                digits.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -scale))
                scale = 0
            }
            if digits.count <= scale {
                digits.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: scale - digits.count + 1), at: 0)
            }
            var integerPart = digits[..<(digits.count - scale)].drop { $0 == UInt8(ascii: "0") }
            if integerPart.isEmpty { integerPart = [UInt8(ascii: "0")] }
            var out: [UInt8] = []
            if negative, digits.contains(where: { $0 != UInt8(ascii: "0") }) { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: integerPart)
            if scale > 0 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[(digits.count - scale)...])
            }
            return out
        }

        /// A string as jsonb prints it (PostgreSQL's escape_json).
        static func quoted(_ content: [UInt8]) -> [UInt8] {
            var out: [UInt8] = [UInt8(ascii: "\"")]
            for byte in content {
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
                case 0x08: out.append(contentsOf: "\\b".utf8)
                case 0x0C: out.append(contentsOf: "\\f".utf8)
                case 0x0A: out.append(contentsOf: "\\n".utf8)
                case 0x0D: out.append(contentsOf: "\\r".utf8)
                case 0x09: out.append(contentsOf: "\\t".utf8)
                case 0x00..<0x20:
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(contentsOf: String(byte, radix: 16).leftPadded(to: 2).utf8)
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
            return out
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
