/// `encode(bytea, format)` and `decode(text, format)` in PostgreSQL's formats: `base64` (lines of 76
/// characters, whitespace ignored on input), `hex` and `escape` (`\ooo` for zero and high bytes,
/// `\\` for a backslash).
public enum BinaryEncodingFunctions {
    static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static let encode = ScalarFunction(name: "encode", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let data = arguments[0].byteBuffers
        let formats = arguments[1].byteBuffers
        return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
            let bytes = Array(Column.slice(data, row))
            switch String(decoding: Column.slice(formats, row), as: UTF8.self).lowercased() {
            case "base64": out.append(contentsOf: base64(bytes))
            case "hex": out.append(contentsOf: hex(bytes))
            case "escape": out.append(contentsOf: escape(bytes))
            case let other: throw EngineError(.invalidParameterValue, "unrecognized encoding: \"\(other)\"")
            }
            return true
        }
    }

    public static let decode = ScalarFunction(name: "decode", resultType: .bytea, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let texts = arguments[0].byteBuffers
        let formats = arguments[1].byteBuffers
        var offsets: [Int32] = [0]
        var output: [UInt8] = []
        for row in 0..<rowCount {
            if !arguments[0].isNull(row), !arguments[1].isNull(row) {
                let text = Array(Column.slice(texts, row))
                switch String(decoding: Column.slice(formats, row), as: UTF8.self).lowercased() {
                case "base64": output += try unbase64(text)
                case "hex": output += try unhex(text)
                case "escape": output += try unescape(text)
                case let other: throw EngineError(.invalidParameterValue, "unrecognized encoding: \"\(other)\"")
                }
            }
            offsets.append(Int32(output.count))
        }
        return Column(
            type: .bytea, count: rowCount, validity: ValidityBitmap.all(arguments),
            storage: .bytes(offsets: offsets, data: output))
    }

    static func base64(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var lineLength = 0
        for start in stride(from: 0, to: bytes.count, by: 3) {
            if lineLength == 76 {
                out.append(UInt8(ascii: "\n"))
                lineLength = 0
            }
            let chunk = bytes[start..<min(start + 3, bytes.count)]
            var word = 0
            for (index, byte) in chunk.enumerated() { word |= Int(byte) << (16 - 8 * index) }
            for index in 0..<4 {
                out.append(index <= chunk.count ? base64Alphabet[(word >> (18 - 6 * index)) & 63] : UInt8(ascii: "="))
            }
            lineLength += 4
        }
        return out
    }

    static func unbase64(_ text: [UInt8]) throws(EngineError) -> [UInt8] {
        var out: [UInt8] = []
        var word = 0
        var bits = 0
        var padding = 0
        for byte in text {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { continue }
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0, let value = base64Alphabet.firstIndex(of: byte) else {
                throw EngineError(
                    .invalidParameterValue,
                    "invalid symbol \"\(String(decoding: [byte], as: UTF8.self))\" found while decoding base64 sequence"
                )
            }
            word = word << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((word >> bits) & 0xFF))
            }
        }
        guard (bits == 0 && padding == 0) || padding > 0 && padding <= 2 || bits < 6 else {
            throw EngineError(
                .invalidParameterValue, "invalid base64 end sequence",
                hint: "Input data is missing padding, is truncated, or is otherwise corrupted.")
        }
        return out
    }

    static func hex(_ bytes: [UInt8]) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }
    }

    static func unhex(_ text: [UInt8]) throws(EngineError) -> [UInt8] {
        func value(_ byte: UInt8) throws(EngineError) -> UInt8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default:
                throw EngineError(
                    .invalidParameterValue, "invalid hexadecimal digit: \"\(String(decoding: [byte], as: UTF8.self))\"")
            }
        }
        let digits = text.filter { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }
        guard digits.count % 2 == 0 else {
            throw EngineError(.invalidParameterValue, "invalid hexadecimal data: odd number of digits")
        }
        var out: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            out.append(try value(digits[index]) << 4 | value(digits[index + 1]))
        }
        return out
    }

    static func escape(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\\") {
                out += [byte, byte]
            } else if byte == 0 || byte >= 0x80 {
                out += Array("\\".utf8) + Array(String(byte, radix: 8).leftPadded(to: 3).utf8)
            } else {
                out.append(byte)
            }
        }
        return out
    }

    static func unescape(_ text: [UInt8]) throws(EngineError) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < text.count {
            guard text[index] == UInt8(ascii: "\\") else {
                out.append(text[index])
                index += 1
                continue
            }
            if index + 1 < text.count, text[index + 1] == UInt8(ascii: "\\") {
                out.append(text[index])
                index += 2
                continue
            }
            let octal = text[min(index + 1, text.count)..<min(index + 4, text.count)]
            guard octal.count == 3, octal.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }),
                let value = UInt8(String(decoding: octal, as: UTF8.self), radix: 8)
            else { throw EngineError(.invalidTextRepresentation, "invalid input syntax for type bytea") }
            out.append(value)
            index += 4
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
