/// Text functions that build new text: initcap, chr/ascii, hex, quoting, concat_ws and format.
public enum StringFormattingFunctions {
    /// `initcap(text)`: the first letter of each alphanumeric run upper case, the rest lower case.
    public static let initcap = ScalarFunction(name: "initcap", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let text = arguments[0].byteBuffers
        return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
            let value = Column.slice(text, row)
            var inWord = false
            if value.allSatisfy({ $0 < 0x80 }) {
                for byte in value {
                    let isUpper = byte >= 0x41 && byte <= 0x5A
                    let isLower = byte >= 0x61 && byte <= 0x7A
                    let isAlphanumeric = isUpper || isLower || (byte >= 0x30 && byte <= 0x39)
                    if inWord { out.append(isUpper ? byte + 32 : byte) } else { out.append(isLower ? byte - 32 : byte) }
                    inWord = isAlphanumeric
                }
            } else {
                for character in String(decoding: value, as: UTF8.self) {
                    out.append(contentsOf: (inWord ? character.lowercased() : character.uppercased()).utf8)
                    inWord = character.isLetter || character.isNumber
                }
            }
            return true
        }
    }

    /// `ascii(text)`: the code point of the first character, 0 for the empty string.
    public static let ascii = ScalarFunction(name: "ascii", resultType: .int32, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let text = arguments[0].byteBuffers
        return try RowwiseKernels.int32(arguments, rowCount: rowCount) { row throws(EngineError) in
            Int32(String(decoding: Column.slice(text, row), as: UTF8.self).unicodeScalars.first?.value ?? 0)
        }
    }

    /// `chr(int)`: the character with that code point.
    public static let chr = ScalarFunction(name: "chr", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let codes = arguments[0].int32Values
        return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
            guard codes[row] != 0 else { throw EngineError(.programLimitExceeded, "null character not permitted") }
            guard codes[row] > 0, let scalar = Unicode.Scalar(UInt32(codes[row])) else {
                throw EngineError(
                    codes[row] < 0 ? .invalidParameterValue : .programLimitExceeded,
                    codes[row] < 0
                        ? "character number must be positive"
                        : "requested character too large for encoding: \(codes[row])")
            }
            out.append(contentsOf: String(Character(scalar)).utf8)
            return true
        }
    }

    /// `md5(text)`: the digest as 32 lower-case hex digits.
    public static let md5 = ScalarFunction(name: "md5", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let text = arguments[0].byteBuffers
        return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
            appendHex(MD5Digest.hash(Column.slice(text, row)), to: &out)
            return true
        }
    }

    /// `to_hex(int4 | int8)`: the two's-complement bits in hex, no leading zeros.
    public static let toHex = ScalarFunction(name: "to_hex", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let bits: (Int) -> UInt64
        switch arguments[0].storage {
        case .int32(let values): bits = { UInt64(UInt32(bitPattern: values[$0])) }
        case .int64(let values): bits = { UInt64(bitPattern: values[$0]) }
        default: preconditionFailure("to_hex on \(arguments[0].type)")
        }
        return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
            out.append(contentsOf: String(bits(row), radix: 16).utf8)
            return true
        }
    }

    static func appendHex(_ bytes: [UInt8], to out: inout BytesColumnWriter) {
        let digits = Array("0123456789abcdef".utf8)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
    }

    /// `quote_ident(text)`.
    public static let quoteIdent = ScalarFunction(name: "quote_ident", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let text = arguments[0].byteBuffers
        return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
            out.append(contentsOf: SQLQuoting.identifier(String(decoding: Column.slice(text, row), as: UTF8.self)).utf8)
            return true
        }
    }

    /// `quote_literal(text)`; `quote_nullable` prints NULL for NULL.
    public static func quoteLiteral(nullable: Bool) -> ScalarFunction {
        ScalarFunction(name: nullable ? "quote_nullable" : "quote_literal", resultType: .text, isStrict: !nullable) {
            arguments, rowCount, _ throws(EngineError) in
            let text = arguments[0].byteBuffers
            var writer = BytesColumnWriter(rowCount: rowCount)
            for row in 0..<rowCount {
                if arguments[0].isNull(row) {
                    if nullable { writer.append(contentsOf: "NULL".utf8); writer.endRow() } else { writer.endNullRow() }
                    continue
                }
                writer.append(
                    contentsOf: SQLQuoting.literal(String(decoding: Column.slice(text, row), as: UTF8.self)).utf8)
                writer.endRow()
            }
            return writer.build()
        }
    }

    /// `concat_ws(separator, text...)`: NULL values are skipped; a NULL separator gives NULL.
    public static let concatWithSeparator = ScalarFunction(name: "concat_ws", resultType: .text, isStrict: false) {
        arguments, rowCount, _ throws(EngineError) in
        let separators = arguments[0].byteBuffers
        let values = arguments.dropFirst().map(\.byteBuffers)
        return try RowwiseKernels.text([arguments[0]], rowCount: rowCount) { row, out throws(EngineError) in
            var first = true
            for (index, buffers) in values.enumerated() where !arguments[index + 1].isNull(row) {
                if !first { out.append(contentsOf: Column.slice(separators, row)) }
                out.append(contentsOf: Column.slice(buffers, row))
                first = false
            }
            return true
        }
    }

    /// `format(formatstr, text...)` with `%s`, `%I`, `%L`, `%%` and `%n$` positions.
    public static let format = ScalarFunction(name: "format", resultType: .text, isStrict: false) {
        arguments, rowCount, _ throws(EngineError) in
        let formats = arguments[0].byteBuffers
        let values = arguments.dropFirst().map(\.byteBuffers)
        return try RowwiseKernels.text([arguments[0]], rowCount: rowCount) { row, out throws(EngineError) in
            let value: (Int) -> String? = { index in
                arguments[index + 1].isNull(row)
                    ? nil : String(decoding: Column.slice(values[index], row), as: UTF8.self)
            }
            out.append(
                contentsOf: try SQLQuoting.format(
                    String(decoding: Column.slice(formats, row), as: UTF8.self), count: values.count, value: value
                ).utf8)
            return true
        }
    }
}
