import Crypto
import Foundation
import _CryptoExtras

/// A stored SCRAM-SHA-256 secret in PostgreSQL's format:
/// `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (base64 parts).
///
/// It lets the server check a client's proof without ever knowing the password.
public struct SCRAMVerifier: Sendable, Equatable, CustomStringConvertible {
    public let iterations: Int
    public let salt: [UInt8]
    public let storedKey: [UInt8]
    public let serverKey: [UInt8]

    public init(iterations: Int, salt: [UInt8], storedKey: [UInt8], serverKey: [UInt8]) {
        self.iterations = iterations
        self.salt = salt
        self.storedKey = storedKey
        self.serverKey = serverKey
    }

    /// Parses PostgreSQL's text form; nil when it is not a SCRAM-SHA-256 verifier.
    public init?(parsing text: String) {
        let sections = text.split(separator: "$", omittingEmptySubsequences: false)
        guard sections.count == 3, sections[0] == "SCRAM-SHA-256" else { return nil }
        let saltPart = sections[1].split(separator: ":", omittingEmptySubsequences: false)
        let keyPart = sections[2].split(separator: ":", omittingEmptySubsequences: false)
        guard saltPart.count == 2, keyPart.count == 2, let iterations = Int(saltPart[0]), iterations > 0,
            let salt = Data(base64Encoded: String(saltPart[1])),
            let storedKey = Data(base64Encoded: String(keyPart[0])), storedKey.count == 32,
            let serverKey = Data(base64Encoded: String(keyPart[1])), serverKey.count == 32
        else { return nil }
        self.init(iterations: iterations, salt: Array(salt), storedKey: Array(storedKey), serverKey: Array(serverKey))
    }

    /// Derives a verifier from a password, as PostgreSQL's `password_encryption = scram-sha-256` does.
    public init(password: String, salt: [UInt8], iterations: Int = 4096) {
        let saltedPassword = Self.saltedPassword(password, salt: salt, iterations: iterations)
        let clientKey = Self.hmac(key: saltedPassword, message: Array("Client Key".utf8))
        self.init(
            iterations: iterations, salt: salt, storedKey: Array(SHA256.hash(data: clientKey)),
            serverKey: Self.hmac(key: saltedPassword, message: Array("Server Key".utf8)))
    }

    /// A verifier for `password` with a fresh random 16-byte salt.
    public static func generate(password: String, iterations: Int = 4096) -> SCRAMVerifier {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return SCRAMVerifier(password: password, salt: salt, iterations: iterations)
    }

    public var description: String {
        "SCRAM-SHA-256$\(iterations):\(Data(salt).base64EncodedString())$"
            + "\(Data(storedKey).base64EncodedString()):\(Data(serverKey).base64EncodedString())"
    }

    /// True when `password` is the one this verifier was made from (for passwords sent in clear text).
    public func verifies(password: String) -> Bool {
        let candidate = SCRAMVerifier(password: password, salt: salt, iterations: iterations)
        return SCRAMServerExchange.constantTimeEqual(candidate.storedKey, storedKey)
    }

    /// PBKDF2-HMAC-SHA-256 of the password (RFC 5802's SaltedPassword).
    public static func saltedPassword(_ password: String, salt: [UInt8], iterations: Int) -> [UInt8] {
        // SASLprep is the identity for the ASCII and common Unicode passwords PostgreSQL users set.
        let key = try? KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32,
            unsafeUncheckedRounds: iterations)
        return key?.withUnsafeBytes { Array($0) } ?? []
    }

    /// HMAC-SHA-256.
    public static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }
}
