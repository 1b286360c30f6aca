import Engine
import NIOCore

/// Encodes rows for `COPY ... TO STDOUT` in text, CSV or binary format, one CopyData message per row
/// (as PostgreSQL sends them; some clients parse one row per message).
struct CopyOutEncoder {
    let format: CopyOutFormat
    let textOutput: TextOutput
    let columns: [ResultColumn]

    static let binarySignature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

    /// Bytes that start the data: the binary header, or the CSV header line.
    func preamble() -> [UInt8]? {
        switch format.kind {
        case .binary:
            return Self.binarySignature + [0, 0, 0, 0, 0, 0, 0, 0]
        case .csv where format.header:
            var line: [UInt8] = []
            for (index, column) in columns.enumerated() {
                if index > 0 { line.append(format.delimiter) }
                appendCSVField(Array(column.name.utf8), to: &line, forceQuote: format.forceQuoteAll)
            }
            line.append(10)
            return line
        case .text where format.header:
            return Array(columns.map(\.name).joined(separator: String(UnicodeScalar(format.delimiter))).utf8) + [10]
        default:
            return nil
        }
    }

    /// The trailer after the last row (binary format only).
    func trailer() -> [UInt8]? { format.kind == .binary ? [0xFF, 0xFF] : nil }

    /// Appends one CopyData message per row of `batch`; `prefix` goes in front of the first row.
    func write(_ batch: Batch, into buffer: inout ByteBuffer, prefix: [UInt8]? = nil) {
        var row: [UInt8] = []
        var value: [UInt8] = []
        for index in 0..<batch.rowCount {
            row.removeAll(keepingCapacity: true)
            if index == 0, let prefix { row.append(contentsOf: prefix) }
            if format.kind == .binary {
                BinaryFormat.appendBigEndian(Int16(batch.columns.count), to: &row)
            }
            for (columnIndex, column) in batch.columns.enumerated() {
                let isNull = column.isNull(index)
                switch format.kind {
                case .binary:
                    if isNull {
                        BinaryFormat.appendBigEndian(Int32(-1), to: &row)
                    } else {
                        value.removeAll(keepingCapacity: true)
                        BinaryFormat.append(column, at: index, to: &value)
                        BinaryFormat.appendBigEndian(Int32(value.count), to: &row)
                        row.append(contentsOf: value)
                    }
                case .text, .csv:
                    if columnIndex > 0 { row.append(format.delimiter) }
                    if isNull {
                        row.append(contentsOf: format.null)
                    } else {
                        value.removeAll(keepingCapacity: true)
                        textOutput.append(column, at: index, to: &value)
                        if format.kind == .csv {
                            appendCSVField(value, to: &row, forceQuote: format.forceQuoteAll)
                        } else {
                            appendTextField(value, to: &row)
                        }
                    }
                }
            }
            if format.kind != .binary { row.append(10) }
            buffer.writeInteger(UInt8(ascii: "d"))
            buffer.writeInteger(Int32(row.count + 4))
            buffer.writeBytes(row)
        }
    }

    /// Text format escapes backslash, the delimiter and control characters.
    func appendTextField(_ value: [UInt8], to out: inout [UInt8]) {
        for byte in value {
            switch byte {
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 10: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 8: out.append(contentsOf: [92, UInt8(ascii: "b")])
            case 12: out.append(contentsOf: [92, UInt8(ascii: "f")])
            case 11: out.append(contentsOf: [92, UInt8(ascii: "v")])
            case format.delimiter: out.append(92); out.append(byte)
            default: out.append(byte)
            }
        }
    }

    /// CSV quotes a value holding the delimiter, quote, CR/LF, or one that equals the NULL string.
    func appendCSVField(_ value: [UInt8], to out: inout [UInt8], forceQuote: Bool) {
        let needsQuotes =
            forceQuote || value == format.null || value.isEmpty && format.null.isEmpty
            || value.contains { $0 == format.delimiter || $0 == format.quote || $0 == 10 || $0 == 13 }
            || (value.first == UInt8(ascii: "\\") && value.count == 2 && value[1] == UInt8(ascii: "."))
        guard needsQuotes else {
            out.append(contentsOf: value)
            return
        }
        out.append(format.quote)
        for byte in value {
            if byte == format.quote || byte == format.escape { out.append(format.escape) }
            out.append(byte)
        }
        out.append(format.quote)
    }
}
