import Crypto
import Foundation
import TestSupport
import Testing

@testable import Auth

@Suite struct SCRAMTests {
    /// RFC 7677's example: password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations.
    @Test func verifierMatchesRFC7677() throws {
        let salt = Array(Data(base64Encoded: "W22ZaJ0SNY7soEsUEjb6gQ==")!)
        let verifier = SCRAMVerifier(password: "pencil", salt: salt, iterations: 4096)
        let salted = SCRAMVerifier.saltedPassword("pencil", salt: salt, iterations: 4096)
        let clientKey = SCRAMVerifier.hmac(key: salted, message: Array("Client Key".utf8))
        // RFC 7677: ClientProof for the example exchange is dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=
        let authMessage = Array(
            ("n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0").utf8)
        let proof = zip(clientKey, SCRAMVerifier.hmac(key: verifier.storedKey, message: authMessage)).map { $0 ^ $1 }
        #expect(Data(proof).base64EncodedString() == "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        #expect(
            Data(SCRAMVerifier.hmac(key: verifier.serverKey, message: authMessage)).base64EncodedString()
                == "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
    }

    @Test func verifierTextRoundTrips() throws {
        let verifier = SCRAMVerifier.generate(password: "secret")
        let parsed = try #require(SCRAMVerifier(parsing: verifier.description))
        #expect(parsed == verifier)
        #expect(verifier.description.hasPrefix("SCRAM-SHA-256$4096:"))
        #expect(SCRAMVerifier(parsing: "md5abcdef") == nil)
    }

    @Test func correctPasswordAuthenticates() throws {
        var server = SCRAMServerExchange(
            user: "demo", verifier: .generate(password: "demo"), mockSecret: [1, 2, 3], channelBindingData: nil)
        let client = SCRAMClient(password: "demo")
        let serverFirst = try server.clientFirst(mechanism: "SCRAM-SHA-256", message: client.clientFirst)
        let (final, expected) = client.clientFinal(serverFirst: serverFirst)
        #expect(String(decoding: try server.clientFinal(final), as: UTF8.self) == expected)
    }

    @Test func wrongPasswordAndUnknownUserFailAlike() throws {
        for verifier in [SCRAMVerifier.generate(password: "demo"), nil] {
            var server = SCRAMServerExchange(
                user: "demo", verifier: verifier, mockSecret: [1, 2, 3], channelBindingData: nil)
            let client = SCRAMClient(password: "wrong")
            let serverFirst = try server.clientFirst(mechanism: "SCRAM-SHA-256", message: client.clientFirst)
            #expect(throws: AuthError.passwordFailed(user: "demo")) {
                try server.clientFinal(client.clientFinal(serverFirst: serverFirst).message)
            }
        }
    }

    @Test func channelBindingIsChecked() throws {
        let certificateHash = Array(SHA256.hash(data: Array("certificate".utf8)))
        var server = SCRAMServerExchange(
            user: "demo", verifier: .generate(password: "demo"), mockSecret: [], channelBindingData: certificateHash)
        var client = SCRAMClient(password: "demo")
        client.gs2Header = "p=tls-server-end-point,,"
        client.bindingData = Array(repeating: 0, count: 32)
        let serverFirst = try server.clientFirst(mechanism: "SCRAM-SHA-256-PLUS", message: client.clientFirst)
        #expect(throws: AuthError.protocolViolation("SCRAM channel binding check failed")) {
            try server.clientFinal(client.clientFinal(serverFirst: serverFirst).message)
        }
    }

    @Test func plusMechanismNeedsTLS() {
        var server = SCRAMServerExchange(
            user: "demo", verifier: .generate(password: "demo"), mockSecret: [], channelBindingData: nil)
        #expect(
            throws: AuthError.protocolViolation("SASL authentication mechanism \"SCRAM-SHA-256-PLUS\" is not supported")
        ) {
            try server.clientFirst(
                mechanism: "SCRAM-SHA-256-PLUS", message: Array("p=tls-server-end-point,,n=,r=abc".utf8))
        }
    }

    @Test func networkRules() {
        #expect(NetworkRule(parsing: "loopback")!.matches([127, 0, 0, 1]))
        #expect(!NetworkRule(parsing: "loopback")!.matches([10, 0, 0, 1]))
        #expect(NetworkRule(parsing: "10.0.0.0/8")!.matches([10, 20, 30, 40]))
        #expect(!NetworkRule(parsing: "10.0.0.0/8")!.matches([11, 0, 0, 1]))
        #expect(NetworkRule(parsing: "::1")!.matches(Array(repeating: 0, count: 15) + [1]))
        #expect(NetworkRule(parsing: "10.0.0.0/33") == nil)
    }
}
