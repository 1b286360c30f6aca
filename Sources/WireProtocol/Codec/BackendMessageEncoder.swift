import NIOCore

extension ByteBuffer {
    /// Appends one backend message: type byte, length, body.
    public mutating func writeBackendMessage(_ message: BackendMessage) {
        switch message {
        case .authentication(let request):
            writeMessage(type: "R") { body in
                switch request {
                case .ok: body.writeInteger(Int32(0))
                case .cleartextPassword: body.writeInteger(Int32(3))
                case .sasl(let mechanisms):
                    body.writeInteger(Int32(10))
                    for mechanism in mechanisms { body.writeCString(mechanism) }
                    body.writeInteger(UInt8(0))
                case .saslContinue(let data):
                    body.writeInteger(Int32(11))
                    body.writeBytes(data)
                case .saslFinal(let data):
                    body.writeInteger(Int32(12))
                    body.writeBytes(data)
                }
            }
        case .parameterStatus(let name, let value):
            writeMessage(type: "S") { body in
                body.writeCString(name)
                body.writeCString(value)
            }
        case .backendKeyData(let processID, let secretKey):
            writeMessage(type: "K") { body in
                body.writeInteger(processID)
                body.writeInteger(secretKey)
            }
        case .readyForQuery(let status):
            writeMessage(type: "Z") { $0.writeInteger(status.rawValue) }
        case .rowDescription(let fields):
            writeMessage(type: "T") { body in
                body.writeInteger(Int16(fields.count))
                for field in fields {
                    body.writeCString(field.name)
                    body.writeInteger(field.tableOID)
                    body.writeInteger(field.columnAttributeNumber)
                    body.writeInteger(field.typeOID)
                    body.writeInteger(field.typeSize)
                    body.writeInteger(field.typeModifier)
                    body.writeInteger(field.format)
                }
            }
        case .noData: writeMessage(type: "n") { _ in }
        case .parameterDescription(let types):
            writeMessage(type: "t") { body in
                body.writeInteger(Int16(types.count))
                for type in types { body.writeInteger(type) }
            }
        case .commandComplete(let tag): writeMessage(type: "C") { $0.writeCString(tag) }
        case .emptyQueryResponse: writeMessage(type: "I") { _ in }
        case .errorResponse(let error): writeMessage(type: "E") { $0.writeErrorFields(error) }
        case .noticeResponse(let notice): writeMessage(type: "N") { $0.writeErrorFields(notice) }
        case .parseComplete: writeMessage(type: "1") { _ in }
        case .bindComplete: writeMessage(type: "2") { _ in }
        case .closeComplete: writeMessage(type: "3") { _ in }
        case .portalSuspended: writeMessage(type: "s") { _ in }
        case .copyInResponse(let binary, let formats):
            writeMessage(type: "G") { body in
                body.writeInteger(UInt8(binary ? 1 : 0))
                body.writeInteger(Int16(formats.count))
                for format in formats { body.writeInteger(format) }
            }
        case .copyOutResponse(let binary, let formats):
            writeMessage(type: "H") { body in
                body.writeInteger(UInt8(binary ? 1 : 0))
                body.writeInteger(Int16(formats.count))
                for format in formats { body.writeInteger(format) }
            }
        case .copyData(let data): writeMessage(type: "d") { $0.writeBytes(data) }
        case .copyDone: writeMessage(type: "c") { _ in }
        case .negotiateProtocolVersion(let newestMinor, let options):
            writeMessage(type: "v") { body in
                body.writeInteger(newestMinor)
                body.writeInteger(Int32(options.count))
                for option in options { body.writeCString(option) }
            }
        }
    }

    /// Writes `type`, a length placeholder, the body, then fills in the length.
    @inlinable
    mutating func writeMessage(type: Unicode.Scalar, _ body: (inout ByteBuffer) -> Void) {
        writeInteger(UInt8(ascii: type))
        let lengthIndex = writerIndex
        writeInteger(Int32(0))
        body(&self)
        setInteger(Int32(writerIndex - lengthIndex), at: lengthIndex)
    }

    mutating func writeCString(_ string: String) {
        writeString(string)
        writeInteger(UInt8(0))
    }

    mutating func writeErrorFields(_ error: PostgresError) {
        func field(_ code: Unicode.Scalar, _ value: String?) {
            guard let value else { return }
            writeInteger(UInt8(ascii: code))
            // A NUL inside a message would end the field early; PostgreSQL never sends one.
            writeCString(value.replacingNUL())
        }
        field("S", error.severity.rawValue)
        field("V", error.severity.rawValue)
        field("C", error.sqlState.code)
        field("M", error.message)
        field("D", error.detail)
        field("H", error.hint)
        field("P", error.position.map(String.init))
        writeInteger(UInt8(0))
    }
}

extension String {
    func replacingNUL() -> String { contains("\0") ? String(filter { $0 != "\0" }) : self }
}
