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
                appendCSVField(Array(column.name.utf8)[...], to: &line, forceQuote: format.forceQuoteAll)
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
    ///
    /// Columns are encoded whole first (one loop per type), then stitched into rows; a text column
    /// with no byte that needs escaping is copied without looking at each byte again.
    func write(_ batch: Batch, into buffer: inout ByteBuffer, prefix: [UInt8]? = nil) {
        let binary = format.kind == .binary
        let encoder = DataRowEncoder(
            formats: Array(repeating: binary ? 1 : 0, count: batch.columns.count), textOutput: textOutput)
        let encoded = batch.columns.map { encoder.encode($0, binary: binary) }
        let needsEscaping = encoded.map { column in
            !binary
                && column.data.contains { byte in
                    byte < 32 || byte == UInt8(ascii: "\\") || byte == format.delimiter
                        || byte == format.quote || byte == format.escape
                }
        }
        // Escaping at most doubles a value; CSV adds two quotes per field.
        let payload = zip(encoded, needsEscaping).reduce(0) { $0 + $1.0.data.count * ($1.1 ? 2 : 1) }
        let perRow = 6 + (prefix?.count ?? 0) + encoded.count * (5 + max(2, format.null.count))
        buffer.writeRaw(capacity: payload + batch.rowCount * perRow) { writer in
            var field: [UInt8] = []
            for row in 0..<batch.rowCount {
                writer.byte(UInt8(ascii: "d"))
                let lengthOffset = writer.position
                writer.int32(0)
                if row == 0, let prefix { prefix.withUnsafeBytes { writer.bytes($0) } }
                if binary { writer.int16(Int16(encoded.count)) }
                for (index, column) in encoded.enumerated() {
                    if !binary, index > 0 { writer.byte(format.delimiter) }
                    if column.isNull(row) {
                        if binary { writer.int32(-1) } else { format.null.withUnsafeBytes { writer.bytes($0) } }
                        continue
                    }
                    let range = Int(column.offsets[row])..<Int(column.offsets[row + 1])
                    if binary { writer.int32(Int32(range.count)) }
                    if needsEscaping[index]
                        || (format.kind == .csv && (range.isEmpty || column.data[range] == format.null[...]))
                    {
                        field.removeAll(keepingCapacity: true)
                        if format.kind == .csv {
                            appendCSVField(column.data[range], to: &field, forceQuote: format.forceQuoteAll)
                        } else {
                            appendTextField(column.data[range], to: &field)
                        }
                        field.withUnsafeBytes { writer.bytes($0) }
                    } else {
                        let quoted = format.kind == .csv && format.forceQuoteAll
                        if quoted { writer.byte(format.quote) }
                        column.data.withUnsafeBytes { writer.bytes(UnsafeRawBufferPointer(rebasing: $0[range])) }
                        if quoted { writer.byte(format.quote) }
                    }
                }
                if !binary { writer.byte(10) }
                writer.setInt32(Int32(writer.position - lengthOffset), at: lengthOffset)
            }
        }
    }

    /// Text format escapes backslash, the delimiter and control characters.
    func appendTextField(_ value: ArraySlice<UInt8>, to out: inout [UInt8]) {
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
    func appendCSVField(_ value: ArraySlice<UInt8>, to out: inout [UInt8], forceQuote: Bool) {
        let needsQuotes =
            forceQuote || value.elementsEqual(format.null) || value.isEmpty && format.null.isEmpty
            || value.contains { $0 == format.delimiter || $0 == format.quote || $0 == 10 || $0 == 13 }
            || value.elementsEqual([UInt8(ascii: "\\"), UInt8(ascii: ".")])
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
