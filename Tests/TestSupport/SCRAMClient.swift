import Auth
import Foundation

/// The client half of SCRAM-SHA-256 (RFC 5802), computed as libpq does, for driving the server in tests.
public struct SCRAMClient {
    public let password: String
    public let nonce: String
    /// `n,,` without channel binding, `p=tls-server-end-point,,` with it.
    public var gs2Header = "n,,"
    /// The channel-binding data the client believes in (the server certificate hash).
    public var bindingData: [UInt8] = []

    public init(password: String, nonce: String = "fyko+d2lbbFgONRv9qkxdawL") {
        self.password = password
        self.nonce = nonce
    }

    public var clientFirstBare: String { "n=,r=\(nonce)" }
    public var clientFirst: [UInt8] { Array((gs2Header + clientFirstBare).utf8) }

    /// The client-final-message for a server-first-message, and the server-final the server must answer.
    public func clientFinal(serverFirst: [UInt8]) -> (message: [UInt8], expectedServerFinal: String) {
        let text = String(decoding: serverFirst, as: UTF8.self)
        let fields = Dictionary(
            uniqueKeysWithValues: text.split(separator: ",").map { (String($0.prefix(1)), String($0.dropFirst(2))) })
        let salt = Array(Data(base64Encoded: fields["s"] ?? "") ?? Data())
        let iterations = Int(fields["i"] ?? "") ?? 4096
        let verifier = SCRAMVerifier(password: password, salt: salt, iterations: iterations)
        let binding = Data(Array(gs2Header.utf8) + bindingData).base64EncodedString()
        let withoutProof = "c=\(binding),r=\(fields["r"] ?? "")"
        let authMessage = Array("\(clientFirstBare),\(text),\(withoutProof)".utf8)
        let salted = SCRAMVerifier.saltedPassword(password, salt: salt, iterations: iterations)
        let clientKey = SCRAMVerifier.hmac(key: salted, message: Array("Client Key".utf8))
        let proof = zip(clientKey, SCRAMVerifier.hmac(key: verifier.storedKey, message: authMessage)).map { $0 ^ $1 }
        let serverSignature = SCRAMVerifier.hmac(key: verifier.serverKey, message: authMessage)
        return (
            Array("\(withoutProof),p=\(Data(proof).base64EncodedString())".utf8),
            "v=\(Data(serverSignature).base64EncodedString())"
        )
    }
}
