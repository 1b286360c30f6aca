import NIOCore

/// A message from client to server (PostgreSQL protocol 3.0, "Message Formats").
public enum FrontendMessage: Sendable, Equatable {
    /// The first message of a session (no type byte).
    case startup(StartupMessage)
    case sslRequest
    case gssEncryptionRequest
    case cancelRequest(processID: Int32, secretKey: Int32)
    /// ascii: Q
    case query(String)
    /// ascii: P
    case parse(Parse)
    /// ascii: B
    case bind(Bind)
    /// ascii: D
    case describe(DescribeTarget)
    /// ascii: E
    case execute(portal: String, maxRows: Int32)
    /// ascii: C
    case close(DescribeTarget)
    /// ascii: S
    case sync
    /// ascii: H
    case flush
    /// ascii: X
    case terminate
    /// ascii: p — PasswordMessage, SASLInitialResponse or SASLResponse; the meaning depends on the auth state.
    case authenticationResponse(ByteBuffer)
    /// ascii: d
    case copyData(ByteBuffer)
    /// ascii: c
    case copyDone
    /// ascii: f
    case copyFail(String)
    /// ascii: F — the legacy fast-path function call.
    case functionCall

    public struct Parse: Sendable, Equatable {
        public var statementName: String
        public var query: String
        /// Declared parameter type OIDs; 0 means "infer".
        public var parameterTypeOIDs: [UInt32]
    }

    public struct Bind: Sendable, Equatable {
        public var portalName: String
        public var statementName: String
        /// 0 = text, 1 = binary; empty means all text, one entry applies to all.
        public var parameterFormats: [Int16]
        /// nil for a NULL parameter.
        public var parameters: [ByteBuffer?]
        public var resultFormats: [Int16]
    }

    public enum DescribeTarget: Sendable, Equatable {
        case statement(String)
        case portal(String)
    }
}

/// The parameters of a StartupMessage.
public struct StartupMessage: Sendable, Equatable {
    public var protocolMajor: Int
    public var protocolMinor: Int
    /// In the order the client sent them: `user`, `database`, `options`, `application_name`, ...
    public var parameters: [(String, String)]

    public init(protocolMajor: Int = 3, protocolMinor: Int = 0, parameters: [(String, String)]) {
        self.protocolMajor = protocolMajor
        self.protocolMinor = protocolMinor
        self.parameters = parameters
    }

    public subscript(name: String) -> String? { parameters.first { $0.0 == name }?.1 }

    public static func == (lhs: StartupMessage, rhs: StartupMessage) -> Bool {
        lhs.protocolMajor == rhs.protocolMajor && lhs.protocolMinor == rhs.protocolMinor
            && lhs.parameters.elementsEqual(rhs.parameters, by: { $0 == $1 })
    }
}
