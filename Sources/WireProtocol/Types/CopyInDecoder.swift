import Engine
import NIOCore

/// Turns the bytes of `COPY ... FROM STDIN` (text, CSV or binary, as PostgreSQL writes and reads
/// them) into batches of typed rows. Bytes arrive in CopyData chunks whose boundaries mean
/// nothing: a row may span chunks, and a chunk may end inside a quoted CSV field.
///
/// Each value goes through the type's input function (`TextInput`, or the binary receive form),
/// so bad input fails as a cast would, with the line and column in the error's detail.
struct CopyInDecoder {
    let format: CopyOutFormat
    let columns: [ResultColumn]
    let timeZone: SessionTimeZone
    /// Bytes not yet decoded (the start of an unfinished row).
    private var pending: [UInt8] = []
    private var rows: [[Value]] = []
    /// 1-based line (text, CSV) or tuple (binary) number of the next row, for error details.
    private var lineNumber = 1
    private var headerSkipped = false
    private var binaryHeaderRead = false
    /// Set when the binary trailer or the text end marker `\.` was read; later bytes are ignored.
    private(set) var sawEndMarker = false

    init(format: CopyOutFormat, columns: [ResultColumn], timeZone: SessionTimeZone) {
        self.format = format
        self.columns = columns
        self.timeZone = timeZone
    }

    /// Decodes the complete rows in `pending` plus `chunk`, keeping any unfinished row.
    mutating func append(_ chunk: [UInt8]) throws(EngineError) {
        guard !sawEndMarker else { return }
        pending += chunk
        switch format.kind {
        case .binary: try decodeBinary()
        case .text, .csv: try decodeLines(final: false)
        }
    }

    /// Decodes what remains once the client sent CopyDone; an unfinished binary tuple is an error.
    mutating func finish() throws(EngineError) {
        switch format.kind {
        case .binary:
            if !pending.isEmpty && !sawEndMarker { throw Self.badFormat("unexpected end of COPY data", detail: nil) }
        case .text, .csv:
            if !pending.isEmpty { try decodeLines(final: true) }
        }
    }

    /// The rows decoded so far as a batch, or nil when there are none.
    mutating func takeBatch() -> Batch? {
        guard !rows.isEmpty else { return nil }
        let decoded = rows
        rows = []
        let batchColumns = columns.indices.map { index in
            Column(type: columns[index].type, values: decoded.map { $0[index] })
        }
        return Batch(columns: batchColumns, rowCount: decoded.count)
    }

    var decodedRowCount: Int { rows.count }

    // MARK: Text and CSV

    private mutating func decodeLines(final: Bool) throws(EngineError) {
        var start = 0
        while start < pending.count, !sawEndMarker {
            guard
                let (fields, next) = try
                    (format.kind == .csv ? csvRecord(from: start, final: final) : textLine(from: start, final: final))
            else { break }
            start = next
            if format.header && !headerSkipped {
                headerSkipped = true
                lineNumber += 1
                continue
            }
            if let fields { try addRow(fields) }
            lineNumber += 1
        }
        pending.removeFirst(start)
    }

    /// One text-format line from `start`: its fields (nil for the `\.` end marker), and where the
    /// next line starts; nil when the line is not complete yet.
    private mutating func textLine(from start: Int, final: Bool) throws(EngineError) -> ([Field?]?, Int)? {
        var end = start
        while end < pending.count, pending[end] != 0x0A { end += 1 }
        if end == pending.count && !final { return nil }
        var lineEnd = end
        if lineEnd > start, pending[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        let next = min(end + 1, pending.count)
        let line = pending[start..<lineEnd]
        if line.elementsEqual([UInt8(ascii: "\\"), UInt8(ascii: ".")]) {
            sawEndMarker = true
            return (nil, next)
        }
        var fields: [Field?] = []
        var raw: [UInt8] = []
        var value: [UInt8] = []
        var index = line.startIndex
        func endField() {
            fields.append(raw == format.null ? nil : Field(bytes: value, quoted: false))
            raw = []
            value = []
        }
        while index < line.endIndex {
            let byte = line[index]
            if byte == format.delimiter {
                endField()
                index += 1
                continue
            }
            raw.append(byte)
            guard byte == UInt8(ascii: "\\"), index + 1 < line.endIndex else {
                value.append(byte)
                index += 1
                continue
            }
            index += 1
            let escaped = line[index]
            raw.append(escaped)
            index += 1
            switch escaped {
            case UInt8(ascii: "b"): value.append(0x08)
            case UInt8(ascii: "f"): value.append(0x0C)
            case UInt8(ascii: "n"): value.append(0x0A)
            case UInt8(ascii: "r"): value.append(0x0D)
            case UInt8(ascii: "t"): value.append(0x09)
            case UInt8(ascii: "v"): value.append(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var code = Int(escaped - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < line.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(line[index]) {
                    raw.append(line[index])
                    code = code * 8 + Int(line[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                value.append(UInt8(truncatingIfNeeded: code))
            case UInt8(ascii: "x"):
                var code = 0
                var digits = 0
                while digits < 2, index < line.endIndex, let hex = Self.hexDigit(line[index]) {
                    raw.append(line[index])
                    code = code * 16 + hex
                    index += 1
                    digits += 1
                }
                if digits == 0 { value.append(UInt8(ascii: "x")) } else { value.append(UInt8(code)) }
            default: value.append(escaped)
            }
        }
        endField()
        return (fields, next)
    }

    /// One CSV record from `start` (which may span lines inside quotes); nil when incomplete.
    private mutating func csvRecord(from start: Int, final: Bool) throws(EngineError) -> ([Field?]?, Int)? {
        var fields: [Field?] = []
        var value: [UInt8] = []
        var quoted = false
        var inQuotes = false
        var index = start
        func endField() {
            // An unquoted field equal to the NULL string is NULL; a quoted one never is.
            fields.append(!quoted && value == format.null ? nil : Field(bytes: value, quoted: quoted))
            value = []
            quoted = false
        }
        if pending.count - start >= 2, pending[start] == UInt8(ascii: "\\"), pending[start + 1] == UInt8(ascii: "."),
            pending.count - start == 2 || pending[start + 2] == 0x0A || pending[start + 2] == 0x0D
        {
            if pending.count - start == 2 && !final { return nil }
            sawEndMarker = true
            return (nil, pending.count)
        }
        while index < pending.count {
            let byte = pending[index]
            if inQuotes {
                if byte == format.escape, format.escape != format.quote, index + 1 < pending.count,
                    pending[index + 1] == format.quote || pending[index + 1] == format.escape
                {
                    value.append(pending[index + 1])
                    index += 2
                } else if byte == format.quote {
                    if format.escape == format.quote, index + 1 < pending.count, pending[index + 1] == format.quote {
                        value.append(format.quote)
                        index += 2
                    } else if index + 1 == pending.count && !final && format.escape == format.quote {
                        return nil  // a doubled quote may continue in the next chunk
                    } else {
                        inQuotes = false
                        index += 1
                    }
                } else {
                    value.append(byte)
                    index += 1
                }
                continue
            }
            if byte == format.quote {
                inQuotes = true
                quoted = true
                index += 1
            } else if byte == format.delimiter {
                endField()
                index += 1
            } else if byte == 0x0A || byte == 0x0D {
                endField()
                var next = index + 1
                if byte == 0x0D {
                    if next == pending.count && !final { return nil }
                    if next < pending.count, pending[next] == 0x0A { next += 1 }
                }
                return (fields, next)
            } else {
                value.append(byte)
                index += 1
            }
        }
        guard final else { return nil }
        if inQuotes { throw Self.badFormat("unterminated CSV quoted field", detail: "COPY line \(lineNumber)") }
        endField()
        return (fields, pending.count)
    }

    private struct Field {
        var bytes: [UInt8]
        var quoted: Bool
    }

    private mutating func addRow(_ fields: [Field?]) throws(EngineError) {
        if fields.count > columns.count {
            throw Self.badFormat("extra data after last expected column", detail: "COPY line \(lineNumber)")
        }
        if fields.count < columns.count {
            throw Self.badFormat(
                "missing data for column \"\(columns[fields.count].name)\"", detail: "COPY line \(lineNumber)")
        }
        var row: [Value] = []
        row.reserveCapacity(columns.count)
        for (field, column) in zip(fields, columns) {
            guard let field else {
                row.append(.null)
                continue
            }
            let text = String(decoding: field.bytes, as: UTF8.self)
            guard text.utf8.elementsEqual(field.bytes) else {
                throw EngineError(
                    .characterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\"",
                    detail: "COPY line \(lineNumber), column \(column.name)")
            }
            if column.type == .text {
                row.append(.bytes(field.bytes))
                continue
            }
            do {
                row.append(try TextInput.parse(text, as: column.type, timeZone: timeZone))
            } catch {
                throw EngineError(
                    error.sqlState, error.message, detail: "COPY line \(lineNumber), column \(column.name): \"\(text)\""
                )
            }
        }
        rows.append(row)
    }

    // MARK: Binary

    private static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

    private mutating func decodeBinary() throws(EngineError) {
        var offset = 0
        func int32(at position: Int) -> Int32 {
            Int32(
                bitPattern: UInt32(pending[position]) << 24 | UInt32(pending[position + 1]) << 16 | UInt32(
                    pending[position + 2]) << 8 | UInt32(pending[position + 3]))
        }
        if !binaryHeaderRead {
            guard pending.count >= 19 else { return }
            guard Array(pending[0..<11]) == Self.signature else {
                throw Self.badFormat("COPY file signature not recognized", detail: nil)
            }
            let flags = int32(at: 11)
            if flags & (1 << 16) != 0 { throw Self.badFormat("COPY file with OIDs is not supported", detail: nil) }
            let extensionLength = Int(int32(at: 15))
            guard extensionLength >= 0 else {
                throw Self.badFormat("invalid COPY file header (negative extension length)", detail: nil)
            }
            guard pending.count >= 19 + extensionLength else { return }
            offset = 19 + extensionLength
            binaryHeaderRead = true
        }
        while !sawEndMarker, pending.count - offset >= 2 {
            let fieldCount = Int(Int16(bitPattern: UInt16(pending[offset]) << 8 | UInt16(pending[offset + 1])))
            if fieldCount == -1 {
                sawEndMarker = true
                offset = pending.count
                break
            }
            guard fieldCount == columns.count else {
                throw Self.badFormat(
                    "row field count is \(fieldCount), expected \(columns.count)", detail: "COPY tuple \(lineNumber)")
            }
            var position = offset + 2
            var row: [Value] = []
            var complete = true
            for column in columns {
                guard pending.count - position >= 4 else { complete = false; break }
                let length = Int(int32(at: position))
                position += 4
                if length == -1 {
                    row.append(.null)
                    continue
                }
                guard length >= 0 else {
                    throw Self.badFormat("invalid field size", detail: "COPY tuple \(lineNumber)")
                }
                guard pending.count - position >= length else { complete = false; break }
                let buffer = ByteBuffer(bytes: pending[position..<position + length])
                do {
                    row.append(try BinaryFormat.decode(buffer, as: column.type))
                } catch {
                    throw EngineError(
                        error.sqlState, error.message, detail: "COPY tuple \(lineNumber), column \(column.name)")
                }
                position += length
            }
            guard complete else { break }
            rows.append(row)
            lineNumber += 1
            offset = position
        }
        pending.removeFirst(offset)
    }

    private static func hexDigit(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }

    static func badFormat(_ message: String, detail: String?) -> EngineError {
        EngineError(.badCopyFileFormat, message, detail: detail)
    }
}
