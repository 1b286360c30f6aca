import Crypto
import Foundation

/// The server side of one SCRAM-SHA-256(-PLUS) exchange (RFC 5802, RFC 7677), as PostgreSQL runs it.
///
/// A value type driven by the connection: `clientFirst` returns the server-first message,
/// `clientFinal` checks the proof and returns the server-final message. No I/O.
public struct SCRAMServerExchange: Sendable {
    public static let mechanism = "SCRAM-SHA-256"
    public static let mechanismWithChannelBinding = "SCRAM-SHA-256-PLUS"

    private let user: String
    /// nil for an unknown user: the exchange runs on a mock verifier and fails at the end.
    private let verifier: SCRAMVerifier?
    private let mockVerifier: SCRAMVerifier
    /// `tls-server-end-point` data when the connection is TLS, else nil.
    private let channelBindingData: [UInt8]?
    private var state: State = .initial

    private enum State: Sendable {
        case initial
        case sentServerFirst(
            clientFirstBare: String, serverFirst: String, nonce: String, gs2Header: String, usesChannelBinding: Bool)
        case finished
    }

    /// - Parameters:
    ///   - verifier: the user's stored verifier, or nil when the user is unknown.
    ///   - mockSecret: a server secret used to fake a stable salt for unknown users.
    ///   - channelBindingData: the TLS server certificate hash for `-PLUS`, nil without TLS.
    public init(user: String, verifier: SCRAMVerifier?, mockSecret: [UInt8], channelBindingData: [UInt8]?) {
        self.user = user
        self.verifier = verifier
        let mockSalt = Array(SHA256.hash(data: Array(user.utf8) + mockSecret).prefix(16))
        self.mockVerifier = SCRAMVerifier(
            iterations: 4096, salt: mockSalt, storedKey: Array(repeating: 0, count: 32),
            serverKey: Array(repeating: 0, count: 32))
        self.channelBindingData = channelBindingData
    }

    /// The mechanisms to offer in AuthenticationSASL: `-PLUS` only when channel binding is possible.
    public static func offeredMechanisms(channelBinding: Bool) -> [String] {
        channelBinding ? [mechanismWithChannelBinding, mechanism] : [mechanism]
    }

    /// Handles SASLInitialResponse; returns the server-first-message to send in AuthenticationSASLContinue.
    public mutating func clientFirst(mechanism: String, message: [UInt8]) throws(AuthError) -> [UInt8] {
        guard case .initial = state else { throw .protocolViolation("unexpected SASL initial response") }
        guard let text = String(validating: message, as: UTF8.self) else {
            throw .protocolViolation("malformed SCRAM message (invalid UTF-8)")
        }
        let usesChannelBinding = mechanism == Self.mechanismWithChannelBinding
        guard mechanism == Self.mechanism || (usesChannelBinding && channelBindingData != nil) else {
            throw .protocolViolation("SASL authentication mechanism \"\(mechanism)\" is not supported")
        }
        // gs2-header: cbind-flag "," [authzid] ","
        let parts = text.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .protocolViolation("malformed SCRAM message (missing GS2 header)") }
        let flag = parts[0]
        switch flag {
        case "n":
            guard !usesChannelBinding else {
                throw .protocolViolation("channel binding is required by SCRAM-SHA-256-PLUS")
            }
        case "y":
            // The client could bind but believes the server cannot; over TLS that is a downgrade attack.
            guard channelBindingData == nil else {
                throw .protocolViolation("SCRAM channel binding negotiation error")
            }
        case "p=tls-server-end-point":
            guard usesChannelBinding else {
                throw .protocolViolation(
                    "channel binding requested but the SCRAM-SHA-256-PLUS mechanism was not selected")
            }
        default:
            throw .protocolViolation("unsupported SCRAM channel-binding type \"\(flag)\"")
        }
        guard parts[1].isEmpty else {
            throw .protocolViolation("client uses authorization identity, which is not supported")
        }
        let clientFirstBare = String(parts[2])
        let attributes = Self.attributes(clientFirstBare)
        guard attributes.first?.key == "n", let clientNonce = attributes.first(where: { $0.key == "r" })?.value,
            !clientNonce.isEmpty, clientNonce.allSatisfy({ $0.isASCII && $0 != "," && $0.asciiValue! > 0x20 })
        else { throw .protocolViolation("malformed SCRAM message (client-first-message)") }

        let verifier = self.verifier ?? mockVerifier
        var generator = SystemRandomNumberGenerator()
        let serverNonce = Data((0..<18).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
        let nonce = clientNonce + serverNonce
        let serverFirst = "r=\(nonce),s=\(Data(verifier.salt).base64EncodedString()),i=\(verifier.iterations)"
        state = .sentServerFirst(
            clientFirstBare: clientFirstBare, serverFirst: serverFirst, nonce: nonce,
            gs2Header: String(parts[0]) + "," + String(parts[1]) + ",", usesChannelBinding: usesChannelBinding)
        return Array(serverFirst.utf8)
    }

    /// Handles the client-final-message; returns the server-final-message for AuthenticationSASLFinal.
    public mutating func clientFinal(_ message: [UInt8]) throws(AuthError) -> [UInt8] {
        guard
            case .sentServerFirst(
                let clientFirstBare, let serverFirst, let nonce, let gs2Header, let usesChannelBinding) = state
        else { throw .protocolViolation("unexpected SASL response") }
        state = .finished
        guard let text = String(validating: message, as: UTF8.self) else {
            throw .protocolViolation("malformed SCRAM message (invalid UTF-8)")
        }
        guard let proofRange = text.range(of: ",p=") else {
            throw .protocolViolation("malformed SCRAM message (missing proof)")
        }
        let withoutProof = String(text[..<proofRange.lowerBound])
        let attributes = Self.attributes(withoutProof)
        guard let binding = attributes.first(where: { $0.key == "c" })?.value,
            let bindingBytes = Data(base64Encoded: binding)
        else { throw .protocolViolation("malformed SCRAM message (channel binding)") }
        var expectedBinding = Array(gs2Header.utf8)
        if usesChannelBinding, let channelBindingData { expectedBinding += channelBindingData }
        guard Array(bindingBytes) == expectedBinding else {
            throw .protocolViolation("SCRAM channel binding check failed")
        }
        guard attributes.first(where: { $0.key == "r" })?.value == nonce else {
            throw .protocolViolation("SCRAM nonce mismatch")
        }
        guard let proof = Data(base64Encoded: String(text[proofRange.upperBound...])), proof.count == 32 else {
            throw .protocolViolation("malformed SCRAM message (invalid proof)")
        }
        guard let verifier else { throw .passwordFailed(user: user) }

        let authMessage = Array("\(clientFirstBare),\(serverFirst),\(withoutProof)".utf8)
        let clientSignature = SCRAMVerifier.hmac(key: verifier.storedKey, message: authMessage)
        let clientKey = zip(proof, clientSignature).map { $0 ^ $1 }
        let computedStoredKey = Array(SHA256.hash(data: clientKey))
        guard Self.constantTimeEqual(computedStoredKey, verifier.storedKey) else { throw .passwordFailed(user: user) }
        let serverSignature = SCRAMVerifier.hmac(key: verifier.serverKey, message: authMessage)
        return Array("v=\(Data(serverSignature).base64EncodedString())".utf8)
    }

    static func attributes(_ text: String) -> [(key: String, value: String)] {
        text.split(separator: ",").map { part in
            guard let equals = part.firstIndex(of: "=") else { return (String(part), "") }
            return (String(part[..<equals]), String(part[part.index(after: equals)...]))
        }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
