import Engine
import NIOCore

/// PostgreSQL's binary send/receive formats for each type.
enum BinaryFormat {
    /// Microseconds between 1970-01-01 (Weir's epoch) and 2000-01-01 (PostgreSQL's).
    static let postgresEpochMicroseconds: Int64 = 946_684_800_000_000
    /// Days between 1970-01-01 and 2000-01-01.
    static let postgresEpochDays: Int32 = 10_957

    /// Appends the binary form of row `index` of `column` (not NULL there).
    static func append(_ column: Column, at index: Int, to out: inout [UInt8]) {
        switch column.storage {
        case .bool(let v): out.append(v[index] != 0 ? 1 : 0)
        case .int16(let v): appendBigEndian(v[index], to: &out)
        case .int32(let v):
            appendBigEndian(column.type == .date ? v[index] &- postgresEpochDays : v[index], to: &out)
        case .uint32(let v): appendBigEndian(v[index], to: &out)
        case .int64(let v) where column.type == .timetz:
            // timetz_send: the local time, then the offset in seconds west of UTC.
            let value = TimeWithTimeZone(packed: v[index])
            appendBigEndian(value.time, to: &out)
            appendBigEndian(Int32(-value.offsetSeconds), to: &out)
        case .int64(let v):
            let shifted =
                column.type == .timestamp || column.type == .timestamptz
                ? v[index] &- postgresEpochMicroseconds : v[index]
            appendBigEndian(shifted, to: &out)
        case .float32(let v): appendBigEndian(v[index].bitPattern, to: &out)
        case .float64(let v): appendBigEndian(v[index].bitPattern, to: &out)
        case .decimal(let v):
            guard case .numeric(_, let scale) = column.type else { return }
            if let scale {
                appendNumeric(v[index], scale: scale, to: &out)
            } else {
                let value = ScaledDecimal(packed: v[index])
                appendNumeric(value.digits, scale: value.scale, to: &out)
            }
        case .interval(let v):
            appendBigEndian(v[index].microseconds, to: &out)
            appendBigEndian(v[index].days, to: &out)
            appendBigEndian(v[index].months, to: &out)
        case .bytes(let offsets, let data):
            let slice = data[Int(offsets[index])..<Int(offsets[index + 1])]
            switch column.type {
            case .jsonb:
                out.append(1)
                out.append(contentsOf: slice)
            case .record(let fields):
                appendRecord(slice, fields: fields, to: &out)
            case .uuid:
                let hex = slice.filter { $0 != UInt8(ascii: "-") }
                for pair in stride(from: hex.startIndex, to: hex.endIndex, by: 2) {
                    out.append(hexValue(hex[pair]) << 4 | hexValue(hex[pair + 1]))
                }
            default:
                out.append(contentsOf: slice)
            }
        case .array(let offsets, let elements):
            appendArray(elements.column, range: Int(offsets[index])..<Int(offsets[index + 1]), to: &out)
        }
    }

    /// True when the binary form of a bytes-storage type is the stored bytes themselves (text,
    /// bytea, json); uuid, jsonb and records have binary forms of their own.
    static func sendsStoredBytes(_ type: DataType) -> Bool {
        switch type {
        case .uuid, .jsonb, .record: return false
        default: return true
        }
    }

    /// PostgreSQL's record_send: the field count, then each field's type OID and binary value
    /// (length -1 for NULL). Records are held as text, so each field is read back first.
    static func appendRecord(_ text: ArraySlice<UInt8>, fields: [RecordField], to out: inout [UInt8]) {
        // Records are only ever built by RecordFunctions from valid field texts.
        let texts = (try? RecordText.fields(of: text, fieldCount: fields.count)) ?? fields.map { _ in nil }
        appendBigEndian(Int32(fields.count), to: &out)
        for (field, fieldText) in zip(fields, texts) {
            appendBigEndian(field.type.postgresOID, to: &out)
            guard let fieldText,
                let value = try? TextInput.parse(String(decoding: fieldText, as: UTF8.self), as: field.type)
            else {
                appendBigEndian(Int32(-1), to: &out)
                continue
            }
            appendLengthPrefixed(to: &out) { append(Column(type: field.type, values: [value]), at: 0, to: &$0) }
        }
    }

    /// A 4-byte big-endian length, then the bytes `body` appends.
    static func appendLengthPrefixed(to out: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
        let lengthPosition = out.count
        appendBigEndian(Int32(0), to: &out)
        body(&out)
        let length = Int32(out.count - lengthPosition - 4).bigEndian
        withUnsafeBytes(of: length) { bytes in
            for i in 0..<4 { out[lengthPosition + i] = bytes[i] }
        }
    }

    static func appendBigEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
    }

    static func hexValue(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - 48
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - 87
        default: return byte &- 55
        }
    }

    /// PostgreSQL's numeric_send: base-10000 digits with weight, sign and display scale. Works on the
    /// decimal digits, so no intermediate can overflow.
    static func appendNumeric(_ value: Int128, scale: Int, to out: inout [UInt8]) {
        var digits = Array(String(value.magnitude).utf8).map { Int16($0 - 48) }
        if digits.count <= scale { digits.insert(contentsOf: repeatElement(0, count: scale - digits.count + 1), at: 0) }
        // Pad the integer part on the left and the fraction on the right to whole groups of four.
        let integerDigits = digits.count - scale
        let leftPadding = (4 - integerDigits % 4) % 4
        let rightPadding = (4 - scale % 4) % 4
        digits.insert(contentsOf: repeatElement(0, count: leftPadding), at: 0)
        digits.append(contentsOf: repeatElement(0, count: rightPadding))
        var groups: [Int16] = []
        for start in stride(from: 0, to: digits.count, by: 4) {
            var group: Int16 = 0
            for digit in digits[start..<(start + 4)] { group = group * 10 + digit }
            groups.append(group)
        }
        var weight = (integerDigits + leftPadding) / 4 - 1
        while let first = groups.first, first == 0 {
            groups.removeFirst()
            weight -= 1
        }
        while let last = groups.last, last == 0 { groups.removeLast() }
        if groups.isEmpty { weight = 0 }
        appendBigEndian(Int16(groups.count), to: &out)
        appendBigEndian(Int16(weight), to: &out)
        appendBigEndian(UInt16(value < 0 ? 0x4000 : 0), to: &out)
        appendBigEndian(Int16(scale), to: &out)
        for group in groups { appendBigEndian(group, to: &out) }
    }

    static func appendArray(_ elements: Column, range: Range<Int>, to out: inout [UInt8]) {
        let hasNull = range.contains { elements.isNull($0) }
        appendBigEndian(Int32(range.isEmpty ? 0 : 1), to: &out)
        appendBigEndian(Int32(hasNull ? 1 : 0), to: &out)
        appendBigEndian(elements.type.postgresOID, to: &out)
        if range.isEmpty { return }
        appendBigEndian(Int32(range.count), to: &out)
        appendBigEndian(Int32(1), to: &out)
        for index in range {
            if elements.isNull(index) {
                appendBigEndian(Int32(-1), to: &out)
                continue
            }
            appendLengthPrefixed(to: &out) { append(elements, at: index, to: &$0) }
        }
    }

    /// Decodes a binary-format parameter of `type`; throws 22P03 on a malformed value.
    static func decode(_ buffer: ByteBuffer, as type: DataType) throws(PostgresError) -> Value {
        var buffer = buffer
        func malformed() -> PostgresError {
            PostgresError(
                sqlState: .invalidBinaryRepresentation,
                message: "incorrect binary data format in bind parameter for type \(type.sqlName)")
        }
        func exact<T: FixedWidthInteger>(_: T.Type) throws(PostgresError) -> T {
            guard buffer.readableBytes == MemoryLayout<T>.size, let value = buffer.readInteger(as: T.self) else {
                throw malformed()
            }
            return value
        }
        switch type {
        case .boolean: return .bool(try exact(UInt8.self) != 0)
        case .int16: return .int16(try exact(Int16.self))
        case .int32: return .int32(try exact(Int32.self))
        case .int64: return .int64(try exact(Int64.self))
        case .oid, .regclass, .regtype, .regproc, .regnamespace, .regrole: return .uint32(try exact(UInt32.self))
        case .float32: return .float32(Float(bitPattern: try exact(UInt32.self)))
        case .float64: return .float64(Double(bitPattern: try exact(UInt64.self)))
        case .date: return .int32(try exact(Int32.self) &+ postgresEpochDays)
        case .time: return .int64(try exact(Int64.self))
        case .timetz:
            guard buffer.readableBytes == 12, let time = buffer.readInteger(as: Int64.self),
                let west = buffer.readInteger(as: Int32.self),
                (0...86_400_000_000).contains(time), abs(Int(west)) <= TimeWithTimeZone.maximumOffset
            else { throw malformed() }
            return .int64(TimeWithTimeZone(time: time, offsetSeconds: -Int(west)).packed)
        case .timestamp, .timestamptz: return .int64(try exact(Int64.self) &+ postgresEpochMicroseconds)
        case .interval:
            guard buffer.readableBytes == 16, let micros = buffer.readInteger(as: Int64.self),
                let days = buffer.readInteger(as: Int32.self), let months = buffer.readInteger(as: Int32.self)
            else { throw malformed() }
            return .interval(Interval(months: months, days: days, microseconds: micros))
        case .numeric:
            return .decimal(try decodeNumeric(&buffer, as: type, malformed: malformed()))
        case .uuid:
            guard buffer.readableBytes == 16, let bytes = buffer.readBytes(length: 16) else { throw malformed() }
            let hex = Array("0123456789abcdef".utf8)
            var text: [UInt8] = []
            for (index, byte) in bytes.enumerated() {
                if [4, 6, 8, 10].contains(index) { text.append(UInt8(ascii: "-")) }
                text.append(hex[Int(byte >> 4)])
                text.append(hex[Int(byte & 0xF)])
            }
            return .bytes(text)
        case .jsonb:
            guard buffer.readInteger(as: UInt8.self) == 1 else { throw malformed() }
            let bytes = try validUTF8(buffer.readBytes(length: buffer.readableBytes) ?? [])
            do { return .bytes(try JSONText.normalized(bytes)) } catch { throw PostgresError(converting: error) }
        case .json:
            let bytes = try validUTF8(buffer.readBytes(length: buffer.readableBytes) ?? [])
            do { try JSONText.validate(bytes) } catch { throw PostgresError(converting: error) }
            return .bytes(bytes)
        case .text, .varchar, .bpchar, .name, .unknown:
            return .bytes(try validUTF8(buffer.readBytes(length: buffer.readableBytes) ?? []))
        case .bytea, .char:
            return .bytes(buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .array(let element):
            return try decodeArray(buffer, element: element, malformed: malformed())
        case .record:
            throw PostgresError(
                sqlState: .featureNotSupported, message: "input of anonymous composite types is not implemented")
        }
    }

    static func validUTF8(_ bytes: [UInt8]) throws(PostgresError) -> [UInt8] {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw PostgresError(
                sqlState: .characterNotInRepertoire, message: "invalid byte sequence for encoding \"UTF8\"")
        }
        return bytes
    }

    /// A binary array: dimensions, a has-NULL flag, the element type's OID, each dimension's length
    /// and lower bound, then each element as a length (-1 for NULL) and its binary form.
    static func decodeArray(_ buffer: ByteBuffer, element: DataType, malformed: PostgresError) throws(PostgresError)
        -> Value
    {
        var buffer = buffer
        guard let dimensions = buffer.readInteger(as: Int32.self), buffer.readInteger(as: Int32.self) != nil,
            let elementOID = buffer.readInteger(as: UInt32.self)
        else { throw malformed }
        if dimensions == 0 { return .array([]) }
        guard dimensions == 1 else {
            throw PostgresError.featureNotSupported("multidimensional arrays are not supported yet")
        }
        guard elementOID == element.postgresOID, let count = buffer.readInteger(as: Int32.self), count >= 0,
            buffer.readInteger(as: Int32.self) != nil
        else { throw malformed }
        var items: [Value] = []
        items.reserveCapacity(Int(min(count, 1 << 16)))
        for _ in 0..<count {
            guard let length = buffer.readInteger(as: Int32.self) else { throw malformed }
            if length < 0 {
                items.append(.null)
                continue
            }
            guard let item = buffer.readSlice(length: Int(length)) else { throw malformed }
            items.append(try decode(item, as: element))
        }
        guard buffer.readableBytes == 0 else { throw malformed }
        return .array(items)
    }

    /// PostgreSQL's numeric_recv: the value is read as decimal text (so any digit count is safe), then
    /// rounded to a fixed-scale `type`, or for `variableScaleNumeric` given the display scale sent, digits
    /// beyond it truncated as PostgreSQL does.
    static func decodeNumeric(_ buffer: inout ByteBuffer, as type: DataType, malformed: PostgresError)
        throws(PostgresError) -> Int128
    {
        guard let count = buffer.readInteger(as: Int16.self), let weight = buffer.readInteger(as: Int16.self),
            let sign = buffer.readInteger(as: UInt16.self), let displayScale = buffer.readInteger(as: Int16.self),
            count >= 0, displayScale >= 0, buffer.readableBytes == Int(count) * 2
        else { throw malformed }
        guard sign == 0 || sign == 0x4000 else {
            throw PostgresError(
                sqlState: .invalidBinaryRepresentation, message: "NaN and infinite numeric parameters are not supported"
            )
        }
        var text = sign == 0x4000 ? "-" : ""
        for _ in 0..<count {
            guard let group = buffer.readInteger(as: Int16.self), (0..<10000).contains(group) else { throw malformed }
            let digits = String(group)
            text += String(repeating: "0", count: 4 - digits.count) + digits
        }
        if count == 0 { text += "0" }
        text += "e\(4 * (Int(weight) + 1 - Int(count)))"
        do {
            if case .numeric(_, let scale?) = type {
                return try TextInput.parseDecimal(text, scale: scale, original: text, type: type)
            }
            let value = try ScaledDecimal.parse(text)
            let scale = Int(displayScale)
            guard scale < value.scale else { return try value.rounded(toScale: scale).packed }
            let truncated = ScaledDecimal.powerOfTen(value.scale - scale).map { value.digits / $0 } ?? 0
            return try ScaledDecimal(digits: truncated, scale: scale).packed
        } catch {
            throw PostgresError(converting: error)
        }
    }
}
