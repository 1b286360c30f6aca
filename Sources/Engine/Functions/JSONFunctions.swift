/// Functions that build JSON text from SQL values.
public enum JSONFunctions {
    /// `json_build_object(key, value, ...)`: keys as JSON strings, values as JSON by type
    /// (numbers and booleans bare, json as is, NULL as null, everything else as a string of its
    /// text form), written with PostgreSQL's `{"k" : v, ...}` spacing.
    public static let buildObject = ScalarFunction(name: "json_build_object", resultType: .json, isStrict: false) {
        arguments, rowCount, context throws(EngineError) in
        var builder = ColumnBuilder(type: .json, capacity: rowCount)
        for row in 0..<rowCount {
            var out: [UInt8] = Array("{".utf8)
            for pair in stride(from: 0, to: arguments.count, by: 2) {
                guard !arguments[pair].isNull(row) else {
                    throw EngineError(.nullValueNotAllowed, "null value not allowed for object key")
                }
                if pair > 0 { out += Array(", ".utf8) }
                var key: [UInt8] = []
                context.textOutput.append(arguments[pair], at: row, to: &key)
                appendString(key, to: &out)
                out += Array(" : ".utf8)
                appendValue(arguments[pair + 1], at: row, context: context, to: &out)
            }
            out.append(UInt8(ascii: "}"))
            builder.append(.bytes(out))
        }
        return builder.build()
    }

    static func appendValue(_ column: Column, at row: Int, context: EvaluationContext, to out: inout [UInt8]) {
        guard !column.isNull(row) else {
            out += Array("null".utf8)
            return
        }
        var text: [UInt8] = []
        context.textOutput.append(column, at: row, to: &text)
        switch column.type {
        case .int16, .int32, .int64, .numeric, .oid, .json, .jsonb: out += text
        case .float32, .float64:
            // NaN and infinities are not JSON numbers.
            if text.first.map({ $0 == UInt8(ascii: "-") || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) })
                == true,
                text.last.map({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) == true
            {
                out += text
            } else {
                appendString(text, to: &out)
            }
        case .boolean: out += Array((text == [UInt8(ascii: "t")] ? "true" : "false").utf8)
        default: appendString(text, to: &out)
        }
    }

    /// `text` as a JSON string literal.
    static func appendString(_ text: [UInt8], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text {
            switch byte {
            case UInt8(ascii: "\""): out += Array("\\\"".utf8)
            case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0x08: out += Array("\\b".utf8)
            case 0x0C: out += Array("\\f".utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
