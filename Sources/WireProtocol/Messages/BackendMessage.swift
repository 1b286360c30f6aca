import NIOCore

/// A message from server to client (PostgreSQL protocol 3.0, "Message Formats").
///
/// DataRow messages are not here: result rows are encoded straight from columns by `DataRowEncoder`.
public enum BackendMessage: Sendable, Equatable {
    /// ascii: R
    case authentication(AuthenticationRequest)
    /// ascii: S
    case parameterStatus(name: String, value: String)
    /// ascii: K
    case backendKeyData(processID: Int32, secretKey: Int32)
    /// ascii: Z
    case readyForQuery(TransactionStatus)
    /// ascii: T
    case rowDescription([FieldDescription])
    /// ascii: n
    case noData
    /// ascii: t
    case parameterDescription([UInt32])
    /// ascii: C
    case commandComplete(String)
    /// ascii: I
    case emptyQueryResponse
    /// ascii: E
    case errorResponse(PostgresError)
    /// ascii: N
    case noticeResponse(PostgresError)
    /// ascii: 1
    case parseComplete
    /// ascii: 2
    case bindComplete
    /// ascii: 3
    case closeComplete
    /// ascii: s
    case portalSuspended
    /// ascii: H — `overallBinary` and one format per column.
    case copyOutResponse(binary: Bool, columnFormats: [Int16])
    case copyInResponse(binary: Bool, columnFormats: [Int16])
    /// ascii: d
    case copyData([UInt8])
    /// ascii: c
    case copyDone
    /// ascii: v
    case negotiateProtocolVersion(newestMinor: Int32, unrecognizedOptions: [String])

    public enum AuthenticationRequest: Sendable, Equatable {
        case ok
        case cleartextPassword
        case sasl(mechanisms: [String])
        case saslContinue([UInt8])
        case saslFinal([UInt8])
    }
}

/// The transaction status byte of ReadyForQuery.
public enum TransactionStatus: UInt8, Sendable {
    /// ascii: I
    case idle = 73
    /// ascii: T
    case inTransaction = 84
    /// ascii: E
    case failed = 69
}

/// One column of a RowDescription.
public struct FieldDescription: Sendable, Equatable {
    public var name: String
    public var tableOID: UInt32 = 0
    public var columnAttributeNumber: Int16 = 0
    public var typeOID: UInt32
    public var typeSize: Int16
    public var typeModifier: Int32
    /// 0 = text, 1 = binary.
    public var format: Int16

    public init(
        name: String, tableOID: UInt32 = 0, columnAttributeNumber: Int16 = 0, typeOID: UInt32, typeSize: Int16,
        typeModifier: Int32, format: Int16
    ) {
        self.name = name
        self.tableOID = tableOID
        self.columnAttributeNumber = columnAttributeNumber
        self.typeOID = typeOID
        self.typeSize = typeSize
        self.typeModifier = typeModifier
        self.format = format
    }
}
