import NIOCore

/// Splits the client's byte stream into `FrontendMessage`s.
///
/// Before the StartupMessage, messages have no type byte; SSLRequest and GSSENCRequest keep the
/// decoder in that phase. On short input it rewinds and waits; on malformed input it throws a
/// `PostgresError` (FATAL, 08P01) and the connection is closed after reporting it.
public struct FrontendMessageDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = FrontendMessage

    /// Largest message accepted, in bytes (PostgreSQL's limit is 1 GiB).
    public let maximumMessageLength: Int
    private var awaitingStartup = true

    static let protocolVersion3: Int32 = 196_608
    static let sslRequestCode: Int32 = 80_877_103
    static let gssEncryptionRequestCode: Int32 = 80_877_104
    static let cancelRequestCode: Int32 = 80_877_102
    /// Startup packets are small; PostgreSQL caps them at 10000 bytes.
    static let maximumStartupLength = 10_000

    public init(maximumMessageLength: Int = 1 << 30) {
        self.maximumMessageLength = maximumMessageLength
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> FrontendMessage? {
        if awaitingStartup { return try decodeStartupPhase(&buffer) }
        guard buffer.readableBytes >= 5,
            let type = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
            let length = buffer.getInteger(at: buffer.readerIndex + 1, as: Int32.self)
        else { return nil }
        guard length >= 4 else { throw PostgresError.protocolViolation("invalid message length \(length)") }
        guard Int(length) <= maximumMessageLength else {
            throw PostgresError.protocolViolation(
                "message of \(length) bytes exceeds the limit of \(maximumMessageLength) bytes")
        }
        guard buffer.readableBytes >= 1 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 5)
        var body = buffer.readSlice(length: Int(length) - 4)!
        let message = try Self.decodeMessage(type: type, body: &body)
        guard body.readableBytes == 0 else {
            throw PostgresError.protocolViolation(
                "invalid message format: \(body.readableBytes) unexpected bytes at the end of a '\(Character(Unicode.Scalar(type)))' message"
            )
        }
        return message
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> FrontendMessage? {
        try decode(buffer: &buffer)
    }

    private mutating func decodeStartupPhase(_ buffer: inout ByteBuffer) throws -> FrontendMessage? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return nil }
        guard length >= 8, Int(length) <= Self.maximumStartupLength else {
            throw PostgresError.protocolViolation("invalid length of startup packet")
        }
        guard buffer.readableBytes >= Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        var body = buffer.readSlice(length: Int(length) - 4)!
        let code = body.readInteger(as: Int32.self)!
        switch code {
        case Self.sslRequestCode:
            return .sslRequest
        case Self.gssEncryptionRequestCode:
            return .gssEncryptionRequest
        case Self.cancelRequestCode:
            guard let processID = body.readInteger(as: Int32.self), let secretKey = body.readInteger(as: Int32.self)
            else {
                throw PostgresError.protocolViolation("invalid length of cancel request packet")
            }
            return .cancelRequest(processID: processID, secretKey: secretKey)
        default:
            let major = Int(code >> 16)
            let minor = Int(code & 0xFFFF)
            guard major == 3 else {
                throw PostgresError(
                    .fatal, sqlState: .featureNotSupported,
                    message: "unsupported frontend protocol \(major).\(minor): server supports 3.0 to 3.0")
            }
            var parameters: [(String, String)] = []
            while true {
                guard let name = try body.readCString() else {
                    throw PostgresError.protocolViolation(
                        "invalid startup packet layout: expected terminator as last byte")
                }
                if name.isEmpty { break }
                guard let value = try body.readCString() else {
                    throw PostgresError.protocolViolation(
                        "invalid startup packet layout: expected terminator as last byte")
                }
                parameters.append((name, value))
            }
            guard body.readableBytes == 0 else {
                throw PostgresError.protocolViolation("invalid startup packet layout: expected terminator as last byte")
            }
            awaitingStartup = false
            return .startup(StartupMessage(protocolMajor: major, protocolMinor: minor, parameters: parameters))
        }
    }

    static func decodeMessage(type: UInt8, body: inout ByteBuffer) throws -> FrontendMessage {
        func short() -> PostgresError { .protocolViolation("invalid message format") }
        switch type {
        case UInt8(ascii: "Q"):
            guard let query = try body.readCString() else { throw short() }
            return .query(query)
        case UInt8(ascii: "P"):
            guard let name = try body.readCString(), let query = try body.readCString(),
                let count = body.readInteger(as: Int16.self), count >= 0
            else { throw short() }
            var types: [UInt32] = []
            for _ in 0..<count {
                guard let oid = body.readInteger(as: UInt32.self) else { throw short() }
                types.append(oid)
            }
            return .parse(.init(statementName: name, query: query, parameterTypeOIDs: types))
        case UInt8(ascii: "B"):
            guard let portal = try body.readCString(), let statement = try body.readCString() else { throw short() }
            guard let formats = body.readInt16Array() else { throw short() }
            guard let parameterCount = body.readInteger(as: Int16.self), parameterCount >= 0 else { throw short() }
            var parameters: [ByteBuffer?] = []
            for _ in 0..<parameterCount {
                guard let length = body.readInteger(as: Int32.self) else { throw short() }
                if length == -1 {
                    parameters.append(nil)
                } else {
                    guard length >= 0, let value = body.readSlice(length: Int(length)) else { throw short() }
                    parameters.append(value)
                }
            }
            guard let resultFormats = body.readInt16Array() else { throw short() }
            return .bind(
                .init(
                    portalName: portal, statementName: statement, parameterFormats: formats, parameters: parameters,
                    resultFormats: resultFormats))
        case UInt8(ascii: "D"), UInt8(ascii: "C"):
            guard let kind = body.readInteger(as: UInt8.self), let name = try body.readCString() else { throw short() }
            let target: FrontendMessage.DescribeTarget
            switch kind {
            case UInt8(ascii: "S"): target = .statement(name)
            case UInt8(ascii: "P"): target = .portal(name)
            default:
                throw PostgresError.protocolViolation(
                    "invalid \(type == UInt8(ascii: "D") ? "DESCRIBE" : "CLOSE") message subtype \(kind)")
            }
            return type == UInt8(ascii: "D") ? .describe(target) : .close(target)
        case UInt8(ascii: "E"):
            guard let portal = try body.readCString(), let maxRows = body.readInteger(as: Int32.self) else {
                throw short()
            }
            return .execute(portal: portal, maxRows: maxRows)
        case UInt8(ascii: "S"): return .sync
        case UInt8(ascii: "H"): return .flush
        case UInt8(ascii: "X"): return .terminate
        case UInt8(ascii: "p"):
            let payload = body
            body.moveReaderIndex(to: body.writerIndex)
            return .authenticationResponse(payload)
        case UInt8(ascii: "d"):
            let payload = body
            body.moveReaderIndex(to: body.writerIndex)
            return .copyData(payload)
        case UInt8(ascii: "c"): return .copyDone
        case UInt8(ascii: "f"):
            guard let reason = try body.readCString() else { throw short() }
            return .copyFail(reason)
        case UInt8(ascii: "F"):
            body.moveReaderIndex(to: body.writerIndex)
            return .functionCall
        default:
            let printable = (0x20..<0x7F).contains(type) ? "\"\(Character(Unicode.Scalar(type)))\"" : "\(type)"
            throw PostgresError.protocolViolation("invalid frontend message type \(printable)")
        }
    }
}

extension ByteBuffer {
    /// Reads a NUL-terminated UTF-8 string; nil if no terminator, error if not valid UTF-8.
    mutating func readCString() throws -> String? {
        guard let terminator = readableBytesView.firstIndex(of: 0) else { return nil }
        let length = terminator - readerIndex
        // Validated straight from the buffer: unnamed statements and portals (the common case) cost nothing.
        let string =
            length == 0
            ? ""
            : withUnsafeReadableBytes {
                String(validating: UnsafeRawBufferPointer(rebasing: $0[..<length]), as: UTF8.self)
            }
        moveReaderIndex(forwardBy: length + 1)
        guard let string else {
            throw PostgresError(
                .fatal, sqlState: .characterNotInRepertoire, message: "invalid byte sequence for encoding \"UTF8\"")
        }
        return string
    }

    mutating func readInt16Array() -> [Int16]? {
        guard let count = readInteger(as: Int16.self), count >= 0 else { return nil }
        var values: [Int16] = []
        values.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let value = readInteger(as: Int16.self) else { return nil }
            values.append(value)
        }
        return values
    }
}
