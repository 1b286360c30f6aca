/// PostgreSQL's text form of composite values (`record_out` / `record_in`): `(a,b,)` with a
/// field double-quoted when it is empty or holds `"`, `\`, `(`, `)`, `,` or white space, quotes and
/// backslashes inside it doubled, and a NULL field written as nothing.
public enum RecordText {
    /// Appends the record whose fields have the given text forms (nil for NULL).
    public static func append(fields: [ArraySlice<UInt8>?], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "("))
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            guard let field else { continue }
            let quoted = field.isEmpty || field.contains(where: needsQuotes)
            if quoted { out.append(UInt8(ascii: "\"")) }
            for byte in field {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(byte) }
                out.append(byte)
            }
            if quoted { out.append(UInt8(ascii: "\"")) }
        }
        out.append(UInt8(ascii: ")"))
    }

    static func needsQuotes(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","),
            UInt8(ascii: " "), 0x09...0x0D:
            return true
        default:
            return false
        }
    }

    /// The text of each of the `fieldCount` fields (nil for NULL), or `22P02` naming what is wrong.
    public static func fields(of text: some Collection<UInt8>, fieldCount: Int) throws(EngineError) -> [[UInt8]?] {
        let bytes = Array(text)
        func malformed(_ detail: String) -> EngineError {
            EngineError(
                .invalidTextRepresentation, "malformed record literal: \"\(String(decoding: bytes, as: UTF8.self))\"",
                detail: detail)
        }
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte) }
        var position = 0
        while position < bytes.count, isSpace(bytes[position]) { position += 1 }
        guard position < bytes.count, bytes[position] == UInt8(ascii: "(") else {
            throw malformed("Missing left parenthesis.")
        }
        position += 1
        var fields: [[UInt8]?] = []
        for index in 0..<fieldCount {
            guard position < bytes.count else { throw malformed("Unexpected end of input.") }
            if bytes[position] == UInt8(ascii: ",") || bytes[position] == UInt8(ascii: ")") {
                fields.append(nil)
            } else {
                var field: [UInt8] = []
                var inQuotes = false
                while true {
                    guard position < bytes.count else { throw malformed("Unexpected end of input.") }
                    let byte = bytes[position]
                    if !inQuotes, byte == UInt8(ascii: ",") || byte == UInt8(ascii: ")") { break }
                    position += 1
                    if byte == UInt8(ascii: "\\") {
                        guard position < bytes.count else { throw malformed("Unexpected end of input.") }
                        field.append(bytes[position])
                        position += 1
                    } else if byte == UInt8(ascii: "\"") {
                        if inQuotes, position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
                            field.append(byte)
                            position += 1
                        } else {
                            inQuotes.toggle()
                        }
                    } else {
                        field.append(byte)
                    }
                }
                fields.append(field)
            }
            let separator = bytes[position]
            position += 1
            if index < fieldCount - 1 {
                guard separator == UInt8(ascii: ",") else { throw malformed("Too few columns.") }
            } else {
                guard separator == UInt8(ascii: ")") else { throw malformed("Too many columns.") }
            }
        }
        if fieldCount == 0 {
            guard position < bytes.count, bytes[position] == UInt8(ascii: ")") else {
                throw malformed("Too many columns.")
            }
            position += 1
        }
        while position < bytes.count, isSpace(bytes[position]) { position += 1 }
        guard position == bytes.count else { throw malformed("Junk after right parenthesis.") }
        return fields
    }
}
