/// A JSON value from libpg_query's parse-tree output.
///
/// libpg_query serializes its protobuf tree as JSON and omits fields at their default
/// (0, false, "", empty list), so readers treat a missing key as the default.
enum ParseTreeJSON: Sendable {
    case object([String: ParseTreeJSON])
    case array([ParseTreeJSON])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    subscript(key: String) -> ParseTreeJSON? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    /// Integers beyond Int's range (PostgreSQL's LONG_MAX for FETCH ALL) clamp to Int.max / Int.min.
    var int: Int? {
        guard case .number(let n) = self else { return nil }
        if n >= 9.2e18 { return Int.max }
        if n <= -9.2e18 { return Int.min }
        return Int(n)
    }
    var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    var array: [ParseTreeJSON] { if case .array(let a) = self { return a } else { return [] } }

    /// The single `{"NodeType": {...}}` wrapper libpg_query uses for a Node: its type and fields.
    var node: (type: String, fields: ParseTreeJSON)? {
        guard case .object(let fields) = self, fields.count == 1, let (type, body) = fields.first else { return nil }
        return (type, body)
    }

    /// Parses JSON text; libpg_query's output is well-formed, so failure means a bug and returns nil.
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> ParseTreeJSON? {
        var reader = Reader(bytes: text)
        return reader.value()
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        mutating func skipWhitespace() {
            while position < bytes.count,
                bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x0D || bytes[position] == 0x09
            {
                position += 1
            }
        }

        mutating func value() -> ParseTreeJSON? {
            skipWhitespace()
            guard position < bytes.count else { return nil }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var fields: [String: ParseTreeJSON] = [:]
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                    position += 1; return .object(fields)
                }
                while true {
                    skipWhitespace()
                    guard let key = string() else { return nil }
                    skipWhitespace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
                    position += 1
                    guard let field = value() else { return nil }
                    fields[key] = field
                    skipWhitespace()
                    guard position < bytes.count else { return nil }
                    if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(fields) }
                    return nil
                }
            case UInt8(ascii: "["):
                position += 1
                var items: [ParseTreeJSON] = []
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                while true {
                    guard let item = value() else { return nil }
                    items.append(item)
                    skipWhitespace()
                    guard position < bytes.count else { return nil }
                    if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                    return nil
                }
            case UInt8(ascii: "\""):
                return string().map { .string($0) }
            case UInt8(ascii: "t"):
                position += 4
                return .bool(true)
            case UInt8(ascii: "f"):
                position += 5
                return .bool(false)
            case UInt8(ascii: "n"):
                position += 4
                return .null
            default:
                let start = position
                while position < bytes.count,
                    (bytes[position] >= 0x30 && bytes[position] <= 0x39) || bytes[position] == UInt8(ascii: "-")
                        || bytes[position] == UInt8(ascii: ".") || bytes[position] == UInt8(ascii: "e")
                        || bytes[position] == UInt8(ascii: "E")
                        || bytes[position] == UInt8(ascii: "+")
                {
                    position += 1
                }
                return Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
                    .map { .number($0) }
            }
        }

        mutating func string() -> String? {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
            position += 1
            var result: [UInt8] = []
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: "\"") { return String(decoding: result, as: UTF8.self) }
                guard byte == UInt8(ascii: "\\") else { result.append(byte); continue }
                guard position < bytes.count else { return nil }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "r"): result.append(0x0D)
                case UInt8(ascii: "b"): result.append(0x08)
                case UInt8(ascii: "f"): result.append(0x0C)
                case UInt8(ascii: "u"):
                    guard position + 4 <= bytes.count,
                        var scalar = UInt32(
                            String(
                                decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + 4]), as: UTF8.self),
                            radix: 16)
                    else { return nil }
                    position += 4
                    // A surrogate pair arrives as two escapes.
                    if (0xD800..<0xDC00).contains(scalar), position + 6 <= bytes.count,
                        bytes[position] == UInt8(ascii: "\\"),
                        let low = UInt32(
                            String(
                                decoding: UnsafeBufferPointer(rebasing: bytes[position + 2..<position + 6]),
                                as: UTF8.self), radix: 16)
                    {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        position += 6
                    }
                    result.append(
                        contentsOf: Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
                default: result.append(escaped)
                }
            }
            return nil
        }
    }
}
